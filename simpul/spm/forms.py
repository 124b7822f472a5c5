"""Forms of the SPM pages. They parse and offer choices; the rules (ranges, numerator ≤ denominator, who may
write where) live in ``services.py``, which checks again whatever reaches it."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from simpul.core.choices import SpmField
from simpul.regions.models import Region
from simpul.spm import catalogue
from simpul.spm.periods import FIRST_YEAR

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
YEARS_BACK = 2  # the picker offers this year and the two before it


def quarter_label(year: int, quarter: int) -> str:
    return str(_("Quarter %(q)s %(year)d")) % {"q": ROMAN[quarter], "year": year}


def period_choices(today: dt.date, *, quarters_only: bool = False) -> list:
    """Grouped options per year: the year, its quarters and its months that have begun (newest first)."""
    choices: list = []
    for year in range(today.year, max(FIRST_YEAR, today.year - YEARS_BACK) - 1, -1):
        last = today.month if year == today.year else 12
        options = [] if quarters_only else [(str(year), str(_("Whole year %(year)d")) % {"year": year})]
        options += [(f"{year}-Q{q}", quarter_label(year, q)) for q in range(4, 0, -1) if (q - 1) * 3 + 1 <= last]
        if not quarters_only:
            options += [(f"{year}-{m:02d}", date_format(dt.date(year, m, 1), "F Y")) for m in range(last, 0, -1)]
        choices.append((str(year), options))
    return choices


def indicator_choices(*, external_only: bool = False, blank=True) -> list:
    labels = dict(SpmField.choices)
    groups: dict[str, list] = {}
    for indicator in catalogue.INDICATORS:
        if external_only and indicator.source != catalogue.EXTERNAL:
            continue
        groups.setdefault(indicator.field, []).append((indicator.code, str(indicator.name)))
    choices: list = [("", _("— Choose an indicator —"))] if blank else []
    choices += [(labels[field], items) for field, items in groups.items()]
    return choices


def area_choices(areas: list[Region]) -> list:
    """The kab/kota, then each kecamatan with its desa under it."""
    choices: list = [("", _("— Choose an area —"))]
    group: list | None = None
    for region in areas:
        if region.level <= Region.Level.REGENCY:
            choices.append((region.code, str(_("Whole %(name)s")) % {"name": region.name}))
        elif region.level == Region.Level.DISTRICT:
            group = [(region.code, str(_("Whole Kecamatan %(name)s")) % {"name": region.name})]
            choices.append((str(_("Kecamatan %(name)s")) % {"name": region.name}, group))
        elif group is not None:
            group.append((region.code, f"{region.kind_label} {region.name}"))
    return choices


def year_choices(today: dt.date, *, ahead: int) -> list:
    return [(y, str(y)) for y in range(today.year + ahead, max(FIRST_YEAR, today.year - YEARS_BACK) - 1, -1)]


class FilterForm(forms.Form):
    """The dashboard's period and field picker (GET)."""

    periode = forms.ChoiceField(label=_("Period"), required=False)
    bidang = forms.ChoiceField(label=_("Field"), required=False)

    def __init__(self, *args, today: dt.date, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["periode"].choices = period_choices(today)
        labels = dict(SpmField.choices)
        self.fields["bidang"].choices = [("", _("All fields"))] + [(f, labels[f]) for f in SpmField.values
                                                                    if f in fields]


class _SettingForm(forms.Form):
    region = forms.ChoiceField(label=_("Area"))
    indicator = forms.ChoiceField(label=_("Indicator"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    external_only = False
    years_ahead = 1

    def __init__(self, *args, areas: list[Region], today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = area_choices(areas)
        self.fields["indicator"].choices = indicator_choices(external_only=self.external_only)
        self.fields["year"].choices = year_choices(today, ahead=self.years_ahead)


class TargetForm(_SettingForm):
    percent = forms.DecimalField(label=_("Target (%)"), max_digits=5, decimal_places=2,
                                 help_text=_("Above 0 and at most 100. Without a target the area uses 100%."))


class OfficialSasaranForm(_SettingForm):
    count = forms.IntegerField(label=_("Official sasaran (people or households)"), min_value=0)
    source = forms.CharField(label=_("Source"), max_length=160, required=False,
                             help_text=_("E.g. “Proyeksi Dinkes 2026”."))


class ExternalFigureForm(_SettingForm):
    month = forms.TypedChoiceField(label=_("Up to the end of the month"), coerce=int)
    denominator = forms.IntegerField(label=_("Sasaran (denominator)"), min_value=0)
    numerator = forms.IntegerField(label=_("Served (numerator)"), min_value=0)
    source = forms.CharField(label=_("Source"), max_length=160,
                             help_text=_("The system or report the figure comes from, e.g. “SIMPUS Puskesmas "
                                         "Kranggan”."))

    external_only = True
    years_ahead = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Month names in the request's language, so built here and not at import.
        self.fields["month"].choices = [(m, date_format(dt.date(2000, m, 1), "F")) for m in range(1, 13)]
