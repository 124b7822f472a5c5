"""Tim Pembina's SPM settings: targets, official projected sasaran and figures from other systems, per area
and year of the kab/kota they manage (MANAGE_ROUTING over a whole kab/kota; 403 for everyone else, 404 for
a row of another kab/kota). One page per kind: what is set for the year, and a form to set or change one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.core.decorators import requires
from simpul.core.errors import NotInScope
from simpul.core.forms import form_submit
from simpul.spm import catalogue, services
from simpul.spm import selectors_dashboard as reads
from simpul.spm.forms import ExternalFigureForm, OfficialSasaranForm, TargetForm
from simpul.spm.periods import FIRST_YEAR


@dataclass(frozen=True)
class Kind:
    code: str
    url_name: str
    title: object
    intro: object
    form: type
    listing: object
    setter: object
    clearer: object
    columns: tuple


KINDS = {
    "target": Kind("target", "spm:settings_targets", gettext_lazy("Targets"),
                   gettext_lazy("The target percent of an indicator for an area and year. An area without its "
                                "own target uses the one of the area above it, else 100%."),
                   TargetForm, reads.targets_set, services.target_set,
                   lambda actor, scope, row: services.target_clear(actor=actor, scope=scope, target=row),
                   (gettext_lazy("Target (%)"),)),
    "sasaran": Kind("sasaran", "spm:settings_sasaran", gettext_lazy("Official sasaran"),
                    gettext_lazy("The official projected target population of an area (e.g. the Dinkes estimate). "
                                 "The dashboard shows it beside the people registered in Simpul and the gap."),
                    OfficialSasaranForm, reads.official_set, services.official_sasaran_set,
                    lambda actor, scope, row: services.official_sasaran_clear(actor=actor, scope=scope, row=row),
                    (gettext_lazy("Official sasaran"), gettext_lazy("Source"))),
    "external": Kind("external", "spm:settings_external", gettext_lazy("Figures from other systems"),
                     gettext_lazy("For indicators whose data lives in another system (e.g. facility births in "
                                  "SIMPUS): the year-to-date figures up to the end of a month. An area without its "
                                  "own figure shows the sum of the areas below it."),
                     ExternalFigureForm, reads.external_set, services.external_figure_set,
                     lambda actor, scope, row: services.external_figure_clear(actor=actor, scope=scope, row=row),
                     (gettext_lazy("Month"), gettext_lazy("Sasaran (denominator)"),
                      gettext_lazy("Served (numerator)"), gettext_lazy("Source"))),
}


def _year(value, today) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return today.year
    return year if FIRST_YEAR <= year <= today.year + 1 else today.year


def _cells(kind: str, row) -> list:
    if kind == "target":
        return [row.percent]
    if kind == "sasaran":
        return [row.count, row.source]
    return [row.month, row.denominator, row.numerator, row.source]


def _page_url(kind: Kind, kabkota, year: int) -> str:
    return f"{reverse(kind.url_name)}?{urlencode({'wilayah': kabkota.code, 'tahun': year})}"


def _settings_page(request, code: str):
    kind = KINDS[code]
    scope = request_scope(request)
    managed = list(reads.kabkota_managed(scope))
    if not managed:
        raise PermissionDenied  # MANAGE_ROUTING over less than a kab/kota: nothing to set
    today = timezone.localdate()
    wanted = request.GET.get("wilayah", "")
    kabkota = reads.kabkota_get(scope, wanted) if wanted else managed[0]
    year = _year(request.GET.get("tahun"), today)
    form = kind.form(request.POST or None, areas=reads.areas_managed(scope, kabkota), today=today,
                     initial={"year": year, "month": today.month})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = form_submit(request, form, lambda: kind.setter(actor=request.user, scope=scope, **data),
                           success=_("Saved."), then=HttpResponseRedirect(_page_url(kind, kabkota, data["year"])))
        if done:
            return done
    names = {i.code: i.name for i in catalogue.INDICATORS}
    rows = [{"pk": row.pk, "region": row.region, "indicator": names.get(row.indicator, row.indicator),
             "code": row.indicator, "cells": _cells(code, row)} for row in kind.listing(scope, kabkota, year)]
    return render(request, "spm/settings.html", {
        "kind": kind, "kinds": KINDS.values(), "kabkota": kabkota, "managed": managed, "year": year,
        "years": range(today.year + 1, max(FIRST_YEAR, today.year - 2) - 1, -1), "form": form, "rows": rows,
    }, status=400 if request.method == "POST" else 200)


@requires(Perm.MANAGE_ROUTING)
@require_http_methods(["GET", "POST"])
def settings_targets(request):
    return _settings_page(request, "target")


@requires(Perm.MANAGE_ROUTING)
@require_http_methods(["GET", "POST"])
def settings_sasaran(request):
    return _settings_page(request, "sasaran")


@requires(Perm.MANAGE_ROUTING)
@require_http_methods(["GET", "POST"])
def settings_external(request):
    return _settings_page(request, "external")


@requires(Perm.MANAGE_ROUTING)
@require_POST
def settings_clear(request, kind: str, pk: int):
    if kind not in KINDS:
        raise NotInScope()
    scope = request_scope(request)
    row = reads.setting_get(scope, kind, pk)
    kabkota = reads.kabkota_get(scope, row.region_id[:4])
    KINDS[kind].clearer(request.user, scope, row)
    messages.success(request, _("Removed."))
    return HttpResponseRedirect(_page_url(KINDS[kind], kabkota, row.year))
