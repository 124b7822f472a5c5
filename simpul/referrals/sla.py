"""The SLA clock of a referral: how long its current stage has stood, and how far it is from its due date.

Everything counts **working days** (simpul.referrals.workdays: weekends and the holiday table skipped).
A closed referral's clock stops on the day it was closed. :func:`clocks_annotate` does a whole list at
once with one read of the holiday table, so a page of tickets costs no query per ticket.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from django.utils import timezone

from simpul.referrals.states import CLOSED
from simpul.referrals.workdays import holidays_between, working_days_between

# What a clock needs of a referral: model instances and ``.values()`` rows (the monitor pages) both work.
FIELDS = ("state", "stage_started_on", "due_on", "closed_on")


@dataclass(frozen=True)
class StageClock:
    state: str
    stage_started_on: dt.date
    stage_days: int  # working days in the current stage (after the day it started, up to today)
    due_on: dt.date
    days_left: int  # working days until the due date; negative once it has passed
    overdue: bool  # still open after its due date
    closed: bool
    late: bool  # closed after the due date, or overdue

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)


def _get(referral, name: str):
    return referral[name] if isinstance(referral, Mapping) else getattr(referral, name)


def clock_for(referral, *, today: dt.date, holidays: Collection[dt.date]) -> StageClock:
    """The clock of one referral on ``today``, with the holiday dates of the span given by the caller."""
    state, started, due, closed_on = (_get(referral, name) for name in FIELDS)
    closed = state in CLOSED
    until = closed_on if closed and closed_on else today  # the clock stops when the referral closes
    if until <= due:
        days_left = working_days_between(until, due, holidays)
    else:
        # Past the due date: at least one day late, even on the weekend right after a Friday deadline.
        days_left = -max(1, working_days_between(due, until, holidays))
    return StageClock(
        state=state, stage_started_on=started, stage_days=working_days_between(started, until, holidays),
        due_on=due, days_left=days_left, overdue=not closed and today > due, closed=closed, late=until > due,
    )


def span(referrals: Iterable, today: dt.date) -> tuple[dt.date, dt.date]:
    """The dates a set of clocks looks at: the earliest stage start or due date up to the latest of either."""
    dates = [today]
    for referral in referrals:
        dates += [_get(referral, "stage_started_on"), _get(referral, "due_on")]
    return min(dates), max(dates)


def clock(referral, *, today: dt.date | None = None) -> StageClock:
    """One referral's clock (one read of the holiday table for its span)."""
    today = today or timezone.localdate()
    return clock_for(referral, today=today, holidays=holidays_between(*span([referral], today)))


def clocks_annotate(referrals: Iterable, *, today: dt.date | None = None) -> list:
    """Set ``clock`` on every referral (attribute, or key of a ``.values()`` row) with one holiday query."""
    rows = list(referrals)
    if not rows:
        return rows
    today = today or timezone.localdate()
    holidays = holidays_between(*span(rows, today))
    for row in rows:
        value = clock_for(row, today=today, holidays=holidays)
        if isinstance(row, Mapping):
            row["clock"] = value
        else:
            row.clock = value
    return rows
