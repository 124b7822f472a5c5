"""The one data object that the report page, its Excel file, its PDF and its JSON are all made from.

A section is kept as plain lists (``SectionData``) so that a live report, a stored snapshot and a sum
over many posyandu look the same to every renderer. Ratios (K/S, D/S, ...) are derived, never summed:
``with_ratios`` recomputes them from the counts of whatever sections it is given, so a kecamatan
summary shows the ratio of its summed counts, not a sum or mean of posyandu ratios.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from simpul.reports.sections import Section


@dataclass
class RowData:
    key: str
    label: str
    values: list[int]


@dataclass
class RatioData:
    key: str
    label: str
    values: list[float | None]  # percentages to one decimal; None where the denominator is 0


@dataclass
class SectionData:
    key: str
    title: str
    columns: list[str]
    rows: list[RowData]
    ratios: list[RatioData] = field(default_factory=list)

    def row(self, key: str) -> RowData | None:
        return next((row for row in self.rows if row.key == key), None)

    def total(self, key: str) -> int:
        """The last column (the grand total) of a row; 0 when the row is missing."""
        row = self.row(key)
        return row.values[-1] if row and row.values else 0


@dataclass(frozen=True)
class Ratio:
    key: str
    label: object  # lazy translation
    numerator: str  # row keys of the same section
    denominator: str


# Derived rows per section key. SKDN ratios (domain.md §3.5): coverage K/S, participation D/S, success of
# weighing N/D, D/K and N/S.
RATIOS: dict[str, tuple[Ratio, ...]] = {
    "skdn": (
        Ratio("k_s", _("K/S (programme coverage) %"), "k", "s"),
        Ratio("d_s", _("D/S (participation) %"), "d", "s"),
        Ratio("n_d", _("N/D (weighing success) %"), "n", "d"),
        Ratio("d_k", _("D/K %"), "d", "k"),
        Ratio("n_s", _("N/S %"), "n", "s"),
    ),
}


def percent(numerator: int, denominator: int) -> float | None:
    """100 × n / d to one decimal, rounded half up; None when there is nothing to divide by."""
    if not denominator:
        return None
    value = (Decimal(100 * numerator) / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(value)


def with_ratios(sections: list[SectionData]) -> list[SectionData]:
    for section in sections:
        section.ratios = []
        for ratio in RATIOS.get(section.key, ()):
            top, bottom = section.row(ratio.numerator), section.row(ratio.denominator)
            if top is None or bottom is None:
                continue
            section.ratios.append(RatioData(ratio.key, str(ratio.label),
                                            [percent(n, d) for n, d in zip(top.values, bottom.values, strict=False)]))
    return sections


def section_from(section: Section) -> SectionData:
    return SectionData(
        key=section.key, title=str(section.title), columns=[str(c) for c in section.columns],
        rows=[RowData(row.key, str(row.label), [int(v) for v in row.values]) for row in section.rows],
    )


def to_snapshot(sections: Iterable[SectionData]) -> dict:
    """What a submitted report stores: the counts with the labels they were shown with."""
    return {"sections": [
        {"key": s.key, "title": s.title, "columns": list(s.columns),
         "rows": [{"key": r.key, "label": r.label, "values": list(r.values)} for r in s.rows]}
        for s in sections
    ]}


def from_snapshot(snapshot: dict) -> list[SectionData]:
    return with_ratios([
        SectionData(key=s["key"], title=s["title"], columns=list(s["columns"]),
                    rows=[RowData(r["key"], r["label"], [int(v) for v in r["values"]]) for r in s["rows"]])
        for s in snapshot.get("sections", [])
    ])


def counts_of(sections: Iterable[SectionData]) -> dict[tuple[str, str], tuple[int, ...]]:
    """The numbers only (no labels): two reports are "the same" when these are equal."""
    return {(s.key, r.key): tuple(r.values) for s in sections for r in s.rows}


def add_sections(parts: Iterable[list[SectionData]]) -> list[SectionData]:
    """Sum reports: rows with the same section and row key are added column by column.

    Sections and rows keep the order in which they first appear. Should two reports disagree on the
    number of columns of a section (a section changed between a stored version and today), the shorter
    rows are padded with zeros and the headings of the wider one are kept.
    """
    merged: dict[str, SectionData] = {}
    for sections in parts:
        for section in sections:
            target = merged.get(section.key)
            if target is None:
                target = merged[section.key] = SectionData(section.key, section.title, list(section.columns), [])
            elif len(section.columns) > len(target.columns):
                target.columns = list(section.columns)
            for row in section.rows:
                existing = target.row(row.key)
                if existing is None:
                    target.rows.append(RowData(row.key, row.label, list(row.values)))
                    continue
                width = max(len(existing.values), len(row.values))
                a = existing.values + [0] * (width - len(existing.values))
                b = list(row.values) + [0] * (width - len(row.values))
                existing.values = [x + y for x, y in zip(a, b, strict=True)]
    for section in merged.values():
        width = len(section.columns)
        for row in section.rows:
            row.values = row.values + [0] * (width - len(row.values))
    return with_ratios(list(merged.values()))


@dataclass
class BreakdownRow:
    name: str
    posyandu_total: int
    posyandu_reported: int
    values: list[int]
    ratios: list[float | None]
    posyandu_id: int | None = None  # a posyandu row (desa summary)
    region_code: str = ""  # a desa or kecamatan row (kecamatan and kab/kota summaries)


@dataclass
class ReportData:
    """Everything a renderer shows; the screen, Excel, PDF and JSON read only this."""

    kind: str  # "posyandu" or "region"
    title: str
    place: list[tuple[str, str]]  # header block: (translated label, value)
    month: dt.date
    status: str  # "draft" (live data), "submitted" or "superseded"
    status_label: str
    version: int | None
    sections: list[SectionData]
    submitted_by: str = ""
    submitted_at: dt.datetime | None = None
    reason: str = ""
    changed_since_submission: bool = False
    # Summaries of a desa, kecamatan or kab/kota only:
    posyandu_total: int | None = None
    posyandu_reported: int | None = None
    breakdown_title: str = ""
    breakdown_columns: list[str] = field(default_factory=list)
    breakdown_ratio_columns: list[str] = field(default_factory=list)
    breakdown: list[BreakdownRow] = field(default_factory=list)

    def section(self, key: str) -> SectionData | None:
        return next((s for s in self.sections if s.key == key), None)
