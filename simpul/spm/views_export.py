"""Excel downloads of the SPM tables. Each reads what its page shows, through the same scoped selectors,
and is logged as an export (``access_record``); the unserved list is masked for roles without names."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.audit.services import access_record
from simpul.core.choices import SpmField
from simpul.core.decorators import requires
from simpul.core.errors import DomainError, NotInScope
from simpul.regions.models import Region
from simpul.spm import catalogue, exports, periods, selectors
from simpul.spm.selectors_dashboard import external_sources
from simpul.spm.unserved import unserved
from simpul.spm.views import field_from, may_list_names, period_from, place_from


def _download(request, content: bytes, name: str, *, object_type: str, object_id: str, place) -> HttpResponse:
    access_record(actor=request.user, action="export", object_type=object_type, object_id=object_id,
                  region_code=place.code, detail=name + (f" posyandu={place.posyandu_id}" if place.posyandu_id
                                                         else ""), request=request)
    response = HttpResponse(content, content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _slug(place) -> str:
    return slugify(place.name) or place.code


@requires(Perm.VIEW_AGGREGATES)
def export_achievement(request):
    scope = request_scope(request)
    today = timezone.localdate()
    place = place_from(request, scope)
    period, _error = period_from(request, today)
    field = field_from(request, scope)
    rows = selectors.achievement(scope, place, period, field=field, today=today)
    content = exports.achievement_xlsx(place=place, period=period, as_of=period.as_of(today), rows=rows,
                                       sources=external_sources(scope, place, period, today=today))
    name = f"capaian-spm-{_slug(place)}-{period.code}.xlsx"
    return _download(request, content, name, object_type="spm.achievement", object_id=period.code, place=place)


@requires(Perm.VIEW_AGGREGATES)
def export_breakdown(request):
    scope = request_scope(request)
    today = timezone.localdate()
    place = place_from(request, scope)
    if place.posyandu_id:
        raise NotInScope()  # a posyandu has no areas below it
    period, _error = period_from(request, today)
    field = field_from(request, scope)
    children = selectors.breakdown(scope, place, period, field=field, today=today)
    content = exports.breakdown_xlsx(place=place, period=period, as_of=period.as_of(today), children=children)
    name = f"capaian-spm-per-wilayah-{_slug(place)}-{period.code}.xlsx"
    return _download(request, content, name, object_type="spm.breakdown", object_id=period.code, place=place)


@requires(Perm.VIEW_AGGREGATES)
def export_unserved(request, code: str):
    scope = request_scope(request)
    today = timezone.localdate()
    place = place_from(request, scope)
    period, _error = period_from(request, today)
    found = catalogue.get(code)
    if found is None or found.field not in selectors.spm_fields(scope) or not may_list_names(place) \
            or found.source != catalogue.SIMPUL:
        raise NotInScope()
    result = unserved(scope, place, period, code, page=None, today=today)  # the whole list, evaluated once
    entries = result.entries
    content = exports.unserved_xlsx(place=place, period=period, as_of=period.as_of(today), indicator=found,
                                    entries=entries, names_visible=result.names_visible)
    name = f"belum-terlayani-{code.replace('.', '-')}-{_slug(place)}-{period.code}.xlsx"
    return _download(request, content, name, object_type="spm.unserved", object_id=code, place=place)


@requires(Perm.VIEW_AGGREGATES)
def export_espm(request):
    """The quarterly e-SPM sheet of one field: a kab/kota by kecamatan (a kecamatan by desa)."""
    scope = request_scope(request)
    today = timezone.localdate()
    place = place_from(request, scope)
    if place.posyandu_id or place.level > Region.Level.DISTRICT:
        raise NotInScope()
    field = field_from(request, scope)
    if not field:
        raise NotInScope()
    try:
        period = periods.parse(request.GET.get("periode", ""), today=today)
    except DomainError:
        raise NotInScope() from None
    if period.kind != "quarter":
        raise NotInScope()
    indicators = catalogue.for_fields({field})
    children = selectors.breakdown(scope, place, period, field=field, today=today)
    total = selectors.achievement(scope, place, period, field=field, today=today)
    content = exports.espm_xlsx(place=place, field_label=str(dict(SpmField.choices)[field]), period=period,
                                as_of=period.as_of(today), indicators=indicators, children=children, total=total)
    name = f"e-spm-{field}-{_slug(place)}-{period.code}.xlsx"
    return _download(request, content, name, object_type="spm.espm", object_id=f"{field} {period.code}",
                     place=place)
