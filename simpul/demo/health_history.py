"""Growth histories and immunisations for the under-fives of the demo kader's posyandu.

Recorded through the real services (so z-scores, weight-gain letters and dose checks are exactly what
a kader would get), as the kader of each posyandu: twelve monthly weighings and the doses of the national
schedule up to the child's age, with a few children left behind on purpose so the due list, a stunted
child and a 2T child show up in the demo.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from simpul.accounts.scope import scope_for
from simpul.core.errors import DomainError
from simpul.health.models import Measurement
from simpul.health.services import MeasurementInput, measurement_record
from simpul.immunization import schedule
from simpul.immunization.services import ImmunizationInput, immunization_record
from simpul.registry.models import Person

# WHO 2006 medians (weight kg, length/height cm) at these ages in months, for a plausible synthetic child.
AGES = [0, 3, 6, 9, 12, 18, 24, 36, 48, 60]
MEDIAN = {
    "M": ([3.3, 6.4, 7.9, 8.9, 9.6, 10.9, 12.2, 14.3, 16.3, 18.3],
          [49.9, 61.4, 67.6, 72.0, 75.7, 82.3, 87.8, 96.1, 103.3, 110.0]),
    "F": ([3.2, 5.8, 7.3, 8.2, 8.9, 10.2, 11.5, 13.9, 16.1, 18.2],
          [49.1, 59.8, 65.7, 70.1, 74.0, 80.7, 86.4, 95.1, 102.7, 109.4]),
}
DEMO_KADER = ("kader.miji", "kader.meri")


def _median(values: list[float], months: float) -> float:
    i = min(max(bisect.bisect_right(AGES, months) - 1, 0), len(AGES) - 2)
    lo, hi = AGES[i], AGES[i + 1]
    return values[i] + (values[i + 1] - values[i]) * (months - lo) / (hi - lo)


def _weighing_days(today: dt.date, count: int) -> list[dt.date]:
    days = []
    for back in range(count, 0, -1):
        month = schedule.add_months(today.replace(day=1), -back + 1)
        day = month.replace(day=10)
        if day <= today:
            days.append(day)
    return days


def load_health_history(*, seed: int, today: dt.date | None = None) -> tuple[int, int]:
    """Record the histories once; returns (measurements, doses) recorded."""
    if Measurement.objects.exists():
        return 0, 0
    today = today or timezone.localdate()
    rng = random.Random(seed)
    measurements = doses = 0
    for username in DEMO_KADER:
        kader = get_user_model().objects.filter(username=username).first()
        if kader is None:
            continue
        scope = scope_for(kader)
        children = Person.objects.filter(
            posyandu_id__in=scope.posyandu_ids("record_health"), life_status=Person.LifeStatus.ALIVE,
            duplicate_of__isnull=True, birth_date__gt=schedule.add_months(today, -60),
        ).order_by("birth_date")
        for index, child in enumerate(children):
            measurements += _growth(child, kader, scope, rng, today, stunted=index % 4 == 0, faltering=index % 4 == 1)
            doses += _doses(child, kader, scope, rng, today, behind=index % 3 == 2)
    return measurements, doses


def _growth(child, kader, scope, rng, today, *, stunted: bool, faltering: bool) -> int:
    weights, lengths = MEDIAN[child.sex]
    size = rng.gauss(0, 0.06)
    length_factor = 0.89 if stunted else 1 + rng.gauss(0, 0.02)
    recorded = 0
    days = _weighing_days(today, 12)
    for n, day in enumerate(days):
        if day <= child.birth_date:
            continue
        months = (day - child.birth_date).days / 30.4375
        weight = _median(weights, months) * (1 + size) * (0.82 if stunted else 1)
        if faltering and n >= len(days) - 2:
            weight = _median(weights, (days[-3] - child.birth_date).days / 30.4375) * (1 + size)  # flat: 2T
        position = "recumbent" if (day - child.birth_date).days < 731 else "standing"
        data = MeasurementInput(measured_on=day, weight_kg=round(weight + rng.gauss(0, 0.05), 2),
                                length_height_cm=round(_median(lengths, months) * length_factor, 1),
                                position=position)
        try:
            measurement_record(actor=kader, scope=scope, person=child, data=data)
        except DomainError:
            continue
        recorded += 1
    return recorded


def _doses(child, kader, scope, rng, today, *, behind: bool) -> int:
    recorded = 0
    stopped: set[str] = set()
    cutoff = today - dt.timedelta(days=75 if behind else 10)
    for dose in schedule.applicable():
        antigen = dose.code.rstrip("0123456789")
        given_on = dose.recommended.after(child.birth_date) + dt.timedelta(days=rng.randint(0, 6))
        if antigen in stopped or given_on > cutoff:
            continue
        try:
            immunization_record(actor=kader, scope=scope, person=child,
                                data=ImmunizationInput(dose=dose.code, given_on=given_on, given_by="Bidan Endang"))
        except DomainError:
            stopped.add(antigen)  # a later dose of this antigen would fail its order check too
            continue
        recorded += 1
    return recorded
