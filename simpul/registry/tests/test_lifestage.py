"""Life stage bands at their boundaries, in completed months of age."""

import datetime as dt

import pytest

from simpul.registry.lifestage import LABELS, LIFE_STAGE_BANDS, age_in_months, age_label, life_stage

BORN = dt.date(2020, 6, 15)


def on_age(years: int = 0, months: int = 0, days: int = 0) -> dt.date:
    """The date when someone born on BORN reaches the given age (BORN's day is 15, so every month has it)."""
    total = BORN.year * 12 + (BORN.month - 1) + years * 12 + months
    return dt.date(total // 12, total % 12 + 1, BORN.day) + dt.timedelta(days=days)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (on_age(), "bayi"),  # day of birth
        (on_age(months=11, days=30), "bayi"),
        (on_age(months=12, days=-1), "bayi"),  # 11 completed months
        (on_age(months=12), "balita"),
        (on_age(months=59), "balita"),
        (on_age(months=60, days=-1), "balita"),
        (on_age(months=60), "apras"),
        (on_age(months=71), "apras"),
        (on_age(months=72, days=-1), "apras"),
        (on_age(months=72), "usia_sekolah"),
        (on_age(years=9, months=11), "usia_sekolah"),
        (on_age(years=10, days=-1), "usia_sekolah"),
        (on_age(years=10), "remaja"),
        (on_age(years=18, months=11), "remaja"),
        (on_age(years=19, days=-1), "remaja"),
        (on_age(years=19), "dewasa"),
        (on_age(years=59, months=11), "dewasa"),
        (on_age(years=60, days=-1), "dewasa"),
        (on_age(years=60), "lansia"),
        (on_age(years=103), "lansia"),
    ],
)
def test_it_places_each_age_in_its_band(on, expected):
    assert life_stage(BORN, on) == expected


def test_it_has_no_stage_before_birth():
    assert life_stage(BORN, BORN - dt.timedelta(days=1)) is None


@pytest.mark.parametrize("status", ["deceased", "moved"])
def test_it_has_no_stage_for_someone_no_longer_living_here(status):
    assert life_stage(BORN, on_age(years=2), life_status=status) is None


def test_age_in_months_counts_completed_months_only():
    assert age_in_months(dt.date(2024, 1, 20), dt.date(2024, 2, 19)) == 0
    assert age_in_months(dt.date(2024, 1, 20), dt.date(2024, 2, 20)) == 1
    assert age_in_months(dt.date(2023, 12, 31), dt.date(2024, 12, 30)) == 11
    assert age_in_months(dt.date(2023, 12, 31), dt.date(2024, 12, 31)) == 12
    assert age_in_months(dt.date(1990, 5, 17), dt.date(2025, 5, 16)) == 34 * 12 + 11


def test_the_bands_cover_every_age_without_gaps_or_overlaps():
    lows = [low for _code, _label, low, _high in LIFE_STAGE_BANDS]
    highs = [high for _code, _label, _low, high in LIFE_STAGE_BANDS]
    assert lows[0] == 0
    assert lows[1:] == highs[:-1]
    assert highs[-1] is None
    assert set(LABELS) == {"bayi", "balita", "apras", "usia_sekolah", "remaja", "dewasa", "lansia"}


def test_age_label_switches_from_months_to_years_at_two_years():
    assert "23" in age_label(BORN, on_age(months=23))
    assert "2" in age_label(BORN, on_age(months=24)) and "24" not in age_label(BORN, on_age(months=24))
