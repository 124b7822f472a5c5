"""The schedule as data against shared/domain.md §3.7, written out by hand from that table."""

import datetime as dt

from simpul.immunization import schedule
from simpul.immunization.schedule import Span, add_months

# domain.md §3.7, row by row: the age each dose is recommended at.
RECOMMENDED = {
    # < 24 hours
    "hb0": Span(days=0),
    # < 1 month
    "bcg": Span(days=0), "opv1": Span(days=0),
    # 2 months
    "dpt_hb_hib1": Span(months=2), "opv2": Span(months=2), "rv1": Span(months=2), "pcv1": Span(months=2),
    # 3 months
    "dpt_hb_hib2": Span(months=3), "opv3": Span(months=3), "rv2": Span(months=3), "pcv2": Span(months=3),
    # 4 months
    "dpt_hb_hib3": Span(months=4), "opv4": Span(months=4), "rv3": Span(months=4), "ipv1": Span(months=4),
    # 9 months
    "mr1": Span(months=9), "ipv2": Span(months=9),
    # 10 months, endemic areas only
    "je1": Span(months=10),
    # 12 months
    "pcv3": Span(months=12),
    # 18-23 months
    "dpt_hb_hib4": Span(months=18), "mr2": Span(months=18),
}

# "Minimum interval 1 month between doses of OPV, DPT-HB-Hib, RV, PCV"; PCV3 >= 8 weeks after PCV2;
# DPT-HB-Hib 4 >= 12 months after dose 3; MR2 >= 6 months after MR1.
INTERVALS = {
    "opv2": Span(months=1), "opv3": Span(months=1), "opv4": Span(months=1),
    "dpt_hb_hib2": Span(months=1), "dpt_hb_hib3": Span(months=1), "dpt_hb_hib4": Span(months=12),
    "rv2": Span(months=1), "rv3": Span(months=1),
    "pcv2": Span(months=1), "pcv3": Span(days=56),
    "mr2": Span(months=6),
    "ipv2": Span(months=1),  # not in the source: our working choice, documented in schedule.py
}


def test_every_dose_of_the_table_is_there_and_nothing_else():
    assert set(schedule.CODES) == set(RECOMMENDED)
    assert len(schedule.DOSES) == 21


def test_recommended_ages_match_the_table():
    assert {d.code: d.recommended for d in schedule.DOSES} == RECOMMENDED


def test_minimum_intervals_match_the_table():
    stated = {d.code: d.interval for d in schedule.DOSES if d.interval is not None}
    assert stated == INTERVALS


def test_doses_of_an_antigen_are_numbered_in_order():
    assert [d.code for d in schedule.DOSES if d.antigen == "opv"] == ["opv1", "opv2", "opv3", "opv4"]
    assert [d.code for d in schedule.DOSES if d.antigen == "dpt_hb_hib"] == [
        "dpt_hb_hib1", "dpt_hb_hib2", "dpt_hb_hib3", "dpt_hb_hib4"]
    assert schedule.previous(schedule.BY_CODE["dpt_hb_hib4"]).code == "dpt_hb_hib3"
    assert schedule.previous(schedule.BY_CODE["mr2"]).code == "mr1"
    assert schedule.previous(schedule.BY_CODE["pcv3"]).code == "pcv2"
    assert schedule.previous(schedule.BY_CODE["bcg"]) is None
    # HB0 and the hepatitis B in DPT-HB-Hib are separate series: dose 1 of DPT-HB-Hib needs no HB0.
    assert schedule.previous(schedule.BY_CODE["dpt_hb_hib1"]) is None


def test_je_only_in_endemic_areas_and_off_by_default():
    assert [d.code for d in schedule.DOSES if d.endemic_only] == ["je1"]
    assert "je1" not in {d.code for d in schedule.applicable()}
    assert "je1" in {d.code for d in schedule.applicable(je_endemic=True)}


def test_no_dose_is_allowed_before_birth_or_overdue_before_it_is_due():
    for dose in schedule.DOSES:
        assert dose.earliest.months >= 0 and dose.earliest.days >= 0
        born = dt.date(2024, 1, 15)
        assert dose.earliest.after(born) <= dose.recommended.after(born) < dose.overdue.after(born), dose.code


def test_hb0_is_overdue_after_24_hours_and_missed_after_7_days():
    hb0 = schedule.BY_CODE["hb0"]
    assert hb0.overdue == Span(days=1)
    assert hb0.latest == Span(days=7)


def test_the_boosters_are_overdue_from_24_months():
    assert schedule.BY_CODE["dpt_hb_hib4"].overdue == Span(months=24)
    assert schedule.BY_CODE["mr2"].overdue == Span(months=24)


def test_months_are_calendar_months():
    assert add_months(dt.date(2024, 1, 15), 2) == dt.date(2024, 3, 15)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 11, 30), 3) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 3, 20), -60) == dt.date(2019, 3, 20)
    assert Span(days=56).after(dt.date(2024, 5, 15)) == dt.date(2024, 7, 10)


def test_labels_are_translatable_text():
    assert str(schedule.BY_CODE["dpt_hb_hib1"].label) == "DPT-HB-Hib 1"
    assert schedule.BY_CODE["mr1"].recommended.label() in {"9 months", "9 bulan"}
