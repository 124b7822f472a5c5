"""Reads the dashboard pages need beside ``selectors.py``: the breadcrumb, the areas a pembina sets figures
for, and what was set there (targets, official sasaran, external figures).

Every function takes the scope first and fails closed, like the selectors it sits beside: a breadcrumb
never climbs above the user's own area, and the settings lists hold only the pembina's own kab/kota.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope, require_scope
from simpul.core.errors import NotInScope
from simpul.regions.models import Region
from simpul.spm import catalogue
from simpul.spm.models import ExternalFigure, OfficialSasaran, Target
from simpul.spm.periods import Period
from simpul.spm.selectors import Place, place_for, spm_fields

# Region code lengths from the province down to the desa.
CODE_LENGTHS = (2, 4, 6, 10)


def breadcrumb(scope: Scope | None, place: Place) -> list[Place]:
    """The places above ``place`` the user may open, top first, ending with ``place`` itself.

    A kader's breadcrumb is her posyandu alone; a camat's starts at the kecamatan, never the kab/kota.
    """
    scope = require_scope(scope)
    codes = [place.code[:n] for n in CODE_LENGTHS if n < len(place.code)]
    if place.posyandu_id:
        codes.append(place.code)
    crumbs = []
    for code in codes:
        try:
            crumbs.append(place_for(scope, region=code))
        except NotInScope:
            continue
    return [*crumbs, place]


def external_sources(scope: Scope | None, place: Place, period: Period, *,
                     today: dt.date | None = None) -> dict[str, list[str]]:
    """For each EXTERNAL indicator the user sees, the sources of the figures the dashboard shows at ``place``.

    ``selectors.achievement`` uses the place's own figure when one is entered, else the sum of its
    children's; the sources follow the same choice. A posyandu has no external figures.
    """
    scope = require_scope(scope)
    if place.posyandu_id:
        return {}
    today = today or timezone.localdate()
    codes = [i.code for i in catalogue.for_fields(spm_fields(scope)) if i.source == catalogue.EXTERNAL]
    own: dict[str, list[str]] = {}
    below: dict[str, set[str]] = {}
    for region, code, source in ExternalFigure.objects.filter(
            region__code__startswith=place.code, year=period.year, month=period.counter_month(today),
            indicator__in=codes).values_list("region_id", "indicator", "source"):
        if region == place.code:
            own[code] = [source]
        else:
            below.setdefault(code, set()).add(source)
    return {code: own.get(code) or sorted(below.get(code, ())) for code in codes if code in own or code in below}


# --- What Tim Pembina sets ------------------------------------------------------------------------------

def managed_prefixes(scope: Scope | None) -> list[str]:
    """Region prefixes where the user may set targets and figures: MANAGE_ROUTING over a whole kab/kota
    (or province), the same rule as the referral settings. A narrower grant manages nothing."""
    return sorted(p for p in require_scope(scope).region_prefixes(Perm.MANAGE_ROUTING) if len(p) <= 4)


def _managed_q(scope: Scope | None, field: str = "code") -> Q | None:
    prefixes = managed_prefixes(scope)
    if not prefixes:
        return None
    condition = Q()
    for prefix in prefixes:
        condition |= Q(**{f"{field}__startswith": prefix})
    return condition


def kabkota_managed(scope: Scope | None) -> QuerySet[Region]:
    condition = _managed_q(scope)
    if condition is None:
        return Region.objects.none()
    return Region.objects.filter(condition, level=Region.Level.REGENCY).order_by("code")


def areas_managed(scope: Scope | None, kabkota: Region) -> list[Region]:
    """The kab/kota itself, its kecamatan and its desa, in tree order (for the settings forms)."""
    if not kabkota_managed(scope).filter(code=kabkota.code).exists():
        raise NotInScope()
    return list(Region.objects.filter(code__startswith=kabkota.code).order_by("code"))


def kabkota_get(scope: Scope | None, code: str) -> Region:
    region = kabkota_managed(scope).filter(code=code).first()
    if region is None:
        raise NotInScope()
    return region


def targets_set(scope: Scope | None, kabkota: Region, year: int) -> QuerySet[Target]:
    kabkota_get(scope, kabkota.code)
    return Target.objects.filter(region__code__startswith=kabkota.code, year=year).select_related(
        "region", "set_by").order_by("region_id", "indicator")


def official_set(scope: Scope | None, kabkota: Region, year: int) -> QuerySet[OfficialSasaran]:
    kabkota_get(scope, kabkota.code)
    return OfficialSasaran.objects.filter(region__code__startswith=kabkota.code, year=year).select_related(
        "region", "set_by").order_by("region_id", "indicator")


def external_set(scope: Scope | None, kabkota: Region, year: int) -> QuerySet[ExternalFigure]:
    kabkota_get(scope, kabkota.code)
    return ExternalFigure.objects.filter(region__code__startswith=kabkota.code, year=year).select_related(
        "region", "entered_by").order_by("region_id", "indicator", "month")


SETTING_MODELS = {"target": Target, "sasaran": OfficialSasaran, "external": ExternalFigure}


def setting_get(scope: Scope | None, kind: str, pk: int):
    """One entered row of the user's managed area; NotInScope for anything else (another kab/kota too)."""
    model = SETTING_MODELS.get(kind)
    condition = _managed_q(scope, "region__code")
    if model is None or condition is None:
        raise NotInScope()
    found = model.objects.filter(condition, pk=pk).select_related("region").first()
    if found is None:
        raise NotInScope()
    return found
