"""Monthly weight-gain assessment (N/T/O/B, 2T, BGM) for children 0–59 months, the SKDN "N" side.

Rules (domain.md §3.4–3.5; KBM values in ``kbm``):

* A month is a calendar month. A child is weighed (counted in **D**) in a month when it has a current
  (not superseded) measurement with a weight that month; weighed twice, the **latest** weighing of the
  month counts (latest ``measured_on``, then latest recorded).
* **B**: the first weighing ever. **O**: weighed before, but not last month. Otherwise, with last
  month's weighing: **N** when the gain in grams is at least the KBM for the child's age in completed
  months this month, **T** when it is less (a loss included). So every weighed child is exactly one of
  N, T, O, B and D = N + T + O + B.
* **2T**: T this month and T last month. **BGM** ("bawah garis merah", legacy): weight-for-age z
  below −3 on this month's weighing (no z, e.g. with oedema: no BGM).
* Only children aged 0–59 completed months on this month's weighing are assessed.

Results are **computed on read** from the measurements, never stored: correcting a weighing (a new row
superseding the old) changes that month's and the next month's result the next time they are read,
and a new KBM table version applies to every month at once. Monthly report counters, when they come,
should be refreshed from here (see docs/decisions/0007-kbm-table.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from simpul.health.kbm import CURRENT, KbmTable
from simpul.health.models import Measurement

N, T, O, B = "N", "T", "O", "B"  # noqa: E741  (the SKDN letters themselves)
STATUSES = (N, T, O, B)
MAX_MONTHS = 59


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month(month: dt.date) -> dt.date:
    return month_start(month_start(month) - dt.timedelta(days=1))


def next_month(month: dt.date) -> dt.date:
    return month_start(month_start(month) + dt.timedelta(days=32))


def completed_months(birth_date: dt.date, on: dt.date) -> int:
    months = (on.year - birth_date.year) * 12 + (on.month - birth_date.month)
    return months - 1 if on.day < birth_date.day else months


@dataclass(frozen=True)
class Weighing:
    """The one weighing of a month that counts."""

    measurement_id: int
    measured_on: dt.date
    weight_kg: Decimal
    z_wfa: float | None
    posyandu_id: int


@dataclass(frozen=True)
class WeightGain:
    person_id: int
    month: dt.date  # first day of the month
    status: str  # N, T, O or B
    two_t: bool
    bgm: bool
    age_months: int
    weighing: Weighing
    previous: Weighing | None  # last month's weighing, when there is one
    gain_g: int | None  # grams since last month's weighing
    kbm_g: int | None  # the KBM that applied
    kbm_version: str


def monthly_weighings(measurements: Iterable[Measurement]) -> dict[dt.date, Weighing]:
    """The weighing that counts in each month: the latest current weighing with a weight."""
    chosen: dict[dt.date, tuple[tuple, Weighing]] = {}
    for m in measurements:
        if m.weight_kg is None or m.superseded_by_id is not None:
            continue
        key = (m.measured_on, m.created_at, m.pk)
        month = month_start(m.measured_on)
        if month not in chosen or key > chosen[month][0]:
            chosen[month] = (key, Weighing(m.pk, m.measured_on, Decimal(m.weight_kg), m.z_wfa, m.posyandu_id))
    return {month: weighing for month, (_key, weighing) in chosen.items()}


def assess_series(person_id: int, birth_date: dt.date, weighings: dict[dt.date, Weighing], *,
                  table: KbmTable = CURRENT) -> dict[dt.date, WeightGain]:
    """Every month of one child's weighings (one per month, as ``monthly_weighings`` gives them)."""
    results: dict[dt.date, WeightGain] = {}
    seen_before = False
    for month in sorted(weighings):
        weighing = weighings[month]
        age = completed_months(birth_date, weighing.measured_on)
        previous = weighings.get(previous_month(month))
        gain = kbm = None
        if not seen_before:
            status = B
        elif previous is None:
            status = O
        else:
            gain = int((weighing.weight_kg - previous.weight_kg) * 1000)
            kbm = table.grams(min(max(age, 0), MAX_MONTHS))
            status = N if gain >= kbm else T
        seen_before = True
        if not 0 <= age <= MAX_MONTHS:
            continue  # weighed, so it still decides B/O for the next month, but not assessed
        last = results.get(previous_month(month))
        results[month] = WeightGain(
            person_id=person_id, month=month, status=status,
            two_t=status == T and last is not None and last.status == T,
            bgm=weighing.z_wfa is not None and weighing.z_wfa < -3,
            age_months=age, weighing=weighing, previous=previous, gain_g=gain, kbm_g=kbm,
            kbm_version=table.version,
        )
    return results


def _current_weighings(person_ids, *, before: dt.date):
    return (Measurement.objects.filter(person_id__in=person_ids, superseded_by__isnull=True,
                                       weight_kg__isnull=False, measured_on__lt=before)
            .only("id", "person_id", "measured_on", "created_at", "weight_kg", "z_wfa", "posyandu_id",
                  "superseded_by_id")
            .order_by("person_id", "measured_on", "created_at", "id"))


def weight_gain_for(person, month: dt.date, *, table: KbmTable = CURRENT) -> WeightGain | None:
    """N/T/O/B (with 2T and BGM) of one child in one month; None when not weighed or not 0–59 months.

    Not scoped: call it for a person a selector has already let the user see.
    """
    month = month_start(month)
    series = assess_series(person.pk, person.birth_date,
                           monthly_weighings(_current_weighings([person.pk], before=next_month(month))), table=table)
    return series.get(month)


def weight_gain_history(person, *, table: KbmTable = CURRENT) -> dict[dt.date, WeightGain]:
    """Every assessed month of one child (for the child's page)."""
    weighings = monthly_weighings(_current_weighings([person.pk], before=dt.date.max))
    return assess_series(person.pk, person.birth_date, weighings, table=table)


@dataclass
class MonthlyStatus:
    posyandu_id: int
    month: dt.date
    children: list[WeightGain] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {status: 0 for status in STATUSES}
        for child in self.children:
            counts[child.status] += 1
        counts["D"] = len(self.children)
        counts["2T"] = sum(child.two_t for child in self.children)
        counts["BGM"] = sum(child.bgm for child in self.children)
        return counts


def monthly_status(posyandu, month: dt.date, *, table: KbmTable = CURRENT) -> MonthlyStatus:
    """Per child weighed at the posyandu in the month: N/T/O/B, 2T, BGM.

    A child belongs to the posyandu of the weighing that counts this month (the latest), so a child
    weighed at two posyandu in one month is counted once, at the later one. Not scoped (a report
    service calls it after checking the user may see the posyandu's aggregates).
    """
    from simpul.registry.models import Person

    posyandu_id = getattr(posyandu, "pk", posyandu)
    month = month_start(month)
    end = next_month(month)
    weighed = (Measurement.objects.filter(posyandu_id=posyandu_id, measured_on__gte=month, measured_on__lt=end,
                                          superseded_by__isnull=True, weight_kg__isnull=False)
               .values_list("person_id", flat=True).distinct())
    person_ids = list(weighed)
    births = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "birth_date"))
    by_person: dict[int, list[Measurement]] = defaultdict(list)
    for m in _current_weighings(person_ids, before=end):
        by_person[m.person_id].append(m)
    result = MonthlyStatus(posyandu_id=posyandu_id, month=month)
    for person_id in sorted(by_person):
        gain = assess_series(person_id, births[person_id], monthly_weighings(by_person[person_id]),
                             table=table).get(month)
        if gain is not None and gain.weighing.posyandu_id == posyandu_id:
            result.children.append(gain)
    return result
