"""The stage clock: working days in the stage, working days to the due date, overdue — on the 2026 calendar.

Dates are counted by hand (March 2026: 18–24 off for Nyepi and Idulfitri, see test_workdays.py).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from conftest import MOJOKERTO, agency
from simpul.referrals import sla
from simpul.referrals.models import Referral
from simpul.referrals.tests.kit import move, record

D = dt.date
WIB = ZoneInfo("Asia/Jakarta")


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=WIB)


@pytest.fixture
def friday_need(kader_miji, family_miji):
    """Recorded Friday 13 March 2026, before the Nyepi + Idulfitri block: due Friday 27 March."""
    return record(kader_miji, category="trb_rawan_bencana", household=family_miji, now=at(D(2026, 3, 13)))


@pytest.mark.django_db
def test_the_clock_skips_the_idulfitri_block(friday_need):
    clock = sla.clock(friday_need, today=D(2026, 3, 24))  # the last day of the block
    assert (clock.state, clock.stage_started_on, clock.due_on) == ("recorded", D(2026, 3, 13), D(2026, 3, 27))
    assert clock.stage_days == 2  # Mon 16, Tue 17
    assert clock.days_left == 3  # Wed 25, Thu 26, Fri 27
    assert not clock.overdue and not clock.late and not clock.closed


@pytest.mark.django_db
def test_on_the_due_date_nothing_is_left_and_nothing_is_late(friday_need):
    clock = sla.clock(friday_need, today=D(2026, 3, 27))
    assert (clock.stage_days, clock.days_left, clock.overdue) == (5, 0, False)


@pytest.mark.django_db
def test_the_weekend_after_the_due_date_is_already_overdue(friday_need):
    clock = sla.clock(friday_need, today=D(2026, 3, 28))  # Saturday
    assert clock.overdue and clock.late
    assert clock.days_left == -1 and clock.days_late == 1
    clock = sla.clock(friday_need, today=D(2026, 4, 1))  # Mon 30, Tue 31, Wed 1 April
    assert clock.days_left == -3 and clock.stage_days == 8


@pytest.mark.django_db
def test_a_move_restarts_the_stage_clock_but_not_the_due_date(friday_need, lurah_miji):
    verified = move(lurah_miji, friday_need, "verify", note="Rumah di bantaran sungai, sudah dicek.",
                    now=at(D(2026, 3, 25)))
    clock = sla.clock(verified, today=D(2026, 3, 27))
    assert (clock.state, clock.stage_started_on, clock.stage_days) == ("verified", D(2026, 3, 25), 2)
    assert clock.due_on == D(2026, 3, 27) and clock.days_left == 0


@pytest.mark.django_db
def test_a_closed_referral_stops_its_clock_on_the_day_it_closed(friday_need, lurah_miji, kader_miji, family_miji):
    on_time = move(lurah_miji, friday_need, "reject", note="Bukan rawan bencana.", now=at(D(2026, 3, 26)))
    clock = sla.clock(on_time, today=D(2026, 4, 30))
    assert clock.closed and not clock.overdue and not clock.late
    assert clock.days_left == 1  # closed on Thu 26, one working day before the due date

    late_one = record(kader_miji, category="trb_rawan_bencana", household=family_miji, now=at(D(2026, 3, 13)))
    late_one = move(lurah_miji, late_one, "reject", note="Sudah ditangani warga.", now=at(D(2026, 3, 31)))
    clock = sla.clock(late_one, today=D(2026, 4, 30))
    assert clock.closed and clock.late and not clock.overdue
    assert clock.days_left == -2  # Mon 30, Tue 31


@pytest.mark.django_db
def test_annotating_many_referrals_reads_the_holiday_table_once(friday_need, kader_miji, family_miji, lurah_miji,
                                                                 django_assert_num_queries):
    later = record(kader_miji, category="trb_rawan_bencana", household=family_miji, now=at(D(2026, 5, 8)))
    forwarded = move(lurah_miji, move(lurah_miji, later, "verify", note="Sudah dikunjungi, benar rawan longsor.",
                                      now=at(D(2026, 5, 11))),
                     "forward", agency=agency(MOJOKERTO, "bpbd"), now=at(D(2026, 5, 12)))
    rows = list(Referral.objects.filter(pk__in=[friday_need.pk, forwarded.pk]).order_by("recorded_at"))
    with django_assert_num_queries(1):
        sla.clocks_annotate(rows, today=D(2026, 5, 19))
    first, second = rows
    assert first.clock.overdue and first.clock.days_left < 0
    # Recorded Fri 8 May: due Tue 19 May (Kenaikan Thu 14 and cuti bersama Fri 15 skipped).
    assert second.clock.due_on == D(2026, 5, 19) and second.clock.days_left == 0
    assert second.clock.stage_days == 3  # forwarded Tue 12: Wed 13, Mon 18, Tue 19


@pytest.mark.django_db
def test_value_rows_of_the_monitor_pages_get_a_clock_too(friday_need):
    rows = list(Referral.objects.filter(pk=friday_need.pk).values(*sla.FIELDS))
    sla.clocks_annotate(rows, today=D(2026, 3, 17))
    assert rows[0]["clock"].days_left == 3 and rows[0]["clock"].stage_days == 2


def test_an_empty_list_needs_no_query():
    assert sla.clocks_annotate([]) == []


def test_clock_for_works_on_a_given_holiday_set():
    row = {"state": "forwarded", "stage_started_on": D(2026, 2, 6), "due_on": D(2026, 2, 13), "closed_on": None}
    clock = sla.clock_for(row, today=D(2026, 2, 16), holidays=frozenset({D(2026, 2, 16)}))
    assert clock.overdue and clock.days_left == -1 and clock.stage_days == 5
