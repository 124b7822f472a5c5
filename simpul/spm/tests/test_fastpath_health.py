"""The vector forms of the health rules (simpul/spm/fastpath_health.py) give exactly the engine's cells.

The reference is ``engine.count`` (rules/health.py, whose verdicts are worked out by hand in
test_rules_health.py): the fast path is an optimisation and must agree with it cell for cell, for every month
of the year, read on several days. The records are written through the services with the helpers of
test_rules_health.py, one scenario holding the awkward cases of each rule side by side: children born this
year, turning 60 months, moved mid-year, with corrected weighings, missed or late doses, births on the 29th to
31st (the schedule's calendar months are clamped to the month's last day), vitamin A before and after August;
pregnancies delivered, ended early and late, still open at their HPL, due next year, of a mother who moved;
hypertension and diabetes found in different months and years, with a corrected reading. A few cells are also
checked against the hand-worked numbers of test_rules_health.py, so that an empty or wrong scenario cannot
pass by agreeing with itself.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from conftest import MOJOKERTO, make_user, person_input
from simpul.accounts.models import Membership
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.demo.ilp_seed import ilp_seed
from simpul.health.services import MeasurementInput, measurement_correct
from simpul.immunization import schedule
from simpul.immunization.services import ImmunizationInput, immunization_record
from simpul.maternal.services import pregnancy_close
from simpul.posyandu.models import Posyandu
from simpul.registry.models import Person, Residence
from simpul.registry.services.moves import person_move
from simpul.screening.services import ScreeningInput, screening_correct
from simpul.spm import engine, fastpath
from simpul.spm.tests.test_rules_health import (
    child_with_mother,
    d,
    immunise,
    mother,
    pregnant,
    register,
    screen,
    served_child,
    vitamin_a,
    weigh,
)

pytestmark = pytest.mark.django_db

CODES = ["kes.balita", "kes.ibu_hamil", "kes.hipertensi", "kes.diabetes"]
# Read during the year (the running month ends on today), at the end of a month, and after the year.
DAYS = [dt.date(2026, 3, 15), dt.date(2026, 8, 20), dt.date(2026, 11, 23), dt.date(2026, 12, 31)]


def test_the_health_rules_have_vector_forms():
    vector, rest = fastpath.covered(CODES)
    assert sorted(i.code for i in vector) == sorted(CODES)
    assert rest == []
    assert {"under_five_package", "anc_pattern", "monthly_follow_up"} <= set(fastpath.VECTOR_RULES)


def test_a_posyandu_without_records_has_no_cells(posyandu_miji, kader_miji):
    # Only adults with no screening: no child, pregnancy or patient, so no cell (and no error on empty tables).
    register(kader_miji, posyandu_miji, [person_input("Budi Santoso", "M", dt.date(1980, 1, 1), "kepala")])
    assert fastpath.count([posyandu_miji.pk], 2026, today=DAYS[2], codes=CODES) == {}
    assert engine.count([posyandu_miji.pk], 2026, today=DAYS[2], codes=CODES) == {}


# --- The scenario -----------------------------------------------------------------------------------------


def move(user, person, to_household, on, relationship="famili_lain"):
    person_move(actor=user, scope=scope_for(user), person=Person.objects.get(pk=person.pk),
                relationship=relationship, to_household=to_household, moved_on=on)


def children(kader, miji, meri):
    """Under-fives in Miji and Meri (the kader works both)."""
    served_child(kader, miji)  # born 2025-03-10, the whole package to June
    # Two weighings, no height, no capsule, MR1 skipped: every reason at once.
    citra = child_with_mother(kader, miji, "Citra Lestari", dt.date(2025, 3, 10))
    weigh(kader, citra, d("2026-01-12"))
    weigh(kader, citra, d("2026-02-09"))
    immunise(kader, citra, up_to=d("2026-06-30"), skip={"mr1"})
    # Born this year, registered five days later.
    gita = child_with_mother(kader, miji, "Gita Ayu", d("2026-04-15"), on=d("2026-04-20"))
    for day in (d("2026-04-20"), d("2026-05-11"), d("2026-06-08"), d("2026-07-13")):
        weigh(kader, gita, day, height="50.0" if day.month == 4 else None)
    immunise(kader, gita, up_to=d("2026-08-15"))
    # A weighing corrected to another month.
    dedi = served_child(kader, miji, name="Dedi Kurniawan")
    april = dedi.measurements.get(measured_on=d("2026-04-13"))
    measurement_correct(actor=kader, scope=scope_for(kader), measurement=april, reason="salah tanggal",
                        data=MeasurementInput(measured_on=d("2026-03-20"), weight_kg="9.6"))
    # 60 months on 10 May 2026 (in to April), and 60 months on 31 January 2026 (in January only, by a day).
    child_with_mother(kader, miji, "Eka Saputra", d("2021-05-10"))
    child_with_mother(kader, miji, "Eko Prasetyo", d("2021-02-01"))
    # Vitamin A in February, not in August; weighed every month to September.
    bayu = child_with_mother(kader, miji, "Bayu Pratama", d("2024-09-05"))
    for month in range(1, 10):
        weigh(kader, bayu, dt.date(2026, month, 10), height="80.0" if month in (2, 6) else None)
    vitamin_a(kader, miji, bayu, d("2026-02-10"))
    immunise(kader, bayu, up_to=d("2026-03-05"))
    # Too young for the February capsule (5 months on 1 Feb), old enough for August's, which is given.
    rani = child_with_mother(kader, miji, "Rani Oktavia", d("2025-08-20"))
    for month in (1, 3, 5, 7, 8, 9, 10):
        weigh(kader, rani, dt.date(2026, month, 10), height="70.0" if month in (3, 9) else None)
    vitamin_a(kader, miji, rani, d("2026-08-10"))
    immunise(kader, rani, up_to=d("2026-11-30"))
    # Moved from Miji to Meri on 1 July, weighed and given vitamin A in Meri in August.
    fajar = child_with_mother(kader, miji, "Fajar Nugroho", d("2025-01-20"))
    for month in range(1, 7):
        weigh(kader, fajar, dt.date(2026, month, 12), height="76.0" if month == 2 else None)
    vitamin_a(kader, miji, fajar, d("2026-02-09"))
    immunise(kader, fajar, up_to=d("2026-06-30"))
    grandma = register(kader, meri, [person_input("Nenek Fajar", "F", dt.date(1960, 1, 1), "kepala")])
    move(kader, fajar, grandma["Nenek Fajar"].household, d("2026-07-01"), relationship="cucu")
    weigh(kader, fajar, d("2026-08-10"))
    vitamin_a(kader, meri, fajar, d("2026-08-10"))
    # Came to Meri in April (registered then), so February's capsule is not Meri's to owe; August's is given.
    rudi = child_with_mother(kader, meri, "Rudi Hartono", d("2024-06-01"), on=d("2026-04-01"))
    for month in range(4, 12):
        weigh(kader, rudi, dt.date(2026, month, 6), height="88.0" if month in (4, 8) else None)
    vitamin_a(kader, meri, rudi, d("2026-08-06"))
    immunise(kader, rudi, up_to=d("2026-11-30"))
    # Died on 15 August (set directly, as the death register is not part of these services): out from then.
    dimas = child_with_mother(kader, meri, "Dimas Putra", d("2025-05-05"))
    for month in range(1, 8):
        weigh(kader, dimas, dt.date(2026, month, 6), height="70.0" if month == 2 else None)
    vitamin_a(kader, meri, dimas, d("2026-02-09"))
    immunise(kader, dimas, up_to=d("2026-08-15"))
    Person.objects.filter(pk=dimas.pk).update(life_status=Person.LifeStatus.DECEASED,
                                              life_status_date=d("2026-08-15"))
    # Weighed on the 25th in August: on 20 August that weighing is still to come (5 of 6 needed), by the 31st
    # it counts (6 of 6), as does the August capsule of the same day.
    sinta = child_with_mother(kader, miji, "Sinta Maharani", d("2023-01-15"))
    for day in (d("2026-01-10"), d("2026-02-10"), d("2026-03-10"), d("2026-05-10"), d("2026-06-10"),
                d("2026-08-25")):
        weigh(kader, sinta, day, height="90.0" if day.month in (2, 6) else None)
    vitamin_a(kader, miji, sinta, d("2026-02-10"))
    vitamin_a(kader, miji, sinta, d("2026-08-25"))
    immunise(kader, sinta, up_to=d("2026-11-30"))
    # Born on the 31st: calendar months clamp to the month's end (31 Dec + 2 months = 28 Feb).
    lina = child_with_mother(kader, meri, "Lina Anggraini", d("2025-12-31"), on=d("2026-01-02"))
    for month in range(1, 12):
        weigh(kader, lina, dt.date(2026, month, 5), height="60.0" if month in (3, 9) else None)
    immunise(kader, lina, up_to=d("2026-11-30"), skip={"hb0"})  # HB0 never given: missed after 7 days
    # Born on a leap day; DPT-HB-Hib 1 given late (overdue from 29 May, given 10 June), the rest on time.
    tono = child_with_mother(kader, meri, "Tono Wibowo", d("2024-02-29"))
    for month in range(1, 12, 2):
        weigh(kader, tono, dt.date(2026, month, 3), height="85.0" if month in (1, 7) else None)
    immunise(kader, tono, up_to=d("2026-11-30"), skip={"dpt_hb_hib4"})  # 18 months: overdue from 24 months
    # Born in September; the doses of 3–5 months given a month late.
    wulan = child_with_mother(kader, meri, "Wulan Sari", d("2025-09-30"))
    for month in range(1, 12):
        weigh(kader, wulan, dt.date(2026, month, 20), height="66.0" if month in (2, 8) else None)
    immunise(kader, wulan, up_to=d("2025-11-30"))
    for code in ("dpt_hb_hib2", "opv3", "rv2", "pcv2", "dpt_hb_hib3", "opv4", "rv3", "ipv1"):
        late = schedule.BY_CODE[code].recommended.after(wulan.birth_date) + dt.timedelta(days=35)
        immunization_record(actor=kader, scope=scope_for(kader), person=Person.objects.get(pk=wulan.pk),
                            data=ImmunizationInput(dose=code, given_on=late))


def pregnancies(kader, miji, meri):
    # Served; missing trimester I and its doctor; no doctor in trimester III (test_rules_health.py).
    pregnant(kader, mother(kader, miji, "Rina Wati"), d("2025-09-01"), d("2025-10-10"), [
        (d("2025-10-10"), "doctor"), (d("2025-12-15"), "bidan"), (d("2026-01-20"), "bidan"),
        (d("2026-03-10"), "doctor"), (d("2026-04-14"), "bidan"), (d("2026-05-12"), "bidan")],
        delivered_on=d("2026-06-05"))
    pregnant(kader, mother(kader, miji, "Dewi Sartika"), d("2025-10-01"), d("2025-11-10"), [
        (d("2025-11-10"), "kader"), (d("2026-01-15"), "bidan"), (d("2026-02-10"), "bidan"),
        (d("2026-03-05"), "doctor"), (d("2026-04-15"), "doctor"), (d("2026-05-15"), "bidan"),
        (d("2026-06-15"), "bidan")])
    pregnant(kader, mother(kader, miji, "Sri Rahayu"), d("2025-08-01"), d("2025-09-15"), [
        (d("2025-09-15"), "doctor"), (d("2025-11-20"), "bidan"), (d("2025-12-20"), "bidan"),
        (d("2026-02-10"), "bidan"), (d("2026-03-10"), "bidan"), (d("2026-04-10"), "bidan")],
        delivered_on=d("2026-05-02"))
    # A miscarriage (74 days), and one due next year.
    pregnant(kader, mother(kader, miji, "Lina Marlina"), d("2026-01-05"), d("2026-02-10"),
             [(d("2026-02-10"), "bidan")], ended_on=d("2026-03-20"))
    pregnant(kader, mother(kader, miji, "Nur Aini"), d("2026-05-01"), d("2026-06-01"), [(d("2026-06-01"), "doctor")])
    # Ended at 26 weeks (182 days ≥ 140): in the sasaran, judged on its end day; two doctor days, one twice.
    pregnant(kader, mother(kader, meri, "Ani Susanti"), d("2026-01-10"), d("2026-02-01"), [
        (d("2026-02-01"), "doctor"), (d("2026-02-01"), "bidan"), (d("2026-04-20"), "bidan"),
        (d("2026-05-20"), "doctor")], ended_on=d("2026-07-11"))
    # Delivered last year: not this year's.
    pregnant(kader, mother(kader, meri, "Maya Sari"), d("2025-01-10"), d("2025-02-01"),
             [(d("2025-02-01"), "doctor")], delivered_on=d("2025-10-15"))
    # Open past its HPL (HPHT 2026-02-20 → HPL 2026-11-27): judged from 27 November.
    pregnant(kader, mother(kader, meri, "Putri Ayu"), d("2026-02-20"), d("2026-03-10"), [
        (d("2026-03-10"), "doctor"), (d("2026-06-10"), "bidan"), (d("2026-07-10"), "bidan"),
        (d("2026-09-10"), "doctor"), (d("2026-10-10"), "bidan"), (d("2026-11-10"), "bidan")])
    # Mothers who died (set directly): on the day of delivery (no posyandu then: not counted), and in September,
    # four months after delivering (counted from May on: she lived in Meri on the end day).
    for name, delivered, died in (("Tuti Handayani", d("2026-04-04"), d("2026-04-04")),
                                  ("Endang Lestari", d("2026-05-05"), d("2026-09-01"))):
        woman = mother(kader, meri, name)
        pregnant(kader, woman, delivered - dt.timedelta(days=270), delivered - dt.timedelta(days=250), [
            (delivered - dt.timedelta(days=250), "doctor"), (delivered - dt.timedelta(days=150), "bidan"),
            (delivered - dt.timedelta(days=120), "bidan"), (delivered - dt.timedelta(days=60), "doctor"),
            (delivered - dt.timedelta(days=40), "bidan"), (delivered - dt.timedelta(days=20), "bidan")],
            delivered_on=delivered)
        Person.objects.filter(pk=woman.pk).update(life_status=Person.LifeStatus.DECEASED, life_status_date=died)
    # Open past its HPL (2026-07-27) with a bidan visit after it, which is no contact of the pregnancy judged on
    # its HPL: 5 contacts, 2 in trimester III.
    pregnant(kader, mother(kader, miji, "Fitri Handayani"), d("2025-10-20"), d("2025-12-01"), [
        (d("2025-12-01"), "doctor"), (d("2026-01-20"), "bidan"), (d("2026-03-01"), "bidan"),
        (d("2026-05-10"), "doctor"), (d("2026-06-10"), "bidan"), (d("2026-08-03"), "bidan")])
    # The mother moved from Miji to Meri before delivering: Meri's.
    yuni = mother(kader, miji, "Yuni Astuti")
    pregnancy = pregnant(kader, yuni, d("2025-09-01"), d("2025-10-10"), [(d("2025-10-10"), "doctor")])
    home = register(kader, meri, [person_input("Ayah Yuni", "M", dt.date(1965, 1, 1), "kepala")])
    move(kader, yuni, home["Ayah Yuni"].household, d("2026-05-01"), relationship="anak")
    pregnancy_close(actor=kader, scope=scope_for(kader), pregnancy=pregnancy, status="delivered", on=d("2026-06-05"))


def follow_ups(kader, miji, meri):
    people = register(kader, miji, [
        person_input("Hadi Wijaya", "M", dt.date(1970, 4, 4), "kepala"),
        person_input("Hartini", "F", dt.date(1965, 8, 8), "istri"),
        person_input("Joko Santoso", "M", dt.date(1980, 1, 1), "famili_lain"),
        person_input("Dian Puspita", "F", dt.date(1975, 3, 3), "famili_lain"),
        person_input("Wati Lestari", "F", dt.date(1990, 9, 9), "famili_lain"),
        person_input("Bima Arya", "M", dt.date(2011, 7, 20), "famili_lain"),
    ], rt="004")
    hadi, hartini, joko = people["Hadi Wijaya"], people["Hartini"], people["Joko Santoso"]
    dian, wati, bima = people["Dian Puspita"], people["Wati Lestari"], people["Bima Arya"]
    screen(kader, hadi, d("2026-03-10"), systolic=150, diastolic=95)
    for month in range(4, 10):
        screen(kader, hadi, dt.date(2026, month, 10), systolic=130, diastolic=85)
    screen(kader, hartini, d("2025-03-12"), systolic=160, diastolic=100)  # found last year
    for month in (1, 2, 3, 5, 6, 8, 9):
        screen(kader, hartini, dt.date(2026, month, 14), systolic=135, diastolic=85)
    # Found in July last year; this year checked every month but July: last July's reading is no check of
    # this July.
    sumarni = register(kader, meri, [person_input("Sumarni", "F", dt.date(1958, 12, 12), "kepala")], rt="008")[
        "Sumarni"]
    screen(kader, sumarni, d("2025-07-15"), systolic=165, diastolic=100, glucose=240)
    for month in (1, 2, 3, 4, 5, 6, 8, 9, 10, 11):
        screen(kader, sumarni, dt.date(2026, month, 15), systolic=150, diastolic=92, glucose=190)
    screen(kader, joko, d("2026-02-02"), systolic=120, diastolic=80)  # never found
    screen(kader, dian, d("2026-10-05"), systolic=145, diastolic=92)
    screen(kader, wati, d("2026-06-05"), systolic=150, diastolic=95, glucose=250)  # both flags at once
    screen(kader, wati, d("2026-07-06"), systolic=118, diastolic=78, glucose=150)
    screen(kader, wati, d("2026-08-06"), systolic=119, diastolic=79)
    screen(kader, wati, d("2026-09-07"), systolic=121, diastolic=80, glucose=140)
    # Found on 10 July, checked on 25 August: on 20 August, 1 of 2 months; by the 31st, 2 of 2.
    rahmat = register(kader, miji, [person_input("Rahmat Hidayat", "M", dt.date(1968, 6, 6), "kepala")], rt="007")[
        "Rahmat Hidayat"]
    screen(kader, rahmat, d("2026-07-10"), systolic=155, diastolic=96)
    screen(kader, rahmat, d("2026-08-25"), systolic=135, diastolic=85)
    # 14 when found in March, 15 from 20 July: in the sasaran from July.
    screen(kader, bima, d("2026-03-03"), systolic=150, diastolic=95)
    for month in range(4, 12):
        screen(kader, bima, dt.date(2026, month, 3), systolic=125, diastolic=80)
    # Found in Miji in February, moved to Meri in June, checked there every month since; a reading corrected.
    sari = register(kader, miji, [person_input("Sari Dewi", "F", dt.date(1960, 2, 2), "kepala")], rt="005")[
        "Sari Dewi"]
    screen(kader, sari, d("2026-02-11"), systolic=170, diastolic=100, glucose=260)
    wrong = screen(kader, sari, d("2026-04-11"), systolic=140, diastolic=90)
    screening_correct(actor=kader, scope=scope_for(kader), screening=wrong, reason="salah tanggal",
                      data=ScreeningInput(screened_on=d("2026-03-28"), systolic=140, diastolic=90))
    home = register(kader, meri, [person_input("Anak Sari", "M", dt.date(1985, 5, 5), "kepala")], rt="006")
    move(kader, sari, home["Anak Sari"].household, d("2026-06-15"), relationship="orang_tua")
    for month in range(6, 12):
        screen(kader, sari, dt.date(2026, month, 20), systolic=138, diastolic=88, glucose=180)


@pytest.fixture
def scenario(posyandu_miji, posyandu_meri, kader_jepara, posyandu_jepara):
    kader = make_user("kader.dua", Role.KADER, posyandu=posyandu_miji)
    Membership.objects.create(user=kader, role=Role.KADER, posyandu=posyandu_meri, fields=["kesehatan"])
    children(kader, posyandu_miji, posyandu_meri)
    pregnancies(kader, posyandu_miji, posyandu_meri)
    follow_ups(kader, posyandu_miji, posyandu_meri)
    # Another regency's served child and patient: never in Miji's or Meri's cells.
    served_child(kader_jepara, posyandu_jepara, name="Slamet Junior")
    slamet = register(kader_jepara, posyandu_jepara, [person_input("Slamet Riyadi", "M", dt.date(1970, 1, 1),
                                                                   "kepala")])["Slamet Riyadi"]
    screen(kader_jepara, slamet, d("2026-05-05"), systolic=170, diastolic=100)
    return posyandu_miji, posyandu_meri, posyandu_jepara


@pytest.mark.parametrize("today", DAYS)
def test_it_equals_the_engine_on_the_scenario(scenario, today):
    ids = [p.pk for p in scenario]
    expected = engine.count(ids, 2026, today=today, codes=CODES)
    assert fastpath.count(ids, 2026, today=today, codes=CODES) == expected
    # Each indicator has cells on the last day (no code left out by agreeing on nothing).
    if today == DAYS[-1]:
        assert {code for code, _pid, _month in expected} == set(CODES)


def test_it_equals_the_engine_for_one_posyandu_and_the_hand_worked_cells(scenario):
    miji, meri, _jepara = scenario
    for ids in ([miji.pk], [meri.pk]):
        assert fastpath.count(ids, 2026, today=DAYS[2], codes=CODES) == engine.count(ids, 2026, today=DAYS[2],
                                                                                       codes=CODES)
    cells = fastpath.count([miji.pk], 2026, today=DAYS[2], codes=CODES)
    # kes.ibu_hamil in Miji (the first three as in test_rules_health.py): May Sri (2 May) unserved; June also
    # Rina (5 June) served; July on also Dewi (HPL 8 July) and Fitri (HPL 27 July: 5 contacts < 6) unserved.
    # Yuni delivered in Meri; Lina's miscarriage and Nur's 2027 HPL never count.
    assert [cells.get(("kes.ibu_hamil", miji.pk, m)) for m in (4, 5, 6, 7)] == [
        None, [1, 0, 0], [2, 1, 0], [4, 1, 0]]
    # kes.hipertensi in Miji, September: Hadi (Mar..Sep all checked) served; Hartini (7 of 9) not; Wati (found
    # 5 June, BP in Jun, Jul, Aug, Sep) served; Bima (15 from 20 July; Mar..Sep all checked) served; Rahmat
    # (found July, checked Jul, Aug: 2 of 3) not. Sari lives in Meri from June. Den 5, num 3.
    assert cells[("kes.hipertensi", miji.pk, 9)] == [5, 3, 0]
    # kes.balita in Miji, as of 30 June: Ahmad (the served child), Citra, Gita, Dedi, Bayu, Rani, Sinta and
    # Fajar (moved on 1 July) = 8; Eka (60 months from 10 May) and Eko are out. Served:
    # - Ahmad: the hand-worked case of test_rules_health.py;
    # - Gita: here Apr, May, Jun → e = 3 → ceil(8×3/12) = 2 weighings (has 3), ceil(2×3/12) = 1 height (April),
    #   no capsule owed, doses overdue by 30 June (0–1 month ones) given;
    # - Bayu: e = 6 → 4 weighings (has 6), 1 height (Feb, Jun), February capsule, every dose to 18 months;
    # - Sinta: e = 6 → 4 weighings (Jan, Feb, Mar, May, Jun = 5), heights Feb, Jun, February capsule;
    # - Fajar: e = 6, 6 weighings, 1 height, February capsule, doses through PCV3 (the 18-month ones not due).
    # Not: Citra (2 of 4 weighings), Dedi (3 of 4 after the correction), Rani (Jan, Mar, May = 3 of 4).
    assert cells[("kes.balita", miji.pk, 6)] == [8, 5, 0]
    # Read on 20 August, Sinta's weighing of the 25th is not yet there: e = 8 → ceil(64/12) = 6 needed, 5 had.
    # Read on 23 November, August is over: 6 of 6, both capsules.
    assert _served(miji, "kes.balita", dt.date(2026, 8, 20), 8, "Sinta Maharani") is False
    assert _served(miji, "kes.balita", DAYS[2], 8, "Sinta Maharani") is True


def _served(posyandu, code, today, month, name):
    """The engine's verdict on one person (the fast path agrees on the counts above)."""
    person = Person.objects.get(full_name=name)
    verdicts = {j.unit.id: j.verdict for j in engine.judge([posyandu.pk], 2026, today=today, months=[month],
                                                           codes=[code])}
    return verdicts[person.pk].served


# --- A generated region -----------------------------------------------------------------------------------

SEEDED_TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def region():
    call_command("seed_region", "--region", MOJOKERTO, "--scale", "0.02", "--seed", "7", "--as-of",
                 SEEDED_TODAY.isoformat(), "--no-audit", stdout=io.StringIO())
    ilp_seed(region_code=MOJOKERTO, seed=7, today=SEEDED_TODAY)
    people = list(Person.objects.filter(desa__code__startswith=MOJOKERTO, birth_date__year__gte=2021)
                  .order_by("pk"))
    # A child who moved to another kelurahan's posyandu in June.
    mover = people[0]
    other = Posyandu.objects.exclude(desa_id=mover.desa_id).filter(desa__code__startswith=MOJOKERTO).first()
    Residence.objects.filter(person=mover).update(start_date=dt.date(2025, 3, 1), end_date=dt.date(2026, 6, 14))
    Residence.objects.create(person=mover, household=None, posyandu=other, desa_id=other.desa_id,
                             start_date=dt.date(2026, 6, 15), reason="moved")
    # A child who died in July.
    Person.objects.filter(pk=people[1].pk).update(life_status=Person.LifeStatus.DECEASED,
                                                  life_status_date=dt.date(2026, 7, 3))
    return list(Posyandu.objects.filter(desa__code__startswith=MOJOKERTO).values_list("pk", flat=True))


@pytest.mark.parametrize("today", [SEEDED_TODAY, dt.date(2026, 12, 31)])
def test_it_equals_the_engine_on_a_generated_region(region, today):
    expected = engine.count(region, 2026, today=today, codes=CODES)
    # A real workload: hundreds of children, pregnancies and patients, served and not.
    assert sum(cell[0] for (code, _p, _m), cell in expected.items() if code == "kes.balita") > 500
    assert {code for code, _pid, _month in expected} == set(CODES)
    assert fastpath.count(region, 2026, today=today, codes=CODES) == expected
    half = region[::2]
    assert fastpath.count(half, 2026, today=today, codes=CODES) == engine.count(half, 2026, today=today,
                                                                                codes=CODES)
