"""Monthly report pages: parse, call one service or selector, render (screen, Excel or PDF).

Every page needs ``Perm.VIEW_AGGREGATES``; the selectors answer "not found" (404) unless the user also
holds the kesehatan field over the posyandu or the whole region.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.audit.services import access_record
from simpul.core.decorators import requires
from simpul.core.errors import DomainError, NotInScope
from simpul.core.forms import apply_field_errors
from simpul.health.weightgain import next_month, previous_month
from simpul.regions.models import undotted
from simpul.reports import exports, selectors
from simpul.reports.forms import CorrectionForm, SubmitForm
from simpul.reports.models import MonthlyReport
from simpul.reports.services import report_correct, report_submit

LIVE = "draf"


def _this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def _version_param(request) -> tuple[int | None, bool]:
    """``?versi=N`` shows stored version N, ``?versi=draf`` the live data; anything else is not found."""
    value = request.GET.get("versi", "")
    if not value:
        return None, False
    if value == LIVE:
        return None, True
    if not value.isdigit() or int(value) < 1:
        raise NotInScope()
    return int(value), False


@requires(Perm.VIEW_AGGREGATES)
def report_index(request):
    scope = request_scope(request)
    try:
        year, month_number = (int(part) for part in request.GET.get("bulan", "").split("-"))
        month = dt.date(year, month_number, 1)
    except ValueError:
        month = _this_month()
    posyandu = list(selectors.posyandu_reportable(scope).order_by("desa_id", "name"))
    submitted = {r.posyandu_id: r for r in MonthlyReport.objects.filter(
        posyandu__in=[p.pk for p in posyandu], month=month, status=MonthlyReport.Status.SUBMITTED)}
    months = [_this_month()]
    for _i in range(11):
        months.append(previous_month(months[-1]))
    return render(request, "reports/index.html", {
        "month": month, "months": months,
        "rows": [{"posyandu": p, "report": submitted.get(p.pk)} for p in posyandu],
        "regions": selectors.regions_summarizable(scope),
    })


def _report_context(request, posyandu, month, *, version=None, live=False, correction_form=None):
    scope = request_scope(request)
    report = selectors.report_view(scope, posyandu, month, version=version, live=live)
    can_act = selectors.may_submit_report(scope, posyandu) and month <= _this_month()
    query = f"?versi={report.showing.version}" if report.showing else (f"?versi={LIVE}" if live else "")
    return {
        "posyandu": posyandu, "month": month, "data": report.data, "versions": report.versions,
        "current": report.current, "showing": report.showing, "live": live, "export_query": query,
        "previous_month": previous_month(month), "next_month": next_month(month),
        "can_submit": can_act and not report.versions,
        "can_correct": can_act and report.current is not None,
        "submit_form": SubmitForm(),
        "correction_form": correction_form or CorrectionForm(),
    }


@requires(Perm.VIEW_AGGREGATES)
def posyandu_report(request, pk: int, month: dt.date):
    scope = request_scope(request)
    posyandu = selectors.posyandu_for_report(scope, pk)
    version, live = _version_param(request)
    return render(request, "reports/posyandu_report.html",
                  _report_context(request, posyandu, month, version=version, live=live))


def _download(request, data, *, slug: str, extension: str, object_id, region_code: str) -> HttpResponse:
    body = exports.build_xlsx(data) if extension == "xlsx" else exports.build_pdf(data)
    name = exports.filename(data, slug=slug, extension=extension)
    access_record(actor=request.user, action="export", object_type=f"reports.{data.kind}_report", object_id=object_id,
                  region_code=region_code, detail=name, request=request)
    response = HttpResponse(body, content_type=exports.XLSX_TYPE if extension == "xlsx" else exports.PDF_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _posyandu_export(request, pk: int, month: dt.date, extension: str):
    scope = request_scope(request)
    posyandu = selectors.posyandu_for_report(scope, pk)
    version, live = _version_param(request)
    data = selectors.report_view(scope, posyandu, month, version=version, live=live).data
    return _download(request, data, slug=posyandu.name, extension=extension, object_id=posyandu.pk,
                     region_code=posyandu.desa_id)


@requires(Perm.VIEW_AGGREGATES)
def posyandu_report_xlsx(request, pk: int, month: dt.date):
    return _posyandu_export(request, pk, month, "xlsx")


@requires(Perm.VIEW_AGGREGATES)
def posyandu_report_pdf(request, pk: int, month: dt.date):
    return _posyandu_export(request, pk, month, "pdf")


@requires(Perm.VIEW_AGGREGATES)
@require_POST
def posyandu_report_submit(request, pk: int, month: dt.date):
    scope = request_scope(request)
    posyandu = selectors.posyandu_for_report(scope, pk)
    form = SubmitForm(request.POST)
    client_uuid = form.cleaned_data.get("client_uuid") if form.is_valid() else None
    try:
        report = report_submit(actor=request.user, scope=scope, posyandu=posyandu, month=month, client_uuid=client_uuid)
    except DomainError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Report submitted and locked as version %(version)s.") % {"version": report.version})
    return redirect("reports:posyandu_report", pk=posyandu.pk, month=month)


@requires(Perm.VIEW_AGGREGATES)
@require_POST
def posyandu_report_correct(request, pk: int, month: dt.date):
    scope = request_scope(request)
    posyandu = selectors.posyandu_for_report(scope, pk)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            report = report_correct(actor=request.user, scope=scope, posyandu=posyandu, month=month,
                                    reason=form.cleaned_data["reason"], client_uuid=form.cleaned_data["client_uuid"])
        except DomainError as exc:
            if exc.code == "forbidden":
                raise PermissionDenied from exc
            form.add_error(None, exc.message)
            apply_field_errors(exc.field_errors, form)
        else:
            messages.success(request, _("Correction saved as version %(version)s.") % {"version": report.version})
            return redirect("reports:posyandu_report", pk=posyandu.pk, month=month)
    context = _report_context(request, posyandu, month, live=True, correction_form=form)
    return render(request, "reports/posyandu_report.html", context, status=400)


def _summary(request, code: str, month: dt.date):
    scope = request_scope(request)
    region = selectors.region_for_summary(scope, undotted(code))
    return region, selectors.summary_view(scope, region, month)


@requires(Perm.VIEW_AGGREGATES)
def region_summary(request, code: str, month: dt.date):
    region, data = _summary(request, code, month)
    return render(request, "reports/region_summary.html", {
        "region": region, "month": month, "data": data,
        "previous_month": previous_month(month), "next_month": next_month(month),
    })


@requires(Perm.VIEW_AGGREGATES)
def region_summary_xlsx(request, code: str, month: dt.date):
    region, data = _summary(request, code, month)
    return _download(request, data, slug=f"{region.code} {region.name}", extension="xlsx", object_id=region.code,
                     region_code=region.code)


@requires(Perm.VIEW_AGGREGATES)
def region_summary_pdf(request, code: str, month: dt.date):
    region, data = _summary(request, code, month)
    return _download(request, data, slug=f"{region.code} {region.name}", extension="pdf", object_id=region.code,
                     region_code=region.code)
