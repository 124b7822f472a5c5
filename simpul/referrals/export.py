"""The agency's (or village's) referral list as an Excel workbook a dinas opens as is."""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


def referrals_workbook(rows, *, today: dt.date) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Referrals")[:31]
    headers = [_("Ticket"), _("Field"), _("Category"), _("Village"), _("RT/RW"), _("About"), _("Status"),
               _("Recorded on"), _("Due on"), _("Overdue"), _("Agency"), _("Outcome")]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in rows:
        sheet.append([r.ticket, r.field_label, r.category, r.desa, r.rt_rw, r.subject, r.state_label, r.recorded_on,
                      r.due_on, _("yes") if r.overdue else _("no"), r.agency, r.outcome])
    for index, width in enumerate([34, 16, 36, 18, 9, 28, 22, 12, 12, 10, 34, 18], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2, min_col=8, max_col=9):
        for cell in row:
            cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.append([])
    sheet.append([_("Exported on %(date)s") % {"date": today.strftime("%d/%m/%Y")}])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer
