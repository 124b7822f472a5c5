"""referral_move: every state × every action × every persona, the needs of each move, and the database's own checks.

The expected table below is written from issue 4 by hand ("desa verifies and forwards; the agency accepts,
updates, resolves or redirects; desa or agency may reject; the village reopens"), not copied from
simpul.referrals.states: the first test compares the two, the matrix then walks a referral to every state and
tries every action as every persona. A refused move must raise and leave the referral exactly as it was.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from conftest import JEPARA, MIJI, MOJOKERTO, agency, make_user
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.referrals.models import Referral, Transition
from simpul.referrals.services import FileInput, MoveInput, attachment_add, referral_move
from simpul.referrals.states import MOVES, Action, State, actions_from
from simpul.referrals.taxonomy import DocType
from simpul.referrals.tests.kit import PDF_BYTES, jpeg_bytes, move, record
from simpul.registry.models import HouseholdCondition

VILLAGE, AGENCY = "village", "agency"
S, A = State, Action
# (action, from) → (to, who may): issue 4, "The referral and its flow".
EXPECTED_MOVES = {
    (A.VERIFY, S.RECORDED): (S.VERIFIED, VILLAGE),
    (A.REJECT, S.RECORDED): (S.REJECTED, VILLAGE),
    (A.FORWARD, S.VERIFIED): (S.FORWARDED, VILLAGE),
    (A.REJECT, S.VERIFIED): (S.REJECTED, VILLAGE),
    (A.ACCEPT, S.FORWARDED): (S.ACCEPTED, AGENCY),
    (A.REDIRECT, S.FORWARDED): (S.REDIRECTED, AGENCY),
    (A.REJECT, S.FORWARDED): (S.REJECTED, AGENCY),
    (A.ACCEPT, S.REDIRECTED): (S.ACCEPTED, AGENCY),
    (A.REDIRECT, S.REDIRECTED): (S.REDIRECTED, AGENCY),
    (A.REJECT, S.REDIRECTED): (S.REJECTED, AGENCY),
    (A.START, S.ACCEPTED): (S.IN_PROGRESS, AGENCY),
    (A.RESOLVE, S.ACCEPTED): (S.RESOLVED, AGENCY),
    (A.REDIRECT, S.ACCEPTED): (S.REDIRECTED, AGENCY),
    (A.REJECT, S.ACCEPTED): (S.REJECTED, AGENCY),
    (A.UPDATE, S.IN_PROGRESS): (S.IN_PROGRESS, AGENCY),
    (A.RESOLVE, S.IN_PROGRESS): (S.RESOLVED, AGENCY),
    (A.REDIRECT, S.IN_PROGRESS): (S.REDIRECTED, AGENCY),
    (A.REJECT, S.IN_PROGRESS): (S.REJECTED, AGENCY),
    (A.REOPEN, S.RESOLVED): (S.REOPENED, VILLAGE),
    (A.REOPEN, S.REJECTED): (S.REOPENED, VILLAGE),
    (A.VERIFY, S.REOPENED): (S.VERIFIED, VILLAGE),
    (A.REJECT, S.REOPENED): (S.REJECTED, VILLAGE),
}
PERSONAS = ("kader_miji", "operator_miji", "lurah_miji", "camat_kranggan", "pembina_mojokerto", "bidan_kranggan",
            "opd_perkim", "opd_dinsos", "opd_perkim_jepara", "kader_meri")
VILLAGE_PERSONAS = {"operator_miji", "lurah_miji"}
# Where opd_perkim holds the referral in the walks below (rejected: perkim itself rejected it).
PERKIM_HOLDS = {S.FORWARDED, S.ACCEPTED, S.IN_PROGRESS, S.RESOLVED, S.REJECTED, S.REDIRECTED}
VISIT = "Kunjungan rumah: atap bocor, dinding retak."
REASON = "Bukan wewenang kami, data tidak lengkap."
# Walks happen on Monday 2 November 2026, 09:00 WIB (no holiday in November).
RECORDED_AT = dt.datetime(2026, 11, 2, 2, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def people(request, kader_miji, family_miji):
    """Every persona of the matrix, plus the BPBD officer the redirected walk needs."""
    found = {name: request.getfixturevalue(name) for name in PERSONAS}
    found["opd_bpbd"] = make_user("opd.bpbd", Role.OPD, region=MOJOKERTO, fields=["perumahan"], agency_code="bpbd")
    found["family"] = family_miji
    return found


def perkim():
    return agency(MOJOKERTO, "perkim")


def bpbd():
    return agency(MOJOKERTO, "bpbd")


def walk(people, state: str) -> Referral:
    """An RTLH referral of family_miji (with all its documents) brought to ``state`` by the right people."""
    lurah, officer = people["lurah_miji"], people["opd_perkim"]
    referral = record(people["kader_miji"], household=people["family"], now=RECORDED_AT)
    steps = {
        S.RECORDED: [],
        S.VERIFIED: [(lurah, A.VERIFY, {"note": VISIT})],
        S.REDIRECTED: [(lurah, A.VERIFY, {"note": VISIT}), (lurah, A.FORWARD, {"agency": bpbd()}),
                       (people["opd_bpbd"], A.REDIRECT, {"agency": perkim(), "note": REASON})],
    }
    to_forwarded = [(lurah, A.VERIFY, {"note": VISIT}), (lurah, A.FORWARD, {"agency": perkim()})]
    steps[S.FORWARDED] = to_forwarded
    steps[S.REJECTED] = [*to_forwarded, (officer, A.REJECT, {"note": REASON})]
    steps[S.ACCEPTED] = [*to_forwarded, (officer, A.ACCEPT, {})]
    steps[S.IN_PROGRESS] = [*steps[S.ACCEPTED], (officer, A.START, {})]
    steps[S.RESOLVED] = [*steps[S.IN_PROGRESS],
                         (officer, A.RESOLVE, {"outcome": "house_livable", "note": "Rumah sudah direhab."})]
    steps[S.REOPENED] = [*steps[S.RESOLVED], (lurah, A.REOPEN, {"note": "Atap bocor lagi setelah hujan."})]
    for hour, (user, action, extra) in enumerate(steps[state], start=1):
        referral = move(user, referral, action, now=RECORDED_AT + dt.timedelta(hours=hour), **extra)
    assert referral.state == state
    return referral


def snapshot(referral: Referral) -> dict:
    row = Referral.objects.get(pk=referral.pk)
    return {
        "state": row.state, "version": row.version, "agency": row.agency_id, "outcome": row.outcome,
        "closed_at": row.closed_at, "due_on": row.due_on, "approved": row.confidential_approved_by_id,
        "transitions": Transition.objects.filter(referral=row).count(),
        "conditions": HouseholdCondition.objects.filter(household_id=row.household_id).count(),
        "audit": AuditEntry.objects.filter(object_type="referrals.referral", object_id=str(row.pk)).count(),
    }


def good_input(action: str, referral: Referral) -> dict:
    """What a correct request of this action carries."""
    extra = {"note": REASON}
    if action == A.VERIFY:
        extra["note"] = VISIT
    elif action == A.FORWARD:
        extra["agency"] = perkim()
    elif action == A.REDIRECT:
        extra["agency"] = bpbd()
    elif action == A.RESOLVE:
        extra.update(outcome="house_livable", note="Rumah sudah direhab, layak huni.")
    return extra


def expected(state: str, action: str, persona: str) -> str:
    """'allowed', 'hidden' (NotInScope), 'conflict' (no such move), 'forbidden' (wrong actor), 'invalid'."""
    sees = persona in VILLAGE_PERSONAS or persona == "kader_miji" or (persona == "opd_perkim"
                                                                         and state in PERKIM_HOLDS)
    if not sees:
        return "hidden"
    if action == A.RECORD:
        return "invalid"
    rule = EXPECTED_MOVES.get((action, state))
    if rule is None:
        return "conflict"
    who = rule[1]
    if (who == VILLAGE and persona in VILLAGE_PERSONAS) or (who == AGENCY and persona == "opd_perkim"):
        return "allowed"
    return "forbidden"


def test_the_moves_table_is_the_one_the_issue_describes():
    table = {(m.action, m.source): (m.target, VILLAGE if m.roles == {Role.DESA} else AGENCY if m.roles == {Role.OPD}
                                    else sorted(m.roles)) for m in MOVES}
    assert table == EXPECTED_MOVES
    assert len(MOVES) == len(table)  # no action is listed twice from one state


def test_no_move_in_the_table_is_open_to_a_kader_or_anyone_outside_desa_and_agency():
    for state in State.values:
        for role in (Role.KADER, Role.PENGURUS, Role.NAKES, Role.KECAMATAN, Role.PEMBINA, Role.ADMIN):
            assert actions_from(state, frozenset({role})) == []


@pytest.mark.parametrize("state", State.values)
def test_every_action_by_every_persona(people, state):
    referral = walk(people, state)
    failures = []
    for persona in PERSONAS:
        user = people[persona]
        for action in [*Action.values, "teleport"]:
            want = expected(state, action, persona) if action != "teleport" else (
                "invalid" if expected(state, A.VERIFY, persona) != "hidden" else "hidden")
            before = snapshot(referral)
            with transaction.atomic():
                try:
                    moved = move(user, referral, action, **good_input(action, referral))
                    got = "allowed"
                except NotInScope:
                    got = "hidden"
                except DomainError as error:
                    got = {"conflict": "conflict", "forbidden": "forbidden"}.get(error.code, "invalid")
                if got == "allowed":
                    target = EXPECTED_MOVES.get((action, state), ("?",))[0]
                    sent = good_input(action, referral).get("agency")
                    after = snapshot(moved)
                    if (after["state"], after["version"], after["transitions"], after["agency"]) != (
                            target, before["version"] + 1, before["transitions"] + 1,
                            sent.pk if sent else before["agency"]):
                        failures.append(f"{persona} {action}: moved wrongly to {after}")
                elif snapshot(referral) != before:
                    failures.append(f"{persona} {action}: refused ({got}) but changed the referral")
                transaction.set_rollback(True)  # try the next one on the same referral
            if got != want:
                failures.append(f"{persona} {action} from {state}: expected {want}, got {got}")
    assert failures == []


@pytest.mark.parametrize("state", State.values)
def test_a_kader_never_resolves_whatever_she_sends(people, state):
    referral = walk(people, state)
    before = snapshot(referral)
    for outcome in ("house_livable", "handled"):
        with pytest.raises(DomainError):
            referral_move(actor=people["kader_miji"], scope=scope_for(people["kader_miji"]), referral=referral,
                          data=MoveInput(action=A.RESOLVE, note="Sudah selesai.", outcome=outcome,
                                         version=before["version"]))
    assert snapshot(referral) == before


# --- what each move needs ---------------------------------------------------------------------------------


def refused(user, referral, action, field: str | None = None, code: str | None = None, **extra) -> DomainError:
    """Run a move that must be refused; check nothing changed and return the error."""
    before = snapshot(referral)
    with pytest.raises(DomainError) as caught:
        move(user, referral, action, **extra)
    assert snapshot(referral) == before
    if field is not None:
        assert field in caught.value.field_errors, caught.value.field_errors
    if code is not None:
        assert caught.value.code == code
    return caught.value


@pytest.mark.parametrize("note", ["", "   ", "ok", "abcd "])
def test_reject_needs_a_reason(people, note):
    referral = walk(people, S.RECORDED)
    refused(people["lurah_miji"], referral, A.REJECT, "note", note=note)
    referral = walk(people, S.ACCEPTED)
    refused(people["opd_perkim"], referral, A.REJECT, "note", note=note)


def test_reject_with_a_reason_closes_the_referral_and_keeps_the_reason(people):
    referral = walk(people, S.VERIFIED)
    now = timezone.now()
    referral = move(people["operator_miji"], referral, A.REJECT, note=REASON, now=now)
    assert (referral.state, referral.closed_at, referral.closed_on) == (S.REJECTED, now, timezone.localdate(now))
    last = referral.transitions.last()
    assert (last.action, last.from_state, last.to_state, last.actor, last.note) == (
        A.REJECT, S.VERIFIED, S.REJECTED, people["operator_miji"], REASON)


def test_verify_needs_a_home_visit_note(people):
    referral = walk(people, S.RECORDED)
    refused(people["lurah_miji"], referral, A.VERIFY, "note", note="dicek")  # 5 characters
    assert move(people["lurah_miji"], referral, A.VERIFY, note=VISIT).state == S.VERIFIED


def test_forward_needs_an_agency(people):
    referral = walk(people, S.VERIFIED)
    refused(people["lurah_miji"], referral, A.FORWARD, "agency_id", agency=None)


def test_forward_refuses_an_agency_of_another_regency_or_kecamatan_or_an_inactive_one(people):
    referral = walk(people, S.VERIFIED)
    refused(people["lurah_miji"], referral, A.FORWARD, "agency_id", agency=agency(JEPARA, "perkim"))
    other_kecamatan = agency(MOJOKERTO, "kec-357601")  # Prajuritkulon's office, not Kranggan's
    refused(people["lurah_miji"], referral, A.FORWARD, "agency_id", agency=other_kecamatan)
    closed = perkim()
    closed.active = False
    closed.save(update_fields=["active"])
    refused(people["lurah_miji"], referral, A.FORWARD, "agency_id", agency=closed)
    with pytest.raises(DomainError):
        referral_move(actor=people["lurah_miji"], scope=scope_for(people["lurah_miji"]), referral=referral,
                      data=MoveInput(action=A.FORWARD, note="", agency_id=987654321))


def test_forward_names_the_agency_in_the_history(people):
    referral = walk(people, S.FORWARDED)
    last = referral.transitions.last()
    assert (referral.agency, last.agency, last.actor) == (perkim(), perkim(), people["lurah_miji"])


def test_forward_with_a_missing_document_is_refused_and_the_message_lists_it(people):
    referral = record(people["kader_miji"], household=people["family"], documents=False)
    files = [FileInput(doc, f"{doc}.pdf", PDF_BYTES) for doc in ("ktp", "kk", "income_statement", "land_proof",
                                                                  "no_prior_aid")]
    files.append(FileInput("house_photo", "depan.jpg", jpeg_bytes()))  # one of the three sides
    attachment_add(actor=people["kader_miji"], scope=scope_for(people["kader_miji"]), referral=referral, files=files)
    referral = move(people["lurah_miji"], referral, A.VERIFY, note=VISIT)
    error = refused(people["lurah_miji"], referral, A.FORWARD, "documents", agency=perkim())
    label = str(DocType.HOUSE_PHOTO.label)
    assert f"{label} (1/3)" in error.message and error.field_errors["documents"] == [f"{label} (1/3)"]
    for side in ("samping", "belakang"):
        attachment_add(actor=people["lurah_miji"], scope=scope_for(people["lurah_miji"]), referral=referral,
                       files=[FileInput("house_photo", f"{side}.jpg", jpeg_bytes((10, 20, 30)))])
    assert move(people["lurah_miji"], referral, A.FORWARD, agency=perkim()).state == S.FORWARDED


def test_forward_with_no_documents_lists_every_missing_one(people):
    referral = move(people["lurah_miji"], record(people["kader_miji"], household=people["family"], documents=False),
                    A.VERIFY, note=VISIT)
    error = refused(people["lurah_miji"], referral, A.FORWARD, "documents", agency=perkim())
    for doc in ("ktp", "kk", "income_statement", "land_proof", "house_photo", "no_prior_aid"):
        assert str(DocType(doc).label) in error.message


@pytest.mark.parametrize("state", [S.FORWARDED, S.ACCEPTED, S.IN_PROGRESS, S.REDIRECTED])
def test_redirect_needs_another_agency_and_a_reason(people, state):
    referral = walk(people, state)
    officer = people["opd_perkim"]
    refused(officer, referral, A.REDIRECT, "agency_id", agency=None, note=REASON)
    refused(officer, referral, A.REDIRECT, "agency_id", agency=perkim(), note=REASON)  # its own agency
    refused(officer, referral, A.REDIRECT, "agency_id", agency=agency(JEPARA, "bpbd"), note=REASON)
    refused(officer, referral, A.REDIRECT, "note", agency=bpbd(), note="")
    referral = move(officer, referral, A.REDIRECT, agency=bpbd(), note=REASON)
    assert (referral.state, referral.agency) == (S.REDIRECTED, bpbd())
    assert referral.transitions.last().agency == bpbd()
    # The old agency lets go: it neither sees nor acts on the referral any more.
    with pytest.raises(NotInScope):
        move(officer, referral, A.ACCEPT)


@pytest.mark.parametrize("state", [S.ACCEPTED, S.IN_PROGRESS])
def test_resolve_needs_an_outcome_and_a_note(people, state):
    referral = walk(people, state)
    officer = people["opd_perkim"]
    refused(officer, referral, A.RESOLVE, "outcome", outcome="", note="Rumah sudah direhab.")
    refused(officer, referral, A.RESOLVE, "outcome", outcome="enrolled", note="Rumah sudah direhab.")  # not RTLH's
    refused(officer, referral, A.RESOLVE, "note", outcome="house_livable", note="")
    refused(officer, referral, A.RESOLVE, "note", outcome="handled", note="ok")
    now = timezone.now()
    referral = move(officer, referral, A.RESOLVE, outcome="handled", note="Masuk daftar tahun depan.", now=now)
    assert (referral.state, referral.outcome, referral.outcome_note, referral.closed_at) == (
        S.RESOLVED, "handled", "Masuk daftar tahun depan.", now)


def test_update_needs_a_note_and_keeps_the_stage_clock(people):
    referral = walk(people, S.IN_PROGRESS)
    refused(people["opd_perkim"], referral, A.UPDATE, "note", note="")
    started = referral.stage_started_at
    referral = move(people["opd_perkim"], referral, A.UPDATE, note="Material sudah dikirim.",
                    now=started + dt.timedelta(days=2))
    assert (referral.state, referral.stage_started_at) == (S.IN_PROGRESS, started)


def test_a_redirect_to_yet_another_agency_starts_a_new_stage(people):
    referral = walk(people, S.REDIRECTED)  # BPBD sent it to Perkim on Monday 2 November
    assert referral.stage_started_on == dt.date(2026, 11, 2)
    later = dt.datetime(2026, 11, 5, 3, tzinfo=dt.UTC)  # Thursday 5 November, 10:00 WIB
    referral = move(people["opd_perkim"], referral, A.REDIRECT, agency=bpbd(), note=REASON, now=later)
    # Same state, but BPBD's clock starts now: it must not inherit Perkim's three days.
    assert (referral.state, referral.agency, referral.stage_started_at, referral.stage_started_on) == (
        S.REDIRECTED, bpbd(), later, dt.date(2026, 11, 5))


def test_a_note_longer_than_2000_characters_is_refused(people):
    referral = walk(people, S.RECORDED)
    refused(people["lurah_miji"], referral, A.VERIFY, "note", note="x" * 2001)


def test_a_stale_version_is_a_conflict_and_the_current_one_moves(people):
    referral = walk(people, S.RECORDED)
    lurah = people["lurah_miji"]
    before = snapshot(referral)
    with pytest.raises(DomainError) as caught:
        referral_move(actor=lurah, scope=scope_for(lurah), referral=referral,
                      data=MoveInput(action=A.VERIFY, note=VISIT, version=referral.version - 1))
    assert caught.value.code == "conflict" and snapshot(referral) == before
    moved = referral_move(actor=lurah, scope=scope_for(lurah), referral=referral,
                          data=MoveInput(action=A.VERIFY, note=VISIT, version=referral.version))
    assert (moved.state, moved.version) == (S.VERIFIED, referral.version + 1)
    # The page the operator still has open shows the old version: her reject is a conflict.
    with pytest.raises(DomainError) as caught:
        referral_move(actor=people["operator_miji"], scope=scope_for(people["operator_miji"]), referral=referral,
                      data=MoveInput(action=A.REJECT, note=REASON, version=referral.version))
    assert caught.value.code == "conflict"
    assert Referral.objects.get(pk=referral.pk).state == S.VERIFIED


def test_reopen_gives_a_fresh_clock_and_clears_the_outcome(people):
    referral = walk(people, S.RESOLVED)
    assert referral.outcome == "house_livable" and referral.closed_at is not None
    refused(people["lurah_miji"], referral, A.REOPEN, "note", note="")
    assert referral.due_on == dt.date(2026, 11, 9)  # recorded Monday 2 November: Tue–Fri and Monday 9th
    reopened_at = dt.datetime(2026, 11, 16, 17, 30, tzinfo=dt.UTC)  # Tuesday 17 November 00:30 WIB
    referral = move(people["lurah_miji"], referral, A.REOPEN, note="Atap bocor lagi.", now=reopened_at)
    assert (referral.state, referral.outcome, referral.outcome_note, referral.closed_at, referral.closed_on) == (
        S.REOPENED, "", "", None, None)
    assert referral.due_on == dt.date(2026, 11, 24)  # from Tuesday 17th (WIB): Wed–Fri, Mon 23rd, Tue 24th
    assert referral.stage_started_on == dt.date(2026, 11, 17)
    # The village visits again and sends it out again (documents are still there).
    refused(people["operator_miji"], referral, A.FORWARD, code="conflict", agency=perkim())
    referral = move(people["operator_miji"], referral, A.VERIFY, note=VISIT)
    assert move(people["operator_miji"], referral, A.FORWARD, agency=perkim()).state == S.FORWARDED


def test_a_move_writes_an_audit_entry(people):
    referral = walk(people, S.RECORDED)
    move(people["lurah_miji"], referral, A.VERIFY, note=VISIT)
    entry = AuditEntry.objects.filter(object_type="referrals.referral", object_id=str(referral.pk),
                                      action="referral.verify").get()
    assert (entry.actor, entry.region_code, entry.changes["state"]) == (people["lurah_miji"], MIJI,
                                                                        ["recorded", "verified"])


# --- the database refuses what the services never write -------------------------------------------------


def _save_fails(referral: Referral) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        referral.save()


def test_database_refuses_forwarded_without_agency(people):
    referral = walk(people, S.VERIFIED)
    referral.state = S.FORWARDED
    _save_fails(referral)
    for state in (S.ACCEPTED, S.IN_PROGRESS, S.REDIRECTED):
        referral.state = state
        _save_fails(referral)


def test_database_refuses_resolved_without_outcome(people):
    referral = walk(people, S.IN_PROGRESS)
    referral.state, referral.closed_at, referral.closed_on = S.RESOLVED, timezone.now(), timezone.localdate()
    referral.outcome = ""
    _save_fails(referral)


def test_database_refuses_closed_without_closed_at_and_open_with_it(people):
    referral = walk(people, S.IN_PROGRESS)
    referral.state, referral.outcome = S.RESOLVED, "handled"
    _save_fails(referral)  # resolved, closed_at missing
    referral = walk(people, S.VERIFIED)
    referral.state = S.REJECTED
    _save_fails(referral)
    referral = walk(people, S.VERIFIED)
    referral.closed_at = timezone.now()  # still open
    _save_fails(referral)


def test_database_refuses_an_unknown_state_and_a_due_date_before_recording(people):
    referral = walk(people, S.RECORDED)
    referral.state = "done"
    _save_fails(referral)
    referral = walk(people, S.RECORDED)
    referral.due_on = referral.recorded_on
    _save_fails(referral)


def test_database_refuses_a_confidential_referral_with_an_agency_before_approval(people):
    referral = walk(people, S.FORWARDED)
    referral.confidential = True
    _save_fails(referral)
