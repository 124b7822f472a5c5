"""The records of some posyandu for one year, loaded once and shared by every rule.

Rules read people through :meth:`PosyanduData.residents` and :meth:`posyandu_of` (where someone lived on a
day, from the residence history), and load anything else they need through :meth:`cached`, keyed by a name,
so two rules that need the same records (screenings for ``kes.usia_produktif`` and ``kes.hipertensi``) load
them once per evaluation. Loaders query by posyandu, never by the whole population.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Q

from simpul.registry.models import Person, Residence


@dataclass(frozen=True)
class Stay:
    posyandu_id: int
    household_id: int | None
    start: dt.date
    end: dt.date | None  # the last day living there (None: still there)


@dataclass(frozen=True)
class Resident:
    id: int
    birth_date: dt.date
    sex: str
    household_id: int | None
    education_status: str
    disability_type: str
    gone_on: dt.date | None  # died or left, by the life status; None while living here
    stays: tuple[Stay, ...]


def age_in_months(birth_date: dt.date, on: dt.date) -> int:
    months = (on.year - birth_date.year) * 12 + on.month - birth_date.month
    return months - (on.day < birth_date.day)


def age_in_years(birth_date: dt.date, on: dt.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


class PosyanduData:
    def __init__(self, posyandu_ids, year: int, *, today: dt.date):
        self.posyandu_ids = frozenset(posyandu_ids)
        self.year = year
        self.today = today
        self.start = dt.date(year, 1, 1)
        self.end = min(dt.date(year, 12, 31), today)
        self._cache: dict[str, Any] = {}

    def cached(self, name: str, loader: Callable[[PosyanduData], Any]) -> Any:
        if name not in self._cache:
            self._cache[name] = loader(self)
        return self._cache[name]

    def residence_filter(self) -> Q:
        """Which stays make the residents: those in these posyandu (subclasses narrow or widen it)."""
        return Q(posyandu_id__any=self.posyandu_ids)

    @cached_property
    def residents(self) -> dict[int, Resident]:
        """Everyone who lived in one of these posyandu at some time in the year (up to today)."""
        return load_residents(self.residence_filter(), self.start, self.end)

    def posyandu_of(self, resident: Resident, on: dt.date) -> int | None:
        """Where the resident lived on ``on`` — None when not (yet) living in one of these posyandu, or gone."""
        if resident.gone_on is not None and resident.gone_on <= on:
            return None
        if resident.birth_date > on:
            return None
        for stay in resident.stays:
            if stay.start <= on and (stay.end is None or stay.end >= on):
                return stay.posyandu_id
        return None


def load_residents(where: Q, start: dt.date, end: dt.date) -> dict[int, Resident]:
    """The ``Resident`` rows of the stays ``where`` selects that overlap ``start``..``end`` (duplicates left out)."""
    stays: dict[int, list[Stay]] = defaultdict(list)
    rows = (Residence.objects.filter(where, start_date__lte=end).exclude(end_date__lt=start)
            .values_list("person_id", "posyandu_id", "household_id", "start_date", "end_date"))
    for person_id, posyandu_id, household_id, stay_start, stay_end in rows:
        stays[person_id].append(Stay(posyandu_id, household_id, stay_start, stay_end))
    people = (Person.objects.filter(pk__any=stays.keys(), duplicate_of__isnull=True)
              .values_list("pk", "birth_date", "sex", "household_id", "education_status", "disability_type",
                           "life_status", "life_status_date"))
    residents = {}
    for pk, birth, sex, household_id, education, disability, life_status, life_date in people:
        gone = (life_date or end) if life_status != Person.LifeStatus.ALIVE else None
        residents[pk] = Resident(pk, birth, sex, household_id, education or "", disability or "", gone,
                                 tuple(sorted(stays[pk], key=lambda s: s.start)))
    return residents
