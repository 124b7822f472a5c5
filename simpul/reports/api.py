"""/api/v1/reports: the monthly posyandu report as JSON (live or a stored version), submit, correct, and
region summaries. The same data object as the page, its Excel file and its PDF.

Reads need ``Perm.VIEW_AGGREGATES`` with the kesehatan field over the posyandu (or the whole region);
anything else is answered like a missing report (404). Submit and correct need the kesehatan kader of
the posyandu or a nakes of the area; another viewer gets 403.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from simpul.accounts.context_processors import request_scope
from simpul.api.types import Id
from simpul.audit.services import access_record
from simpul.core.errors import DomainError
from simpul.core.inputs import FIRST_DAY, LAST_DAY
from simpul.regions.models import undotted
from simpul.reports import selectors
from simpul.reports.data import ReportData
from simpul.reports.services import report_correct, report_submit

router = Router(tags=["reports"])


class RowOut(Schema):
    key: str
    label: str
    values: list[int]


class RatioOut(Schema):
    key: str
    label: str
    values: list[float | None] = Field(description="percentages; null where the denominator is 0")


class SectionOut(Schema):
    key: str
    title: str
    columns: list[str]
    rows: list[RowOut]
    ratios: list[RatioOut]


class VersionOut(Schema):
    version: int
    status: str
    submitted_by: str | None
    submitted_at: dt.datetime
    reason: str


class ReportOut(Schema):
    posyandu_id: int
    posyandu_name: str
    desa_code: str
    month: str = Field(description="YYYY-MM")
    status: str = Field(description="draft (live data), submitted or superseded")
    version: int | None
    submitted_by: str | None
    submitted_at: dt.datetime | None
    reason: str
    changed_since_submission: bool
    sections: list[SectionOut]
    versions: list[VersionOut]


class BreakdownOut(Schema):
    name: str
    posyandu_id: int | None
    region_code: str
    posyandu_total: int
    posyandu_reported: int
    values: list[int]
    ratios: list[float | None]


class SummaryOut(Schema):
    region_code: str
    region_name: str
    month: str
    posyandu_total: int
    posyandu_reported: int
    sections: list[SectionOut]
    breakdown_columns: list[str]
    breakdown_ratio_columns: list[str]
    breakdown: list[BreakdownOut]


class SubmitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    client_uuid: uuid.UUID | None = Field(None, description="sending it again returns the stored version (200)")


class CorrectIn(SubmitIn):
    reason: str = Field(max_length=255)


def _month(value: str) -> dt.date:
    try:
        year, month = value.split("-")
        if len(year) != 4 or len(month) != 2 or not (year + month).isascii() or not (year + month).isdigit():
            raise ValueError(value)
        day = dt.date(int(year), int(month), 1)
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValueError(value)  # a report's month ends a month later: year 9999 has no next month
        return day
    except ValueError as exc:
        message = _("Enter a month in the form YYYY-MM.")
        raise DomainError(message, field_errors={"month": [message]}) from exc


def _sections(data: ReportData) -> list[dict]:
    return [{"key": s.key, "title": s.title, "columns": s.columns,
             "rows": [{"key": r.key, "label": r.label, "values": r.values} for r in s.rows],
             "ratios": [{"key": r.key, "label": r.label, "values": r.values} for r in s.ratios]}
            for s in data.sections]


def _report_out(posyandu, month: dt.date, report) -> dict:
    data = report.data
    return {
        "posyandu_id": posyandu.pk, "posyandu_name": posyandu.name, "desa_code": posyandu.desa_id,
        "month": month.strftime("%Y-%m"), "status": data.status, "version": data.version,
        "submitted_by": data.submitted_by or None, "submitted_at": data.submitted_at, "reason": data.reason,
        "changed_since_submission": data.changed_since_submission, "sections": _sections(data),
        "versions": [{"version": v.version, "status": v.status, "reason": v.reason, "submitted_at": v.submitted_at,
                      "submitted_by": v.submitted_by.get_username() if v.submitted_by else None}
                     for v in report.versions],
    }


@router.get("/posyandu/{int:posyandu_id}/{month}", response=ReportOut)
def monthly_report_detail(request, posyandu_id: Id, month: str, version: int | None = None, live: bool = False):
    """The report: by default the submitted version in force, else the live draft; ``version`` an older one,
    ``live=true`` the live data."""
    scope = request_scope(request)
    posyandu = selectors.posyandu_for_report(scope, posyandu_id)
    month_day = _month(month)
    report = selectors.report_view(scope, posyandu, month_day, version=version, live=live)
    access_record(actor=request.user, action="api_read", object_type="reports.posyandu_report", object_id=posyandu.pk,
                  region_code=posyandu.desa_id, detail=f"month={month} version={report.data.version or 'draft'}",
                  request=request)
    return _report_out(posyandu, month_day, report)


def _write(request, posyandu_id: int, month: str, payload: SubmitIn, action):
    scope = request_scope(request)
    posyandu = selectors.posyandu_for_report(scope, posyandu_id)
    month_day = _month(month)
    existed = selectors.report_by_client_uuid(scope, posyandu, month_day, payload.client_uuid) is not None
    try:
        stored = action(scope, posyandu, month_day)
    except DomainError as exc:
        if exc.code == "forbidden":
            raise HttpError(403, exc.message) from exc
        raise
    report = selectors.report_view(scope, posyandu, month_day, version=stored.version)
    return Status(200 if existed else 201, _report_out(posyandu, month_day, report))


@router.post("/posyandu/{int:posyandu_id}/{month}/submit", response={201: ReportOut, 200: ReportOut})
def monthly_report_submit(request, posyandu_id: Id, month: str, payload: SubmitIn):
    """Lock the month as version 1. A second submit is refused (409): make a correction instead."""
    return _write(request, posyandu_id, month, payload, lambda scope, posyandu, month_day: report_submit(
        actor=request.user, scope=scope, posyandu=posyandu, month=month_day, client_uuid=payload.client_uuid))


@router.post("/posyandu/{int:posyandu_id}/{month}/correct", response={201: ReportOut, 200: ReportOut})
def monthly_report_correct(request, posyandu_id: Id, month: str, payload: CorrectIn):
    """Store the live data as the next version with a reason; the earlier version stays readable."""
    return _write(request, posyandu_id, month, payload, lambda scope, posyandu, month_day: report_correct(
        actor=request.user, scope=scope, posyandu=posyandu, month=month_day, reason=payload.reason,
        client_uuid=payload.client_uuid))


@router.get("/regions/{code}/{month}", response=SummaryOut)
def monthly_report_region(request, code: str, month: str):
    """The sum of the posyandu reports of a desa, kecamatan or kab/kota (submitted version, else live)."""
    scope = request_scope(request)
    region = selectors.region_for_summary(scope, undotted(code))
    month_day = _month(month)
    data = selectors.summary_view(scope, region, month_day)
    access_record(actor=request.user, action="api_read", object_type="reports.region_report", object_id=region.code,
                  region_code=region.code, detail=f"month={month}", request=request)
    return {
        "region_code": region.code, "region_name": region.name, "month": month_day.strftime("%Y-%m"),
        "posyandu_total": data.posyandu_total, "posyandu_reported": data.posyandu_reported,
        "sections": _sections(data), "breakdown_columns": data.breakdown_columns,
        "breakdown_ratio_columns": data.breakdown_ratio_columns,
        "breakdown": [{"name": b.name, "posyandu_id": b.posyandu_id, "region_code": b.region_code,
                       "posyandu_total": b.posyandu_total, "posyandu_reported": b.posyandu_reported,
                       "values": b.values, "ratios": b.ratios} for b in data.breakdown],
    }
