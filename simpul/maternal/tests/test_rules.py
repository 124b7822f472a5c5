"""Dates, cut-offs and the ANC standard against hand-worked reference values (decision 0008).

Every expected value below was worked out by hand with day-of-year arithmetic, not taken from the code:
cumulative days at the end of each month in a common year are Jan 31, Feb 59, Mar 90, Apr 120, May 151,
Jun 181, Jul 212, Aug 243, Sep 273, Oct 304, Nov 334 (a leap year adds one from March).
"""

import datetime as dt
from decimal import Decimal

import pytest

from simpul.maternal import rules

D = dt.date


# Naegele's rule, day form: HPL = HPHT + 280 days (40 weeks).
@pytest.mark.parametrize(("hpht", "hpl"), [
    # doy(1 Jan) = 1; 1 + 280 = 281; 281 - 273 (end of Sep) = 8 -> 8 October. The calendar form
    # (day + 7, month - 3, year + 1) gives the same date here.
    (D(2026, 1, 1), D(2026, 10, 8)),
    # doy(15 Mar) = 59 + 15 = 74; 74 + 280 = 354; 354 - 334 (end of Nov) = 20 -> 20 December. The calendar
    # form gives 22 December (February has only 28 days): the two variants differ by two days.
    (D(2026, 3, 15), D(2026, 12, 20)),
    # doy(24 May) = 120 + 24 = 144; 144 + 280 = 424; 424 - 365 = 59 -> 28 February 2027. The calendar form
    # would need "31 February".
    (D(2026, 5, 24), D(2027, 2, 28)),
    # doy(10 Jun 2027) = 151 + 10 = 161; 161 + 280 = 441; 441 - 365 = 76 in leap 2028 (end of Feb = 60)
    # -> 16 March 2028 (the calendar form: 17 March).
    (D(2027, 6, 10), D(2028, 3, 16)),
])
def test_hpl_is_hpht_plus_280_days(hpht, hpl):
    assert rules.hpl_from_hpht(hpht) == hpl
    assert (hpl - hpht).days == 280


def test_an_unknown_hpht_is_estimated_from_the_weeks_at_the_first_visit():
    # 10 weeks before 2026-03-12 = 70 days: doy 71 - 70 = 1 -> 1 January.
    assert rules.hpht_from_weeks(D(2026, 3, 12), 10) == D(2026, 1, 1)


# Gestational age in completed weeks and the Permenkes 21/2021 trimesters (0-12 / >12-24 / >24 weeks),
# HPHT 1 January 2026.
@pytest.mark.parametrize(("on", "weeks", "days", "trimester"), [
    (D(2026, 1, 1), 0, 0, 1),
    (D(2026, 3, 26), 12, 0, 1),  # doy 85 - 1 = 84 days
    (D(2026, 4, 1), 12, 6, 1),  # doy 91 - 1 = 90 days: still "12 weeks"
    (D(2026, 4, 2), 13, 0, 2),  # 91 days
    (D(2026, 6, 24), 24, 6, 2),  # doy 175 - 1 = 174 days: still "24 weeks"
    (D(2026, 6, 25), 25, 0, 3),  # 175 days
    (D(2026, 10, 8), 40, 0, 3),  # HPL: 280 days
])
def test_gestational_age_and_trimester(on, weeks, days, trimester):
    age = rules.gestational_age(D(2026, 1, 1), on)
    assert (age.weeks, age.rest_days, age.trimester) == (weeks, days, trimester)


def test_no_gestational_age_before_hpht():
    assert rules.gestational_age(D(2026, 1, 1), D(2025, 12, 31)) is None


@pytest.mark.parametrize(("lila", "kek"), [
    (Decimal("22.0"), True), (Decimal("23.4"), True), (Decimal("23.5"), False), (Decimal("30"), False), (None, False),
    (22.5, True),
])
def test_kek_is_lila_strictly_below_23_5(lila, kek):
    assert rules.is_kek(lila) is kek


@pytest.mark.parametrize(("systolic", "diastolic", "high"), [
    (140, 80, True), (139, 89, False), (120, 90, True), (139, 90, True), (150, 95, True), (None, None, False),
])
def test_hypertension_in_pregnancy_is_140_or_90(systolic, diastolic, high):
    assert rules.is_hypertensive(systolic, diastolic) is high


# The ANC standard: >= 1 / 2 / 3 health-worker contacts in trimester I / II / III and a doctor in I and III.
# HPHT 1 January 2026; day counts by hand from the table in the module docstring.
HPHT = D(2026, 1, 1)
STANDARD = [
    (D(2026, 2, 15), "bidan"),  # day 45, TM I
    (D(2026, 3, 20), "doctor"),  # day 78, TM I
    (D(2026, 5, 1), "bidan"),  # day 120, TM II
    (D(2026, 6, 10), "bidan"),  # day 160, TM II
    (D(2026, 8, 1), "doctor"),  # day 212, TM III
    (D(2026, 9, 1), "bidan"),  # day 243, TM III
    (D(2026, 9, 20), "bidan"),  # day 262, TM III
]


def evaluate(visits, on, closed_on=None):
    return rules.anc_evaluate(hpht=HPHT, visits=visits, on=on, closed_on=closed_on)


def states(progress):
    return {r.code: (r.done, r.state) for r in progress.requirements}


def test_the_standard_pattern_is_met():
    progress = evaluate(STANDARD, D(2026, 9, 25))
    assert progress.contacts == {1: 2, 2: 2, 3: 3} and progress.doctor_contacts == {1: 1, 2: 0, 3: 1}
    assert progress.total_contacts == 7 and progress.met and progress.missing == ()


def test_six_visits_in_the_2_1_3_pattern_miss_the_second_trimester():
    visits = [v for v in STANDARD if v[0] != D(2026, 6, 10)]  # one TM II visit fewer: 2/1/3
    progress = evaluate(visits, D(2026, 9, 25))
    assert progress.total_contacts == 6 and not progress.met
    assert [r.code for r in progress.missing] == ["contacts_tm2"]
    assert progress.missing[0].state == "missed" and progress.missing[0].missing == 1


def test_a_kader_check_does_not_count_toward_the_standard():
    visits = [(day, "kader") for day, _examiner in STANDARD]
    progress = evaluate(visits, D(2026, 9, 25))
    assert progress.total_contacts == 0 and progress.kader_contacts == 7 and not progress.met


def test_two_records_on_one_day_are_one_contact():
    visits = [(D(2026, 2, 15), "kader"), (D(2026, 2, 15), "bidan"), (D(2026, 2, 15), "doctor")]
    progress = evaluate(visits, D(2026, 2, 20))
    assert progress.contacts[1] == 1 and progress.doctor_contacts[1] == 1 and progress.kader_contacts == 0


def test_requirements_are_open_until_their_trimester_is_over():
    visits = [(D(2026, 5, 1), "doctor")]  # a doctor, but in TM II
    progress = evaluate(visits, D(2026, 7, 1))  # day 181: TM III
    assert progress.trimester_now == 3
    assert states(progress) == {
        "contacts_tm1": (0, "missed"), "contacts_tm2": (1, "missed"), "contacts_tm3": (0, "open"),
        "doctor_tm1": (0, "missed"), "doctor_tm3": (0, "open"),
    }


def test_at_the_start_everything_is_still_possible():
    progress = evaluate([], D(2026, 2, 1))  # day 31
    assert progress.trimester_now == 1 and {r.state for r in progress.requirements} == {"open"}


def test_after_delivery_what_is_missing_is_missed_and_later_visits_do_not_count():
    visits = [*STANDARD[:5], (D(2026, 9, 1), "bidan")]  # TM III: 2 contacts by 1 September
    progress = evaluate(visits + [(D(2026, 9, 10), "bidan")], D(2026, 11, 1), closed_on=D(2026, 9, 5))
    assert progress.trimester_now is None and progress.contacts[3] == 2
    assert [(r.code, r.state) for r in progress.missing] == [("contacts_tm3", "missed")]


def test_visits_after_the_day_seen_from_are_left_out():
    progress = evaluate(STANDARD, D(2026, 3, 1))  # day 59
    assert progress.total_contacts == 1 and progress.doctor_contacts[1] == 0
