"""The not-reached list of a programme as an Excel workbook (names masked exactly as on the page)."""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from simpul.programmes import eligibility


def not_reached_workbook(programme, result, *, on: dt.date, today: dt.date) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Not reached")[:31]
    sheet.append([programme.name])
    sheet.append([eligibility.describe(programme.target_rule, programme.target_params)])
    sheet.append([_("Eligible on %(date)s, never a participant") % {"date": on.strftime("%d/%m/%Y")}])
    sheet.append([])
    headers = [_("Name"), _("Age"), _("Sex"), _("RT"), _("RW"), _("Posyandu"), _("Village")]
    sheet.append(headers)
    for cell in sheet[5]:
        cell.font = Font(bold=True)
    for row in result.rows:
        sheet.append([row.name, row.age, row.sex, row.rt, row.rw, row.posyandu, row.desa])
    for index, width in enumerate([30, 10, 6, 6, 6, 28, 22], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A6"
    sheet.append([])
    sheet.append([_("Exported on %(date)s") % {"date": today.strftime("%d/%m/%Y")}])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer
