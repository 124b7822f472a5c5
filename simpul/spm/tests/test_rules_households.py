"""``pu.air_minum`` / ``pu.air_limbah`` (rule ``household_condition``) and ``pkp.korban_bencana`` /
``pkp.relokasi`` (rule ``house_restored``) from household observations and housing referrals.

The registry has no service that records a survey observation yet, so the tests create ``HouseholdCondition``
rows directly, as the kader's survey would; observations that come from a resolved referral are written by the
referral services (``simpul.referrals.writeback``). Households are registered on 5 January 2026 (``now=``) so
their members' residence covers the whole year; the year is judged with an explicit ``today``. Every expected
number is worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from conftest import MOJOKERTO, make_user, person_input
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.referrals.models import Category
from simpul.referrals.services import route_for
from simpul.referrals.tests.kit import move, record
from simpul.registry.models import Household, HouseholdCondition
from simpul.registry.services import HouseholdInput, PersonInput, household_register, person_update
from simpul.spm import engine

pytestmark = pytest.mark.django_db

REGISTERED = dt.datetime(2026, 1, 5, 2, tzinfo=dt.UTC)  # 5 January 2026, 09:00 WIB
TODAY = dt.date(2026, 11, 23)
_names = itertools.count()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # referral documents


def household(user, posyandu, head):
    return household_register(actor=user, scope=scope_for(user), now=REGISTERED, data=HouseholdInput(
        posyandu_id=posyandu.pk, address=f"Jl. {head} 1", rt="002", rw="004",
        members=[person_input(head, "M", dt.date(1980, 1, 1), "kepala")]))


def observe(home, day, *, house="", water="", sanitation=""):
    return HouseholdCondition.objects.create(household=home, observed_on=day, house=house, water_source=water,
                                             sanitation=sanitation)


def at(month, day):
    return dt.datetime(2026, month, day, 3, tzinfo=dt.UTC)  # 10:00 WIB that day


def counts(posyandu, codes, months, posyandu_ids=None):
    found = engine.count(posyandu_ids or [posyandu.pk], 2026, today=TODAY, months=months, codes=codes)
    return {(code, month): found.get((code, posyandu.pk, month), [0, 0, 0]) for code in codes for month in months}


def verdicts(posyandu, code, month) -> dict[str, tuple[bool, bool, list]]:
    """{head name: (served, pending, [(missing code, detail)])} on the month's as-of day."""
    heads = dict(Household.objects.values_list("pk", "head_name"))
    return {heads[j.unit.id]: (j.verdict.served, j.verdict.pending, [(m.code, m.detail) for m in j.verdict.missing])
            for j in engine.judge([posyandu.pk], 2026, today=TODAY, months=[month], codes=[code])}


# --- water and sanitation ---------------------------------------------------------------------------------

WATER, TOILET = "pu.air_minum", "pu.air_limbah"


@pytest.fixture
def surveyed(kader_miji, posyandu_miji):
    """Four households of Miji and what the kader observed."""
    ahmad = household(kader_miji, posyandu_miji, "Ahmad")
    # February: an unprotected well, no toilet. June: piped water, the toilet not asked (blank). July: a toilet
    # with a septic tank.
    observe(ahmad, dt.date(2026, 2, 10), water="sumur_tak_terlindung", sanitation="tidak_ada")
    observe(ahmad, dt.date(2026, 6, 1), water="perpipaan")
    observe(ahmad, dt.date(2026, 7, 15), water="perpipaan", sanitation="sendiri_septik")
    household(kader_miji, posyandu_miji, "Bambang")  # never surveyed
    cahyo = household(kader_miji, posyandu_miji, "Cahyo")
    observe(cahyo, dt.date(2026, 3, 1), water="sumur_bor", sanitation="bersama_septik")
    dedi = household(kader_miji, posyandu_miji, "Dedi")
    observe(dedi, dt.date(2026, 2, 20), water="kemasan", sanitation="sendiri_tanpa_septik")
    # Dedi, the only member, moves away on 30 April: from then on the house is empty.
    head = dedi.members.get()
    person_update(actor=kader_miji, scope=scope_for(kader_miji), person=head, data=PersonInput(
        full_name=head.full_name, sex=head.sex, birth_date=head.birth_date, relationship=head.relationship,
        life_status="moved", life_status_date=dt.date(2026, 4, 30)))
    # A household marked moved out of the area (no service sets this status yet: set directly) is not counted.
    gone = household(kader_miji, posyandu_miji, "Eko")
    observe(gone, dt.date(2026, 2, 1), water="perpipaan", sanitation="sendiri_septik")
    Household.objects.filter(pk=gone.pk).update(status=Household.Status.MOVED_OUT)
    return ahmad


def test_unsurveyed_households_are_pending_beside_the_denominator(surveyed, posyandu_miji):
    found = counts(posyandu_miji, [WATER, TOILET], [1])
    # January: nobody surveyed yet — Ahmad, Bambang, Cahyo, Dedi pending (Eko moved out). [0, 0, 4].
    assert found[(WATER, 1)] == [0, 0, 4]
    assert found[(TOILET, 1)] == [0, 0, 4]
    assert verdicts(posyandu_miji, WATER, 1)["Bambang"] == (False, True, [("survey", {})])


def test_drinking_water_latest_observation_wins(surveyed, posyandu_miji):
    found = counts(posyandu_miji, [WATER], [3, 6])
    # March (as of 31 Mar): Ahmad unprotected well ✗, Cahyo borehole ✓, Dedi bottled ✓; Bambang pending.
    # den = 3, num = 2, pending = 1.
    assert found[(WATER, 3)] == [3, 2, 1]
    # June: Ahmad's June observation (piped) replaces February's ✓; Dedi's house is empty since 30 Apr (out);
    # Cahyo ✓; Bambang pending. den = 2, num = 2, pending = 1.
    assert found[(WATER, 6)] == [2, 2, 1]
    assert verdicts(posyandu_miji, WATER, 3)["Ahmad"] == (
        False, False, [("unsafe_water", {"value": "sumur_tak_terlindung", "observed_on": "2026-02-10"})])


def test_sanitation_ignores_blank_answers_and_observations_after_the_day(surveyed, posyandu_miji):
    found = counts(posyandu_miji, [TOILET], [3, 6, 7])
    # March: Ahmad no toilet ✗, Cahyo shared septic ✓, Dedi toilet without septic ✗; Bambang pending. [3, 1, 1].
    assert found[(TOILET, 3)] == [3, 1, 1]
    # June: Ahmad's June row left sanitation blank, so February's "no toilet" still stands ✗, and July's septic
    # tank is after 30 Jun, ignored; Cahyo ✓; Dedi out. den = 2, num = 1, pending = 1.
    assert found[(TOILET, 6)] == [2, 1, 1]
    # July: Ahmad's 15 Jul septic tank ✓. den = 2, num = 1 + 1 = 2, pending = 1.
    assert found[(TOILET, 7)] == [2, 2, 1]
    assert verdicts(posyandu_miji, TOILET, 6)["Ahmad"][2] == [
        ("no_sanitation", {"value": "tidak_ada", "observed_on": "2026-02-10"})]


def test_jepara_households_never_enter_miji(surveyed, posyandu_miji, kader_jepara, posyandu_jepara):
    slamet = household(kader_jepara, posyandu_jepara, "Slamet")
    observe(slamet, dt.date(2026, 2, 2), water="air_permukaan", sanitation="tidak_ada")
    household(kader_jepara, posyandu_jepara, "Sugeng")  # never surveyed
    both = [posyandu_miji.pk, posyandu_jepara.pk]
    assert counts(posyandu_miji, [WATER], [3], both) == counts(posyandu_miji, [WATER], [3])
    assert counts(posyandu_miji, [WATER], [3])[(WATER, 3)] == [3, 2, 1]  # as in the March test above
    # Jepara, March: Slamet river water ✗, Sugeng pending → [1, 0, 1].
    assert counts(posyandu_jepara, [WATER], [3], both)[(WATER, 3)] == [1, 0, 1]


# --- houses damaged by a disaster, households relocated -------------------------------------------------

DISASTER, RELOCATION = "pkp.korban_bencana", "pkp.relokasi"
VISIT = "Kunjungan rumah: kondisi sesuai laporan."


def officer_for(category):
    code = {"prk_rusak_bencana": "perkim", "prk_relokasi": "perkim"}[category]
    return make_user(f"opd.{code}.{next(_names)}", Role.OPD, region=MOJOKERTO, agency_code=code)


def referral(kader, lurah, category, home, recorded, *, accepted=None, resolved=None, outcome=""):
    """A referral recorded on ``recorded``; forwarded and accepted on ``accepted``; resolved on ``resolved``."""
    ref = record(kader, category=category, household=home, now=recorded)
    if accepted is None:
        return ref
    officer = officer_for(category)
    ref = move(lurah, ref, "verify", note=VISIT, now=accepted)
    ref = move(lurah, ref, "forward", agency=route_for(Category.objects.get(code=category), ref.desa_id),
               now=accepted)
    ref = move(officer, ref, "accept", now=accepted)
    if resolved is not None:
        ref = move(officer, ref, "resolve", outcome=outcome, note="Sudah ditangani oleh dinas.", now=resolved)
    return ref


@pytest.fixture
def disaster(kader_miji, lurah_miji, posyandu_miji):
    """Households of Miji around a disaster, and the tickets of their referrals."""
    k1 = household(kader_miji, posyandu_miji, "Karim")
    observe(k1, dt.date(2026, 2, 10), house="rusak_bencana")  # damaged in February
    observe(k1, dt.date(2026, 5, 20), house="layak")  # repaired by the family, seen livable on 20 May
    k2 = household(kader_miji, posyandu_miji, "Kusno")
    observe(k2, dt.date(2025, 12, 20), house="rusak_bencana")  # damaged last December, nothing since
    k3 = household(kader_miji, posyandu_miji, "Kurnia")
    # Referred 2 Mar, accepted 4 Mar, rebuilt and resolved 10 Jun (the write-back observes it livable that day).
    r3 = referral(kader_miji, lurah_miji, "prk_rusak_bencana", k3, at(3, 2), accepted=at(3, 4), resolved=at(6, 10),
                  outcome="house_livable")
    k4 = household(kader_miji, posyandu_miji, "Kamto")
    r4 = referral(kader_miji, lurah_miji, "prk_rusak_bencana", k4, at(4, 1))
    move(lurah_miji, r4, "reject", note="Rumah tidak rusak, laporan keliru.", now=at(4, 3))  # unfounded
    k5 = household(kader_miji, posyandu_miji, "Kasim")
    observe(k5, dt.date(2026, 1, 15), house="layak")  # never damaged
    k6 = household(kader_miji, posyandu_miji, "Komar")
    # Referred 1 Jul; on 5 Aug the agency "handled" it (put on next year's list): the house is not restored.
    r6 = referral(kader_miji, lurah_miji, "prk_rusak_bencana", k6, at(7, 1), accepted=at(7, 2), resolved=at(8, 5),
                  outcome="handled")
    return {"Kurnia": r3.ticket, "Komar": r6.ticket}


def test_disaster_damaged_houses_month_by_month(disaster, posyandu_miji):
    found = counts(posyandu_miji, [DISASTER], [1, 2, 3, 4, 5, 6, 7, 8, 11])
    # January: Kusno (damaged Dec 2025, still the latest observation on 1 Jan) ✗. [1, 0].
    assert found[(DISASTER, 1)] == [1, 0, 0]
    # February: + Karim (damaged 10 Feb) ✗. [2, 0].
    assert found[(DISASTER, 2)] == [2, 0, 0]
    # March: + Kurnia (referred 2 Mar, open) ✗; Kamto's referral was rejected, Kasim never damaged. [3, 0].
    assert found[(DISASTER, 3)] == [3, 0, 0]
    # April: Karim's livable observation of 20 May is after 30 Apr, ignored. [3, 0].
    assert found[(DISASTER, 4)] == [3, 0, 0]
    # May: Karim seen livable 20 May ✓. [3, 1].
    assert found[(DISASTER, 5)] == [3, 1, 0]
    # June: Kurnia's referral resolved 10 Jun as house_livable ✓. [3, 2].
    assert found[(DISASTER, 6)] == [3, 2, 0]
    # July: + Komar (referred 1 Jul, open) ✗. [4, 2].
    assert found[(DISASTER, 7)] == [4, 2, 0]
    # August: Komar's referral "handled" on 5 Aug restores no house ✗. [4, 2]; still so today.
    assert found[(DISASTER, 8)] == [4, 2, 0]
    assert found[(DISASTER, 11)] == [4, 2, 0]


def test_disaster_missing_names_the_open_referral_or_the_house(disaster, posyandu_miji):
    march = verdicts(posyandu_miji, DISASTER, 3)
    assert march["Kurnia"] == (False, False, [("referral_open", {"ticket": disaster["Kurnia"]})])
    assert march["Kusno"] == (False, False, [("house_not_restored", {})])
    assert "Kamto" not in march and "Kasim" not in march
    assert verdicts(posyandu_miji, DISASTER, 7)["Komar"] == (False, False,
                                                             [("referral_open", {"ticket": disaster["Komar"]})])
    assert verdicts(posyandu_miji, DISASTER, 8)["Komar"] == (False, False, [("house_not_restored", {})])


def test_a_new_disaster_after_a_repair_needs_a_new_repair(disaster, posyandu_miji, kader_miji, lurah_miji):
    karim = Household.objects.get(head_name="Karim")
    # Karim's house, livable since 20 May, is damaged again and referred on 1 Sep; nobody has surveyed it since.
    again = referral(kader_miji, lurah_miji, "prk_rusak_bencana", karim, at(9, 1))
    found = counts(posyandu_miji, [DISASTER], [8, 9])
    # August: as before [4, 2]. September: Karim's 20 May "livable" is older than the 1 Sep referral ✗.
    # den = 4, num = 2 - 1 = 1.
    assert found[(DISASTER, 8)] == [4, 2, 0]
    assert found[(DISASTER, 9)] == [4, 1, 0]
    assert verdicts(posyandu_miji, DISASTER, 9)["Karim"][2] == [("referral_open", {"ticket": again.ticket})]


@pytest.fixture
def relocation(kader_miji, lurah_miji, posyandu_miji):
    r1 = household(kader_miji, posyandu_miji, "Rahmat")
    # Referred 2 Feb, relocated and resolved 15 Apr (the write-back observes the house "relokasi" that day).
    referral(kader_miji, lurah_miji, "prk_relokasi", r1, at(2, 2), accepted=at(2, 3), resolved=at(4, 15),
             outcome="relocated")
    r2 = household(kader_miji, posyandu_miji, "Rudi")
    observe(r2, dt.date(2026, 3, 3), house="relokasi")  # surveyed: to be relocated
    observe(r2, dt.date(2026, 9, 9), house="layak")  # surveyed again: in a livable house


def test_relocated_households(relocation, posyandu_miji):
    found = counts(posyandu_miji, [RELOCATION, DISASTER], [1, 2, 3, 4, 9])
    # January: nobody. February: Rahmat (referral open) ✗ [1, 0]. March: + Rudi ✗ [2, 0].
    assert found[(RELOCATION, 1)] == [0, 0, 0]
    assert found[(RELOCATION, 2)] == [1, 0, 0]
    assert found[(RELOCATION, 3)] == [2, 0, 0]
    # April: Rahmat's referral resolved "relocated" on 15 Apr ✓ [2, 1]. September: Rudi seen livable ✓ [2, 2].
    assert found[(RELOCATION, 4)] == [2, 1, 0]
    assert found[(RELOCATION, 9)] == [2, 2, 0]
    # Relocation is not disaster damage.
    assert found[(DISASTER, 9)] == [0, 0, 0]


def test_housing_in_jepara_never_enters_miji(disaster, posyandu_miji, kader_jepara, posyandu_jepara):
    home = household(kader_jepara, posyandu_jepara, "Slamet")
    observe(home, dt.date(2026, 2, 2), house="rusak_bencana")
    both = [posyandu_miji.pk, posyandu_jepara.pk]
    assert counts(posyandu_miji, [DISASTER], [11], both)[(DISASTER, 11)] == [4, 2, 0]  # as in the Miji test
    assert counts(posyandu_jepara, [DISASTER], [11], both)[(DISASTER, 11)] == [1, 0, 0]  # Slamet ✗
