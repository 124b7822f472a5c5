"""Nutritional status by Permenkes 2/2020 (Standar Antropometri Anak), as codes.

Codes, not labels: every module compares these codes; the English labels are gettext source strings.
"Normal" carries a context per index because Permenkes names it differently (BB/U "berat badan
normal", PB/U "normal", BB/PB and IMT/U "gizi baik").

Bands (domain.md §3.4). The z is first rounded to two decimals, as shown to the user and as WHO
rounds before counting prevalences, so −2.004 is "−2.00" and normal. Then:

================  =========  ==============  ===========  =============  =============  ========
index (age)       < −3       −3 to < −2      −2 to +1     > +1 to +2     > +2 to +3     > +3
================  =========  ==============  ===========  =============  =============  ========
wfa (0–60 mo)     severely_  underweight     normal       risk_of_overweight (all of > +1)
                  underweight
lhfa (0–60 mo)    severely_  stunted         normal (−2 to +3, both included)           tall
                  stunted
wflh, bmifa       severely_  wasted          normal       possible_risk  overweight     obese
(0–60 mo)         wasted                                  _of_overweight
bmifa (5–18 y)    severely_  thin            normal       overweight     obese (all of > +2)
                  thin
================  =========  ==============  ===========  =============  =============  ========

So a lower bound is included in its band (−3.00 is underweight/stunted/wasted/thin, −2.00 is normal)
and an upper bound above the median belongs to the band below it (+1.00 is normal, +2.00 possible
risk of overweight or overweight, +3.00 normal for lhfa and overweight for wflh).

Ages: "0–60 months" is the WHO 2006 standards' range, 0–1856 days; "5–18 years" is the 2007
reference's, 1857 days up to 19 completed years. The regulation has no bands for wfa or lhfa after
60 months, nor for head or arm circumference: their z is still given, their classification is null.
A null z is never classified, in particular never as normal.
"""

from __future__ import annotations

import math

import numpy as np
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from simpul.health.growth.zscores import INDICES, LAST_STANDARD_DAY, MAX_AGE_DAYS


class WeightForAge(models.TextChoices):
    """BB/U, 0–60 months."""

    SEVERELY_UNDERWEIGHT = "severely_underweight", _("Severely underweight")
    UNDERWEIGHT = "underweight", _("Underweight")
    NORMAL = "normal", pgettext_lazy("weight-for-age", "Normal")
    RISK_OF_OVERWEIGHT = "risk_of_overweight", _("Risk of overweight")


class LengthForAge(models.TextChoices):
    """PB/U or TB/U, 0–60 months."""

    SEVERELY_STUNTED = "severely_stunted", _("Severely stunted")
    STUNTED = "stunted", _("Stunted")
    NORMAL = "normal", pgettext_lazy("length-for-age", "Normal")
    TALL = "tall", _("Tall")


class WeightForLength(models.TextChoices):
    """BB/PB or BB/TB, and IMT/U, 0–60 months."""

    SEVERELY_WASTED = "severely_wasted", _("Severely wasted")
    WASTED = "wasted", _("Wasted")
    NORMAL = "normal", pgettext_lazy("weight-for-length", "Normal")
    POSSIBLE_RISK_OF_OVERWEIGHT = "possible_risk_of_overweight", _("Possible risk of overweight")
    OVERWEIGHT = "overweight", _("Overweight")
    OBESE = "obese", _("Obese")


class BmiForAge(models.TextChoices):
    """IMT/U, 5–18 years."""

    SEVERELY_THIN = "severely_thin", _("Severely thin")
    THIN = "thin", _("Thin")
    NORMAL = "normal", pgettext_lazy("BMI-for-age", "Normal")
    OVERWEIGHT = "overweight", _("Overweight")
    OBESE = "obese", _("Obese")


class GrowthFlag(models.TextChoices):
    """A z WHO considers implausible (likely a measuring or typing error): kept, and flagged."""

    IMPLAUSIBLE_WFA = "implausible_wfa", _("Weight-for-age is implausible: check the weight and the birth date.")
    IMPLAUSIBLE_LHFA = "implausible_lhfa", _(
        "Length/height-for-age is implausible: check the length or height and the birth date.")
    IMPLAUSIBLE_WFLH = "implausible_wflh", _(
        "Weight-for-length/height is implausible: check the weight and the length or height.")
    IMPLAUSIBLE_BMIFA = "implausible_bmifa", _(
        "BMI-for-age is implausible: check the weight, the length or height and the birth date.")
    IMPLAUSIBLE_HCFA = "implausible_hcfa", _(
        "Head circumference-for-age is implausible: check the head circumference and the birth date.")
    IMPLAUSIBLE_ACFA = "implausible_acfa", _(
        "Arm circumference-for-age is implausible: check the arm circumference and the birth date.")


def flag_for(index: str) -> str:
    return GrowthFlag(f"implausible_{index}").value


Band = tuple[float, bool, str]  # (upper bound, upper bound included, code), ascending; the last is open

BANDS_0_60: dict[str, list[Band]] = {
    "wfa": [(-3, False, WeightForAge.SEVERELY_UNDERWEIGHT), (-2, False, WeightForAge.UNDERWEIGHT),
            (1, True, WeightForAge.NORMAL), (math.inf, True, WeightForAge.RISK_OF_OVERWEIGHT)],
    "lhfa": [(-3, False, LengthForAge.SEVERELY_STUNTED), (-2, False, LengthForAge.STUNTED),
             (3, True, LengthForAge.NORMAL), (math.inf, True, LengthForAge.TALL)],
    "wflh": [(-3, False, WeightForLength.SEVERELY_WASTED), (-2, False, WeightForLength.WASTED),
             (1, True, WeightForLength.NORMAL), (2, True, WeightForLength.POSSIBLE_RISK_OF_OVERWEIGHT),
             (3, True, WeightForLength.OVERWEIGHT), (math.inf, True, WeightForLength.OBESE)],
}
BANDS_0_60["bmifa"] = BANDS_0_60["wflh"]
BANDS_5_18: dict[str, list[Band]] = {
    "bmifa": [(-3, False, BmiForAge.SEVERELY_THIN), (-2, False, BmiForAge.THIN), (1, True, BmiForAge.NORMAL),
              (2, True, BmiForAge.OVERWEIGHT), (math.inf, True, BmiForAge.OBESE)],
}
CLASSIFIED = ("wfa", "lhfa", "wflh", "bmifa")  # the indices Permenkes 2/2020 gives bands for


def bands_for(index: str, age_days: int | None) -> list[Band] | None:
    if index not in INDICES:
        raise ValueError(f"unknown growth index: {index}")
    if age_days is None or age_days < 0 or age_days > MAX_AGE_DAYS:
        return None
    if age_days <= LAST_STANDARD_DAY:
        return BANDS_0_60.get(index)
    return BANDS_5_18.get(index)


def _band(bands: list[Band], z: float) -> str:
    for upper, included, code in bands:
        if z < upper or (included and z == upper):
            return str(code)
    raise AssertionError("the last band is open")


def classify(index: str, z: float | None, age_days: int | None) -> str | None:
    """The Permenkes 2/2020 code for one z, or None (no z, or no band at this age)."""
    if z is None or math.isnan(z):
        return None
    bands = bands_for(index, age_days)
    return None if bands is None else _band(bands, round(z, 2))


def classify_batch(index: str, z: np.ndarray, age_days: np.ndarray) -> np.ndarray:
    """``classify`` over arrays: an object array of codes and None."""
    z = np.round(np.asarray(z, dtype=np.float64), 2)
    age = np.asarray(age_days, dtype=np.float64)
    out = np.full(z.shape, None, dtype=object)
    with np.errstate(invalid="ignore"):
        groups = ((age >= 0) & (age <= LAST_STANDARD_DAY), BANDS_0_60), \
                 ((age > LAST_STANDARD_DAY) & (age <= MAX_AGE_DAYS), BANDS_5_18)
        for in_group, table in groups:
            bands = table.get(index)
            if bands is None:
                continue
            todo = in_group & ~np.isnan(z)
            for upper, included, code in bands:
                hit = todo & ((z <= upper) if included else (z < upper))
                out[hit] = str(code)
                todo &= ~hit
    return out
