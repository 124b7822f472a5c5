"""The SKDN section (order 10) and the nutrition-status section (order 20) of the monthly report.

Definitions (docs/decisions/0012-monthly-report.md; domain.md §3.5):

* **S**: children aged 0–59 completed months on the last day of the month who lived in the posyandu's
  area on that day (``Residence`` history, the registry's ``residents_on`` rule), each child once.
* **K**: the children of S with a growth record in Simpul — at least one current weighing on or before
  the last day of the month, at any posyandu. Simpul's digital KMS; a Simpul convention [U].
* **D, N, T, O, B, 2T, BGM**: from ``simpul.health.weightgain.monthly_status``: each child weighed at this
  posyandu this month once (the latest weighing counts), so D = N + T + O + B. A child weighed here who
  is not in this posyandu's K (lives elsewhere at month end, or turned 60 months after the weighing)
  still counts in D here and is shown in the row "weighed here, not in K".
* **Absent** = children of K not weighed at this posyandu this month = K − D + (weighed here, not in K).
  It is never negative, and it equals K − D whenever every weighed child is in K.

Columns: the five age bands of the F2 rekap × sex (L, P), then total L, total P and total. A child's
band is its age in completed months on the **last day of the month** for every row, so a child has the
same band in S, K and D. A child weighed at 59 months who is 60 on the last day is put in 36–59.

Nutrition status counts the children of D by the classification stored on the weighing that counts
this month (BB/TB, TB/U, BB/U, Permenkes 2/2020); a weighing without length or height has no BB/TB or
TB/U class and is counted as "not measured". Each index therefore adds up to D.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.accounts.roles import Role
from simpul.accounts.scope import Grant, Scope
from simpul.core.choices import Sex, SpmField
from simpul.health.growth.classify import LengthForAge, WeightForAge, WeightForLength
from simpul.health.models import Measurement
from simpul.health.weightgain import B, N, O, T, completed_months, month_start, monthly_status, next_month
from simpul.registry.models import Person
from simpul.registry.selectors import residents_on
from simpul.reports.sections import Row, Section

BANDS = ((0, 5), (6, 11), (12, 23), (24, 35), (36, 59))
MAX_MONTHS = 59
WIDTH = len(BANDS) * 2 + 3  # bands × (L, P), total L, total P, total
SKDN_ORDER, NUTRITION_ORDER = 10, 20


def month_end(month: dt.date) -> dt.date:
    return next_month(month) - dt.timedelta(days=1)


def band_of(months: int) -> int:
    for index, (low, high) in enumerate(BANDS):
        if low <= months <= high:
            return index
    raise ValueError(f"not 0–59 months: {months}")


def columns() -> tuple[str, ...]:
    headings = []
    for low, high in BANDS:
        band = f"{low}–{high}"
        headings += [_("%(band)s mo M") % {"band": band}, _("%(band)s mo F") % {"band": band}]
    return (*headings, _("Total M"), _("Total F"), _("Total"))


class Tally:
    """One row of counts: each child adds 1 to its band × sex column, its sex total and the total."""

    def __init__(self) -> None:
        self.values = [0] * WIDTH

    def add(self, months: int, sex: str) -> None:
        female = 1 if sex == Sex.FEMALE else 0
        self.values[band_of(min(months, MAX_MONTHS)) * 2 + female] += 1
        self.values[len(BANDS) * 2 + female] += 1
        self.values[-1] += 1


def _posyandu_scope(posyandu) -> Scope:
    """A scope over exactly this posyandu, to reuse the registry's denominator rule (``residents_on``).

    Section builders run after the report service has checked the caller may see this posyandu's
    aggregates; this scope reaches nothing beyond the posyandu itself.
    """
    grant = Grant(role=Role.NAKES, region_prefix=None, posyandu_id=posyandu.pk,
                  fields=frozenset({SpmField.HEALTH.value}))
    return Scope(user_id=0, grants=(grant,))


def residents_under_five(posyandu, month: dt.date) -> dict[int, tuple[str, int]]:
    """S: person id → (sex, completed months on the last day) of children 0–59 months living here then."""
    end = month_end(month)
    earliest = end - dt.timedelta(days=61 * 31)  # a generous lower bound; the exact age is checked below
    rows = (residents_on(_posyandu_scope(posyandu), region_prefix=posyandu.desa_id, on=end)
            .filter(posyandu_id=posyandu.pk, person__birth_date__gt=earliest)
            .values_list("person_id", "person__sex", "person__birth_date"))
    children = {}
    for person_id, sex, birth in rows:
        months = completed_months(birth, end)
        if 0 <= months <= MAX_MONTHS:
            children[person_id] = (sex, months)
    return children


def with_growth_record(person_ids, month: dt.date) -> set[int]:
    """K among ``person_ids``: those with a current weighing on or before the last day of the month."""
    return set(Measurement.objects.filter(person_id__in=list(person_ids), superseded_by__isnull=True,
                                          weight_kg__isnull=False, measured_on__lte=month_end(month))
               .values_list("person_id", flat=True).distinct())


def _weighed(posyandu, month: dt.date):
    """D: the weight-gain results of the children weighed here, each with (sex, months at month end)."""
    status = monthly_status(posyandu, month)
    end = month_end(month)
    people = dict((pk, (sex, birth)) for pk, sex, birth in
                  Person.objects.filter(pk__in=[g.person_id for g in status.children])
                  .values_list("pk", "sex", "birth_date").iterator())
    return [(gain, people[gain.person_id][0], completed_months(people[gain.person_id][1], end))
            for gain in status.children]


SKDN_ROWS = (
    ("s", gettext_lazy("S: children 0–59 months living in the area")),
    ("k", gettext_lazy("K: with a growth record in Simpul (digital KMS)")),
    ("d", gettext_lazy("D: weighed this month")),
    ("n", gettext_lazy("N: gained enough weight")),
    ("t", gettext_lazy("T: did not gain enough weight")),
    ("o", gettext_lazy("O: not weighed last month")),
    ("b", gettext_lazy("B: weighed for the first time")),
    ("two_t", gettext_lazy("2T: not gaining two months in a row")),
    ("bgm", gettext_lazy("BGM: below the red line")),
    ("absent", gettext_lazy("Absent: in K, not weighed here this month")),
    ("d_not_in_k", gettext_lazy("Weighed here, not in K of this posyandu")),
)
STATUS_ROW = {N: "n", T: "t", O: "o", B: "b"}


def skdn_counts(posyandu, month: dt.date) -> dict[str, list[int]]:
    month = month_start(month)
    tallies = {key: Tally() for key, _label in SKDN_ROWS}
    residents = residents_under_five(posyandu, month)
    k = with_growth_record(residents, month)
    weighed = _weighed(posyandu, month)
    weighed_ids = {gain.person_id for gain, _sex, _months in weighed}
    for person_id, (sex, months) in residents.items():
        tallies["s"].add(months, sex)
        if person_id in k:
            tallies["k"].add(months, sex)
            if person_id not in weighed_ids:
                tallies["absent"].add(months, sex)
    for gain, sex, months in weighed:
        tallies["d"].add(months, sex)
        tallies[STATUS_ROW[gain.status]].add(months, sex)
        if gain.two_t:
            tallies["two_t"].add(months, sex)
        if gain.bgm:
            tallies["bgm"].add(months, sex)
        if gain.person_id not in k:
            tallies["d_not_in_k"].add(months, sex)
    return {key: tally.values for key, tally in tallies.items()}


def skdn_section(posyandu, month: dt.date) -> Section:
    counts = skdn_counts(posyandu, month)
    return Section(
        key="skdn", title=_("Weighing of children under five (SKDN)"), columns=columns(),
        rows=tuple(Row(key, str(label), tuple(counts[key])) for key, label in SKDN_ROWS),
    )


# (row key prefix, index prefix shown, Measurement field, codes in order)
NUTRITION_INDICES = (
    ("wflh", "BB/TB", "class_wflh", WeightForLength),
    ("lhfa", "TB/U", "class_lhfa", LengthForAge),
    ("wfa", "BB/U", "class_wfa", WeightForAge),
)


def nutrition_section(posyandu, month: dt.date) -> Section:
    weighed = _weighed(posyandu, month_start(month))
    stored = {m["pk"]: m for m in Measurement.objects.filter(
        pk__in=[gain.weighing.measurement_id for gain, _sex, _months in weighed]).values(
        "pk", *(name for _key, _prefix, name, _codes in NUTRITION_INDICES))}
    rows = []
    for key, prefix, name, codes in NUTRITION_INDICES:
        tallies = {code: Tally() for code in codes.values}
        unknown = Tally()
        for gain, sex, months in weighed:
            code = stored[gain.weighing.measurement_id][name]
            (tallies[code] if code in tallies else unknown).add(months, sex)
        for choice in codes:
            rows.append(Row(f"{key}_{choice.value}", f"{prefix}: {choice.label}", tuple(tallies[choice.value].values)))
        rows.append(Row(f"{key}_unknown", _("%(index)s: not measured or not classified") % {"index": prefix},
                        tuple(unknown.values)))
    return Section(key="nutrition", title=_("Nutrition status of the children weighed (D)"), columns=columns(),
                   rows=tuple(rows))
