"""Life stage, derived from birth date and status on a given date — never typed in.

Bands (age in completed months), from Kemenkes' ILP life-cycle grouping
(Permenkes 25/2014 on child health for bayi/balita/apras and remaja 10–18;
Permenkes 2/2020 uses 0–60 months for the anthropometric standard; lansia from
60 years as in UU 13/1998). Kept as data: a change of regulation is an edit of
this table, not of the code.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

# (code, label, first month of age inclusive, last month of age exclusive or None)
LIFE_STAGE_BANDS: tuple[tuple[str, object, int, int | None], ...] = (
    ("bayi", _("Infant (0-11 months)"), 0, 12),
    ("balita", _("Toddler (12-59 months)"), 12, 60),
    ("apras", _("Pre-school (60-71 months)"), 60, 72),
    ("usia_sekolah", _("School age (6-9 years)"), 72, 120),
    ("remaja", _("Adolescent (10-18 years)"), 120, 228),
    ("dewasa", _("Adult (19-59 years)"), 228, 720),
    ("lansia", _("Elderly (60 years and over)"), 720, None),
)
LABELS = {code: label for code, label, _lo, _hi in LIFE_STAGE_BANDS}
# Column headings for tables, where the long label does not fit.
SHORT_LABELS = {
    "bayi": _("Infants"),
    "balita": _("Toddlers"),
    "apras": _("Pre-school"),
    "usia_sekolah": _("School age"),
    "remaja": _("Adolescents"),
    "dewasa": _("Adults"),
    "lansia": _("Elderly"),
}


def age_in_months(birth_date: dt.date, on: dt.date) -> int:
    months = (on.year - birth_date.year) * 12 + (on.month - birth_date.month)
    if on.day < birth_date.day:
        months -= 1
    return months


def life_stage(birth_date: dt.date, on: dt.date, *, life_status: str = "alive") -> str | None:
    """The band code on date ``on``; None before birth or for someone no longer living here."""
    if on < birth_date or life_status != "alive":
        return None
    months = age_in_months(birth_date, on)
    for code, _label, low, high in LIFE_STAGE_BANDS:
        if months >= low and (high is None or months < high):
            return code
    return None


def age_label(birth_date: dt.date, on: dt.date) -> str:
    months = age_in_months(birth_date, on)
    if months < 24:
        return str(_("%(n)d months") % {"n": months})
    return str(_("%(n)d years") % {"n": months // 12})
