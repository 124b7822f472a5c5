"""The vector forms of the education, household and referral rules give exactly the engine's cells.

The reference is ``engine.count`` (its rules have hand-worked tests in test_rules_education.py,
test_rules_households.py and test_rules_referrals.py, whose builders and fixtures are reused here): the fast
path is an optimisation and must agree with it cell for cell, for every month of the year, for several
"today"s, for the whole area and for subsets of its posyandu. A few cells are also checked against the
hand-worked numbers of those rule tests.

The records: children at every education status with birthdays on the boundaries of the age bands (a leap-day
birthday too); households surveyed, never surveyed, observed only after the day, emptied by a move away, moved
out of the area, and one whose member moved to another desa; houses damaged and relocated, restored by a
repair or a referral, a "handled" referral and a rejected one; referrals open, resolved, handled, rejected and
reopened, reports without a person, and a person referred in two posyandu of two desa.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import make_posyandu, make_user, person_input
from simpul.accounts.models import Membership
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.posyandu.models import Posyandu
from simpul.registry.models import Person
from simpul.registry.services import person_move
from simpul.registry.services.moves import household_move
from simpul.spm import engine, fastpath
from simpul.spm.tests import test_rules_households as households_test
from simpul.spm.tests import test_rules_referrals as referrals_test
from simpul.spm.tests.test_rules_education import child, children_miji, register  # noqa: F401 (fixture)
from simpul.spm.tests.test_rules_households import disaster, relocation, surveyed  # noqa: F401 (fixtures)
from simpul.spm.tests.test_rules_referrals import elderly  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

CODES = ["dik.paud", "dik.dasar", "dik.kesetaraan", "pu.air_minum", "pu.air_limbah", "pkp.korban_bencana",
         "pkp.relokasi", "sos.disabilitas", "sos.anak_telantar", "sos.lansia_telantar", "sos.tuna_sosial",
         "sos.korban_bencana", "trantib.ketertiban", "trantib.evakuasi_bencana", "trantib.kebakaran"]
TODAYS = [dt.date(2026, 11, 23), dt.date(2026, 12, 31), dt.date(2026, 6, 15), dt.date(2026, 2, 28)]
at = referrals_test.at


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # referral documents


@pytest.fixture
def records(children_miji, surveyed, disaster, relocation, elderly, kader_miji, lurah_miji,  # noqa: F811
            posyandu_miji, posyandu_meri, kader_jepara, posyandu_jepara):
    """Everything of the rule tests in Miji, plus the cases below; returns the three posyandu ids."""
    # Education at the edges: SMA and finished, a leap-day birthday (5 on 28 Feb 2026, still 5 on the 28th and
    # 6 from 1 Mar), a birthday on a month's last day (7 on 31 May, the as-of day), and a status no choice
    # has (an old import; set directly, as no service writes it) which counts as "not in school" for dik.*.
    edges = register(kader_miji, posyandu_miji, [
        person_input("Hasan", "M", dt.date(1970, 1, 1), "kepala"),
        child("Lia", dt.date(2009, 12, 31), "sma"),
        child("Mira", dt.date(2011, 1, 1), "finished"),
        child("Nina", dt.date(2020, 2, 29), "paud"),
        child("Oki", dt.date(2019, 5, 31), "sd", "M"),
        child("Pia", dt.date(2008, 12, 31), "not_in_school"),
        child("Qori", dt.date(2013, 3, 3), "kesetaraan"),
        child("Rio", dt.date(2015, 8, 8), "", "M"),
    ], rt="003")
    Person.objects.filter(household=edges, full_name="Rio").update(education_status="pondok")
    # A household observed only after some "as of" days (pending before, judged after).
    late = households_test.household(kader_miji, posyandu_miji, "Lukas")
    households_test.observe(late, dt.date(2026, 10, 5), water="air_permukaan", sanitation="sendiri_septik",
                            house="rusak_bencana")
    # Damaged in 2025 but seen livable before the year began: never in 2026's pkp.korban_bencana.
    yusuf = households_test.household(kader_miji, posyandu_miji, "Yusuf")
    households_test.observe(yusuf, dt.date(2025, 6, 1), house="rusak_bencana")
    households_test.observe(yusuf, dt.date(2025, 10, 1), house="layak", water="perpipaan")
    # Same-day observations: the later row (by id) wins.
    households_test.observe(late, dt.date(2026, 10, 6), water="perpipaan")
    households_test.observe(late, dt.date(2026, 10, 6), water="sumur_tak_terlindung")
    # A member of Lukas's household... and a family in Meri, another desa, that one of Miji's children joins on
    # 1 May: the household in Meri counts from then (surveyed in Meri), Lukas's household stays in Miji.
    kader = make_user("kader.miji.meri", Role.KADER, posyandu=posyandu_miji)
    Membership.objects.create(user=kader, role=Role.KADER, posyandu=posyandu_meri,
                              fields=list(kader.memberships.get().fields))
    lurah_meri = make_user("lurah.meri", Role.DESA, region=posyandu_meri.desa_id, is_head=True)
    meri_home = referrals_test.family(kader, posyandu_meri, "Tarno")
    households_test.observe(meri_home, dt.date(2026, 3, 1), water="sumur_bor", sanitation="tidak_ada")
    households_test.observe(meri_home, dt.date(2026, 8, 1), house="relokasi")
    empty = households_test.household(kader, posyandu_meri, "Umar")  # never surveyed
    umar = empty.members.get()
    lia = edges.members.get(full_name="Lia")
    person_move(actor=kader, scope=scope_for(kader), person=lia, to_household=meri_home,
                moved_on=dt.date(2026, 5, 1), relationship="famili_lain", now=at(5, 1))
    # Umar leaves his house for Tarno's on 1 Sep: his house is empty (out of pu.*) from then.
    person_move(actor=kader, scope=scope_for(kader), person=umar, to_household=meri_home,
                moved_on=dt.date(2026, 9, 1), relationship="famili_lain", now=at(9, 1))
    # Tono: referred in Miji in February (never acted on), moved to Meri in April, referred there in May and
    # resolved 8 June — one person, counted where the latest referral was.
    tono = referrals_test.family(kader, posyandu_miji, "Tono").members.get()
    referrals_test.referral(kader, lurah_miji, "sos_lansia_telantar", at(2, 3), person=tono)
    person_move(actor=kader, scope=scope_for(kader), person=tono, to_household=meri_home,
                moved_on=dt.date(2026, 4, 1), relationship="famili_lain", now=at(4, 1))
    tono.refresh_from_db()
    referrals_test.referral(kader, lurah_meri, "sos_lansia_telantar", at(5, 4), person=tono, accepted=at(5, 5),
                            resolved=at(6, 8), outcome="basic_needs_served")
    # Fire reports (no person), one handled, one open; a disabled resident handled; a neglected child rejected.
    referrals_test.referral(kader_miji, lurah_miji, "trb_kebakaran", at(7, 7), rt="002", rw="004",
                            accepted=at(7, 7), resolved=at(7, 8), outcome="handled")
    referrals_test.referral(kader_miji, lurah_miji, "trb_kebakaran", at(8, 8), rt="002", rw="004", accepted=at(8, 8))
    referrals_test.referral(kader, lurah_meri, "sos_disabilitas", at(3, 2), person=umar, accepted=at(3, 3),
                            resolved=at(3, 20), outcome="handled")
    rejected = referrals_test.referral(kader_miji, lurah_miji, "sos_anak_telantar", at(4, 4),
                                       person=edges.members.get(full_name="Pia"))
    referrals_test.move(lurah_miji, rejected, "reject", note="Tinggal bersama orang tuanya.", now=at(4, 6))
    # A household moved on 1 June to another posyandu of the same desa, with its members.
    miji_two = make_posyandu(posyandu_miji.desa_id, "Posyandu Mawar Miji")
    Membership.objects.create(user=kader, role=Role.KADER, posyandu=miji_two,
                              fields=list(kader.memberships.first().fields))
    vino = households_test.household(kader, posyandu_miji, "Vino")
    households_test.observe(vino, dt.date(2026, 2, 1), water="perpipaan", sanitation="tidak_ada")
    household_move(actor=kader, scope=scope_for(kader), household=vino, to_posyandu=miji_two,
                   moved_on=dt.date(2026, 6, 1), now=at(6, 1))
    # Jepara: a household, a child and a referral that must never enter Mojokerto's cells.
    register(kader_jepara, posyandu_jepara, [person_input("Slamet Riyadi", "M", dt.date(1980, 1, 1), "kepala"),
                                            child("Ani", dt.date(2016, 2, 2), "not_in_school")])
    households_test.observe(households_test.household(kader_jepara, posyandu_jepara, "Sugeng"),
                            dt.date(2026, 2, 2), water="air_permukaan", house="rusak_bencana")
    return [posyandu_miji.pk, posyandu_meri.pk, posyandu_jepara.pk, miji_two.pk]


def months(today):
    return list(range(1, today.month + 1))


@pytest.mark.parametrize("today", TODAYS)
def test_it_equals_the_engine_for_every_month(records, today):
    expected = engine.count(records, 2026, today=today, months=months(today), codes=CODES)
    # Every one of these indicators has cells to compare (the pending of pu.* included).
    assert {code for code, _pid, _month in expected} >= (
        {"dik.paud", "dik.dasar", "dik.kesetaraan", "pu.air_minum", "pu.air_limbah"} if today.month < 3 else
        {code for code in CODES if code not in ("sos.tuna_sosial", "sos.korban_bencana", "trantib.ketertiban",
                                                "trantib.evakuasi_bencana", "sos.anak_telantar")}
        - ({"trantib.kebakaran", "pkp.relokasi"} if today.month < 7 else set()))
    assert any(cell[2] for cell in expected.values())
    assert fastpath.count(records, 2026, today=today, codes=CODES) == expected


@pytest.mark.parametrize("subset", [[0], [1], [3], [0, 2], [1, 2], [0, 3]])
def test_it_equals_the_engine_for_a_subset_of_posyandu(records, subset):
    ids = [records[i] for i in subset]
    today = TODAYS[0]
    expected = engine.count(ids, 2026, today=today, codes=CODES)
    assert expected
    assert fastpath.count(ids, 2026, today=today, codes=CODES) == expected


def test_it_gives_the_hand_worked_numbers(records):
    miji, meri, _jepara, miji_two = records
    found = fastpath.count(records, 2026, today=TODAYS[0], codes=CODES)

    def cell(code, pid, month):
        return found.get((code, pid, month), [0, 0, 0])

    # Tono, referred in Miji (Feb) then in Meri (May, resolved 8 Jun); the elderly of Miji: Darmo ✓ from June,
    # Karto reopened ✗, Sri rejected. June: Miji [2, 1] (Darmo, Karto) and Meri [1, 1] (Tono) — 3 people, once.
    assert cell("sos.lansia_telantar", miji, 3) == [3, 0, 0]  # Darmo, Karto, Tono (still Miji's referral)
    assert cell("sos.lansia_telantar", miji, 6) == [2, 1, 0]
    assert cell("sos.lansia_telantar", meri, 6) == [1, 1, 0]
    # Neglected children: Pia's only referral was rejected → no cell in any month.
    assert all(cell("sos.anak_telantar", pid, month) == [0, 0, 0] for pid in records for month in range(1, 12))
    # Meri's water, March: Tarno borehole ✓ (surveyed 1 Mar), Umar never surveyed (pending) → [1, 1, 1].
    # September: Umar moved into Tarno's house on 1 Sep; his own house is empty → [1, 1, 0].
    assert cell("pu.air_minum", meri, 3) == [1, 1, 1]
    assert cell("pu.air_minum", meri, 9) == [1, 1, 0]
    # Relocation in Meri: Tarno's house observed "relokasi" on 1 Aug, nothing since ✗ → [1, 0] from August.
    assert cell("pkp.relokasi", meri, 7) == [0, 0, 0]
    assert cell("pkp.relokasi", meri, 8) == [1, 0, 0]
    # Vino's household moved to the second posyandu of Miji on 1 Jun. A household carries no location history,
    # so it counts at its current posyandu (Mawar) only on days its members lived there: not in May (their stays
    # were at Melati), from June — piped water ✓, no toilet ✗ → [1, 1] and [1, 0] at Mawar in June.
    assert cell("pu.air_minum", miji_two, 5) == [0, 0, 0]
    assert cell("pu.air_minum", miji_two, 6) == [1, 1, 0] and cell("pu.air_limbah", miji_two, 6) == [1, 0, 0]


def test_covered_lists_these_rules():
    vector, rest = fastpath.covered(CODES)
    assert sorted(i.code for i in vector) == sorted(CODES)
    assert rest == []
    assert {"in_education", "in_equivalency", "household_condition", "house_restored",
            "referral_resolved"} <= set(fastpath.VECTOR_RULES)


@pytest.fixture
def moved_to_another_desa(records, kader_miji, posyandu_miji, posyandu_meri):
    """A household of Miji moved with its member to Meri on 1 July."""
    kader = Membership.objects.get(posyandu=posyandu_meri, user__username="kader.miji.meri").user
    wawan = households_test.household(kader, posyandu_miji, "Wawan")
    households_test.observe(wawan, dt.date(2026, 3, 3), water="sumur_bor", sanitation="sendiri_septik")
    household_move(actor=kader, scope=scope_for(kader), household=wawan, to_posyandu=posyandu_meri,
                   moved_on=dt.date(2026, 7, 1), now=at(7, 1))
    return records


def test_it_equals_the_engine_run_desa_by_desa(moved_to_another_desa):
    # Like counters.rebuild, one desa at a time. A household counts at its current posyandu while a member
    # lives in it in that posyandu's desa: Wawan's from July in Meri. (engine.count over both desa at once
    # would count it in Meri from March, by its members' stays in Miji — see the rule module's docstring.)
    today = TODAYS[0]
    by_desa: dict[str, list[int]] = {}
    for pk, desa in Posyandu.objects.filter(pk__in=moved_to_another_desa).values_list("pk", "desa_id"):
        by_desa.setdefault(desa, []).append(pk)
    expected: engine.Counts = {}
    for ids in by_desa.values():
        expected.update(engine.count(ids, 2026, today=today, codes=CODES))
    found = fastpath.count(moved_to_another_desa, 2026, today=today, codes=CODES)
    assert found == expected
    meri = moved_to_another_desa[1]
    # Meri, June: Tarno ✓ water (borehole); Umar's house not yet empty, never surveyed → [1, 1, 1].
    # July: + Wawan (borehole ✓) → [2, 2, 1].
    assert found[("pu.air_minum", meri, 6)] == [1, 1, 1] and found[("pu.air_minum", meri, 7)] == [2, 2, 1]
