"""What Tim Pembina sets beside the counters: targets, the official projected sasaran, and the figures of
indicators whose data lives in another system.

Each write: one transaction → checks (every problem as a field error in plain Bahasa Indonesia, nothing
written when one fails) → the change → an audit entry. Only a user with MANAGE_ROUTING over a whole kab/kota
(Tim Pembina) may write, and only inside that kab/kota (``selectors_dashboard.managed_prefixes``).
Values may arrive loosely typed (a form, JSON, a spreadsheet import), so each is parsed here too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.scope import Scope, require_scope
from simpul.audit.services import audit_record
from simpul.core.errors import DomainError, NotInScope
from simpul.core.inputs import parse_decimal
from simpul.regions.models import Region
from simpul.spm import catalogue
from simpul.spm.models import ExternalFigure, OfficialSasaran, Target
from simpul.spm.periods import FIRST_YEAR
from simpul.spm.selectors_dashboard import managed_prefixes

SOURCE_MAX = ExternalFigure._meta.get_field("source").max_length
COUNT_MAX = 2_000_000_000  # a PositiveIntegerField holds up to 2^31 − 1 everywhere


def _invalid(errors: dict[str, list[str]]) -> DomainError:
    return DomainError(_("Please correct the marked fields."), field_errors=errors)


def _require_manager(scope: Scope | None) -> list[str]:
    prefixes = managed_prefixes(require_scope(scope))
    if not prefixes:
        raise NotInScope()
    return prefixes


def _region(errors, prefixes: list[str], code) -> Region | None:
    code = str(code or "").replace(".", "").strip()
    region = Region.objects.filter(code=code).first() if code else None
    if region is None or not any(region.code.startswith(p) for p in prefixes):
        errors["region"] = [_("Choose an area of your kab/kota.")]
        return None
    return region


def _indicator(errors, code, *, external: bool = False) -> catalogue.Indicator | None:
    indicator = catalogue.get(str(code or ""))
    if indicator is None:
        errors["indicator"] = [_("Choose an indicator from the list.")]
        return None
    if external and indicator.source != catalogue.EXTERNAL:
        errors["indicator"] = [_("Simpul counts this indicator from its own records; figures from another "
                                 "system can only be entered for the indicators marked as such.")]
        return None
    return indicator


def _int(errors, field: str, value, *, low: int, high: int, message: str) -> int | None:
    """A whole number in [low, high]; ``message`` (already translated) when it is anything else."""
    if isinstance(value, bool):
        errors[field] = [message]
        return None
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        errors[field] = [message]
        return None
    if not low <= number <= high:
        errors[field] = [message]
        return None
    return number


def _year(errors, value, today: dt.date, *, ahead: int) -> int | None:
    return _int(errors, "year", value, low=FIRST_YEAR, high=today.year + ahead,
                message=_("Choose a year from %(first)d to %(last)d.") % {"first": FIRST_YEAR,
                                                                          "last": today.year + ahead})


def _source(errors, value, *, required: bool) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        errors["source"] = [_("Write where the figure comes from (e.g. SIMPUS Puskesmas Kranggan).")]
    elif len(text) > SOURCE_MAX:
        errors["source"] = [_("This text can be at most %(n)d characters.") % {"n": SOURCE_MAX}]
    return text


def _percent(errors, value) -> Decimal | None:
    message = _("Write the target as a number above 0 and at most 100, e.g. 95 or 97.5.")
    try:
        percent = parse_decimal(value)
    except InvalidOperation:
        percent = None
    if percent is None or not Decimal(0) < percent <= Decimal(100) or percent.as_tuple().exponent < -2:
        errors["percent"] = [message]
        return None
    return percent.quantize(Decimal("0.01"))


# --- Targets --------------------------------------------------------------------------------------------

@transaction.atomic
def target_set(*, actor, scope: Scope | None, region: str, indicator: str, year, percent,
               now: dt.datetime | None = None) -> Target:
    """Set the target percent of an indicator for an area and year (the default is the catalogue's, 100)."""
    now = now or timezone.now()
    prefixes = _require_manager(scope)
    errors: dict[str, list[str]] = {}
    area = _region(errors, prefixes, region)
    found = _indicator(errors, indicator)
    year = _year(errors, year, timezone.localtime(now).date(), ahead=1)
    value = _percent(errors, percent)
    if errors:
        raise _invalid(errors)
    target = Target.objects.select_for_update().filter(region=area, indicator=found.code, year=year).first()
    before = target.percent if target else None
    if target is None:
        target = Target(region=area, indicator=found.code, year=year)
    target.percent, target.set_by, target.set_at = value, actor, now
    target.save()
    audit_record(actor=actor, action="spm.target.set", obj=target, region_code=area.code,
                 changes={"indicator": found.code, "year": year,
                          "percent": (str(before) if before is not None else None, str(value))})
    return target


@transaction.atomic
def target_clear(*, actor, scope: Scope | None, target: Target) -> None:
    """Remove a target: the area falls back to the one above it, or the catalogue's default."""
    _clear(actor, scope, target, "spm.target.cleared", {"indicator": target.indicator, "year": target.year,
                                                         "percent": str(target.percent)})


# --- Official projected sasaran -------------------------------------------------------------------------

@transaction.atomic
def official_sasaran_set(*, actor, scope: Scope | None, region: str, indicator: str, year, count, source="",
                         now: dt.datetime | None = None) -> OfficialSasaran:
    """The official projected target population of an area (e.g. the Dinkes estimate of pregnant women)."""
    now = now or timezone.now()
    prefixes = _require_manager(scope)
    errors: dict[str, list[str]] = {}
    area = _region(errors, prefixes, region)
    found = _indicator(errors, indicator)
    year = _year(errors, year, timezone.localtime(now).date(), ahead=1)
    count = _int(errors, "count", count, low=0, high=COUNT_MAX,
                 message=_("Write the number of people or households as a whole number, 0 or more."))
    source = _source(errors, source, required=False)
    if errors:
        raise _invalid(errors)
    row = OfficialSasaran.objects.select_for_update().filter(region=area, indicator=found.code, year=year).first()
    before = (row.count, row.source) if row else (None, None)
    if row is None:
        row = OfficialSasaran(region=area, indicator=found.code, year=year)
    row.count, row.source, row.set_by, row.set_at = count, source, actor, now
    row.save()
    audit_record(actor=actor, action="spm.official_sasaran.set", obj=row, region_code=area.code,
                 changes={"indicator": found.code, "year": year, "count": (before[0], count),
                          "source": (before[1], source)})
    return row


@transaction.atomic
def official_sasaran_clear(*, actor, scope: Scope | None, row: OfficialSasaran) -> None:
    _clear(actor, scope, row, "spm.official_sasaran.cleared", {"indicator": row.indicator, "year": row.year,
                                                                "count": row.count})


# --- Figures from another system ------------------------------------------------------------------------

@transaction.atomic
def external_figure_set(*, actor, scope: Scope | None, region: str, indicator: str, year, month, denominator,
                        numerator, source, now: dt.datetime | None = None) -> ExternalFigure:
    """Year-to-date numerator and denominator of an EXTERNAL indicator for an area, up to the end of a month.

    The month must have begun: a figure for a month to come cannot have been counted yet.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    prefixes = _require_manager(scope)
    errors: dict[str, list[str]] = {}
    area = _region(errors, prefixes, region)
    found = _indicator(errors, indicator, external=True)
    year = _year(errors, year, today, ahead=0)
    month = _int(errors, "month", month, low=1, high=12, message=_("Choose a month from 1 to 12."))
    if year is not None and month is not None and (year, month) > (today.year, today.month):
        errors["month"] = [_("This month has not begun yet.")]
    count_message = _("Write a whole number, 0 or more.")
    denominator = _int(errors, "denominator", denominator, low=0, high=COUNT_MAX, message=count_message)
    numerator = _int(errors, "numerator", numerator, low=0, high=COUNT_MAX, message=count_message)
    if denominator is not None and numerator is not None and numerator > denominator:
        errors["numerator"] = [_("The number served cannot be larger than the target population "
                                 "(%(served)d served, %(sasaran)d in the sasaran).")
                               % {"served": numerator, "sasaran": denominator}]
    source = _source(errors, source, required=True)
    if errors:
        raise _invalid(errors)
    row = ExternalFigure.objects.select_for_update().filter(region=area, indicator=found.code, year=year,
                                                             month=month).first()
    before = (row.denominator, row.numerator, row.source) if row else (None, None, None)
    if row is None:
        row = ExternalFigure(region=area, indicator=found.code, year=year, month=month)
    row.denominator, row.numerator, row.source = denominator, numerator, source
    row.entered_by, row.entered_at = actor, now
    row.save()
    audit_record(actor=actor, action="spm.external_figure.set", obj=row, region_code=area.code,
                 changes={"indicator": found.code, "year": year, "month": month,
                          "denominator": (before[0], denominator), "numerator": (before[1], numerator),
                          "source": (before[2], source)})
    return row


@transaction.atomic
def external_figure_clear(*, actor, scope: Scope | None, row: ExternalFigure) -> None:
    _clear(actor, scope, row, "spm.external_figure.cleared",
           {"indicator": row.indicator, "year": row.year, "month": row.month, "denominator": row.denominator,
            "numerator": row.numerator, "source": row.source})


def _clear(actor, scope, row, action: str, changes: dict) -> None:
    prefixes = _require_manager(scope)
    if not any(row.region_id.startswith(p) for p in prefixes):
        raise NotInScope()
    audit_record(actor=actor, action=action, obj=row, region_code=row.region_id, changes=changes)
    row.delete()
