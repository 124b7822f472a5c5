"""Monthly activity recap: per SPM field, how many activities and how many people they served.

An activity that served two fields counts in both fields' rows; the "all activities" row counts it once.
So the field rows are not meant to add up to the last row. The report section has the same numbers for
one posyandu; desa and higher summaries are sums of posyandu sections (reports/data.py), which is right
here because an activity belongs to exactly one posyandu.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm
from simpul.activities.models import ActivityLog
from simpul.activities.selectors import activities_visible, next_month
from simpul.core.choices import SpmField
from simpul.reports.sections import Row, Section

SECTION_KEY = "activities"
SECTION_ORDER = 70
TOTAL = "all"


@dataclass
class Tally:
    activities: dict[str, int] = field(default_factory=lambda: dict.fromkeys([*SpmField.values, TOTAL], 0))
    served: dict[str, int] = field(default_factory=lambda: dict.fromkeys([*SpmField.values, TOTAL], 0))

    def add(self, activity: ActivityLog) -> None:
        for code in {*activity.fields} & set(SpmField.values) | {TOTAL}:
            self.activities[code] += 1
            self.served[code] += activity.people_served

    def merge(self, other: Tally) -> None:
        for code in self.activities:
            self.activities[code] += other.activities[code]
            self.served[code] += other.served[code]

    def cells(self) -> list[tuple[int, int]]:
        return [(self.activities[code], self.served[code]) for code in [*SpmField.values, TOTAL]]


def tally(activities: Iterable[ActivityLog]) -> Tally:
    result = Tally()
    for activity in activities:
        result.add(activity)
    return result


def section(posyandu, month: dt.date) -> Section:
    """The report section of one posyandu and month."""
    result = tally(
        ActivityLog.objects.filter(posyandu=posyandu, held_on__gte=month, held_on__lt=next_month(month))
    )
    rows = [
        Row(key=f"field_{code}", label=str(label), values=(result.activities[code], result.served[code]))
        for code, label in SpmField.choices
    ]
    rows.append(
        Row(
            key="all",
            label=_("All activities (each counted once)"),
            values=(result.activities[TOTAL], result.served[TOTAL]),
        )
    )
    return Section(
        key=SECTION_KEY,
        title=_("Activities in the six fields"),
        columns=(_("Activities"), _("People served")),
        rows=tuple(rows),
    )


@dataclass
class RecapRow:
    name: str
    tally: Tally
    posyandu_id: int | None = None
    desa_code: str = ""


@dataclass
class DesaRecap:
    code: str
    name: str
    total: Tally
    posyandu: list[RecapRow]


def monthly_recap(scope, *, month: dt.date, region_code: str = "") -> tuple[list[DesaRecap], Tally]:
    """Per desa (with its posyandu rows) and the grand total, over the activities the user may see."""
    desas: dict[str, DesaRecap] = {}
    rows: dict[int, RecapRow] = {}
    grand = Tally()
    visible = activities_visible(scope, month=month, region_code=region_code, perm=Perm.VIEW_AGGREGATES)
    for activity in visible.order_by("desa_id", "posyandu__name"):
        desa = desas.get(activity.desa_id)
        if desa is None:
            desa = desas[activity.desa_id] = DesaRecap(activity.desa_id, activity.desa.name, Tally(), [])
        row = rows.get(activity.posyandu_id)
        if row is None:
            row = rows[activity.posyandu_id] = RecapRow(
                activity.posyandu.name, Tally(), activity.posyandu_id, activity.desa_id
            )
            desa.posyandu.append(row)
        row.tally.add(activity)
        desa.total.add(activity)
        grand.add(activity)
    return list(desas.values()), grand
