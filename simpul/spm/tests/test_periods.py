"""Periods: year, quarter and month, read year-to-date; bad input is a clear error."""

from __future__ import annotations

import datetime as dt

import pytest

from simpul.core.errors import DomainError
from simpul.spm.periods import months_through, parse

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(("value", "month", "kind", "end"), [
    ("2025", 12, "year", dt.date(2025, 12, 31)),
    ("2026-Q1", 3, "quarter", dt.date(2026, 3, 31)),
    ("2024-Q1", 3, "quarter", dt.date(2024, 3, 31)),
    ("2026-02", 2, "month", dt.date(2026, 2, 28)),
    ("2024-02", 2, "month", dt.date(2024, 2, 29)),  # leap year
])
def test_parse(value, month, kind, end):
    period = parse(value, today=TODAY)
    assert (period.month, period.kind, period.end, period.start) == (month, kind, end, dt.date(period.year, 1, 1))


def test_a_running_period_is_read_up_to_today():
    period = parse("2026", today=TODAY)
    assert period.as_of(TODAY) == TODAY
    assert period.counter_month(TODAY) == 11
    assert parse("2026-Q4", today=TODAY).counter_month(TODAY) == 11
    assert parse("2026-Q2", today=TODAY).counter_month(TODAY) == 6
    assert parse("", today=TODAY).code == "2026"


@pytest.mark.parametrize("value", ["26", "2026-Q5", "2026-13", "2026-1", "2026/09", "abc", "2026-q1"])
def test_bad_formats_are_refused_in_indonesian(value):
    with pytest.raises(DomainError) as caught:
        parse(value, today=TODAY)
    assert "period" in caught.value.field_errors


@pytest.mark.parametrize("value", ["2027", "2026-12", "2019"])
def test_future_and_too_old_periods_are_refused(value):
    with pytest.raises(DomainError):
        parse(value, today=TODAY)


def test_months_kept_for_a_year():
    assert list(months_through(2026, TODAY)) == list(range(1, 12))
    assert list(months_through(2025, TODAY)) == list(range(1, 13))
    assert list(months_through(2027, TODAY)) == []
