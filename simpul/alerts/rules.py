"""The early-warning rules as data: what each one looks for, in plain words, whom it alerts, and its defaults.

A rule is a household-level pattern across fields (issue 5, "Early warning across fields"). The *check* that
finds it lives in :mod:`simpul.alerts.evaluate` under the same code; everything a person reads or tunes is
here: the explanation shown beside every alert, the agencies (``simpul.referrals.taxonomy`` codes) it names,
the referral categories offered when it becomes a referral (the first is the default), and the default
parameters a kab/kota may override with a :class:`simpul.alerts.models.RuleSetting`.

Parameter values are JSON: whole numbers as ``int``, centimetres as decimal strings ("23.5", compared
exactly), category lists as lists of codes. Sources of the cut-offs: docs/decisions/0019-early-warning.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from simpul.core.choices import SpmField
from simpul.health.growth.classify import LengthForAge, WeightForLength
from simpul.registry.models import HouseholdCondition
from simpul.screening.rules import AdlCategory

H, E, HO, S, ORDER = (SpmField.HEALTH.value, SpmField.EDUCATION.value, SpmField.HOUSING.value,
                      SpmField.SOCIAL.value, SpmField.PUBLIC_ORDER.value)


@dataclass(frozen=True)
class AlertRule:
    code: str
    name: str  # short English source, translated
    explanation: str  # the plain-language reason, translated
    agencies: tuple[str, ...]  # agency codes alerted (Agency.code of the kab/kota)
    fields: tuple[str, ...]  # SPM fields a kader must cover to see it
    categories: tuple[str, ...]  # referral categories offered; the first is the default
    defaults: dict = field(default_factory=dict)


RULES: tuple[AlertRule, ...] = (
    AlertRule(
        "newly_poor_school_child", _("Poor family with a school-age child"),
        _("The family is poor (DTSEN decile at most %(max_decile)s, or reported as newly fallen into poverty) "
          "and has a child aged %(min_age)s–%(max_age)s years who may drop out of school."),
        ("disdik", "dinsos"), (E, S), ("dik_berisiko_putus", "sos_usulan_bansos"),
        {"max_decile": 4, "min_age": 7, "max_age": 15},
    ),
    AlertRule(
        "malnourished_child_no_aid", _("Stunted or wasted child without social aid"),
        _("A child under %(max_months)s months is stunted or wasted at the latest valid measurement, and the "
          "family receives no social aid at the latest survey."),
        ("dinkes", "dinsos"), (H, S), ("kes_rujukan", "sos_usulan_bansos"),
        {"max_months": 60, "lhfa": [LengthForAge.SEVERELY_STUNTED.value, LengthForAge.STUNTED.value],
         "wflh": [WeightForLength.SEVERELY_WASTED.value, WeightForLength.WASTED.value]},
    ),
    AlertRule(
        "elder_alone_dependent", _("Elder living alone who needs help"),
        _("A person aged %(min_age)s or more lives alone and the latest screening shows they need help with "
          "daily activities (Barthel index)."),
        ("dinsos",), (S,), ("sos_lansia_telantar",),
        {"min_age": 60, "adl": [AdlCategory.MILD.value, AdlCategory.MODERATE.value, AdlCategory.SEVERE.value,
                                AdlCategory.TOTAL.value]},
    ),
    AlertRule(
        "pregnant_at_risk", _("Pregnant woman with KEK or high blood pressure"),
        _("A pregnant woman had an upper-arm circumference (LiLA) below %(lila_below_cm)s cm (KEK) or a blood "
          "pressure of %(systolic)s/%(diastolic)s or more at her latest check."),
        ("dinkes",), (H,), ("kes_rujukan",),
        {"lila_below_cm": "23.5", "systolic": 140, "diastolic": 90},
    ),
    AlertRule(
        "rtlh_baby", _("Unfit house with a baby"),
        _("The latest survey found the house unfit to live in (RTLH) and a baby under %(max_months)s months "
          "lives there."),
        ("perkim", "dinkes"), (HO, H), ("prk_rtlh", "kes_rujukan"),
        {"max_months": 12},
    ),
    AlertRule(
        "disaster_prone_disabled", _("Disaster-prone household with a disabled member"),
        _("The household is reported as disaster-prone and a member lives with a disability: plan their "
          "evacuation first."),
        ("bpbd",), (ORDER,), ("trb_rawan_bencana",),
        {},
    ),
    AlertRule(
        # Issue 7: the income-earner situation is recorded on the household (HouseholdCondition.earners).
        "only_earner_unable", _("Family whose only earner can no longer work"),
        _("The family lived on one earner who can no longer work, or nobody in it earns an income: offer it a "
          "programme (a skills training, social aid) before it falls into poverty."),
        ("dinsos",), (S,), ("sos_usulan_bansos", "sos_jatuh_miskin"),
        {"situations": ["tunggal_tak_mampu", "tidak_ada"]},
    ),
)
BY_CODE = {rule.code: rule for rule in RULES}


# What each parameter means, for the pembina's settings page and the API's description of a rule.
PARAM_LABELS = {
    "max_decile": _("Highest DTSEN decile counted as poor"),
    "min_age": _("Youngest age (years)"),
    "max_age": _("Oldest age (years)"),
    "max_months": _("Below this age (months)"),
    "lhfa": _("Length-for-age results that count"),
    "wflh": _("Weight-for-length results that count"),
    "adl": _("Daily-activity (Barthel) results that count"),
    "lila_below_cm": _("Upper-arm circumference (LiLA) below (cm)"),
    "systolic": _("Systolic blood pressure from (mmHg)"),
    "diastolic": _("Diastolic blood pressure from (mmHg)"),
    "situations": _("Income situations that count"),
}


# The values a parameter may take (inclusive): a decile is 1–10, the growth standards stop at 60 months, blood
# pressure and LiLA within what a posyandu measures. A parameter not listed takes a whole number from 0 to 200.
RANGES = {
    "max_decile": (1, 10), "min_age": (0, 120), "max_age": (0, 120), "max_months": (1, 60),
    "lila_below_cm": (15, 35), "systolic": (80, 250), "diastolic": (40, 150),
}
DEFAULT_RANGE = (0, 200)


def option_labels(key: str) -> dict[str, str]:
    """The readable name of each code a list parameter may hold (its default list), by code."""
    choices = {"lhfa": LengthForAge, "wflh": WeightForLength, "adl": AdlCategory,
               "situations": HouseholdCondition.Earners}.get(key)
    return {value: str(label) for value, label in choices.choices} if choices else {}


def get(code: str) -> AlertRule | None:
    return BY_CODE.get(code)


def explanation(rule: AlertRule, params: dict) -> str:
    """The rule's reason with this kab/kota's parameters filled in."""
    return str(rule.explanation) % {**rule.defaults, **params}


def rules_naming(agency_code: str) -> list[str]:
    return [rule.code for rule in RULES if agency_code in rule.agencies]


def rules_in_fields(fields) -> list[str]:
    return [rule.code for rule in RULES if set(rule.fields) & set(fields)]


def clean_params(rule: AlertRule, params: dict) -> tuple[dict, dict[str, list[str]]]:
    """Check a kab/kota's overrides against the defaults' types; returns (clean, field errors).

    Only known keys, each of the default's kind: a whole number or a decimal string within ``RANGES``, or a list
    of codes taken from the default list (a kab/kota may narrow "which categories count", never invent one).
    """
    clean, errors = {}, {}
    for key, value in (params or {}).items():
        default = rule.defaults.get(key)
        if key not in rule.defaults:
            errors[key] = [str(_("Unknown setting for this rule."))]
        elif isinstance(default, int):
            low, high = RANGES.get(key, DEFAULT_RANGE)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                errors[key] = [str(_("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high})]
            else:
                clean[key] = value
        elif isinstance(default, str):
            low, high = RANGES.get(key, DEFAULT_RANGE)
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite() or not low <= number <= high:
                errors[key] = [str(_("Enter a number from %(low)s to %(high)s, such as %(example)s.")
                                   % {"low": low, "high": high, "example": default})]
            else:
                clean[key] = str(number)
        elif isinstance(default, list):
            if not isinstance(value, list) or not value or any(v not in default for v in value):
                errors[key] = [str(_("Choose one or more of: %(options)s.") % {"options": ", ".join(default)})]
            else:
                clean[key] = [v for v in default if v in value]
    if "min_age" in rule.defaults and "max_age" in rule.defaults and not errors:
        merged = {**rule.defaults, **clean}
        if merged["min_age"] > merged["max_age"]:
            errors["min_age"] = [str(_("The lowest age must not be above the highest."))]
    return clean, errors
