"""Reporting periods: a year, a quarter or a month, read as "the year so far, up to the end of this period".

SPM service standards are yearly (weighed 8 times in the year, screened once in the year), so a quarter or
a month is the cumulative achievement from 1 January to its end — the way the dinas reads its monthly PWS
and the quarterly e-SPM input. A period that has not ended yet is read up to today.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from simpul.core.errors import DomainError

_PATTERN = re.compile(r"^(?P<year>[0-9]{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?$")
FIRST_YEAR = 2020


@dataclass(frozen=True)
class Period:
    year: int
    month: int  # the last month of the period (12 for a year, 3/6/9/12 for a quarter)
    kind: str  # year | quarter | month
    code: str

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return month_end(self.year, self.month)

    def as_of(self, today: dt.date) -> dt.date:
        """The day the period is read at: its end, or today while it runs."""
        return min(self.end, today)

    def counter_month(self, today: dt.date) -> int:
        """The month whose year-to-date counter answers this period."""
        return self.as_of(today).month if self.start <= today else self.month


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse(value: str | None, *, today: dt.date) -> Period:
    """``2026``, ``2026-Q3`` or ``2026-09``; the current year when empty. Future periods are refused."""
    value = (value or str(today.year)).strip()
    match = _PATTERN.match(value)
    if not match:
        raise DomainError(_("Write the period as a year (2026), a quarter (2026-Q3) or a month (2026-09)."),
                          field_errors={"period": [_("Unknown period format.")]})
    year = int(match["year"])
    if match["quarter"]:
        period = Period(year, int(match["quarter"]) * 3, "quarter", value)
    elif match["month"]:
        period = Period(year, int(match["month"]), "month", value)
    else:
        period = Period(year, 12, "year", value)
    first_month = {"year": 1, "quarter": period.month - 2, "month": period.month}[period.kind]
    if year < FIRST_YEAR or dt.date(year, first_month, 1) > today:
        raise DomainError(_("There is no data for this period yet."), field_errors={"period": [_("Out of range.")]})
    return period


def months_through(year: int, today: dt.date) -> range:
    """The months of ``year`` that have begun by ``today``: the counters kept for it."""
    if year > today.year:
        return range(1, 1)
    return range(1, (today.month if year == today.year else 12) + 1)
