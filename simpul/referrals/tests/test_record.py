"""referral_record: the subject each category asks for, who may record where, bad input, replays, tickets, due dates."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal

import pytest

from conftest import MERI, MIJI, make_user, register_family
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.notifications.models import Notification
from simpul.referrals.models import Attachment, Category, Holiday, Referral, TicketCounter, Transition
from simpul.referrals.services import FileInput, NeedInput, referral_record
from simpul.referrals.states import State
from simpul.referrals.taxonomy import CATEGORIES
from simpul.referrals.tests.kit import jpeg_bytes, record

TICKET_RE = re.compile(r"^(KES|DIK|PU|PRK|SOS|TRB|ASP)-\d{10}-\d{6}-\d{4}-[A-Z2-9]{4}$")
ABBREVIATION = {"kesehatan": "KES", "pendidikan": "DIK", "pekerjaan_umum": "PU", "perumahan": "PRK", "sosial": "SOS",
                "trantibumlinmas": "TRB", "aspirasi": "ASP"}
DESCRIPTION = "Atap bocor, dinding retak, lantai tanah."


def at(day: dt.date, hour: int = 2, minute: int = 0) -> dt.datetime:
    """A moment of that day in UTC: 02:00 UTC is 09:00 WIB."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def family_meri(kader_meri, posyandu_meri):
    return register_family(kader_meri, posyandu_meri, head="Joko Susilo", kk="3576030101200003")


def need(user, **values) -> Referral:
    values.setdefault("description", DESCRIPTION)
    return referral_record(actor=user, scope=scope_for(user), data=NeedInput(**values))


def rows() -> tuple[int, ...]:
    return (Referral.objects.count(), Transition.objects.count(), Attachment.objects.count(),
            sum(TicketCounter.objects.values_list("last", flat=True)))


def refused(user, field: str | None = None, **values) -> DomainError:
    before = rows()
    with pytest.raises(DomainError) as caught:
        need(user, **values)
    assert rows() == before
    if field is not None:
        assert not isinstance(caught.value, NotInScope)
        assert field in caught.value.field_errors, caught.value.field_errors
    return caught.value


def hidden(user, **values) -> None:
    before = rows()
    with pytest.raises(NotInScope):
        need(user, **values)
    assert rows() == before


# --- the subject of every category ---------------------------------------------------------------------


def test_the_seeded_categories_are_the_taxonomy(db):
    assert set(Category.objects.values_list("code", flat=True)) >= {seed.code for seed in CATEGORIES}


@pytest.mark.parametrize("seed", CATEGORIES, ids=lambda seed: seed.code)
def test_every_category_asks_for_its_subject(kader_miji, family_miji, posyandu_miji, seed):
    child = family_miji.members.get(full_name="Aisyah Putri")
    nothing = {"category": seed.code}
    with_person = {"category": seed.code, "person_id": child.pk}
    with_household = {"category": seed.code, "household_id": family_miji.pk}
    with_place = {"category": seed.code, "rt": "3", "rw": "4"}
    if seed.subject == "person":
        refused(kader_miji, "person_id", **nothing)
        refused(kader_miji, "person_id", **with_household)
        refused(kader_miji, "person_id", **with_place)
        made = [need(kader_miji, **with_person)]
    elif seed.subject == "household":
        refused(kader_miji, "household_id", **nothing)
        refused(kader_miji, "household_id", **with_place)
        # A member names her household: the need is about it.
        made = [need(kader_miji, **with_household), need(kader_miji, **with_person)]
        assert made[1].household == family_miji
    elif seed.subject == "either":
        refused(kader_miji, "household_id", **nothing)
        made = [need(kader_miji, **with_person), need(kader_miji, **with_household)]
    else:
        assert seed.subject == "place"
        refused(kader_miji, "rt", **nothing)
        refused(kader_miji, "rt", category=seed.code, rt="   ", rw=" ")  # blanks are no RT/RW
        made = [need(kader_miji, **with_place), need(kader_miji, **with_household)]
        assert (made[0].rt, made[0].rw, made[0].household) == ("003", "004", None)
    for referral in made:
        assert (referral.state, referral.desa_id, referral.posyandu, referral.field) == (
            State.RECORDED, MIJI, posyandu_miji, seed.field)
        assert referral.confidential is seed.confidential


def test_a_person_must_belong_to_the_household_named(kader_miji, posyandu_miji, family_miji):
    other = register_family(kader_miji, posyandu_miji, head="Ahmad Dahlan", kk="3576030101200004")
    child = family_miji.members.get(full_name="Aisyah Putri")
    refused(kader_miji, "person_id", category="sos_korban_bencana", person_id=child.pk, household_id=other.pk)


def test_an_unknown_or_inactive_category_is_refused(kader_miji, family_miji):
    refused(kader_miji, "category", category="prk_istana", household_id=family_miji.pk)
    Category.objects.filter(code="prk_relokasi").update(active=False)
    refused(kader_miji, "category", category="prk_relokasi", household_id=family_miji.pk)


# --- who may record where --------------------------------------------------------------------------------


def test_a_person_or_household_of_another_posyandu_or_regency_is_not_in_scope(kader_miji, family_meri,
                                                                             family_jepara):
    meri_person = family_meri.members.first()
    jepara_person = family_jepara.members.first()
    hidden(kader_miji, category="sos_disabilitas", person_id=meri_person.pk)
    hidden(kader_miji, category="sos_disabilitas", person_id=jepara_person.pk)
    hidden(kader_miji, category="prk_rtlh", household_id=family_meri.pk)
    hidden(kader_miji, category="prk_rtlh", household_id=family_jepara.pk)
    hidden(kader_miji, category="prk_rtlh", household_id=987654321)


def test_a_place_in_another_posyandu_is_not_in_scope(kader_miji, posyandu_meri, posyandu_jepara):
    hidden(kader_miji, category="pu_sarana_rt", rt="1", posyandu_id=posyandu_meri.pk)
    hidden(kader_miji, category="pu_sarana_rt", rt="1", posyandu_id=posyandu_jepara.pk)


@pytest.mark.parametrize("persona", ["bidan_kranggan", "camat_kranggan", "pembina_mojokerto", "opd_perkim",
                                     "opd_dinsos", "opd_perkim_jepara", "kader_meri", "admin_user"])
def test_who_may_not_record_for_a_miji_family(request, family_miji, posyandu_miji, persona):
    user = request.getfixturevalue(persona)
    hidden(user, category="prk_rtlh", household_id=family_miji.pk)
    hidden(user, category="pu_sarana_rt", rt="1", posyandu_id=posyandu_miji.pk)


def test_the_village_office_records_a_place_for_a_posyandu_it_names(lurah_miji, operator_miji, posyandu_miji,
                                                                    posyandu_meri, family_miji):
    refused(operator_miji, "posyandu_id", category="asp_umum", rt="5")  # the village has several posyandu
    referral = need(operator_miji, category="asp_umum", rt="5", posyandu_id=posyandu_miji.pk,
                    citizen_name="Pak Darto", citizen_phone="0812-3456-7890")
    assert (referral.posyandu, referral.reporter, referral.citizen_name, referral.citizen_phone) == (
        posyandu_miji, operator_miji, "Pak Darto", "081234567890")
    hidden(lurah_miji, category="asp_umum", rt="5", posyandu_id=posyandu_meri.pk)
    assert need(lurah_miji, category="prk_rtlh", household_id=family_miji.pk).household == family_miji


def test_a_posyandu_board_member_records(posyandu_miji, family_miji):
    pengurus = make_user("ketua.miji", Role.PENGURUS, posyandu=posyandu_miji)
    assert need(pengurus, category="prk_rtlh", household_id=family_miji.pk).reporter == pengurus


# --- bad input ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("values", "field"), [
    ({"rt": "12a"}, "rt"), ({"rt": "1234"}, "rt"), ({"rw": "-1"}, "rw"), ({"rw": "٣"}, "rw"),
    ({"latitude": "40", "longitude": "112.4"}, "latitude"),  # the Black Sea, not Mojokerto
    ({"latitude": "-7.47", "longitude": "200"}, "latitude"),
    ({"latitude": "abc", "longitude": "112.4"}, "latitude"),
    ({"latitude": "-7.47", "longitude": None}, "latitude"),
    ({"latitude": "NaN", "longitude": "112.4"}, "latitude"),
    ({"citizen_phone": "12345"}, "citizen_phone"), ({"citizen_phone": "0812abc4567"}, "citizen_phone"),
    ({"citizen_phone": "0812345678901234567"}, "citizen_phone"),
    ({"citizen_name": "123 Budi"}, "citizen_name"),
    ({"description": "bocor"}, "description"), ({"description": "   atap    "}, "description"),
    ({"description": "x" * 2001}, "description"), ({"description": ""}, "description"),
])
def test_bad_input_is_refused_with_the_field_named(kader_miji, family_miji, values, field):
    refused(kader_miji, field, **{"category": "prk_rtlh", "household_id": family_miji.pk, **values})


def test_every_problem_is_reported_at_once(kader_miji, family_miji):
    error = refused(kader_miji, category="prk_rtlh", household_id=family_miji.pk, description="x", rt="ab",
                    citizen_phone="1", files=[FileInput("ktp", "virus.jpg", b"MZ\x90\x00" * 10)])
    assert {"description", "rt", "citizen_phone", "files.0"} <= set(error.field_errors)


def test_limits_of_the_description_are_inclusive(kader_miji, family_miji):
    assert need(kader_miji, category="prk_rtlh", household_id=family_miji.pk, description="  " + "x" * 10 + " ")\
        .description == "x" * 10
    assert len(need(kader_miji, category="prk_rtlh", household_id=family_miji.pk, description="y" * 2000)
               .description) == 2000


def test_good_location_is_normalised(kader_miji, family_miji):
    referral = need(kader_miji, category="prk_rtlh", household_id=family_miji.pk, rt="7", rw="12",
                    latitude="-7.4704567891", longitude="112.4338")
    assert (referral.rt, referral.rw, referral.latitude, referral.longitude) == (
        "007", "012", Decimal("-7.470457"), Decimal("112.433800"))
    # Without RT/RW the household's are used.
    plain = need(kader_miji, category="prk_rtlh", household_id=family_miji.pk)
    assert (plain.rt, plain.rw) == ("002", "004")


def test_a_category_can_be_made_confidential_but_never_less(kader_miji, family_miji):
    assert need(kader_miji, category="prk_rtlh", household_id=family_miji.pk, confidential=True).confidential
    assert need(kader_miji, category="trb_kdrt", household_id=family_miji.pk, confidential=False).confidential


# --- replays --------------------------------------------------------------------------------------------------


def test_a_replay_with_the_same_client_uuid_returns_the_same_referral(kader_miji, family_miji):
    key = uuid.uuid4()
    first = need(kader_miji, category="prk_rtlh", household_id=family_miji.pk, client_uuid=key,
                 files=[FileInput("ktp", "ktp.jpg", jpeg_bytes())])
    before = rows()
    again = need(kader_miji, category="prk_rtlh", household_id=family_miji.pk, client_uuid=key,
                 files=[FileInput("ktp", "ktp.jpg", jpeg_bytes())])
    assert (again.pk, again.ticket, again.client_uuid) == (first.pk, first.ticket, key)
    assert rows() == before


def test_another_user_reusing_a_client_uuid_is_a_conflict(kader_miji, lurah_miji, family_miji):
    key = uuid.uuid4()
    need(kader_miji, category="prk_rtlh", household_id=family_miji.pk, client_uuid=key)
    before = rows()
    with pytest.raises(DomainError) as caught:
        need(lurah_miji, category="prk_rtlh", household_id=family_miji.pk, client_uuid=key)
    assert caught.value.code == "conflict" and not isinstance(caught.value, NotInScope)
    assert rows() == before


# --- what a recording writes ----------------------------------------------------------------------------------


def test_recording_writes_the_history_the_audit_and_tells_the_village(kader_miji, lurah_miji, operator_miji,
                                                                      kader_meri, family_miji):
    referral = record(kader_miji, household=family_miji)
    first = referral.transitions.get()
    assert (first.action, first.from_state, first.to_state, first.actor) == ("record", "", "recorded", kader_miji)
    assert referral.attachments.count() == 8  # KTP, KK, income, land, three house sides, no prior aid
    assert AuditEntry.objects.filter(action="referral.record", object_id=str(referral.pk), actor=kader_miji).exists()
    told = Notification.objects.filter(kind="referral.recorded")
    assert set(told.values_list("user", flat=True)) == {lurah_miji.pk, operator_miji.pk}
    for note in told:
        assert referral.ticket in note.subject
        assert "Budi" not in note.subject + note.body and "bocor" not in note.subject + note.body


# --- tickets and due dates -----------------------------------------------------------------------------------


def test_ticket_format_and_running_number_per_field_desa_and_month(kader_miji, kader_meri, family_miji, family_meri):
    november = dt.date(2026, 11, 2)

    def ticket(user, category, household, day):
        return record(user, category=category, household=household, documents=False, now=at(day)).ticket

    first = ticket(kader_miji, "prk_rtlh", family_miji, november)
    second = ticket(kader_miji, "prk_relokasi", family_miji, dt.date(2026, 11, 30))  # same field, same month
    other_field = ticket(kader_miji, "pu_jamban", family_miji, november)
    other_desa = ticket(kader_meri, "prk_rtlh", family_meri, november)
    next_month = ticket(kader_miji, "prk_rtlh", family_miji, dt.date(2026, 12, 1))
    for code in (first, second, other_field, other_desa, next_month):
        assert TICKET_RE.match(code), code
    assert first.startswith(f"PRK-{MIJI}-202611-0001-")
    assert second.startswith(f"PRK-{MIJI}-202611-0002-")
    assert other_field.startswith(f"PU-{MIJI}-202611-0001-")
    assert other_desa.startswith(f"PRK-{MERI}-202611-0001-")
    assert next_month.startswith(f"PRK-{MIJI}-202612-0001-")


def test_the_ticket_month_is_the_local_month(kader_miji, family_miji):
    # 30 November 2026 17:30 UTC is 1 December 00:30 in Mojokerto (WIB).
    referral = record(kader_miji, household=family_miji, documents=False, now=at(dt.date(2026, 11, 30), 17, 30))
    assert referral.ticket.startswith(f"PRK-{MIJI}-202612-0001-")
    assert referral.recorded_on == dt.date(2026, 12, 1)


@pytest.mark.parametrize("seed", CATEGORIES, ids=lambda seed: seed.code)
def test_every_field_has_its_abbreviation(kader_miji, family_miji, seed):
    child = family_miji.members.get(full_name="Aisyah Putri")
    referral = need(kader_miji, category=seed.code, person_id=child.pk)
    assert TICKET_RE.match(referral.ticket)
    assert referral.ticket.split("-")[0] == ABBREVIATION[seed.field]


@pytest.mark.parametrize(("category", "recorded", "due"), [
    # Monday 2 November 2026, 5 working days: Tue 3 … Fri 6, Mon 9 (no holiday in November).
    ("prk_rtlh", dt.date(2026, 11, 2), dt.date(2026, 11, 9)),
    # Recorded on Saturday: the clock starts on Monday.
    ("prk_rtlh", dt.date(2026, 11, 7), dt.date(2026, 11, 13)),
    # 10 working days from Monday 2 November: Monday 16 November.
    ("pu_sarana_rt", dt.date(2026, 11, 2), dt.date(2026, 11, 16)),
    # Fire, 1 working day, recorded Friday 14 August 2026: Monday 17 August is Independence Day.
    ("trb_kebakaran", dt.date(2026, 8, 14), dt.date(2026, 8, 18)),
    # KDRT, 2 working days, recorded Thursday 24 December 2026: Christmas (25th), the weekend.
    ("trb_kdrt", dt.date(2026, 12, 24), dt.date(2026, 12, 29)),
])
def test_the_due_date_counts_working_days_after_recording(kader_miji, family_miji, category, recorded, due):
    Holiday.objects.get_or_create(date=dt.date(2026, 8, 17), defaults={"name": "Hari Kemerdekaan"})
    Holiday.objects.get_or_create(date=dt.date(2026, 12, 25), defaults={"name": "Hari Raya Natal"})
    # Cuti bersama Natal 2026 is on the 24th itself (SKB 3 Menteri), which is not counted anyway.
    Holiday.objects.get_or_create(date=dt.date(2026, 12, 24), defaults={"name": "Cuti bersama Natal",
                                                                       "kind": Holiday.Kind.COLLECTIVE})
    referral = record(kader_miji, category=category, household=family_miji, documents=False, now=at(recorded))
    assert (referral.recorded_on, referral.due_on, referral.stage_started_on) == (recorded, due, recorded)
