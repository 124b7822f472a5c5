"""Indonesia's age pyramid (Sensus Penduduk 2020, rounded, projected a little older).

A wide base (about 8 % aged 0-4), a slow taper through working ages and about
10-11 % aged 60 or more. Used both to sample ages directly and as the target
the household generator is checked against.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from functools import lru_cache
from itertools import accumulate

# (first age, last age, per cent of the population)
AGE_BANDS: tuple[tuple[int, int, float], ...] = (
    (0, 4, 8.0),
    (5, 9, 8.4),
    (10, 14, 8.4),
    (15, 19, 8.2),
    (20, 24, 8.1),
    (25, 29, 7.9),
    (30, 34, 7.8),
    (35, 39, 7.6),
    (40, 44, 7.2),
    (45, 49, 6.5),
    (50, 54, 5.8),
    (55, 59, 4.9),
    (60, 64, 3.9),
    (65, 69, 2.9),
    (70, 74, 1.9),
    (75, 79, 1.1),
    (80, 94, 0.9),
)
OLDEST = AGE_BANDS[-1][1]


def _single_year_weights() -> list[float]:
    weights = [0.0] * (OLDEST + 1)
    for first, last, share in AGE_BANDS:
        for age in range(first, last + 1):
            weights[age] = share / (last - first + 1)
    total = sum(weights)
    return [w / total for w in weights]


# Share of the population at each single year of age 0..OLDEST.
YEAR_WEIGHTS: tuple[float, ...] = tuple(_single_year_weights())


def band_shares(ages: list[int], bands: tuple[tuple[int, int], ...]) -> list[float]:
    """The share of ``ages`` falling in each (first, last) band: for checking a generated population."""
    total = len(ages) or 1
    return [sum(1 for a in ages if first <= a <= last) / total for first, last in bands]


class AgeSampler:
    """Draws ages from the pyramid, optionally restricted to a range and re-weighted."""

    def __init__(self, weights: tuple[float, ...] = YEAR_WEIGHTS):
        self._weights = weights
        self._cache: dict[tuple[int, int], tuple[list[int], list[float]]] = {}

    def _table(self, low: int, high: int) -> tuple[list[int], list[float]]:
        key = (low, high)
        table = self._cache.get(key)
        if table is None:
            ages = list(range(max(low, 0), min(high, OLDEST) + 1))
            table = (ages, list(accumulate(self._weights[a] for a in ages)))
            self._cache[key] = table
        return table

    def age(self, rng: random.Random, low: int = 0, high: int = OLDEST) -> int:
        ages, cumulative = self._table(low, high)
        if not ages:
            raise ValueError(f"no ages between {low} and {high}")
        return ages[bisect.bisect_right(cumulative, rng.random() * cumulative[-1])]


def birth_date_for_age(rng: random.Random, age: int, today: dt.date) -> dt.date:
    """A uniformly random birth date for someone who is ``age`` full years old on ``today``."""
    earliest, days = _birth_window(today, age)
    return dt.date.fromordinal(earliest + int(rng.random() * days))


@lru_cache(maxsize=512)
def _birth_window(today: dt.date, age: int) -> tuple[int, int]:
    latest = _years_before(today, age)
    earliest = _years_before(today, age + 1) + dt.timedelta(days=1)
    return earliest.toordinal(), (latest - earliest).days + 1


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
