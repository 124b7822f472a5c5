"""/api/v1/spm: achievement per region and period, and the unserved list behind it.

``GET /spm/achievement?region=35.76&period=2026-Q3[&field=kesehatan][&by=children]`` (or ``posyandu=<id>``
instead of ``region``) answers one row per indicator the user may see; ``GET /spm/unserved?indicator=kes.balita
&region=3576031002&period=2026[&page=2]`` the people or households not yet served, masked per role.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.api.types import Id
from simpul.audit.services import access_record
from simpul.core.errors import DomainError, NotInScope
from simpul.spm import periods, selectors
from simpul.spm.unserved import unserved

router = Router(tags=["spm"])


def _place(request, region: str, posyandu: int | None):
    scope = request_scope(request)
    if not scope.can(Perm.VIEW_AGGREGATES):
        raise NotInScope()
    if not region and posyandu is None:
        raise DomainError(
            _("Please correct the marked fields."),
            field_errors={"region": [_("Give a region code or a posyandu.")]},
        )
    return scope, selectors.place_for(scope, region=region, posyandu_id=posyandu)


def _place_out(place: selectors.Place) -> dict:
    return {"code": place.code, "name": place.name, "level": place.level, "posyandu_id": place.posyandu_id}


@router.get("/achievement")
def spm_achievement(
    request, region: str = "", posyandu: Id | None = None, period: str = "", field: str = "", by: str = ""
):
    scope, place = _place(request, region, posyandu)
    today = timezone.localdate()
    chosen = periods.parse(period, today=today)
    if by not in ("", "children"):
        raise DomainError(
            _("Please correct the marked fields."), field_errors={"by": [_("Only “children”.")]}
        )
    if by == "children":  # the place and its children read together: one query per table, not two
        rows, children = selectors.achievement_and_breakdown(scope, place, chosen, field=field, today=today)
    else:
        rows, children = selectors.achievement(scope, place, chosen, field=field, today=today), None
    body = {
        "region": _place_out(place),
        "period": chosen.code,
        "as_of": chosen.as_of(today).isoformat(),
        "indicators": [row.as_dict() for row in rows],
    }
    if children is not None:
        body["children"] = [
            {"region": _place_out(child), "indicators": [row.as_dict() for row in child_rows]}
            for child, child_rows in children
        ]
    return body


@router.get("/unserved")
def spm_unserved(
    request, indicator: str, region: str = "", posyandu: Id | None = None, period: str = "", page: int = 1
):
    scope, place = _place(request, region, posyandu)
    today = timezone.localdate()
    chosen = periods.parse(period, today=today)
    result = unserved(scope, place, chosen, indicator, page=page, today=today)
    access_record(
        actor=request.user,
        action="spm.unserved",
        object_type="spm.indicator",
        object_id=indicator,
        region_code=place.code,
        detail=f"api {chosen.code} names={result.names_visible} n={len(result.entries)}",
        request=request,
    )
    return {
        "indicator": indicator,
        "region": _place_out(place),
        "period": chosen.code,
        "names_visible": result.names_visible,
        "count": result.total,
        "page": result.page,
        "pages": result.pages,
        "items": [entry.as_dict() for entry in result.entries],
    }
