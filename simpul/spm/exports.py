"""Excel (openpyxl) of the SPM tables: a place's achievement, its children's, the unserved list, and the
quarterly e-SPM sheet of one field per kecamatan.

Cells hold numbers, not text and not formulas, so every reader shows the stored values; a percentage is the
exact fraction (numerator / denominator) formatted as a percent, and an empty cell means "no data" (no
sasaran yet, or no figure from the other system). Headers are in the request's language (Bahasa Indonesia).
"""

from __future__ import annotations

import datetime as dt
import io
import re

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from simpul.core.choices import SpmField
from simpul.spm import catalogue
from simpul.spm.periods import Period
from simpul.spm.selectors import Place, Row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "0.0%"
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="E3EEEC")


def period_label(period: Period) -> str:
    if period.kind == "year":
        return _("Year %(year)d") % {"year": period.year}
    if period.kind == "quarter":
        return _("Quarter %(q)s %(year)d") % {"q": "I II III IV".split()[period.month // 3 - 1], "year": period.year}
    return date_format(dt.date(period.year, period.month, 1), "F Y")


def fraction(numerator: int | None, denominator: int | None) -> float | None:
    """The achievement as a fraction for a percent-formatted cell; None when nothing can be said."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def source_text(row: Row, sources: list[str]) -> str:
    if row.source == catalogue.SIMPUL:
        return _("Simpul data")
    if row.denominator is None:
        return _("No data yet")
    return _("Data from another system: %(source)s") % {"source": ", ".join(sources) or "—"}


def _book(title: str, facts: list[tuple[str, str]], sheet_name: str):
    book = Workbook()
    sheet = book.active
    sheet.title = re.sub(r"[\\/*?:\[\]]", " ", sheet_name)[:31]
    sheet.append([title])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    for label, value in facts:
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=1).font = BOLD
    sheet.append([])
    return book, sheet


def _header(sheet, columns: list[str]) -> None:
    sheet.append(columns)
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = BOLD, HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")


def _save(book, widths: dict[int, int]) -> bytes:
    for sheet in book.worksheets:
        for column, width in widths.items():
            sheet.column_dimensions[get_column_letter(column)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _place_facts(place: Place, period: Period, as_of: dt.date) -> list[tuple[str, str]]:
    return [(_("Area"), place.name), (_("Period"), period_label(period)),
            (_("Data up to"), date_format(as_of, "j F Y")),
            (_("Note"), _("Cumulative from 1 January to the end of the period."))]


ROW_COLUMNS = (gettext_lazy("Field"), gettext_lazy("Code"), gettext_lazy("Indicator"),
               gettext_lazy("Sasaran (denominator)"), gettext_lazy("Served (numerator)"),
               gettext_lazy("Achievement"), gettext_lazy("Target"), gettext_lazy("Not yet surveyed"),
               gettext_lazy("Official sasaran"), gettext_lazy("Registration gap"), gettext_lazy("Source"))


def _row_cells(row: Row, sources: list[str]) -> list:
    labels = dict(SpmField.choices)
    return [str(labels.get(row.field, row.field)), row.code, row.name, row.denominator, row.numerator,
            fraction(row.numerator, row.denominator), float(row.target) / 100, row.pending or 0,
            row.official_sasaran, row.registration_gap, source_text(row, sources)]


def _percent_columns(sheet, columns: tuple[int, ...], first_row: int) -> None:
    for row in sheet.iter_rows(min_row=first_row):
        for index in columns:
            row[index - 1].number_format = PERCENT


def achievement_xlsx(*, place: Place, period: Period, as_of: dt.date, rows: list[Row],
                     sources: dict[str, list[str]]) -> bytes:
    book, sheet = _book(_("SPM achievement"), _place_facts(place, period, as_of), _("Achievement"))
    _header(sheet, [str(name) for name in ROW_COLUMNS])
    first = sheet.max_row + 1
    for row in rows:
        sheet.append(_row_cells(row, sources.get(row.code, [])))
    _percent_columns(sheet, (6, 7), first)
    return _save(book, {1: 18, 2: 22, 3: 48, 4: 14, 5: 14, 6: 12, 7: 10, 8: 12, 9: 14, 10: 14, 11: 36})


def breakdown_xlsx(*, place: Place, period: Period, as_of: dt.date,
                   children: list[tuple[Place, list[Row]]]) -> bytes:
    """One line per child and indicator (long format: filter by area or indicator in Excel)."""
    book, sheet = _book(_("SPM achievement by area"), _place_facts(place, period, as_of), _("By area"))
    _header(sheet, [_("Area"), _("Area code"), *[str(name) for name in ROW_COLUMNS[:-1]]])
    first = sheet.max_row + 1
    for child, rows in children:
        for row in rows:
            code = f"posyandu {child.posyandu_id}" if child.posyandu_id else child.code
            sheet.append([child.name, code, *_row_cells(row, [])[:-1]])
    _percent_columns(sheet, (8, 9), first)
    return _save(book, {1: 26, 2: 14, 3: 18, 4: 22, 5: 48, 6: 14, 7: 14, 8: 12, 9: 10, 10: 12, 11: 14, 12: 14})


def unserved_xlsx(*, place: Place, period: Period, as_of: dt.date, indicator: catalogue.Indicator, entries,
                  names_visible: bool) -> bytes:
    facts = [*_place_facts(place, period, as_of)[:3], (_("Indicator"), f"{indicator.name} ({indicator.code})")]
    if not names_visible:
        facts.append((_("Note"), _("Names are masked: your role sees counts, not people.")))
    book, sheet = _book(_("Not yet served"), facts, _("Not yet served"))
    _header(sheet, [_("Posyandu"), _("Name") if names_visible else _("Name (masked)"), _("Age"), _("RT"),
                    _("RW"), _("Not yet surveyed"), _("What is missing")])
    for entry in entries:
        sheet.append([entry.posyandu, entry.name, entry.age, entry.rt, entry.rw,
                      _("yes") if entry.pending else "", "; ".join(m["text"] for m in entry.missing)])
    return _save(book, {1: 26, 2: 28, 3: 10, 4: 6, 5: 6, 6: 12, 7: 70})


def espm_xlsx(*, place: Place, field_label: str, period: Period, as_of: dt.date, indicators,
              children: list[tuple[Place, list[Row]]], total: list[Row]) -> bytes:
    """The quarterly e-SPM input of one field: a line per child area (kecamatan of a kab/kota), and for each
    indicator its sasaran, served, achievement and target; the area's total last."""
    facts = [(_("Area"), place.name), (_("Field"), field_label), (_("Period"), period_label(period)),
             (_("Data up to"), date_format(as_of, "j F Y")),
             (_("Note"), _("Cumulative from 1 January to the end of the quarter."))]
    book, sheet = _book(_("SPM achievement for e-SPM"), facts, "e-SPM")
    kind = _("Kecamatan") if len(place.code) == 4 else _("Area")
    top = sheet.max_row + 1
    sheet.append([kind, *[c for i in indicators for c in (f"{i.name} ({i.code})", None, None, None)]])
    sheet.append([None, *[c for _i in indicators for c in (_("Sasaran"), _("Served"), _("Achievement"),
                                                            _("Target"))]])
    for row_index in (top, top + 1):
        for cell in sheet[row_index]:
            cell.font, cell.fill = BOLD, HEAD_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet.merge_cells(start_row=top, start_column=1, end_row=top + 1, end_column=1)
    for index in range(len(indicators)):
        start = 2 + index * 4
        sheet.merge_cells(start_row=top, start_column=start, end_row=top, end_column=start + 3)
    sheet.row_dimensions[top].height = 45

    def cells(rows: list[Row]) -> list:
        by_code = {row.code: row for row in rows}
        out: list = []
        for indicator in indicators:
            row = by_code[indicator.code]
            out += [row.denominator, row.numerator, fraction(row.numerator, row.denominator),
                    float(row.target) / 100]
        return out

    for child, rows in children:
        sheet.append([child.name, *cells(rows)])
    sheet.append([_("Total %(name)s") % {"name": place.name}, *cells(total)])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for row in sheet.iter_rows(min_row=top + 2):
        for index in range(len(indicators)):
            row[1 + index * 4 + 2].number_format = PERCENT
            row[1 + index * 4 + 3].number_format = PERCENT
    widths = {1: 26} | {2 + i: 12 for i in range(len(indicators) * 4)}
    return _save(book, widths)
