"""Cut-offs at their boundaries, against the values printed in the cited sources (not our own output).

Sources (docs/decisions/0009-adult-and-elderly-screening.md):
* hypertension: JNC 7 (2003) / Kemenkes P2PTM, systolic ≥ 140 OR diastolic ≥ 90 mmHg;
* random glucose: WHO 2006 / PERKENI, ≥ 200 mg/dL;
* anaemia: WHO 2011, WHO/NMH/NHD/MNM/11.1 table 1 — 5–11 y < 11.5, 12–14 y < 12.0, non-pregnant women
  ≥ 15 y < 12.0, pregnant women < 11.0, men ≥ 15 y < 13.0 g/dL;
* adult BMI: Kemenkes (Direktorat Gizi Masyarakat) < 17.0, 17.0–18.4, 18.5–25.0, 25.1–27.0, > 27.0;
* waist: Kemenkes P2PTM obesitas sentral > 90 cm men, > 80 cm women;
* Barthel index 0–20: 20 mandiri, 12–19 ringan, 9–11 sedang, 5–8 berat, 0–4 total.
"""

from decimal import Decimal

import pytest

from simpul.screening import rules

Dec = Decimal


@pytest.mark.parametrize(("systolic", "diastolic", "expected"), [
    (139, 89, False),  # just below both
    (140, 80, True),  # systolic alone
    (120, 90, True),  # diastolic alone
    (140, 90, True),
    (139, 90, True),
    (140, 89, True),
    (100, 60, False),
    (None, None, False),
])
def test_hypertension_is_systolic_140_or_diastolic_90(systolic, diastolic, expected):
    assert rules.hypertensive(systolic, diastolic) is expected


@pytest.mark.parametrize(("glucose", "expected"), [(199, False), (200, True), (201, True), (None, False)])
def test_random_glucose_from_200(glucose, expected):
    assert rules.hyperglycaemic(glucose) is expected


@pytest.mark.parametrize(("age", "sex", "pregnant", "cutoff"), [
    (10, "F", False, "11.5"), (11, "M", False, "11.5"),  # 5–11 years
    (12, "F", False, "12.0"), (14, "M", False, "12.0"),  # 12–14 years
    (15, "F", False, "12.0"), (45, "F", False, "12.0"), (70, "F", False, "12.0"),  # women ≥ 15
    (15, "M", False, "13.0"), (41, "M", False, "13.0"), (75, "M", False, "13.0"),  # men ≥ 15
    (25, "F", True, "11.0"), (17, "F", True, "11.0"),  # pregnant women
])
def test_who_2011_anaemia_cutoffs(age, sex, pregnant, cutoff):
    assert rules.anaemia_cutoff(age_years=age, sex=sex, pregnant=pregnant) == Dec(cutoff)


@pytest.mark.parametrize(("hb", "age", "sex", "pregnant", "expected"), [
    ("11.4", 11, "F", False, True), ("11.5", 11, "F", False, False),
    ("11.9", 13, "M", False, True), ("12.0", 13, "M", False, False),
    ("11.9", 30, "F", False, True), ("12.0", 30, "F", False, False),
    ("12.9", 30, "M", False, True), ("13.0", 30, "M", False, False),
    ("10.9", 30, "F", True, True), ("11.0", 30, "F", True, False),
    ("11.5", 30, "F", True, False),  # would be anaemic if not pregnant
])
def test_anaemia_is_strictly_below_the_cutoff(hb, age, sex, pregnant, expected):
    assert rules.anaemic(Dec(hb), age_years=age, sex=sex, pregnant=pregnant) is expected


def test_no_hb_is_never_anaemic():
    assert rules.anaemic(None, age_years=30, sex="F") is False


@pytest.mark.parametrize(("bmi", "category"), [
    ("16.9", "severely_thin"), ("17.0", "thin"), ("18.4", "thin"), ("18.5", "normal"), ("25.0", "normal"),
    ("25.1", "overweight"), ("27.0", "overweight"), ("27.1", "obese"), ("35.0", "obese"),
])
def test_kemenkes_adult_bmi_categories(bmi, category):
    assert rules.adult_bmi_category(Dec(bmi)) == category


@pytest.mark.parametrize(("weight", "height", "bmi"), [
    ("70", "170", "24.2"),  # 70 / 1.70² = 24.221…
    ("69.1", "160", "27.0"),  # 69.1 / 2.56 = 26.992… → 27.0, still "gemuk ringan"
    ("69.4", "160", "27.1"),  # 69.4 / 2.56 = 27.109… → 27.1, "gemuk berat"
    ("45", "150", "20.0"),  # 45 / 2.25 = 20.0 exactly
    ("50.6", "150", "22.5"),  # 50.6 / 2.25 = 22.488… → 22.5
    ("97", "200", "24.3"),  # 97 / 4 = 24.25 exactly → half up to 24.3
])
def test_bmi_is_rounded_to_one_decimal_half_up(weight, height, bmi):
    assert rules.bmi(Dec(weight), Dec(height)) == Dec(bmi)


def test_bmi_needs_both_values():
    assert rules.bmi(None, Dec("160")) is None and rules.bmi(Dec("60"), None) is None


@pytest.mark.parametrize(("waist", "sex", "expected"), [
    ("90.0", "M", False), ("90.1", "M", True), ("80.0", "F", False), ("80.1", "F", True), ("85.0", "M", False),
    ("85.0", "F", True),
])
def test_central_obesity_above_90_men_80_women(waist, sex, expected):
    assert rules.centrally_obese(Dec(waist), sex) is expected


@pytest.mark.parametrize(("score", "category"), [
    (20, "independent"), (19, "mild"), (12, "mild"), (11, "moderate"), (9, "moderate"), (8, "severe"),
    (5, "severe"), (4, "total"), (0, "total"),
])
def test_barthel_categories(score, category):
    assert rules.barthel_category(score) == category


def test_barthel_items_score_0_to_20_as_published():
    # Collin & Wade 1988: feeding 0–2, bathing 0–1, grooming 0–1, dressing 0–2, bowels 0–2, bladder 0–2,
    # toilet 0–2, transfer 0–3, mobility 0–3, stairs 0–2.
    assert dict(rules.BARTHEL_ITEMS) == {
        "adl_feeding": (0, 1, 2), "adl_bathing": (0, 1), "adl_grooming": (0, 1), "adl_dressing": (0, 1, 2),
        "adl_bowels": (0, 1, 2), "adl_bladder": (0, 1, 2), "adl_toilet": (0, 1, 2), "adl_transfer": (0, 1, 2, 3),
        "adl_mobility": (0, 1, 2, 3), "adl_stairs": (0, 1, 2),
    }
    assert rules.BARTHEL_MAX == 20


def test_any_dependence_is_flagged():
    assert rules.functionally_dependent(19) and rules.functionally_dependent(0)
    assert not rules.functionally_dependent(20) and not rules.functionally_dependent(None)


def test_fields_by_life_stage():
    assert set(rules.fields_for("remaja", "M")) == {"weight_kg", "height_cm", "haemoglobin_g_dl", "systolic",
                                                      "diastolic"}
    assert "pregnant" in rules.fields_for("remaja", "F")
    adult = set(rules.fields_for("dewasa", "M"))
    assert {"waist_cm", "glucose_mg_dl", "smoking"} <= adult and not adult & set(rules.BARTHEL_FIELDS)
    elder = set(rules.fields_for("lansia", "F"))
    assert set(rules.BARTHEL_FIELDS) <= elder and "pregnant" not in elder
    assert rules.fields_for("balita", "F") == () and rules.fields_for(None, "F") == ()
