"""``dik.paud``, ``dik.dasar`` and ``dik.kesetaraan`` from residents' ages and education status.

Every expected number is worked out by hand from the birth dates and statuses below, never read back from
the engine. Residence starts on the registration day, so the families are registered on 5 January 2026 (the
services take ``now=``); the year is judged with an explicit ``today``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import person_input
from simpul.accounts.scope import scope_for
from simpul.registry.models import Person
from simpul.registry.services import HouseholdInput, PersonInput, household_register, person_update
from simpul.spm import engine

pytestmark = pytest.mark.django_db

REGISTERED = dt.datetime(2026, 1, 5, 2, tzinfo=dt.UTC)  # Monday 5 January 2026, 09:00 WIB
TODAY = dt.date(2026, 11, 23)
CODES = ["dik.paud", "dik.dasar", "dik.kesetaraan"]


def register(user, posyandu, members, *, rt="002"):
    return household_register(actor=user, scope=scope_for(user), now=REGISTERED, data=HouseholdInput(
        posyandu_id=posyandu.pk, address="Jl. Miji Baru 12", rt=rt, rw="004", members=members))


def child(name, birth, status, sex="F"):
    return person_input(name, sex, birth, "anak", education_status=status)


@pytest.fixture
def children_miji(kader_miji, posyandu_miji):
    """Nine children and young people of one household, with what each is for which indicator."""
    return register(kader_miji, posyandu_miji, [
        person_input("Budi Santoso", "M", dt.date(1975, 3, 2), "kepala"),
        child("Rina", dt.date(2020, 3, 1), "paud"),  # 6 all year (turned 6 on 1 Mar): PAUD, served
        child("Dodi", dt.date(2021, 6, 15), "", "M"),  # turns 5 on 15 Jun: PAUD from June, status unknown
        child("Wati", dt.date(2020, 1, 10), "not_in_school"),  # 6 from 10 Jan: PAUD, not in school
        child("Fajar", dt.date(2019, 2, 1), "sd", "M"),  # 6 in January (PAUD, served by SD), 7 from 1 Feb: dasar
        child("Eko", dt.date(2010, 9, 20), "smp", "M"),  # 15 until 19 Sep, 16 on 20 Sep: leaves dasar
        child("Gita", dt.date(2012, 4, 4), "not_in_school"),  # 13–14: dasar unserved, kesetaraan unserved
        child("Hadi", dt.date(2009, 5, 5), "kesetaraan", "M"),  # 16–17: kesetaraan served, not dasar
        child("Indah", dt.date(2014, 7, 7), ""),  # 11–12: dasar, status unknown; not in kesetaraan's sasaran
        child("Joko", dt.date(2007, 10, 10), "not_in_school", "M"),  # 18 until 9 Oct, 19 on 10 Oct
    ])


def counts(posyandu, months, posyandu_ids=None):
    found = engine.count(posyandu_ids or [posyandu.pk], 2026, today=TODAY, months=months, codes=CODES)
    return {(code, month): found.get((code, posyandu.pk, month), [0, 0, 0]) for code in CODES for month in months}


def missing_of(posyandu, code, month) -> dict[str, list[str]]:
    return {Person.objects.get(pk=j.unit.id).full_name: [m.code for m in j.verdict.missing]
            for j in engine.judge([posyandu.pk], 2026, today=TODAY, months=[month], codes=[code])
            if not j.verdict.served}


def test_paud_counts_five_and_six_year_olds_by_age_on_the_month_end(children_miji, posyandu_miji):
    found = counts(posyandu_miji, [1, 2, 6, 11])
    # January (as of 31 Jan): Rina 5y10m paud ✓, Wati 6 not in school ✗, Fajar 6y11m sd ✓ (SD counts for PAUD);
    # Dodi is 4. den = 3, num = 2.
    assert found[("dik.paud", 1)] == [3, 2, 0]
    # February: Fajar turned 7 on 1 Feb and left; Rina ✓, Wati ✗. den = 3 - 1 = 2, num = 2 - 1 = 1.
    assert found[("dik.paud", 2)] == [2, 1, 0]
    # June (as of 30 Jun): Dodi turned 5 on 15 Jun, status not recorded ✗. den = 2 + 1 = 3, num = 1.
    assert found[("dik.paud", 6)] == [3, 1, 0]
    # November (as of today, 23 Nov): nobody else turns 5 or 7. den = 3, num = 1.
    assert found[("dik.paud", 11)] == [3, 1, 0]


def test_paud_says_what_is_missing(children_miji, posyandu_miji):
    # Not recorded and not in school are different tasks: ask, or refer.
    assert missing_of(posyandu_miji, "dik.paud", 6) == {"Dodi": ["education_unknown"], "Wati": ["not_in_school"]}


def test_basic_education_counts_seven_to_fifteen_and_a_child_turning_16_leaves(children_miji, posyandu_miji):
    found = counts(posyandu_miji, [1, 2, 8, 9, 11])
    # January: Eko 15 smp ✓, Gita 13 ✗, Indah 11 unknown ✗; Fajar is 6, Hadi 16, Joko 18. den = 3, num = 1.
    assert found[("dik.dasar", 1)] == [3, 1, 0]
    # February: Fajar 7 sd ✓ joins. den = 3 + 1 = 4, num = 1 + 1 = 2.
    assert found[("dik.dasar", 2)] == [4, 2, 0]
    # August (as of 31 Aug): Eko is still 15. den = 4, num = 2.
    assert found[("dik.dasar", 8)] == [4, 2, 0]
    # September (as of 30 Sep): Eko turned 16 on 20 Sep and left. den = 4 - 1 = 3, num = 2 - 1 = 1.
    assert found[("dik.dasar", 9)] == [3, 1, 0]
    assert found[("dik.dasar", 11)] == [3, 1, 0]
    assert missing_of(posyandu_miji, "dik.dasar", 9) == {"Gita": ["not_in_school"], "Indah": ["education_unknown"]}


def test_equivalency_counts_7_to_18_out_of_school(children_miji, posyandu_miji):
    found = counts(posyandu_miji, [1, 9, 10])
    # January: Gita 13 not in school ✗, Hadi 16 kesetaraan ✓, Joko 18 not in school ✗. Indah (unknown), Eko (smp)
    # and Wati (6) are not in the sasaran. den = 3, num = 1.
    assert found[("dik.kesetaraan", 1)] == [3, 1, 0]
    # September (as of 30 Sep): Joko is still 18. den = 3, num = 1.
    assert found[("dik.kesetaraan", 9)] == [3, 1, 0]
    # October (as of 31 Oct): Joko turned 19 on 10 Oct and left. den = 3 - 1 = 2, num = 1.
    assert found[("dik.kesetaraan", 10)] == [2, 1, 0]
    assert missing_of(posyandu_miji, "dik.kesetaraan", 10) == {"Gita": ["not_in_equivalency"]}


def test_a_status_recorded_now_also_judges_past_months(children_miji, posyandu_miji, kader_miji):
    # The status has no history: Gita enrolled in Paket B today moves March too (documented in the rule).
    gita = children_miji.members.get(full_name="Gita")
    person_update(actor=kader_miji, scope=scope_for(kader_miji), person=gita, data=PersonInput(
        full_name=gita.full_name, sex=gita.sex, birth_date=gita.birth_date, relationship=gita.relationship,
        education_status="kesetaraan"))
    found = counts(posyandu_miji, [3])
    # March: dasar Eko ✓, Fajar ✓, Gita ✓ (kesetaraan is basic education), Indah ✗ → den 4, num 2 + 1 = 3.
    assert found[("dik.dasar", 3)] == [4, 3, 0]
    # kesetaraan: Gita ✓, Hadi ✓, Joko ✗ → den 3, num 1 + 1 = 2.
    assert found[("dik.kesetaraan", 3)] == [3, 2, 0]


def test_a_child_who_moved_away_leaves_on_the_day_she_left(children_miji, posyandu_miji, kader_miji):
    indah = children_miji.members.get(full_name="Indah")
    person_update(actor=kader_miji, scope=scope_for(kader_miji), person=indah, data=PersonInput(
        full_name=indah.full_name, sex=indah.sex, birth_date=indah.birth_date, relationship=indah.relationship,
        life_status="moved", life_status_date=dt.date(2026, 7, 31)))
    found = counts(posyandu_miji, [6, 7])
    # June: unchanged, Eko ✓ Fajar ✓ Gita ✗ Indah ✗ → [4, 2]. July (as of 31 Jul, her moving date, which the
    # registry counts as gone): Indah ✗ leaves → den 4 - 1 = 3, num 2.
    assert found[("dik.dasar", 6)] == [4, 2, 0]
    assert found[("dik.dasar", 7)] == [3, 2, 0]


def test_another_regencys_children_never_enter_miji(children_miji, posyandu_miji, kader_jepara, posyandu_jepara):
    register(kader_jepara, posyandu_jepara, [
        person_input("Slamet Riyadi", "M", dt.date(1980, 1, 1), "kepala"),
        child("Ani", dt.date(2016, 2, 2), "not_in_school"),  # 9–10: dasar ✗ and kesetaraan ✗ in Jepara
        child("Bayu", dt.date(2020, 5, 5), "paud", "M"),  # 5–6: PAUD ✓ in Jepara
    ])
    alone = counts(posyandu_miji, [6])
    together = counts(posyandu_miji, [6], posyandu_ids=[posyandu_miji.pk, posyandu_jepara.pk])
    assert alone == together
    assert alone[("dik.dasar", 6)] == [4, 2, 0]  # Eko, Fajar ✓; Gita, Indah ✗ — as before
    jepara = counts(posyandu_jepara, [6], posyandu_ids=[posyandu_miji.pk, posyandu_jepara.pk])
    # Jepara, June: dasar Ani ✗ → [1, 0]; PAUD Bayu ✓ → [1, 1]; kesetaraan Ani ✗ → [1, 0].
    assert jepara[("dik.dasar", 6)] == [1, 0, 0]
    assert jepara[("dik.paud", 6)] == [1, 1, 0]
    assert jepara[("dik.kesetaraan", 6)] == [1, 0, 0]
