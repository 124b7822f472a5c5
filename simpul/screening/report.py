"""The screening section of the monthly posyandu report (registered in ``ScreeningConfig.ready``).

Columns are the life stages screened here; each row counts *people*, not screenings: someone screened
twice in the month counts once, in the column of their latest screening that month, and in a finding row
when any of their screenings that month carried the finding. Only the posyandu's own current rows of
that month are read (the report service has checked the caller's scope for the posyandu).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.registry.lifestage import SHORT_LABELS
from simpul.reports.sections import Row, Section
from simpul.screening import rules
from simpul.screening.models import Screening
from simpul.screening.rules import ScreeningFlag

ROWS = (
    # key, label, test on a person's screenings of the month
    ("screened", gettext_lazy("People screened"), lambda rows: True),
    ("hypertension", gettext_lazy("With high blood pressure (≥ 140/90)"), lambda rows: _any_flag(rows, ScreeningFlag.HYPERTENSION)),
    ("glucose_checked", gettext_lazy("Blood glucose checked"), lambda rows: any(r.glucose_mg_dl is not None for r in rows)),
    ("hyperglycaemia", gettext_lazy("With random blood glucose ≥ 200 mg/dL"),
     lambda rows: _any_flag(rows, ScreeningFlag.HYPERGLYCAEMIA)),
    ("hb_checked", gettext_lazy("Haemoglobin checked"), lambda rows: any(r.haemoglobin_g_dl is not None for r in rows)),
    ("anaemia", gettext_lazy("With haemoglobin below the anaemia cut-off"), lambda rows: _any_flag(rows, ScreeningFlag.ANAEMIA)),
    ("obese", gettext_lazy("Obese"), lambda rows: _any_flag(rows, ScreeningFlag.OBESITY)),
    ("central_obesity", gettext_lazy("With central obesity"), lambda rows: _any_flag(rows, ScreeningFlag.CENTRAL_OBESITY)),
    ("adl_checked", gettext_lazy("Elderly with the Barthel index done"), lambda rows: any(r.adl_score is not None for r in rows)),
    ("adl_dependent", gettext_lazy("Elderly needing help with daily activities (Barthel < 20)"),
     lambda rows: _any_flag(rows, ScreeningFlag.FUNCTIONAL_DEPENDENCE)),
)


def _any_flag(rows: list[Screening], code: str) -> bool:
    return any(code in r.flags for r in rows)


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def monthly_counts(posyandu_id: int, month: dt.date) -> dict[str, dict[str, int]]:
    """row key -> {life stage -> people}; the numbers behind the section (plain, for tests and exports)."""
    start = month.replace(day=1)
    rows = (Screening.objects.filter(posyandu_id=posyandu_id, superseded_by__isnull=True,
                                     screened_on__gte=start, screened_on__lt=_next_month(start))
            .order_by("person_id", "screened_on", "created_at", "id"))
    by_person: dict[int, list[Screening]] = {}
    for row in rows:
        by_person.setdefault(row.person_id, []).append(row)
    counts = {key: dict.fromkeys(rules.SCREENED_STAGES, 0) for key, _label, _test in ROWS}
    for person_rows in by_person.values():
        stage = person_rows[-1].life_stage
        if stage not in rules.SCREENED_STAGES:
            continue
        for key, _label, test in ROWS:
            if test(person_rows):
                counts[key][stage] += 1
    return counts


def screening_section(posyandu, month: dt.date) -> Section:
    counts = monthly_counts(posyandu.pk, month)
    return Section(
        key="screening",
        title=_("Screening of adolescents, adults and elderly"),
        columns=tuple(str(SHORT_LABELS[stage]) for stage in rules.SCREENED_STAGES),
        rows=tuple(Row(key=key, label=str(label), values=tuple(counts[key][s] for s in rules.SCREENED_STAGES))
                   for key, label, _test in ROWS),
    )
