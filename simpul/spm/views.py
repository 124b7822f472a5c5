"""SPM dashboard pages: achievement of a place, drill-down to its children, one indicator's trend, and the
named (or masked) list of who is not yet served.

Every page opens at a place the user may see (``?wilayah=<code>`` or ``?posyandu=<id>``, else the user's own
area) and reads through ``simpul.spm.selectors``: anything outside the scope is a 404, and an OPD officer
only ever gets the indicators of her field. Names appear only where ``unserved.names_visible`` allows; the
list is logged on every view.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.audit.services import access_record
from simpul.core.choices import SpmField
from simpul.core.decorators import requires
from simpul.core.errors import DomainError, NotInScope
from simpul.regions.models import Region
from simpul.spm import catalogue, periods, selectors
from simpul.spm.forms import FilterForm, period_choices
from simpul.spm.selectors_dashboard import breadcrumb, external_sources, managed_prefixes
from simpul.spm.unserved import unserved

TREND_HEIGHT = 120  # px of the 100% line in the trend chart


# --- Parsing the place, period and field of a request ---------------------------------------------------

def place_from(request, scope) -> selectors.Place:
    """``?posyandu=<id>`` or ``?wilayah=<code>``; the user's own area when neither is given."""
    posyandu = request.GET.get("posyandu", "").strip()
    region = request.GET.get("wilayah", "").strip()
    if posyandu:
        if not posyandu.isdigit():
            raise NotInScope()
        return selectors.place_for(scope, posyandu_id=int(posyandu))
    if region:
        return selectors.place_for(scope, region=region)
    place = selectors.home_place(scope)
    if place is None:
        raise PermissionDenied
    return place


def period_from(request, today: dt.date) -> tuple[periods.Period, str]:
    """The period asked for, or this year with the reason the asked one was refused."""
    try:
        return periods.parse(request.GET.get("periode") or None, today=today), ""
    except DomainError as exc:
        return periods.parse(None, today=today), exc.message


def field_from(request, scope) -> str:
    field = request.GET.get("bidang", "")
    return field if field in selectors.spm_fields(scope) else ""


def place_query(place: selectors.Place) -> dict:
    return {"posyandu": place.posyandu_id} if place.posyandu_id else {"wilayah": place.code}


def link(name: str, place: selectors.Place, *args, **params) -> str:
    query = {**place_query(place), **{k: v for k, v in params.items() if v not in ("", None)}}
    return f"{reverse(name, args=args)}?{urlencode(query)}"


def may_list_names(place: selectors.Place) -> bool:
    """The unserved list is per desa or posyandu (``unserved.posyandu_under``)."""
    return bool(place.posyandu_id) or place.level == Region.Level.VILLAGE


# --- What a row shows -----------------------------------------------------------------------------------

def line(row: selectors.Row, *, place, period, sources: dict[str, list[str]]) -> dict:
    """A row with what the page draws: the bar, the source in words, the links of its indicator."""
    indicator = catalogue.get(row.code)
    percent = float(row.percent) if row.percent is not None else None
    return {
        "row": row,
        "indicator": indicator,
        "external": row.source == catalogue.EXTERNAL,
        "has_data": row.denominator is not None,
        "bar": min(100.0, percent) if percent is not None else 0.0,
        "target_at": min(100.0, float(row.target)),
        "household": indicator.unit == "household",
        "sources": sources.get(row.code, []),
        "detail_url": link("spm:indicator", place, row.code, periode=period.code),
        "unserved_url": (link("spm:unserved", place, row.code, periode=period.code)
                         if row.source == catalogue.SIMPUL and may_list_names(place) else ""),
    }


def grouped(lines: list[dict]) -> list[dict]:
    """Lines grouped by the six fields, in the order the regulation lists them."""
    labels = dict(SpmField.choices)
    groups = []
    for field in SpmField.values:
        members = [item for item in lines if item["row"].field == field]
        if members:
            groups.append({"field": field, "label": labels[field], "lines": members})
    return groups


# --- Pages ----------------------------------------------------------------------------------------------

@requires(Perm.VIEW_AGGREGATES)
def dashboard(request):
    scope = request_scope(request)
    today = timezone.localdate()
    place = place_from(request, scope)
    period, period_error = period_from(request, today)
    field = field_from(request, scope)
    rows = selectors.achievement(scope, place, period, field=field, today=today)
    sources = external_sources(scope, place, period, today=today)
    groups = grouped([line(row, place=place, period=period, sources=sources) for row in rows])
    children = selectors.breakdown(scope, place, period, field=field, today=today)
    for group in groups:
        codes = [item["row"].code for item in group["lines"]]
        group["children"] = [{
            "place": child,
            "url": link("spm:dashboard", child, periode=period.code, bidang=field),
            "cells": [next(r for r in child_rows if r.code == code) for code in codes],
        } for child, child_rows in children]
    form = FilterForm(initial={"periode": period.code, "bidang": field}, today=today,
                      fields=selectors.spm_fields(scope))
    return render(request, "spm/dashboard.html", {
        "place": place, "crumbs": crumb_links(scope, place, period, field), "period": period,
        "as_of": period.as_of(today), "period_error": period_error, "field": field, "form": form,
        "groups": groups, "has_children": bool(children), "place_query": urlencode(place_query(place)),
        "export_query": urlencode({**place_query(place), "periode": period.code, "bidang": field}),
        "espm_fields": [(f, label) for f, label in SpmField.choices if f in selectors.spm_fields(scope)],
        "espm_periods": period_choices(today, quarters_only=True),
        "espm_open": not place.posyandu_id and place.level <= Region.Level.DISTRICT,
        "may_manage": bool(managed_prefixes(scope)),
    })


def crumb_links(scope, place, period, field) -> list[dict]:
    return [{"place": crumb, "url": link("spm:dashboard", crumb, periode=period.code, bidang=field)}
            for crumb in breadcrumb(scope, place)]


@requires(Perm.VIEW_AGGREGATES)
def indicator(request, code: str):
    """One indicator at a place: its definition, the figure, each child's, the monthly trend."""
    scope = request_scope(request)
    today = timezone.localdate()
    found = catalogue.get(code)
    if found is None or found.field not in selectors.spm_fields(scope):
        raise NotInScope()
    place = place_from(request, scope)
    period, period_error = period_from(request, today)
    sources = external_sources(scope, place, period, today=today)
    row = next(r for r in selectors.achievement(scope, place, period, field=found.field, today=today)
               if r.code == code)
    children = [{
        "place": child, "url": link("spm:indicator", child, code, periode=period.code),
        "line": line(next(r for r in rows if r.code == code), place=child, period=period, sources={}),
    } for child, rows in selectors.breakdown(scope, place, period, field=found.field, today=today)]
    trend = selectors.trend(scope, place, period.year, code, today=today) if found.source == catalogue.SIMPUL \
        else []
    crumbs = [{"place": c, "url": link("spm:indicator", c, code, periode=period.code)}
              for c in breadcrumb(scope, place)]
    return render(request, "spm/indicator.html", {
        "place": place, "crumbs": crumbs, "period": period, "as_of": period.as_of(today),
        "period_error": period_error, "indicator": found,
        "line": line(row, place=place, period=period, sources=sources), "children": children,
        "trend": trend_chart(trend, row.target), "dashboard_url": link("spm:dashboard", place,
                                                                          periode=period.code),
        "export_query": urlencode({**place_query(place), "periode": period.code, "bidang": found.field}),
    })


def trend_chart(points: list[dict], target) -> dict:
    """Bars of a 12-month SVG (one per month with a counter), the target as a line."""
    width = 24
    bars = []
    for point in points:
        percent = point["percent"] or 0.0
        height = round(TREND_HEIGHT * min(percent, 100.0) / 100, 1)
        bars.append({**point, "x": (point["month"] - 1) * width + 4, "y": TREND_HEIGHT - height + 10,
                     "height": height, "label_x": (point["month"] - 1) * width + 4 + (width - 8) / 2,
                     "month_label": dt.date(2000, point["month"], 1)})
    return {"points": bars, "width": 12 * width, "height": TREND_HEIGHT + 30, "bar_width": width - 8,
            "target_y": round(TREND_HEIGHT - TREND_HEIGHT * min(float(target), 100.0) / 100 + 10, 1),
            "base_y": TREND_HEIGHT + 10}


@requires(Perm.VIEW_AGGREGATES)
def unserved_list(request, code: str):
    """Who at a desa or posyandu is not yet served by one indicator, and what is missing. Logged on every view."""
    scope = request_scope(request)
    today = timezone.localdate()
    place = place_from(request, scope)
    period, period_error = period_from(request, today)
    try:
        page = max(1, int(request.GET.get("halaman", "1")))
    except ValueError:
        page = 1
    found = catalogue.get(code)
    if found is None or found.field not in selectors.spm_fields(scope):
        raise NotInScope()
    if not may_list_names(place) or found.source != catalogue.SIMPUL:
        raise NotInScope()  # no list above a desa, none for figures from another system
    result = unserved(scope, place, period, code, page=page, today=today)
    access_record(actor=request.user, action="spm.unserved", object_type="spm.indicator", object_id=code,
                  region_code=place.code, detail=f"page {period.code} p{result.page} names={result.names_visible} "
                                                 f"n={len(result.entries)}"
                                                 + (f" posyandu={place.posyandu_id}" if place.posyandu_id else ""),
                  request=request)
    crumbs = [{"place": c, "url": link("spm:indicator", c, code, periode=period.code)}
              for c in breadcrumb(scope, place)]
    return render(request, "spm/unserved.html", {
        "place": place, "crumbs": crumbs, "period": period, "as_of": period.as_of(today),
        "period_error": period_error, "indicator": found, "result": result,
        "prev_url": link("spm:unserved", place, code, periode=period.code, halaman=result.page - 1)
        if result.page > 1 else "",
        "next_url": link("spm:unserved", place, code, periode=period.code, halaman=result.page + 1)
        if result.page < result.pages else "",
        "export_url": link("spm:export_unserved", place, code, periode=period.code),
        "indicator_url": link("spm:indicator", place, code, periode=period.code),
    })
