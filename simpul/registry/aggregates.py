"""Counts by region (never names), for the roles that oversee an area.

These read the registry directly; the SPM issue replaces them with counters
maintained per posyandu × period so a dashboard's cost follows the regions shown.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db.models import Count, Q

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope, require_scope
from simpul.core.errors import NotInScope
from simpul.posyandu.models import Posyandu
from simpul.regions.models import Region
from simpul.registry.lifestage import LIFE_STAGE_BANDS
from simpul.registry.models import Household, Person


def _months_ago(today: dt.date, months: int) -> dt.date:
    year, month0 = divmod(today.year * 12 + today.month - 1 - months, 12)
    day = min(today.day, calendar.monthrange(year, month0 + 1)[1])
    return dt.date(year, month0 + 1, day)


def stage_conditions(today: dt.date) -> dict[str, Q]:
    """Birth-date ranges equivalent to each life-stage band on ``today``."""
    conditions = {}
    for code, _label, low, high in LIFE_STAGE_BANDS:
        q = Q(birth_date__lte=_months_ago(today, low))
        if high is not None:
            q &= Q(birth_date__gt=_months_ago(today, high))
        conditions[code] = q
    return conditions


def region_overview(scope: Scope | None, *, region_code: str, today: dt.date) -> list[dict]:
    """One row per child region of ``region_code`` with household, resident and life-stage counts."""
    scope = require_scope(scope)
    prefixes = scope.region_prefixes(Perm.VIEW_AGGREGATES)
    posyandu_ids = scope.posyandu_ids(Perm.VIEW_AGGREGATES)
    allowed = any(region_code.startswith(p) for p in prefixes) or (
        posyandu_ids and Posyandu.objects.filter(pk__in=posyandu_ids, desa__code__startswith=region_code).exists()
    )
    if not allowed:
        raise NotInScope()
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise NotInScope()
    length = {1: 4, 2: 6, 3: 10}.get(region.level)
    people = scope.filter(Person.objects.filter(life_status=Person.LifeStatus.ALIVE, duplicate_of__isnull=True),
                          Perm.VIEW_AGGREGATES).filter(desa__code__startswith=region_code)
    households = scope.filter(Household.objects.filter(status=Household.Status.ACTIVE), Perm.VIEW_AGGREGATES).filter(
        desa__code__startswith=region_code)
    stage_aggs = {code: Count("pk", filter=q) for code, q in stage_conditions(today).items()}
    if length is None:  # a desa: break down by posyandu
        rows = {p.pk: {"code": str(p.pk), "name": p.name, "households": 0, "residents": 0}
                for p in scope.filter(Posyandu.objects.filter(desa_id=region_code), Perm.VIEW_AGGREGATES,
                                      posyandu_field="pk")}
        for item in people.values("posyandu_id").annotate(residents=Count("pk"), **stage_aggs):
            rows.setdefault(item["posyandu_id"], {"code": str(item["posyandu_id"]), "name": "", "households": 0})
            rows[item["posyandu_id"]].update({k: v for k, v in item.items() if k != "posyandu_id"})
        for item in households.values("posyandu_id").annotate(n=Count("pk")):
            if item["posyandu_id"] in rows:
                rows[item["posyandu_id"]]["households"] = item["n"]
        return sorted(rows.values(), key=lambda r: r["name"])
    children = {r.code: {"code": r.code, "name": r.name, "households": 0, "residents": 0}
                for r in Region.objects.filter(parent_id=region_code)}
    from django.db.models.functions import Substr

    for item in people.annotate(child=Substr("desa_id", 1, length)).values("child").annotate(
            residents=Count("pk"), **stage_aggs):
        if item["child"] in children:
            children[item["child"]].update({k: v for k, v in item.items() if k != "child"})
    for item in households.annotate(child=Substr("desa_id", 1, length)).values("child").annotate(n=Count("pk")):
        if item["child"] in children:
            children[item["child"]]["households"] = item["n"]
    return list(children.values())
