"""Growth histories and immunisations for the under-fives of the demo city.

For the demo kader's posyandu they are recorded through the real services (so z-scores, weight-gain letters
and dose checks are exactly what a kader would get), as the kader of each posyandu: twelve monthly weighings
and the doses of the national schedule up to the child's age, with a few children left behind on purpose so
the due list, a stunted child and a 2T child show up in the demo.

Every other under-five of the city gets this year's posyandu days in bulk (:func:`year_of_children`): a
weighing and a length/height each month, every dose on time, and vitamin A in February and August — except
the children an area leaves unserved (``simpul.demo.spm_demo``), who miss one part of the ``kes.balita``
package. Their z-scores come from the growth engine's batch function, as the service would store them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import uuid
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.contrib.auth import get_user_model
from django.utils import timezone

from simpul.accounts.scope import scope_for
from simpul.core.errors import DomainError
from simpul.health.growth.classify import classify, flag_for
from simpul.health.growth.zscores import INDICES, zscores_batch
from simpul.health.models import Measurement
from simpul.health.services import MeasurementInput, measurement_record
from simpul.immunization import rules as immunization_rules
from simpul.immunization import schedule
from simpul.immunization.models import ImmunizationRecord
from simpul.immunization.services import ImmunizationInput, immunization_record
from simpul.registry.models import Person
from simpul.spm.data import age_in_months

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


# --- A year of posyandu days for every under-five of the city, in bulk ----------------------------------

NAMESPACE = uuid.UUID("0b7f1f3e-52a4-4f0e-8d3c-6a1e9c2d4b71")
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
VITAMIN_A_MONTHS = (2, 8)  # bulan vitamin A
STUNTED_SHARE = 0.05


@dataclass
class ChildYear:
    children: int = 0
    unserved: int = 0
    measurements: int = 0
    doses: int = 0
    vitamin_a: dict[int, list[Person]] = field(default_factory=lambda: {m: [] for m in VITAMIN_A_MONTHS})


def year_of_children(city) -> ChildYear:
    """This year's weighings, heights, doses and vitamin A plan for the city's under-fives (``kes.balita``).

    ``city`` is a :class:`simpul.demo.spm_demo.City`. Children already weighed this year (the demo kader's,
    through the services) keep their records and get only the vitamin A plan; the capsules themselves are
    given on the posyandu days of ``simpul.serviceday.demo.vitamin_a_days``. A child the area leaves unserved
    misses one part of the package, whichever applies to them: two weighings, the heights, a capsule or the
    latest dose that is overdue.
    """
    weighed = set(Measurement.objects.filter(person__desa__code__startswith=city.region,
                                             measured_on__gte=city.start).values_list("person_id", flat=True))
    dosed = set(ImmunizationRecord.objects.filter(person__desa__code__startswith=city.region)
                .values_list("person_id", flat=True))
    result = ChildYear()
    rows: list[Measurement] = []
    doses: list[ImmunizationRecord] = []
    for child in city.people:
        if child.birth_date > city.today or age_in_months(child.birth_date, city.start) > 59:
            continue
        rng = city.rng("child", child.client_uuid)
        days = _posyandu_days(city, child)
        capsules = [m for m in VITAMIN_A_MONTHS if m in days and _owed_capsule(city, child, m)]
        given = {} if child.pk in dosed else _on_time_doses(child, city.today, rng)
        skip = ""
        if age_in_months(child.birth_date, city.today) <= 59:  # in the sasaran today
            result.children += 1
            if not city.served("kes.balita", child.posyandu_id):
                result.unserved += 1
                skip = _what_to_miss(child, city.today, rng, weighed=child.pk in weighed, capsules=capsules,
                                     given=given)
        if skip == "vitamin_a":
            capsules = capsules[:-1]
        elif skip == "dose":
            given = _drop_latest_overdue(child, given, city.today)
        for month in capsules:
            result.vitamin_a[month].append(child)
        if child.pk not in weighed:
            rows += _weighings(city, child, days, rng, skip=skip)
        doses += [_dose_row(city, child, code, day) for code, day in given.items()]
    _assess(rows)
    Measurement.objects.bulk_create(rows, batch_size=1000)
    ImmunizationRecord.objects.bulk_create(doses, batch_size=1000)
    result.measurements, result.doses = len(rows), len(doses)
    return result


def _posyandu_days(city, child) -> dict[int, dt.date]:
    """{month: the posyandu day the child came} for this year's months while born and under five."""
    days = {}
    for month in range(1, city.today.month + 1):
        month_end = schedule.add_months(dt.date(city.year, month, 1), 1) - dt.timedelta(days=1)
        day = max(city.weighing_day(month), child.birth_date)
        if day > min(month_end, city.today) or age_in_months(child.birth_date, day) > 59:
            continue
        days[month] = day
    return days


def _owed_capsule(city, child, month: int) -> bool:
    """Vitamin A is owed in February and August once the month is over, from 6 months of age on its 1st."""
    first = dt.date(city.year, month, 1)
    return first <= city.today and age_in_months(child.birth_date, first) >= 6


def _on_time_doses(child, today: dt.date, rng: random.Random) -> dict[str, dt.date]:
    given = {}
    for dose in schedule.applicable():
        day = child.birth_date if dose.code == "hb0" else dose.recommended.after(child.birth_date) + dt.timedelta(
            days=rng.randint(0, 6))
        if day <= today:
            given[dose.code] = day
    return given


def _overdue_doses(child, given: dict[str, dt.date], today: dt.date) -> list[str]:
    return [s.code for s in immunization_rules.evaluate(child.birth_date, {}, today)
            if s.overdue_on <= today and s.code in given and s.code != "hb0"]


def _drop_latest_overdue(child, given: dict[str, dt.date], today: dt.date) -> dict[str, dt.date]:
    """Leave out the latest dose that is overdue by now, and the later doses of its antigen."""
    overdue = _overdue_doses(child, given, today)
    if not overdue:
        return given
    dropped = schedule.get(max(overdue, key=lambda code: schedule.get(code).overdue.after(child.birth_date)))
    return {code: day for code, day in given.items()
            if not (schedule.get(code).antigen == dropped.antigen and schedule.get(code).number >= dropped.number)}


def _what_to_miss(child, today, rng, *, weighed: bool, capsules: list[int], given: dict[str, dt.date]) -> str:
    options = [] if weighed else ["weighings", "heights"]
    if capsules:
        options.append("vitamin_a")
    if given and _overdue_doses(child, given, today):
        options.append("dose")
    return rng.choice(options) if options else ""


def _weighings(city, child, days: dict[int, dt.date], rng: random.Random, *, skip: str) -> list[Measurement]:
    """A weighing each posyandu day, with length/height; ``skip`` leaves the counts one short of the need.

    The need is the rule's: ceil(8 × e / 12) weighings and ceil(2 × e / 12) heights over the e months here.
    """
    months = sorted(days)
    weigh_in, measure_in = set(months), set(months)
    if skip == "weighings":
        weigh_in = set(months[: max(-(-8 * len(months) // 12) - 1, 0)])
    elif skip == "heights":
        measure_in = set(months[: max(-(-2 * len(months) // 12) - 1, 0)])
    weights, lengths = MEDIAN[child.sex]
    size = rng.gauss(0, 0.06)
    stunted = rng.random() < STUNTED_SHARE
    length_factor = 0.89 if stunted else 1 + rng.gauss(0, 0.02)
    rows = []
    for month in sorted(weigh_in):
        day = days[month]
        age_days = (day - child.birth_date).days
        months_old = age_days / 30.4375
        weight = _median(weights, months_old) * (1 + size) * (0.82 if stunted else 1) + rng.gauss(0, 0.05)
        length = round(_median(lengths, months_old) * length_factor, 1) if month in measure_in else None
        row = Measurement(
            client_uuid=uuid.uuid5(NAMESPACE, f"{city.seed}:{child.client_uuid}:{day.isoformat()}"),
            person_id=child.pk, posyandu_id=child.posyandu_id, desa_id=child.desa_id, measured_on=day,
            weight_kg=Decimal(f"{max(weight, 1.5):.3f}"),
            length_height_cm=None if length is None else Decimal(f"{length:.1f}"),
            position="" if length is None else "recumbent" if age_days < 731 else "standing",
            age_days=age_days, recorded_by=city.recorder,
            created_at=dt.datetime.combine(day, dt.time(10), tzinfo=JAKARTA))
        row.demo_sex = child.sex  # for the batch z-scores; not a field
        rows.append(row)
    return rows


def _assess(rows: list[Measurement]) -> None:
    """z-scores, classifications and flags for all rows at once, as ``health.services`` stores them one by one
    (``growth_assess``: z rounded to two decimals, classes from the unrounded z, WHO's implausible flags)."""
    if not rows:
        return
    weight = [float(r.weight_kg) for r in rows]
    length = [np.nan if r.length_height_cm is None else float(r.length_height_cm) for r in rows]
    result = zscores_batch(sex=[r.demo_sex for r in rows], age_days=[r.age_days for r in rows],
                           weight_kg=weight, length_height_cm=length,
                           position=[r.position or None for r in rows])
    for i, row in enumerate(rows):
        row.bmi = round(weight[i] / (length[i] / 100) ** 2, 2) if row.length_height_cm is not None else None
        row.flags = []
        for index in INDICES:
            z = float(result.z[index][i])
            z = None if np.isnan(z) else z
            setattr(row, f"z_{index}", None if z is None else round(z, 2) + 0.0)
            if index in ("wfa", "lhfa", "wflh", "bmifa"):
                setattr(row, f"class_{index}", classify(index, z, row.age_days) or "")
            if result.implausible(index)[i]:
                row.flags.append(flag_for(index))


def _dose_row(city, child, code: str, day: dt.date) -> ImmunizationRecord:
    at_birth = code in ("hb0", "bcg", "opv1")
    return ImmunizationRecord(
        client_uuid=uuid.uuid5(NAMESPACE, f"{city.seed}:{child.client_uuid}:{code}"),
        person_id=child.pk, desa_id=child.desa_id, posyandu_id=child.posyandu_id, dose=code, given_on=day,
        given_by="Bidan desa", place=ImmunizationRecord.Place.PUSKESMAS if at_birth else ImmunizationRecord.Place.POSYANDU,
        recorded_by=city.recorder, created_at=dt.datetime.combine(day, dt.time(10), tzinfo=JAKARTA),
        updated_at=dt.datetime.combine(day, dt.time(10), tzinfo=JAKARTA))
