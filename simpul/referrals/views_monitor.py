"""Supervision pages for the village office, the camat and Tim Pembina (``Perm.MONITOR_REFERRALS``).

Tickets only: ticket code, category, desa, agency, state and the SLA clock. No person or household,
no description, no reporter; confidential referrals are never listed (simpul.referrals.access.monitor_q)
and are only counted in the compliance tables. Each user sees their own region: the lurah the desa,
the camat the kecamatan, Tim Pembina the kab/kota.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.audit.services import access_record
from simpul.core.decorators import requires
from simpul.referrals import compliance, selectors, sla
from simpul.referrals.models import Escalation
from simpul.referrals.states import State
from simpul.referrals.taxonomy import category_label

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_LIMIT = 200  # rows per list on a page; the counts above it say how many there are in all
# The columns a ticket list may read: nothing about a person, the household, the description or the reporter.
TICKET_FIELDS = ("id", "ticket", "category__code", "category__name", "desa__name", "agency__short_name", "state",
                 "stage_started_on", "due_on", "closed_on", "recorded_on")
# (grouping, table title, Excel sheet name: at most 31 characters, no / \\ * ? : [ ])
TABLES = (
    ("agency", gettext_lazy("By agency"), gettext_lazy("Agencies")),
    ("desa", gettext_lazy("By village (desa/kelurahan)"), gettext_lazy("Villages")),
    ("kecamatan", gettext_lazy("By district (kecamatan)"), gettext_lazy("Districts")),
)


def _ticket_row(row: dict) -> dict:
    row["category"] = category_label(row["category__code"], row["category__name"])
    row["state_label"] = State(row["state"]).label
    return row


@requires(Perm.MONITOR_REFERRALS)
def monitor(request):
    scope = request_scope(request)
    today = timezone.localdate()
    overdue_qs = selectors.monitor_tickets(scope, box="overdue", today=today)
    overdue = [_ticket_row(row) for row in overdue_qs.values(*TICKET_FIELDS)[:LIST_LIMIT]]
    sla.clocks_annotate(overdue, today=today)
    stalled = selectors.monitor_tickets(scope, box="escalated", today=today)
    escalated = Escalation.objects.filter(
        referral__in=stalled.values("pk"), stage_started_at=F("referral__stage_started_at"),  # still stalled
    ).order_by("-at", "-pk").values("level", "at", "working_days_stalled",
                                    *(f"referral__{name}" for name in TICKET_FIELDS))[:2 * LIST_LIMIT]
    escalations, seen = [], set()
    for item in escalated:  # one row per ticket: the latest (highest) level its stage has reached
        if item["referral__id"] in seen or len(seen) == LIST_LIMIT:
            continue
        seen.add(item["referral__id"])
        row = _ticket_row({name: item[f"referral__{name}"] for name in TICKET_FIELDS})
        row.update(level=item["level"], level_label=Escalation.Level(item["level"]).label, at=item["at"],
                   working_days_stalled=item["working_days_stalled"])
        escalations.append(row)
    return render(request, "referrals/monitor.html", {
        "today": today, "overdue": overdue, "overdue_count": overdue_qs.count(),
        "escalations": escalations, "limit": LIST_LIMIT, "tab": "tickets",
    })


def _this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def _month(request) -> dt.date:
    """``?bulan=2026-03``; anything else (or nothing, or a year outside 2000–2100) is the current month."""
    try:
        year, number = (int(part) for part in request.GET.get("bulan", "").split("-"))
        if 2000 <= year <= 2100:
            return dt.date(year, number, 1)
    except ValueError:
        pass
    return _this_month()


def _month_end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _tables(request, month: dt.date) -> list[dict]:
    scope = request_scope(request)
    end = _month_end(month)
    # A table per kecamatan only for those who oversee more than one (Tim Pembina); for a camat it would
    # repeat the total.
    wide = any(len(prefix) < 6 for prefix in scope.region_prefixes(Perm.MONITOR_REFERRALS))
    tables = []
    for by, title, sheet in TABLES:
        if by == "kecamatan" and not wide:
            continue
        rows = compliance.compliance(scope, by=by, start=month, end=end)
        tables.append({"by": by, "title": title, "sheet": sheet, "rows": rows, "total": compliance.total(rows)})
    return tables


@requires(Perm.MONITOR_REFERRALS)
def monitor_compliance(request):
    month = _month(request)
    months = [_this_month()]
    for _i in range(11):
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    return render(request, "referrals/monitor_compliance.html", {
        "month": month, "months": months, "tables": _tables(request, month), "tab": "compliance",
    })


@requires(Perm.MONITOR_REFERRALS)
def monitor_compliance_xlsx(request):
    month = _month(request)
    tables = _tables(request, month)
    name = f"kepatuhan-sla-rujukan-{month:%Y-%m}.xlsx"
    scope = request_scope(request)
    prefixes = scope.region_prefixes(Perm.MONITOR_REFERRALS)
    access_record(actor=request.user, action="export", object_type="referrals.compliance",
                  object_id=f"{month:%Y-%m}", region_code=prefixes[0] if len(prefixes) == 1 else "",
                  detail=name, request=request)
    response = HttpResponse(_xlsx(month, tables), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _xlsx(month: dt.date, tables: list[dict]) -> bytes:
    """One sheet per table; cells hold numbers (percent as a number, empty when nothing was due)."""
    book = Workbook()
    book.remove(book.active)
    columns = [_("Name"), _("Due"), _("On time"), _("Late"), _("Open and overdue"), _("Percent on time")]
    for table in tables:
        sheet = book.create_sheet(re.sub(r"[\\/*?:\[\]]", " ", str(table["sheet"]))[:31])
        sheet.append([_("SLA compliance of referrals"), str(table["title"])])
        sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
        sheet.append([_("Due in"), date_format(month, "F Y")])
        sheet.append([])
        sheet.append(columns)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in [*table["rows"], table["total"]]:
            sheet.append([str(row["label"] or ""), row["due"], row["on_time"], row["late"], row["open_overdue"],
                          row["percent"]])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
