"""Cut-offs of the posyandu screening of adolescents, adults and elderly, as codes.

Every number that decides whether someone is sent to the bidan lives here, once, with its source; the
sources and what is unconfirmed ([U]) are in docs/decisions/0009-adult-and-elderly-screening.md.
Values arrive already rounded as stored (weight, height, waist and Hb to 0.1, BP and glucose whole
numbers) and are compared exactly (``Decimal``), so a boundary value is decided the same way on every
database and in every test.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- Who is screened here, with what -------------------------------------------------------------------

#: Life stages (simpul.registry.lifestage) screened on this page; younger children are weighed on the growth
#: page (Permenkes 2/2020), school-age children 6–9 years at school (UKS).
SCREENED_STAGES = ("remaja", "dewasa", "lansia")

# What each stage is screened for (domain.md §3.3; issue 3). Waist, glucose and smoking are adult items,
# the Barthel index only for the elderly.
BODY = ("weight_kg", "height_cm")
BP = ("systolic", "diastolic")
BARTHEL_ITEMS: tuple[tuple[str, tuple[int, ...]], ...] = (
    # (field, allowed scores) — Barthel index, 10 items scored 0–20 (Collin & Wade 1988; Indonesian
    # form as used in Permenkes 67/2015 on elderly care at puskesmas [U]).
    ("adl_feeding", (0, 1, 2)),  # makan
    ("adl_bathing", (0, 1)),  # mandi
    ("adl_grooming", (0, 1)),  # perawatan diri (wajah, rambut, gigi, bercukur)
    ("adl_dressing", (0, 1, 2)),  # berpakaian
    ("adl_bowels", (0, 1, 2)),  # buang air besar
    ("adl_bladder", (0, 1, 2)),  # buang air kecil
    ("adl_toilet", (0, 1, 2)),  # penggunaan toilet
    ("adl_transfer", (0, 1, 2, 3)),  # berpindah tempat tidur ↔ kursi
    ("adl_mobility", (0, 1, 2, 3)),  # mobilitas / berjalan
    ("adl_stairs", (0, 1, 2)),  # naik turun tangga
)
BARTHEL_FIELDS = tuple(name for name, _scores in BARTHEL_ITEMS)
BARTHEL_MAX = sum(max(scores) for _name, scores in BARTHEL_ITEMS)  # 20

STAGE_FIELDS: dict[str, tuple[str, ...]] = {
    "remaja": (*BODY, "haemoglobin_g_dl", *BP, "pregnant"),
    "dewasa": (*BODY, "waist_cm", *BP, "glucose_mg_dl", "haemoglobin_g_dl", "smoking", "pregnant"),
    "lansia": (*BODY, "waist_cm", *BP, "glucose_mg_dl", "haemoglobin_g_dl", "smoking", *BARTHEL_FIELDS),
}

#: Every field that depends on the stage (all but the date).
STAGE_DEPENDENT = tuple(dict.fromkeys(name for fields in STAGE_FIELDS.values() for name in fields))


def fields_for(stage: str | None, sex: str) -> tuple[str, ...]:
    """The input fields that fit a person of this stage and sex (pregnancy only for women)."""
    fields = STAGE_FIELDS.get(stage or "", ())
    return tuple(f for f in fields if f != "pregnant" or sex == "F")


# --- Codes ---------------------------------------------------------------------------------------------


class Smoking(models.TextChoices):
    UNKNOWN = "unknown", _("Not asked")
    YES = "yes", _("Smokes")
    NO = "no", _("Does not smoke")


class AdultBmi(models.TextChoices):
    """Kemenkes' adult IMT categories (Direktorat Gizi Masyarakat; P2PTM), from 19 years."""

    SEVERELY_THIN = "severely_thin", _("Thin, severe (BMI < 17.0)")
    THIN = "thin", _("Thin, mild (BMI 17.0–18.4)")
    NORMAL = "normal", _("Normal (BMI 18.5–25.0)")
    OVERWEIGHT = "overweight", _("Overweight, mild (BMI 25.1–27.0)")
    OBESE = "obese", _("Overweight, severe / obese (BMI > 27.0)")


class AdlCategory(models.TextChoices):
    """Barthel index 0–20 (Shah's bands as used in Indonesian elderly care [U])."""

    INDEPENDENT = "independent", _("Independent (20)")
    MILD = "mild", _("Mild dependence (12–19)")
    MODERATE = "moderate", _("Moderate dependence (9–11)")
    SEVERE = "severe", _("Severe dependence (5–8)")
    TOTAL = "total", _("Total dependence (0–4)")


class ScreeningFlag(models.TextChoices):
    HYPERTENSION = "hypertension", _("High blood pressure (≥ 140/90)")
    HYPERGLYCAEMIA = "hyperglycaemia", _("Random blood glucose ≥ 200 mg/dL")
    ANAEMIA = "anaemia", _("Haemoglobin below the WHO cut-off: possible anaemia")
    OBESITY = "obesity", _("Obesity")
    CENTRAL_OBESITY = "central_obesity", _("Central obesity (waist above the cut-off)")
    FUNCTIONAL_DEPENDENCE = "functional_dependence", _("Needs help with daily activities (Barthel < 20)")
    IMPLAUSIBLE_BMIFA = "implausible_bmifa", _(
        "BMI-for-age is implausible: check the weight, the height and the birth date.")


FLAG_ORDER = tuple(ScreeningFlag.values)

# --- Cut-offs ------------------------------------------------------------------------------------------

#: JNC 7 (2003) and Kemenkes P2PTM: hypertension from 140 mmHg systolic OR 90 mmHg diastolic.
SYSTOLIC_HIGH = 140
DIASTOLIC_HIGH = 90
#: WHO 2006 / PERKENI: random (sewaktu) plasma glucose ≥ 200 mg/dL suggests diabetes mellitus.
GLUCOSE_HIGH = 200
#: Kemenkes P2PTM obesitas sentral: waist above 90 cm (men) / 80 cm (women) [U: > versus IDF's ≥].
WAIST_ABOVE = {"M": Decimal("90"), "F": Decimal("80")}
#: Functional dependence raised for the bidan below this Barthel score (any dependence).
BARTHEL_REFER_BELOW = 20


def hypertensive(systolic: int | None, diastolic: int | None) -> bool:
    if systolic is None or diastolic is None:
        return False
    return systolic >= SYSTOLIC_HIGH or diastolic >= DIASTOLIC_HIGH


def hyperglycaemic(glucose_mg_dl: int | None) -> bool:
    return glucose_mg_dl is not None and glucose_mg_dl >= GLUCOSE_HIGH


def anaemia_cutoff(*, age_years: int, sex: str, pregnant: bool = False) -> Decimal | None:
    """WHO 2011 (WHO/NMH/NHD/MNM/11.1, table 1): anaemia below this Hb in g/dL; None under 5 years."""
    if pregnant:
        return Decimal("11.0")
    if age_years < 5:
        return None  # 6–59 months: 11.0, not screened here
    if age_years <= 11:
        return Decimal("11.5")
    if age_years <= 14:
        return Decimal("12.0")
    return Decimal("13.0") if sex == "M" else Decimal("12.0")


def anaemic(haemoglobin_g_dl: Decimal | None, *, age_years: int, sex: str, pregnant: bool = False) -> bool:
    cutoff = anaemia_cutoff(age_years=age_years, sex=sex, pregnant=pregnant)
    return haemoglobin_g_dl is not None and cutoff is not None and haemoglobin_g_dl < cutoff


def bmi(weight_kg: Decimal | None, height_cm: Decimal | None) -> Decimal | None:
    """kg/m², rounded half up to one decimal (as Kemenkes' categories are written)."""
    if weight_kg is None or height_cm is None:
        return None
    metres = Decimal(height_cm) / 100
    return (Decimal(weight_kg) / (metres * metres)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def adult_bmi_category(value: Decimal | None) -> str | None:
    """Kemenkes' adult bands on the one-decimal BMI: < 17.0, 17.0–18.4, 18.5–25.0, 25.1–27.0, > 27.0."""
    if value is None:
        return None
    if value < Decimal("17.0"):
        return AdultBmi.SEVERELY_THIN.value
    if value < Decimal("18.5"):
        return AdultBmi.THIN.value
    if value <= Decimal("25.0"):
        return AdultBmi.NORMAL.value
    if value <= Decimal("27.0"):
        return AdultBmi.OVERWEIGHT.value
    return AdultBmi.OBESE.value


def centrally_obese(waist_cm: Decimal | None, sex: str) -> bool:
    return waist_cm is not None and waist_cm > WAIST_ABOVE[sex]


def barthel_category(score: int | None) -> str | None:
    if score is None:
        return None
    if score >= 20:
        return AdlCategory.INDEPENDENT.value
    if score >= 12:
        return AdlCategory.MILD.value
    if score >= 9:
        return AdlCategory.MODERATE.value
    if score >= 5:
        return AdlCategory.SEVERE.value
    return AdlCategory.TOTAL.value


def functionally_dependent(score: int | None) -> bool:
    return score is not None and score < BARTHEL_REFER_BELOW
