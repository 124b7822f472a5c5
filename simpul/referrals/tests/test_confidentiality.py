"""Confidential referrals (KDRT, narkoba, perdagangan orang): who sees them, who sees the reporter, who lets them out.

Issue 4: "the reporter's identity is visible only to the reporting kader and the lurah/kepala desa; no one
outside the desa sees the referral until the lurah approves forwarding; dashboards show counts only."
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from conftest import KRANGGAN, MIJI, MOJOKERTO, agency, make_user
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.core.errors import DomainError, NotInScope
from simpul.referrals import access
from simpul.referrals.models import Referral, Transition
from simpul.referrals.selectors import monitor_tickets, referral_counts, referral_get, referrals_visible
from simpul.referrals.services import confidential_approve
from simpul.referrals.tests.kit import move, record

VISIT = "Kunjungan rumah bersama ketua RT, korban aman."
OUTSIDERS = ("kader_meri", "kader_jepara", "camat_kranggan", "pembina_mojokerto", "bidan_kranggan", "opd_perkim",
             "opd_dinsos", "opd_perkim_jepara", "admin_user")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def ppa(db):
    """An officer of UPTD PPA, the unit KDRT is routed to."""
    return make_user("opd.ppa", Role.OPD, region=MOJOKERTO, fields=["trantibumlinmas", "sosial"],
                     agency_code="uptd_ppa")


@pytest.fixture
def other_kader(posyandu_miji):
    """A second kader of the same posyandu: she sees the posyandu's ordinary referrals, never this one."""
    return make_user("kader.miji.2", Role.KADER, posyandu=posyandu_miji)


@pytest.fixture
def kdrt(kader_miji, family_miji):
    return record(kader_miji, category="trb_kdrt", household=family_miji)


def sees(user, referral: Referral) -> bool:
    """Whether the user can open the referral, checked through every read there is."""
    scope = scope_for(user)
    listed = referrals_visible(scope).filter(pk=referral.pk).exists()
    found = referrals_visible(scope, search=referral.ticket).filter(pk=referral.pk).exists()
    try:
        referral_get(scope, referral.pk)
        opened = True
    except NotInScope:
        opened = False
    assert listed == found == opened == access.can_view(scope, referral), (user, listed, found, opened)
    return opened


def reporter_shown(user, referral: Referral) -> bool:
    return access.reporter_visible(scope_for(user), Referral.objects.get(pk=referral.pk))


def approve(user, referral, note=""):
    return confidential_approve(actor=user, scope=scope_for(user), referral=referral, note=note)


def test_the_category_makes_it_confidential(kdrt):
    assert kdrt.confidential and kdrt.category.confidential


def test_at_the_village_the_desa_sees_it_but_only_the_head_and_reporter_see_the_reporter(
        kdrt, kader_miji, lurah_miji, operator_miji):
    for user in (kader_miji, lurah_miji, operator_miji):
        assert sees(user, kdrt)
    assert reporter_shown(kader_miji, kdrt) is True
    assert reporter_shown(lurah_miji, kdrt) is True
    assert reporter_shown(operator_miji, kdrt) is False


def test_another_kader_of_the_posyandu_sees_nothing(kdrt, kader_miji, family_miji, other_kader, lurah_miji, ppa):
    ordinary = record(kader_miji, category="prk_rtlh", household=family_miji)
    assert sees(other_kader, ordinary)  # the rule that hides kdrt is not "she sees nothing at all"
    assert not sees(other_kader, kdrt)
    approve(lurah_miji, move(lurah_miji, kdrt, "verify", note=VISIT))
    forwarded = move(lurah_miji, kdrt, "forward", agency=agency(MOJOKERTO, "uptd_ppa"))
    assert not sees(other_kader, forwarded)


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_nobody_outside_the_village_sees_it_at_any_stage(request, kdrt, lurah_miji, persona):
    user = request.getfixturevalue(persona)
    assert not sees(user, kdrt)
    verified = move(lurah_miji, kdrt, "verify", note=VISIT)
    assert not sees(user, verified)
    approved = approve(lurah_miji, verified)
    assert not sees(user, approved)
    forwarded = move(lurah_miji, approved, "forward", agency=agency(MOJOKERTO, "uptd_ppa"))
    assert not sees(user, forwarded)


def test_the_routed_unit_sees_nothing_before_forwarding_even_once_approved(kdrt, lurah_miji, operator_miji, ppa):
    assert not sees(ppa, kdrt)
    verified = move(operator_miji, kdrt, "verify", note=VISIT)
    assert not sees(ppa, verified)
    approved = approve(lurah_miji, verified, note="Disetujui, segera teruskan.")
    assert not sees(ppa, approved)
    with pytest.raises(NotInScope):
        move(ppa, approved, "accept")


def test_the_operator_cannot_forward_without_the_lurahs_approval(kdrt, lurah_miji, operator_miji, ppa):
    verified = move(operator_miji, kdrt, "verify", note=VISIT)
    before = (verified.version, Transition.objects.filter(referral=verified).count())
    with pytest.raises(DomainError) as caught:
        move(operator_miji, verified, "forward", agency=agency(MOJOKERTO, "uptd_ppa"))
    assert caught.value.code == "forbidden"
    row = Referral.objects.get(pk=verified.pk)
    assert (row.state, row.agency, row.confidential_approved_by, row.version,
            Transition.objects.filter(referral=row).count()) == ("verified", None, None, *before)
    # Nor may the operator approve it himself.
    with pytest.raises(DomainError) as caught:
        approve(operator_miji, verified)
    assert caught.value.code == "forbidden"
    assert Referral.objects.get(pk=verified.pk).confidential_approved_by is None

    when = timezone.now()
    approved = confidential_approve(actor=lurah_miji, scope=scope_for(lurah_miji), referral=verified,
                                    note="Disetujui.", now=when)
    assert (approved.confidential_approved_by, approved.confidential_approved_at, approved.state) == (
        lurah_miji, when, "verified")
    record_of = Transition.objects.filter(referral=verified).last()
    assert (record_of.action, record_of.actor, record_of.note) == ("approve", lurah_miji, "Disetujui.")
    forwarded = move(operator_miji, approved, "forward", agency=agency(MOJOKERTO, "uptd_ppa"))
    assert (forwarded.state, forwarded.agency.code, forwarded.confidential_approved_by) == (
        "forwarded", "uptd_ppa", lurah_miji)


def test_the_reporting_kader_cannot_approve(kdrt, kader_miji, kader_meri, camat_kranggan):
    with pytest.raises(DomainError) as caught:
        approve(kader_miji, kdrt)
    assert caught.value.code == "forbidden"
    for outsider in (kader_meri, camat_kranggan):
        with pytest.raises(NotInScope):
            approve(outsider, kdrt)
    assert Referral.objects.get(pk=kdrt.pk).confidential_approved_by is None


def test_the_lurah_forwards_directly_and_that_records_the_approval(kdrt, lurah_miji, ppa):
    verified = move(lurah_miji, kdrt, "verify", note=VISIT)
    when = timezone.now()
    forwarded = move(lurah_miji, verified, "forward", agency=agency(MOJOKERTO, "uptd_ppa"), now=when)
    assert (forwarded.state, forwarded.confidential_approved_by, forwarded.confidential_approved_at) == (
        "forwarded", lurah_miji, when)
    assert forwarded.transitions.last().actor == lurah_miji


def test_after_forwarding_the_unit_sees_it_but_not_the_reporter(kdrt, lurah_miji, kader_miji, ppa):
    forwarded = move(lurah_miji, move(lurah_miji, kdrt, "verify", note=VISIT), "forward",
                     agency=agency(MOJOKERTO, "uptd_ppa"))
    assert sees(ppa, forwarded)
    assert reporter_shown(ppa, forwarded) is False
    assert reporter_shown(kader_miji, forwarded) is True and reporter_shown(lurah_miji, forwarded) is True
    # Sent on to Satpol PP: the new agency sees it, still without the reporter; UPTD PPA lets go.
    satpol = make_user("opd.satpolpp", Role.OPD, region=MOJOKERTO, fields=["trantibumlinmas"],
                       agency_code="satpolpp")
    redirected = move(ppa, forwarded, "redirect", agency=agency(MOJOKERTO, "satpolpp"), note="Ranah ketertiban.")
    assert sees(satpol, redirected) and reporter_shown(satpol, redirected) is False
    assert not sees(ppa, redirected)


def test_there_is_nothing_to_approve_on_an_ordinary_or_already_approved_or_forwarded_referral(
        kdrt, kader_miji, family_miji, lurah_miji):
    ordinary = record(kader_miji, category="prk_rtlh", household=family_miji)
    with pytest.raises(DomainError) as caught:
        approve(lurah_miji, ordinary)
    assert caught.value.code == "conflict"
    approve(lurah_miji, kdrt)
    with pytest.raises(DomainError) as caught:
        approve(lurah_miji, kdrt)
    assert caught.value.code == "conflict"


def test_a_need_the_kader_marks_confidential_follows_the_same_rules(kader_miji, operator_miji, family_miji,
                                                                    other_kader):
    marked = record(kader_miji, category="prk_rtlh", household=family_miji, confidential=True)
    assert marked.confidential and not sees(other_kader, marked)
    assert reporter_shown(operator_miji, marked) is False
    verified = move(operator_miji, marked, "verify", note=VISIT)
    with pytest.raises(DomainError):
        move(operator_miji, verified, "forward", agency=agency(MOJOKERTO, "perkim"))


def test_supervisors_never_list_it_but_count_it(kdrt, kader_miji, family_miji, camat_kranggan, pembina_mojokerto,
                                                lurah_miji):
    ordinary = record(kader_miji, category="prk_rtlh", household=family_miji)
    for user in (camat_kranggan, pembina_mojokerto, lurah_miji):
        tickets = set(monitor_tickets(scope_for(user)).values_list("pk", flat=True))
        assert ordinary.pk in tickets and kdrt.pk not in tickets
        assert kdrt.pk not in set(monitor_tickets(scope_for(user), box="overdue", today=kdrt.due_on.replace(
            year=kdrt.due_on.year + 1)).values_list("pk", flat=True))
    for user, prefix in ((camat_kranggan, KRANGGAN), (pembina_mojokerto, MOJOKERTO), (lurah_miji, MIJI)):
        counts = referral_counts(scope_for(user), region_prefix=prefix)
        assert counts["recorded"] == 2  # the ordinary one and the confidential one
    forwarded = move(lurah_miji, move(lurah_miji, kdrt, "verify", note=VISIT), "forward",
                     agency=agency(MOJOKERTO, "uptd_ppa"))
    assert forwarded.pk not in set(monitor_tickets(scope_for(camat_kranggan)).values_list("pk", flat=True))
    assert referral_counts(scope_for(camat_kranggan), region_prefix=KRANGGAN)["forwarded"] == 1
