"""One child's measurement → age, z-scores, Permenkes 2/2020 classification and flags.

The entry point for pages and the API. Input the growth standards cannot describe (a date before
birth or in the future, an age past 19 years, a weight of 0) is refused with a ``DomainError`` naming
the field; a measurement that is merely missing just leaves its z-scores null.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from simpul.core.clock import latest_today
from simpul.core.errors import DomainError
from simpul.health.growth.classify import CLASSIFIED, classify, flag_for
from simpul.health.growth.zscores import INDICES, MAX_AGE_DAYS, POSITION_CODES, age_in_days, zscores_one

#: field -> (exclusive lower bound, inclusive upper bound): anything outside is a typing error
LIMITS = {
    "weight_kg": (0.0, 250.0),
    # 30 cm: no live-born child is shorter (the services' floor too); near 0 the BMI overflowed to Infinity,
    # which is no JSON.
    "length_height_cm": (30.0, 250.0),
    "head_circumference_cm": (0.0, 100.0),
    "muac_cm": (0.0, 100.0),
}


@dataclass(frozen=True)
class GrowthAssessment:
    age_days: int
    z: dict[str, float | None]  # every index, rounded to 2 decimals
    classification: dict[str, str | None]  # wfa, lhfa, wflh, bmifa
    flags: list[str]  # GrowthFlag codes


def _limit_messages() -> dict[str, str]:
    return {
        "weight_kg": _("Enter a weight above 0 and at most 250 kg."),
        "length_height_cm": _("Enter a length or height above 30 and at most 250 cm."),
        "head_circumference_cm": _("Enter a head circumference above 0 and at most 100 cm."),
        "muac_cm": _("Enter an arm circumference above 0 and at most 100 cm."),
    }


def _round2(z: float | None) -> float | None:
    return None if z is None else round(z, 2) + 0.0  # + 0.0 turns −0.0 into 0.0


def growth_assess(*, sex: str, birth_date: dt.date, measured_on: dt.date, weight_kg: float | None = None,
                  length_height_cm: float | None = None, position: str | None = None,
                  head_circumference_cm: float | None = None, muac_cm: float | None = None,
                  oedema: bool = False, now: dt.datetime | None = None) -> GrowthAssessment:
    today = latest_today(now)  # a kader in Papua is never refused a measurement taken today (core.clock)
    errors: dict[str, list[str]] = {}
    if sex not in ("M", "F"):
        errors["sex"] = [_("Choose one of: %(options)s.") % {"options": "'M', 'F'"}]
    if position not in POSITION_CODES:
        errors["position"] = [_("Choose one of: %(options)s.") % {"options": "'recumbent', 'standing'"}]
    if birth_date > today:
        errors["birth_date"] = [_("The birth date cannot be in the future.")]
    if measured_on > today:
        errors["measured_on"] = [_("The measurement date cannot be in the future.")]
    elif measured_on < birth_date:
        errors["measured_on"] = [_("The measurement date cannot be before the birth date.")]
    elif age_in_days(birth_date, measured_on) > MAX_AGE_DAYS:
        errors["birth_date"] = [_("The growth standards cover children up to 19 years of age.")]
    values = {"weight_kg": weight_kg, "length_height_cm": length_height_cm,
              "head_circumference_cm": head_circumference_cm, "muac_cm": muac_cm}
    messages = _limit_messages()
    for name, value in values.items():
        if value is None:
            continue
        low, high = LIMITS[name]
        if not math.isfinite(value) or not low < value <= high:
            errors[name] = [messages[name]]
    if errors:
        raise DomainError(_("The measurement cannot be assessed."), field_errors=errors)

    age = age_in_days(birth_date, measured_on)
    scores = zscores_one(sex=sex, age_days=age, weight_kg=weight_kg, length_height_cm=length_height_cm,
                         position=position, head_circumference_cm=head_circumference_cm, muac_cm=muac_cm,
                         oedema=oedema)
    return GrowthAssessment(
        age_days=age,
        z={index: _round2(scores.z[index]) for index in INDICES},
        classification={index: classify(index, scores.z[index], age) for index in CLASSIFIED},
        flags=[flag_for(index) for index in scores.implausible],
    )
