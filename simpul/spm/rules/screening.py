"""Screened at least once in the year: ``kes.usia_produktif`` (15–59) and ``kes.usia_lanjut`` (60+)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from simpul.screening.models import Screening
from simpul.spm.data import PosyanduData, age_in_years
from simpul.spm.engine import Missing, Rule, Unit, Verdict, register


def screening_dates(data: PosyanduData) -> dict[int, list[dt.date]]:
    """Dates of the valid (not superseded) screenings of the residents, in the year."""
    dates: dict[int, list[dt.date]] = defaultdict(list)
    rows = (Screening.objects.filter(person_id__any=data.residents.keys(), superseded_by__isnull=True,
                                     screened_on__gte=data.start, screened_on__lte=data.end)
            .values_list("person_id", "screened_on"))
    for person_id, day in rows:
        dates[person_id].append(day)
    return dates


@register
class ScreenedInYear(Rule):
    name = "screened_in_year"

    def units(self, data):
        return (Unit("person", pk) for pk in data.residents)

    def verdict(self, data, unit, as_of):
        resident = data.residents[unit.id]
        posyandu_id = data.posyandu_of(resident, as_of)
        if posyandu_id is None:
            return None
        age = age_in_years(resident.birth_date, as_of)
        low, high = self.params["min_years"], self.params.get("max_years")
        if age < low or (high is not None and age > high):
            return None
        screened = data.cached("screening_dates", screening_dates).get(unit.id, ())
        if any(day <= as_of for day in screened):
            return Verdict(posyandu_id, True)
        return Verdict(posyandu_id, False, (Missing("screening", {"year": data.year},
                                                    due_on=dt.date(data.year, 12, 31).isoformat()),))
