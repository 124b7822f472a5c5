"""Permenkes 2/2020 bands: every boundary, on the z as shown (two decimals)."""

import numpy as np
import pytest
from django.utils import translation

from simpul.health.growth.classify import (
    BmiForAge,
    GrowthFlag,
    LengthForAge,
    WeightForAge,
    WeightForLength,
    classify,
    classify_batch,
    flag_for,
)
from simpul.health.growth.zscores import INDICES, MAX_AGE_DAYS

BABY, SCHOOL = 400, 3000  # days: 0–60 months, 5–18 years

BOUNDARIES = [
    # weight-for-age: < −3 | −3 … < −2 | −2 … +1 | > +1
    ("wfa", -3.01, WeightForAge.SEVERELY_UNDERWEIGHT),
    ("wfa", -3.00, WeightForAge.UNDERWEIGHT),
    ("wfa", -2.01, WeightForAge.UNDERWEIGHT),
    ("wfa", -2.00, WeightForAge.NORMAL),
    ("wfa", 1.00, WeightForAge.NORMAL),
    ("wfa", 1.01, WeightForAge.RISK_OF_OVERWEIGHT),
    ("wfa", 4.50, WeightForAge.RISK_OF_OVERWEIGHT),
    # length/height-for-age: < −3 | −3 … < −2 | −2 … +3 | > +3
    ("lhfa", -3.01, LengthForAge.SEVERELY_STUNTED),
    ("lhfa", -3.00, LengthForAge.STUNTED),
    ("lhfa", -2.01, LengthForAge.STUNTED),
    ("lhfa", -2.00, LengthForAge.NORMAL),
    ("lhfa", 3.00, LengthForAge.NORMAL),
    ("lhfa", 3.01, LengthForAge.TALL),
    # weight-for-length/height: < −3 | −3 … < −2 | −2 … +1 | > +1 … +2 | > +2 … +3 | > +3
    ("wflh", -3.01, WeightForLength.SEVERELY_WASTED),
    ("wflh", -3.00, WeightForLength.WASTED),
    ("wflh", -2.01, WeightForLength.WASTED),
    ("wflh", -2.00, WeightForLength.NORMAL),
    ("wflh", 0.00, WeightForLength.NORMAL),
    ("wflh", 1.00, WeightForLength.NORMAL),
    ("wflh", 1.01, WeightForLength.POSSIBLE_RISK_OF_OVERWEIGHT),
    ("wflh", 2.00, WeightForLength.POSSIBLE_RISK_OF_OVERWEIGHT),
    ("wflh", 2.01, WeightForLength.OVERWEIGHT),
    ("wflh", 3.00, WeightForLength.OVERWEIGHT),
    ("wflh", 3.01, WeightForLength.OBESE),
    # BMI-for-age under 5: the same bands as weight-for-length/height
    ("bmifa", -3.01, WeightForLength.SEVERELY_WASTED),
    ("bmifa", -2.00, WeightForLength.NORMAL),
    ("bmifa", 1.01, WeightForLength.POSSIBLE_RISK_OF_OVERWEIGHT),
    ("bmifa", 3.00, WeightForLength.OVERWEIGHT),
    ("bmifa", 3.01, WeightForLength.OBESE),
]

SCHOOL_BMI = [
    # BMI-for-age 5–18 years: < −3 | −3 … < −2 | −2 … +1 | > +1 … +2 | > +2
    (-3.01, BmiForAge.SEVERELY_THIN),
    (-3.00, BmiForAge.THIN),
    (-2.01, BmiForAge.THIN),
    (-2.00, BmiForAge.NORMAL),
    (1.00, BmiForAge.NORMAL),
    (1.01, BmiForAge.OVERWEIGHT),
    (2.00, BmiForAge.OVERWEIGHT),
    (2.01, BmiForAge.OBESE),
    (3.50, BmiForAge.OBESE),
]


@pytest.mark.parametrize(("index", "z", "expected"), BOUNDARIES)
def test_bands_under_five(index, z, expected):
    assert classify(index, z, BABY) == expected.value


@pytest.mark.parametrize(("z", "expected"), SCHOOL_BMI)
def test_bmi_bands_from_five_to_eighteen(z, expected):
    assert classify("bmifa", z, SCHOOL) == expected.value


@pytest.mark.parametrize(("z", "expected"), [
    (-2.004, WeightForLength.NORMAL),  # shown as −2.00
    (-2.006, WeightForLength.WASTED),  # shown as −2.01
    (1.004, WeightForLength.NORMAL),
    (1.006, WeightForLength.POSSIBLE_RISK_OF_OVERWEIGHT),
    (-3.004, WeightForLength.WASTED),
    (-3.0051, WeightForLength.SEVERELY_WASTED),
])
def test_the_z_is_classified_as_shown_to_two_decimals(z, expected):
    assert classify("wflh", z, BABY) == expected.value


def test_the_switch_between_age_groups_follows_the_standards():
    assert classify("bmifa", 1.5, 1856) == WeightForLength.POSSIBLE_RISK_OF_OVERWEIGHT
    assert classify("bmifa", 1.5, 1857) == BmiForAge.OVERWEIGHT
    assert classify("bmifa", 2.5, MAX_AGE_DAYS) == BmiForAge.OBESE
    assert classify("bmifa", 2.5, MAX_AGE_DAYS + 1) is None


@pytest.mark.parametrize("index", ["wfa", "lhfa", "wflh"])
def test_no_permenkes_band_after_sixty_months(index):
    assert classify(index, -2.5, 1856) is not None
    assert classify(index, -2.5, 1857) is None


@pytest.mark.parametrize("index", INDICES)
def test_a_missing_z_is_never_classified(index):
    assert classify(index, None, BABY) is None
    assert classify(index, float("nan"), BABY) is None
    assert classify(index, 0.0, None) is None
    assert classify(index, 0.0, -1) is None


@pytest.mark.parametrize("index", ["hcfa", "acfa"])
def test_head_and_arm_circumference_have_no_band(index):
    assert classify(index, -3.5, BABY) is None


def test_an_unknown_index_is_an_error():
    with pytest.raises(ValueError):
        classify("weight", 0.0, BABY)


@pytest.mark.parametrize("index", INDICES)
def test_batch_equals_one_at_a_time(index):
    z = np.concatenate([np.round(np.arange(-4.5, 4.51, 0.01), 2), [np.nan, -2.004, 1.006]])
    ages = np.resize([0, BABY, 1856, 1857, SCHOOL, MAX_AGE_DAYS, MAX_AGE_DAYS + 1, np.nan], z.shape)
    batch = classify_batch(index, z, ages)
    expected = [classify(index, float(v), None if np.isnan(a) else int(a)) for v, a in zip(z, ages, strict=True)]
    assert list(batch) == expected


def test_codes_are_shared_and_labels_translatable():
    assert WeightForAge.NORMAL == LengthForAge.NORMAL == WeightForLength.NORMAL == BmiForAge.NORMAL == "normal"
    with translation.override("en"):
        assert str(WeightForLength.SEVERELY_WASTED.label) == "Severely wasted"
    assert flag_for("wflh") == GrowthFlag.IMPLAUSIBLE_WFLH == "implausible_wflh"
    assert {flag_for(index) for index in INDICES} == set(GrowthFlag.values)
