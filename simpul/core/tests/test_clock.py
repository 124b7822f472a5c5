"""Today in Indonesia's three zones: the reference values are the zones' offsets (WIB UTC+7, WIT UTC+9)."""

import datetime as dt

import pytest

from simpul.core.clock import earliest_today, latest_today

UTC = dt.UTC


@pytest.mark.parametrize(("utc", "wib", "wit"), [
    # 14:30 UTC = 21:30 WIB = 23:30 WIT: the same day everywhere.
    (dt.datetime(2026, 11, 23, 14, 30, tzinfo=UTC), dt.date(2026, 11, 23), dt.date(2026, 11, 23)),
    # 15:30 UTC = 22:30 WIB = 00:30 WIT the next day: Jayapura has begun the 24th, Jakarta has not.
    (dt.datetime(2026, 11, 23, 15, 30, tzinfo=UTC), dt.date(2026, 11, 23), dt.date(2026, 11, 24)),
    # 16:59 UTC = 23:59 WIB: still the 23rd in Jakarta.
    (dt.datetime(2026, 11, 23, 16, 59, tzinfo=UTC), dt.date(2026, 11, 23), dt.date(2026, 11, 24)),
    # 17:00 UTC = 00:00 WIB: the 24th everywhere.
    (dt.datetime(2026, 11, 23, 17, 0, tzinfo=UTC), dt.date(2026, 11, 24), dt.date(2026, 11, 24)),
    # New Year's Eve, 16:00 UTC: 2027 in Papua, 2026 in Java.
    (dt.datetime(2026, 12, 31, 16, 0, tzinfo=UTC), dt.date(2026, 12, 31), dt.date(2027, 1, 1)),
])
def test_the_earliest_and_latest_today(utc, wib, wit):
    assert earliest_today(utc) == wib
    assert latest_today(utc) == wit
