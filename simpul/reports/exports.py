"""Excel (openpyxl) and printable A4 PDF (WeasyPrint) of a report, both from the page's ``ReportData``.

Cells hold numbers, not text, and no formulas: every reader (Excel, LibreOffice, a script) shows the
stored values, which are exactly the screen's. The PDF is the print template rendered by WeasyPrint.
"""

from __future__ import annotations

import io
import logging

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from simpul.reports.data import ReportData

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="E3EEEC")
# WeasyPrint narrates every layout step at INFO; the server log only needs its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def filename(data: ReportData, *, slug: str, extension: str) -> str:
    """``laporan-posyandu-<name>-2026-10-v1.xlsx``; a draft ends in ``-draf``, a summary has no version."""
    month = data.month.strftime("%Y-%m")
    if data.kind == "region":
        return f"laporan-wilayah-{slugify(slug)}-{month}.{extension}"
    suffix = f"v{data.version}" if data.version else "draf"
    return f"laporan-posyandu-{slugify(slug) or 'posyandu'}-{month}-{suffix}.{extension}"


def header_rows(data: ReportData) -> list[tuple[str, str]]:
    rows = list(data.place)
    rows.append((_("Month"), date_format(data.month, "F Y")))
    rows.append((_("Status"), data.status_label))
    if data.submitted_at:
        rows.append((_("Submitted"), f"{data.submitted_by} · {date_format(data.submitted_at, 'j F Y H:i')}"))
    if data.reason:
        rows.append((_("Reason for the correction"), data.reason))
    return rows


def build_xlsx(data: ReportData) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Report")[:31]
    sheet.append([data.title])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    for label, value in header_rows(data):
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=1).font = BOLD
    width = 1
    for section in data.sections:
        sheet.append([])
        sheet.append([section.title])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
        sheet.append([_("Indicator"), *section.columns])
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = BOLD, HEAD_FILL
            cell.alignment = Alignment(wrap_text=True, horizontal="center")
        for row in section.rows:
            sheet.append([row.label, *(int(v) for v in row.values)])
        for ratio in section.ratios:
            sheet.append([ratio.label, *ratio.values])
            for cell in sheet[sheet.max_row][1:]:
                cell.number_format = "0.0"
        width = max(width, len(section.columns) + 1)
    if data.kind == "region":
        sheet.append([])
        sheet.append([data.breakdown_title])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
        sheet.append([_("Name"), *data.breakdown_columns, *data.breakdown_ratio_columns])
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = BOLD, HEAD_FILL
        for item in data.breakdown:
            sheet.append([item.name, item.posyandu_total, item.posyandu_reported, *item.values, *item.ratios])
            for cell in sheet[sheet.max_row][3 + len(item.values):]:
                cell.number_format = "0.0"
        width = max(width, 3 + len(data.breakdown_columns) + len(data.breakdown_ratio_columns))
    sheet.column_dimensions["A"].width = 48
    for column in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 10
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_pdf(data: ReportData) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only the export needs

    html = render_to_string("reports/print.html", {"data": data, "header_rows": header_rows(data)})
    return HTML(string=html).write_pdf()
