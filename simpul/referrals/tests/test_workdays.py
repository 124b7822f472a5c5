"""SLA dates in working days, against dates counted by hand on the official 2026 calendar.

The holiday set below is typed from the SKB 3 Menteri 2026 (Nomor 1497/2, 5 Tahun 2025), independently of
simpul/referrals/holiday_data.py; the last tests use the table the migration loaded, through the service.
March 2026:  Mo Tu We Th Fr Sa Su
              2  3  4  5  6  7  8
              9 10 11 12 13 14 15
             16 17 18 19 20 21 22      18 cuti bersama Nyepi, 19 Nyepi, 20 cuti bersama Idulfitri,
             23 24 25 26 27 28 29      21-22 Idulfitri 1447 H, 23-24 cuti bersama Idulfitri
             30 31
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from simpul.referrals.tests.kit import record
from simpul.referrals.workdays import add_working_days, holidays_between, is_working_day, working_days_between

D = dt.date
OFFICIAL_2026 = frozenset({
    D(2026, 1, 1), D(2026, 1, 16), D(2026, 2, 16), D(2026, 2, 17), D(2026, 3, 18), D(2026, 3, 19), D(2026, 3, 20),
    D(2026, 3, 21), D(2026, 3, 22), D(2026, 3, 23), D(2026, 3, 24), D(2026, 4, 3), D(2026, 4, 5), D(2026, 5, 1),
    D(2026, 5, 14), D(2026, 5, 15), D(2026, 5, 27), D(2026, 5, 28), D(2026, 5, 31), D(2026, 6, 1), D(2026, 6, 16),
    D(2026, 8, 17), D(2026, 8, 25), D(2026, 12, 24), D(2026, 12, 25),
})
WIB = ZoneInfo("Asia/Jakarta")


def test_official_calendar_has_25_days_off():
    assert len(OFFICIAL_2026) == 25  # 17 libur nasional + 8 cuti bersama


@pytest.mark.parametrize(("recorded", "days", "due"), [
    # A plain week: Friday → the following Friday; a Saturday counts the same Monday-to-Friday.
    (D(2026, 2, 6), 5, D(2026, 2, 13)),
    (D(2026, 2, 7), 5, D(2026, 2, 13)),
    (D(2026, 2, 8), 1, D(2026, 2, 9)),
    # Friday before Imlek: Mon 16 (cuti bersama) and Tue 17 (Imlek) skipped → Wed 18 … Tue 24.
    (D(2026, 2, 13), 5, D(2026, 2, 24)),
    # Friday 13 March, before the Nyepi + Idulfitri block: Mon 16 (1), Tue 17 (2), 18–24 off, Wed 25 (3),
    # Thu 26 (4), Fri 27 (5).
    (D(2026, 3, 13), 5, D(2026, 3, 27)),
    (D(2026, 3, 13), 1, D(2026, 3, 16)),
    (D(2026, 3, 13), 3, D(2026, 3, 25)),
    # Recorded on the Tuesday before the block: the first working day after it is Wed 25 → Tue 31.
    (D(2026, 3, 17), 5, D(2026, 3, 31)),
    (D(2026, 3, 17), 1, D(2026, 3, 25)),
    # Recorded on a holiday (Fri 20, cuti bersama): the count starts after the block as well.
    (D(2026, 3, 20), 2, D(2026, 3, 26)),
    # Friday 8 May before Kenaikan (Thu 14) and its cuti bersama (Fri 15): Mon 11, Tue 12, Wed 13, Mon 18, Tue 19.
    (D(2026, 5, 8), 5, D(2026, 5, 19)),
    # Friday 22 May: Mon 25, Tue 26, Iduladha (Wed 27) + cuti bersama (Thu 28), Fri 29, Pancasila (Mon 1 June),
    # Tue 2, Wed 3.
    (D(2026, 5, 22), 5, D(2026, 6, 3)),
    # Friday 14 August before Independence Day (Mon 17): Tue 18 (1) … Fri 21 (4), Mon 24 (5); Maulid (Tue 25)
    # off, Wed 26 (6), Thu 27 (7).
    (D(2026, 8, 14), 5, D(2026, 8, 24)),
    (D(2026, 8, 14), 6, D(2026, 8, 26)),
    (D(2026, 8, 14), 7, D(2026, 8, 27)),
])
def test_add_working_days_on_the_2026_calendar(recorded, days, due):
    assert add_working_days(recorded, days, OFFICIAL_2026) == due


def test_add_working_days_refuses_zero():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 3, 13), 0, OFFICIAL_2026)


@pytest.mark.parametrize(("start", "end", "expected"), [
    (D(2026, 3, 13), D(2026, 3, 13), 0),
    (D(2026, 3, 13), D(2026, 3, 12), 0),
    (D(2026, 3, 13), D(2026, 3, 17), 2),  # Mon 16, Tue 17
    (D(2026, 3, 13), D(2026, 3, 24), 2),  # the whole block adds nothing
    (D(2026, 3, 13), D(2026, 3, 27), 5),
    (D(2026, 3, 20), D(2026, 3, 23), 0),  # a cuti bersama Friday to a cuti bersama Monday
    (D(2026, 2, 6), D(2026, 2, 9), 1),  # Friday → Monday: one working day
])
def test_working_days_between(start, end, expected):
    assert working_days_between(start, end, OFFICIAL_2026) == expected


def test_weekends_and_holidays_are_not_working_days():
    assert not is_working_day(D(2026, 3, 21), frozenset())  # Saturday
    assert not is_working_day(D(2026, 3, 23), OFFICIAL_2026)  # Monday, cuti bersama
    assert is_working_day(D(2026, 3, 25), OFFICIAL_2026)


@pytest.mark.django_db
def test_the_table_the_migration_loaded_is_the_official_2026_calendar():
    assert holidays_between(D(2026, 1, 1), D(2026, 12, 31)) == OFFICIAL_2026


@pytest.mark.django_db
def test_a_need_recorded_on_the_friday_before_idulfitri_is_due_five_working_days_after_the_block(
        kader_miji, family_miji):
    referral = record(kader_miji, category="trb_rawan_bencana", household=family_miji,
                      now=dt.datetime(2026, 3, 13, 15, 0, tzinfo=WIB))
    assert referral.category.sla_working_days == 5
    assert (referral.recorded_on, referral.due_on) == (D(2026, 3, 13), D(2026, 3, 27))
    assert referral.stage_started_on == D(2026, 3, 13)


@pytest.mark.django_db
def test_a_one_day_sla_recorded_on_the_friday_before_the_block_is_due_on_monday(kader_miji):
    fire = record(kader_miji, category="trb_kebakaran", rt="002", rw="004",
                  now=dt.datetime(2026, 3, 13, 15, 0, tzinfo=WIB))
    assert fire.due_on == D(2026, 3, 16)


@pytest.mark.django_db
def test_the_recording_day_is_the_local_date_in_wib(kader_miji, family_miji):
    # 17:30 UTC on Monday 16 March is 00:30 on Tuesday 17 March in WIB: counted from Tuesday → Tue 31.
    late_night = record(kader_miji, category="trb_rawan_bencana", household=family_miji,
                        now=dt.datetime(2026, 3, 16, 17, 30, tzinfo=dt.UTC))
    assert (late_night.recorded_on, late_night.due_on) == (D(2026, 3, 17), D(2026, 3, 31))
    # 16:30 UTC is still Monday 23:30 WIB: Tue 17 (1), Wed 25, Thu 26, Fri 27, Mon 30 (5).
    evening = record(kader_miji, category="trb_rawan_bencana", household=family_miji,
                     now=dt.datetime(2026, 3, 16, 16, 30, tzinfo=dt.UTC))
    assert (evening.recorded_on, evening.due_on) == (D(2026, 3, 16), D(2026, 3, 30))


@pytest.mark.django_db
def test_a_need_recorded_before_new_year_counts_into_the_2027_calendar(kader_miji, family_miji):
    # Wed 23 Dec 2026: Thu 24 (cuti bersama), Fri 25 (Natal) off; Mon 28 … Thu 31 (4); Fri 1 Jan 2027 off;
    # Mon 4 Jan (5).
    referral = record(kader_miji, category="trb_rawan_bencana", household=family_miji,
                      now=dt.datetime(2026, 12, 23, 9, 0, tzinfo=WIB))
    assert referral.due_on == D(2027, 1, 4)
