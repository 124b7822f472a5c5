"""Working-day arithmetic for SLA dates: weekends and the holiday table are not working days.

Pure functions over a set of holiday dates, so tests can feed the official
calendar directly; :func:`holidays_between` reads the maintained table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

SATURDAY = 5


def is_working_day(day: dt.date, holidays: Collection[dt.date]) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def add_working_days(start: dt.date, days: int, holidays: Collection[dt.date]) -> dt.date:
    """The date ``days`` working days after ``start``, counting from the day after it.

    A referral recorded on Friday with a 1-day SLA is due on Monday (or the next
    working day after a holiday); ``start`` itself never counts, working day or not.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    day, left = start, days
    while left:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, holidays: Collection[dt.date]) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count


def holidays_between(start: dt.date, end: dt.date) -> frozenset[dt.date]:
    """Holiday dates from the maintained table in [start, end]."""
    from simpul.referrals.models import Holiday

    return frozenset(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True))


def holidays_for_span(start: dt.date, working_days: int) -> frozenset[dt.date]:
    """Enough of the table to count ``working_days`` from ``start`` (weekends plus at most ~30 holidays a year)."""
    return holidays_between(start, start + dt.timedelta(days=working_days * 2 + 45))
