"""The health rules (simpul/spm/rules/health.py) against numbers worked out by hand.

Records are written through the services (registry, health measurements, immunisation, posyandu day,
maternal, screening) with dates in the past, which they accept; the services' own ``now=`` puts a
registration (and so the first Residence) or a posyandu day on the date the scenario needs. Every count is
asked of the engine with an explicit ``today=``; the expected values are the arithmetic in the comments.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from conftest import make_user, person_input
from simpul.accounts.models import Membership
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.health.services import MeasurementInput, measurement_correct, measurement_record
from simpul.immunization import schedule
from simpul.immunization.services import ImmunizationInput, immunization_record
from simpul.maternal.services import (
    AncVisitInput,
    PregnancyInput,
    anc_visit_record,
    pregnancy_close,
    pregnancy_register,
)
from simpul.registry.models import Person
from simpul.registry.services import HouseholdInput, household_register
from simpul.registry.services.moves import person_move
from simpul.screening.services import ScreeningInput, screening_correct, screening_record
from simpul.serviceday.models import ServiceDay
from simpul.serviceday.services.attendance import attendance_record
from simpul.serviceday.services.days import day_open, day_schedule
from simpul.serviceday.services.given import ServiceInput, service_record
from simpul.spm import engine
from simpul.spm.engine import Missing
from simpul.spm.presenters import missing_text

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
TODAY = dt.date(2026, 11, 23)
JAN_1 = dt.date(2026, 1, 1)


# --- Building records through the services ---------------------------------------------------------


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=WIB)


def register(user, posyandu, members, *, on=JAN_1, rt="001"):
    """A household registered on ``on``: its members' first Residence starts that day."""
    household = household_register(actor=user, scope=scope_for(user), now=at(on), data=HouseholdInput(
        posyandu_id=posyandu.pk, address="Jl. Uji 1", rt=rt, rw="002", members=members))
    return {p.full_name: p for p in household.members.all()}


def child_with_mother(user, posyandu, name, birth, *, on=JAN_1):
    people = register(user, posyandu, [person_input(f"Ibu {name}", "F", dt.date(1994, 2, 3), "kepala"),
                                       person_input(name, "M", birth, "anak")], on=on)
    return people[name]


def weigh(user, child, day, *, height=None):
    child = Person.objects.get(pk=child.pk)
    return measurement_record(actor=user, scope=scope_for(user), person=child, data=MeasurementInput(
        measured_on=day, weight_kg="9.5", length_height_cm=height, position="recumbent" if height else ""))


def immunise(user, child, *, up_to, skip=()):
    """Every dose (JE aside) recommended by ``up_to``, each on its recommended date, except ``skip``."""
    for dose in schedule.applicable():
        given_on = dose.recommended.after(child.birth_date)
        if given_on <= up_to and dose.code not in skip:
            immunization_record(actor=user, scope=scope_for(user), person=Person.objects.get(pk=child.pk),
                                data=ImmunizationInput(dose=dose.code, given_on=given_on))


def vitamin_a(user, posyandu, child, held_on):
    """A capsule at the posyandu day ``held_on`` (scheduled and opened on that day through the services)."""
    scope = scope_for(user)
    day = ServiceDay.objects.filter(posyandu=posyandu, held_on=held_on).first()
    if day is None:
        day = day_schedule(actor=user, scope=scope, posyandu=posyandu, held_on=held_on, now=at(held_on))
        day = day_open(actor=user, scope=scope, day=day, now=at(held_on))
    attendance = attendance_record(actor=user, scope=scope, day=day, person=Person.objects.get(pk=child.pk),
                                   now=at(held_on))
    return service_record(actor=user, scope=scope, day=day, attendance=attendance,
                          data=ServiceInput(kind="vitamin_a"), now=at(held_on))


def verdicts(posyandu, month, code, *, today=TODAY):
    with translation.override("id"):
        return {j.unit.id: j.verdict for j in engine.judge([posyandu.pk], 2026, today=today, months=[month],
                                                            codes=[code])}


def counts(posyandu, months, code, *, today=TODAY):
    return engine.count([posyandu.pk], 2026, today=today, months=months, codes=[code])


# --- kes.balita -------------------------------------------------------------------------------------

BORN = dt.date(2025, 3, 10)


def served_child(user, posyandu, name="Ahmad Fauzi"):
    """Born 2025-03-10, living here all year: weighed Jan–Apr, measured in Feb, vitamin A in Feb, every dose
    recommended by 30 June 2026 (through PCV3 at 12 months; DPT-HB-Hib 4 and MR2 are due at 18 months)."""
    child = child_with_mother(user, posyandu, name, BORN)
    for day in (dt.date(2026, 1, 12), dt.date(2026, 2, 9), dt.date(2026, 3, 9), dt.date(2026, 4, 13)):
        weigh(user, child, day, height="78.0" if day.month == 2 else None)
    vitamin_a(user, posyandu, child, dt.date(2026, 2, 9))
    immunise(user, child, up_to=dt.date(2026, 6, 30))
    return child


def test_a_child_given_the_whole_package_for_the_months_so_far_is_served(kader_miji, posyandu_miji):
    child = served_child(kader_miji, posyandu_miji)
    # As of 30 June: e = Jan..Jun = 6 months → weighings ceil(8×6/12) = 4 (has Jan, Feb, Mar, Apr = 4),
    # heights ceil(2×6/12) = 1 (has Feb), vitamin A in February (10 months old on 1 Feb 2026 ≥ 6; given),
    # August not over; age 15 months: every dose overdue by then (through PCV3, overdue at 13 months) given.
    assert verdicts(posyandu_miji, 6, "kes.balita")[child.pk] == engine.Verdict(posyandu_miji.pk, True)
    # As of 31 March: e = 3 → ceil(24/12) = 2 weighings (has 3), ceil(6/12) = 1 height (has 1): served.
    # The mother (b. 1994) is not 0–59 months: one child in the sasaran each month.
    assert counts(posyandu_miji, [3, 6], "kes.balita") == {
        ("kes.balita", posyandu_miji.pk, 3): [1, 1, 0], ("kes.balita", posyandu_miji.pk, 6): [1, 1, 0]}


def test_an_unserved_child_gets_every_missing_reason(kader_miji, posyandu_miji):
    child = child_with_mother(kader_miji, posyandu_miji, "Citra Lestari", BORN)
    weigh(kader_miji, child, dt.date(2026, 1, 12))
    weigh(kader_miji, child, dt.date(2026, 2, 9))
    immunise(kader_miji, child, up_to=dt.date(2026, 6, 30), skip={"mr1"})
    verdict = verdicts(posyandu_miji, 6, "kes.balita")[child.pk]
    # As of 30 June (e = 6): weighed in 2 months of the 4 needed; no height of the 1 needed (both due by the
    # month's end); no capsule in February (10 months old on 1 Feb); MR1 due at 9 months = 2025-12-10,
    # overdue from 10 months = 2026-01-10. MR2 waits for MR1 but is only overdue at 24 months (2027-03-10).
    assert verdict.served is False
    assert verdict.missing == (
        Missing("weighings", {"have": 2, "need": 4}, "2026-06-30"),
        Missing("heights", {"have": 0, "need": 1}, "2026-06-30"),
        Missing("vitamin_a", {"month": "Februari", "month_number": 2}, "2026-02-28"),
        Missing("dose", {"dose": "mr1"}, "2025-12-10"),
    )
    for missing in verdict.missing:
        assert missing_text(missing) != missing.code  # each code has its sentence
    assert counts(posyandu_miji, [6], "kes.balita") == {("kes.balita", posyandu_miji.pk, 6): [1, 0, 0]}


def test_a_child_born_this_year_needs_the_share_of_the_months_since_birth(kader_miji, posyandu_miji):
    birth = dt.date(2026, 4, 15)
    child = child_with_mother(kader_miji, posyandu_miji, "Gita Ayu", birth, on=dt.date(2026, 4, 20))
    for day in (dt.date(2026, 4, 20), dt.date(2026, 5, 11), dt.date(2026, 6, 8), dt.date(2026, 7, 13)):
        weigh(kader_miji, child, day, height="50.0" if day.month == 4 else None)
    immunise(kader_miji, child, up_to=dt.date(2026, 8, 15))
    # As of 30 Sep: living here at the end of Apr, May, Jun, Jul, Aug, Sep → e = 6 → ceil(8×6/12) = 4
    # weighings (has Apr–Jul = 4), ceil(2×6/12) = 1 height (Apr). February: not born; August: 3 months old on
    # 1 Aug (15 Apr → 15 Jul) < 6, so no capsule owed. Doses overdue by 30 Sep (5 months 15 days): those of
    # 0–4 months (overdue one month later, the last on 15 Sep) — all recommended by 15 Aug, all given.
    assert verdicts(posyandu_miji, 9, "kes.balita")[child.pk] == engine.Verdict(posyandu_miji.pk, True)
    # As of 31 Oct: e = 7 → ceil(56/12) = 5 weighings, has 4; ceil(14/12) = 2 heights, has 1.
    assert verdicts(posyandu_miji, 10, "kes.balita")[child.pk].missing == (
        Missing("weighings", {"have": 4, "need": 5}, "2026-10-31"),
        Missing("heights", {"have": 1, "need": 2}, "2026-10-31"))
    # Not born before April: no verdict in March.
    assert child.pk not in verdicts(posyandu_miji, 3, "kes.balita")


def test_a_corrected_weighing_counts_only_as_corrected(kader_miji, posyandu_miji):
    child = served_child(kader_miji, posyandu_miji, name="Dedi Kurniawan")
    april = child.measurements.get(measured_on=dt.date(2026, 4, 13))
    # The April row was a slip for 20 March: the correction supersedes it, leaving months Jan, Feb, Mar.
    measurement_correct(actor=kader_miji, scope=scope_for(kader_miji), measurement=april, reason="salah tanggal",
                        data=MeasurementInput(measured_on=dt.date(2026, 3, 20), weight_kg="9.6"))
    # As of 30 June: need ceil(8×6/12) = 4, have 3 distinct months (two rows in March count once).
    assert verdicts(posyandu_miji, 6, "kes.balita")[child.pk].missing == (
        Missing("weighings", {"have": 3, "need": 4}, "2026-06-30"),)


def test_a_child_turning_60_months_leaves_the_sasaran(kader_miji, posyandu_miji):
    child = child_with_mother(kader_miji, posyandu_miji, "Eka Saputra", dt.date(2021, 5, 10))
    # 30 April 2026: 59 months (10 May 2021 → 10 Apr 2026 = 59) → in; 31 May: 60 months (from 10 May) → out.
    assert child.pk in verdicts(posyandu_miji, 4, "kes.balita")
    assert child.pk not in verdicts(posyandu_miji, 5, "kes.balita")
    assert counts(posyandu_miji, [4, 5], "kes.balita") == {("kes.balita", posyandu_miji.pk, 4): [1, 0, 0]}


def test_vitamin_a_for_august_is_owed_once_august_is_over(kader_miji, posyandu_miji):
    child = child_with_mother(kader_miji, posyandu_miji, "Bayu Pratama", dt.date(2024, 9, 5))
    for month in range(1, 10):
        weigh(kader_miji, child, dt.date(2026, month, 10), height="80.0" if month in (2, 6) else None)
    vitamin_a(kader_miji, posyandu_miji, child, dt.date(2026, 2, 10))
    immunise(kader_miji, child, up_to=dt.date(2026, 3, 5))  # through DPT-HB-Hib 4 and MR2 (18 months)
    # 31 Jul: e = 7 → 5 weighings (has 7), ceil(14/12) = 2 heights (Feb, Jun), February capsule given,
    # August not over: served.
    assert verdicts(posyandu_miji, 7, "kes.balita")[child.pk].served is True
    # Read on 20 Aug, August is still running: e = 8 → 6 weighings (has 8), 2 heights: served.
    assert verdicts(posyandu_miji, 8, "kes.balita", today=dt.date(2026, 8, 20))[child.pk].served is True
    # Read after August (as of 31 Aug and 30 Sep): 23 months old on 1 Aug, no capsule in August.
    august = Missing("vitamin_a", {"month": "Agustus", "month_number": 8}, "2026-08-31")
    assert verdicts(posyandu_miji, 8, "kes.balita")[child.pk].missing == (august,)
    assert verdicts(posyandu_miji, 9, "kes.balita")[child.pk].missing == (august,)
    vitamin_a(kader_miji, posyandu_miji, child, dt.date(2026, 8, 10))
    assert verdicts(posyandu_miji, 9, "kes.balita")[child.pk].served is True


def test_a_child_who_moved_counts_in_the_new_posyandu_from_the_move(kader_miji, posyandu_miji, posyandu_meri):
    kader = make_user("kader.dua", Role.KADER, posyandu=posyandu_miji)
    Membership.objects.create(user=kader, role=Role.KADER, posyandu=posyandu_meri, fields=["kesehatan"])
    child = child_with_mother(kader, posyandu_miji, "Fajar Nugroho", dt.date(2025, 1, 20))
    for month in range(1, 7):
        weigh(kader, child, dt.date(2026, month, 12), height="76.0" if month == 2 else None)
    vitamin_a(kader, posyandu_miji, child, dt.date(2026, 2, 9))
    immunise(kader, child, up_to=dt.date(2026, 6, 30))  # through PCV3; the 18-month doses are due 20 Jul
    new_home = register(kader, posyandu_meri, [person_input("Nenek Fajar", "F", dt.date(1960, 1, 1), "kepala")])
    person_move(actor=kader, scope=scope_for(kader), person=Person.objects.get(pk=child.pk), relationship="cucu",
                to_household=new_home["Nenek Fajar"].household, moved_on=dt.date(2026, 7, 1))
    weigh(kader, child, dt.date(2026, 8, 10))
    vitamin_a(kader, posyandu_meri, child, dt.date(2026, 8, 10))
    # Miji, 30 June: e = 6, 6 weighings ≥ 4, 1 height ≥ 1, February capsule (12 months old on 1 Feb): served.
    # Miji, 30 Sep: living in Meri (Miji's residence ended 30 June): not Miji's.
    assert counts(posyandu_miji, [6, 9], "kes.balita") == {("kes.balita", posyandu_miji.pk, 6): [1, 1, 0]}
    # Meri, 30 Sep: living there at the end of Jul, Aug, Sep → e = 3 → ceil(8×3/12) = 2 weighings, of which
    # only August's is in those months (Miji's Jan–Jun are not); ceil(2×3/12) = 1 height, none since July.
    # The August capsule was given; February is not Meri's to owe.
    assert verdicts(posyandu_meri, 9, "kes.balita")[child.pk].missing == (
        Missing("weighings", {"have": 1, "need": 2}, "2026-09-30"),
        Missing("heights", {"have": 0, "need": 1}, "2026-09-30"))
    assert counts(posyandu_meri, [6, 9], "kes.balita") == {("kes.balita", posyandu_meri.pk, 9): [1, 0, 0]}


# --- kes.ibu_hamil ----------------------------------------------------------------------------------


def mother(user, posyandu, name):
    return register(user, posyandu, [person_input(name, "F", dt.date(1995, 6, 1), "kepala")], rt="003")[name]


def pregnant(user, woman, hpht, registered_on, visits, *, delivered_on=None, ended_on=None):
    scope = scope_for(user)
    pregnancy = pregnancy_register(actor=user, scope=scope, person=Person.objects.get(pk=woman.pk),
                                   data=PregnancyInput(registered_on=registered_on, hpht=hpht, gravida=1))
    for day, examiner in visits:
        anc_visit_record(actor=user, scope=scope, pregnancy=pregnancy,
                         data=AncVisitInput(visited_on=day, examiner=examiner))
    if delivered_on or ended_on:
        pregnancy = pregnancy_close(actor=user, scope=scope, pregnancy=pregnancy,
                                    status="delivered" if delivered_on else "ended", on=delivered_on or ended_on)
    return pregnancy


def d(text):
    return dt.date.fromisoformat(text)


def test_anc_pattern_judges_complete_pregnancies_by_trimester_and_doctor(kader_miji, posyandu_miji):
    # P1: HPHT 2025-09-01 → trimester I to 2025-11-30 (day 90), II 2025-12-01..2026-02-22 (day 91–174), III from
    # 2026-02-23; delivered 2026-06-05. Contacts: I doctor; II bidan ×2; III doctor + bidan ×2 = 6: served.
    p1 = pregnant(kader_miji, mother(kader_miji, posyandu_miji, "Rina Wati"), d("2025-09-01"), d("2025-10-10"), [
        (d("2025-10-10"), "doctor"), (d("2025-12-15"), "bidan"), (d("2026-01-20"), "bidan"),
        (d("2026-03-10"), "doctor"), (d("2026-04-14"), "bidan"), (d("2026-05-12"), "bidan")],
        delivered_on=d("2026-06-05"))
    # P2: HPHT 2025-10-01 → HPL = +280 days = 2026-07-08, never closed: judged at its HPL. Trimester I to
    # 2025-12-30: only a kader's weighing (no contact); II: bidan, bidan, doctor; III: doctor, bidan, bidan.
    # 6 health-worker contacts, but 0 of 1 in trimester I and no doctor there.
    p2 = pregnant(kader_miji, mother(kader_miji, posyandu_miji, "Dewi Sartika"), d("2025-10-01"), d("2025-11-10"), [
        (d("2025-11-10"), "kader"), (d("2026-01-15"), "bidan"), (d("2026-02-10"), "bidan"),
        (d("2026-03-05"), "doctor"), (d("2026-04-15"), "doctor"), (d("2026-05-15"), "bidan"),
        (d("2026-06-15"), "bidan")])
    # P3: HPHT 2025-08-01 → I to 2025-10-30, II 2025-10-31..2026-01-22, III from 2026-01-23; delivered
    # 2026-05-02. I doctor; II bidan ×2; III bidan ×3: 6 contacts, no doctor in trimester III.
    p3 = pregnant(kader_miji, mother(kader_miji, posyandu_miji, "Sri Rahayu"), d("2025-08-01"), d("2025-09-15"), [
        (d("2025-09-15"), "doctor"), (d("2025-11-20"), "bidan"), (d("2025-12-20"), "bidan"),
        (d("2026-02-10"), "bidan"), (d("2026-03-10"), "bidan"), (d("2026-04-10"), "bidan")],
        delivered_on=d("2026-05-02"))
    # P4: a miscarriage: HPHT 2026-01-05, ended 2026-03-20 = 74 days < 20 weeks (140 days): never in the sasaran.
    p4 = pregnant(kader_miji, mother(kader_miji, posyandu_miji, "Lina Marlina"), d("2026-01-05"), d("2026-02-10"),
                  [(d("2026-02-10"), "bidan")], ended_on=d("2026-03-20"))
    # P5: HPHT 2026-05-01 → HPL 2027-02-05: not complete in 2026, not in this year's sasaran.
    p5 = pregnant(kader_miji, mother(kader_miji, posyandu_miji, "Nur Aini"), d("2026-05-01"), d("2026-06-01"),
                  [(d("2026-06-01"), "doctor")])

    november = verdicts(posyandu_miji, 11, "kes.ibu_hamil")
    assert november[p1.pk] == engine.Verdict(posyandu_miji.pk, True)
    assert november[p2.pk].missing == (Missing("anc_trimester", {"trimester": "1", "have": 0, "need": 1}),
                                       Missing("anc_doctor", {"trimester": "1"}))
    assert november[p3.pk].missing == (Missing("anc_doctor", {"trimester": "3"}),)
    assert p4.pk not in november and p5.pk not in november
    # Year to date: April none complete; May P3 (2 May); June P3, P1 (5 June), P2's HPL 8 July not yet;
    # July and on: P1, P2, P3 with P1 the one served.
    key = ("kes.ibu_hamil", posyandu_miji.pk)
    assert counts(posyandu_miji, [4, 5, 6, 7, 11], "kes.ibu_hamil") == {
        (*key, 5): [1, 0, 0], (*key, 6): [2, 1, 0], (*key, 7): [3, 1, 0], (*key, 11): [3, 1, 0]}


def test_a_pregnancy_counts_where_the_mother_lived_when_it_ended(kader_miji, posyandu_miji, posyandu_meri):
    kader = make_user("kader.dua", Role.KADER, posyandu=posyandu_miji)
    Membership.objects.create(user=kader, role=Role.KADER, posyandu=posyandu_meri, fields=["kesehatan"])
    woman = mother(kader, posyandu_miji, "Yuni Astuti")
    pregnancy = pregnant(kader, woman, d("2025-09-01"), d("2025-10-10"), [(d("2025-10-10"), "doctor")])
    new_home = register(kader, posyandu_meri, [person_input("Ayah Yuni", "M", dt.date(1965, 1, 1), "kepala")])
    person_move(actor=kader, scope=scope_for(kader), person=Person.objects.get(pk=woman.pk),
                to_household=new_home["Ayah Yuni"].household, relationship="anak", moved_on=d("2026-05-01"))
    pregnancy_close(actor=kader, scope=scope_for(kader), pregnancy=pregnancy, status="delivered", on=d("2026-06-05"))
    # Delivered 5 June while living in Meri (from 1 May): Meri's, not Miji's, though registered in Miji.
    assert counts(posyandu_miji, [6], "kes.ibu_hamil") == {}
    assert counts(posyandu_meri, [6], "kes.ibu_hamil") == {("kes.ibu_hamil", posyandu_meri.pk, 6): [1, 0, 0]}


# --- kes.hipertensi and kes.diabetes ----------------------------------------------------------------


def screen(user, person, day, *, systolic=None, diastolic=None, glucose=None):
    return screening_record(actor=user, scope=scope_for(user), person=Person.objects.get(pk=person.pk),
                            data=ScreeningInput(screened_on=day, systolic=systolic, diastolic=diastolic,
                                                glucose_mg_dl=glucose))


def test_monthly_follow_up_since_found(kader_miji, posyandu_miji):
    people = register(kader_miji, posyandu_miji, [
        person_input("Hadi Wijaya", "M", dt.date(1970, 4, 4), "kepala"),
        person_input("Hartini", "F", dt.date(1965, 8, 8), "istri"),
        person_input("Joko Santoso", "M", dt.date(1980, 1, 1), "famili_lain"),
        person_input("Dian Puspita", "F", dt.date(1975, 3, 3), "famili_lain"),
        person_input("Wati Lestari", "F", dt.date(1990, 9, 9), "famili_lain"),
    ])
    hadi, hartini, joko = people["Hadi Wijaya"], people["Hartini"], people["Joko Santoso"]
    dian, wati = people["Dian Puspita"], people["Wati Lestari"]
    # Hadi: found 10 March 2026 (150/95), then a BP every month to September: months Mar..Sep all checked.
    screen(kader_miji, hadi, d("2026-03-10"), systolic=150, diastolic=95)
    for month in range(4, 10):
        screen(kader_miji, hadi, dt.date(2026, month, 10), systolic=130, diastolic=85)
    # Hartini: found 12 March 2025; in 2026 checked in Jan, Feb, Mar, May, Jun, Aug, Sep (not Apr, Jul).
    screen(kader_miji, hartini, d("2025-03-12"), systolic=160, diastolic=100)
    for month in (1, 2, 3, 5, 6, 8, 9):
        screen(kader_miji, hartini, dt.date(2026, month, 14), systolic=135, diastolic=85)
    # Joko: normal BP, never found. Dian: found only on 5 October 2026.
    screen(kader_miji, joko, d("2026-02-02"), systolic=120, diastolic=80)
    screen(kader_miji, dian, d("2026-10-05"), systolic=145, diastolic=92)
    # Wati: glucose 250 found 5 June 2026; glucose again in Jul and Sep; BP (normal) every month Jun–Sep.
    screen(kader_miji, wati, d("2026-06-05"), systolic=120, diastolic=80, glucose=250)
    screen(kader_miji, wati, d("2026-07-06"), systolic=118, diastolic=78, glucose=150)
    screen(kader_miji, wati, d("2026-08-06"), systolic=119, diastolic=79)
    screen(kader_miji, wati, d("2026-09-07"), systolic=121, diastolic=80, glucose=140)

    september = verdicts(posyandu_miji, 9, "kes.hipertensi")
    # Hadi: n = Mar..Sep = 7 months, checked 7 → served. Hartini: found in an earlier year, n = Jan..Sep = 9,
    # checked 7 → 7 of 9. Joko and Dian (found after September) are not in September's sasaran.
    assert september == {hadi.pk: engine.Verdict(posyandu_miji.pk, True),
                         hartini.pk: engine.Verdict(posyandu_miji.pk, False, (
                             Missing("follow_up", {"have": 7, "need": 9}, "2026-09-30"),))}
    october = verdicts(posyandu_miji, 10, "kes.hipertensi")
    # October: Hadi n = 8, checked 7; Hartini n = 10, checked 7; Dian found in October, checked then: 1 of 1.
    assert october[hadi.pk].missing == (Missing("follow_up", {"have": 7, "need": 8}, "2026-10-31"),)
    assert october[hartini.pk].missing == (Missing("follow_up", {"have": 7, "need": 10}, "2026-10-31"),)
    assert october[dian.pk].served is True and joko.pk not in october
    assert counts(posyandu_miji, [9, 10], "kes.hipertensi") == {
        ("kes.hipertensi", posyandu_miji.pk, 9): [2, 1, 0], ("kes.hipertensi", posyandu_miji.pk, 10): [3, 1, 0]}
    # Diabetes: Wati only; September n = Jun..Sep = 4, glucose in Jun, Jul, Sep = 3 (her BP does not count).
    assert verdicts(posyandu_miji, 9, "kes.diabetes") == {wati.pk: engine.Verdict(posyandu_miji.pk, False, (
        Missing("follow_up", {"have": 3, "need": 4}, "2026-09-30"),))}


def test_a_follow_up_reading_replaced_by_a_correction_no_longer_counts(kader_miji, posyandu_miji):
    hadi = register(kader_miji, posyandu_miji, [person_input("Hadi Wijaya", "M", dt.date(1970, 4, 4), "kepala")])[
        "Hadi Wijaya"]
    screen(kader_miji, hadi, d("2026-03-10"), systolic=150, diastolic=95)
    april = screen(kader_miji, hadi, d("2026-04-10"), systolic=130, diastolic=85)
    # The April reading belonged to March: corrected to 28 March, April has no check left.
    screening_correct(actor=kader_miji, scope=scope_for(kader_miji), screening=april, reason="salah tanggal",
                      data=ScreeningInput(screened_on=d("2026-03-28"), systolic=130, diastolic=85))
    # As of 30 April: n = Mar, Apr = 2; checked months {Mar} = 1.
    assert verdicts(posyandu_miji, 4, "kes.hipertensi")[hadi.pk].missing == (
        Missing("follow_up", {"have": 1, "need": 2}, "2026-04-30"),)


# --- Another regency's records ----------------------------------------------------------------------


def test_jepara_records_never_reach_miji_counts(kader_miji, posyandu_miji, kader_jepara, posyandu_jepara):
    served_child(kader_miji, posyandu_miji)
    jepara_child = served_child(kader_jepara, posyandu_jepara, name="Slamet Junior")
    jepara_adult = register(kader_jepara, posyandu_jepara, [person_input("Slamet Riyadi", "M", dt.date(1970, 1, 1),
                                                                         "kepala")])["Slamet Riyadi"]
    screen(kader_jepara, jepara_adult, d("2026-05-05"), systolic=170, diastolic=100)
    # Miji: its one served child; no hypertension found there. Jepara: its own child and its own patient.
    miji = engine.count([posyandu_miji.pk], 2026, today=TODAY, months=[6],
                        codes=["kes.balita", "kes.hipertensi", "kes.ibu_hamil"])
    assert miji == {("kes.balita", posyandu_miji.pk, 6): [1, 1, 0]}
    judged_ids = {j.unit.id for j in engine.judge([posyandu_miji.pk], 2026, today=TODAY, months=[6])}
    assert jepara_child.pk not in judged_ids and jepara_adult.pk not in judged_ids
    jepara = engine.count([posyandu_jepara.pk], 2026, today=TODAY, months=[6], codes=["kes.balita", "kes.hipertensi"])
    # Slamet: found 5 May, checked only in May → n = May, Jun = 2, have 1: unserved.
    assert jepara == {("kes.balita", posyandu_jepara.pk, 6): [1, 1, 0],
                      ("kes.hipertensi", posyandu_jepara.pk, 6): [1, 0, 0]}
