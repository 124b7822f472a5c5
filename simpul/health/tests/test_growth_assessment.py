"""growth_assess: one measurement in, age, z, Permenkes codes and flags out; bad input refused by field."""

import datetime as dt

import pytest

from simpul.core.errors import DomainError
from simpul.health.growth.assessment import growth_assess

NOW = dt.datetime(2025, 6, 15, 3, 0, tzinfo=dt.UTC)  # 10:00 WIB, 12:00 WIT


def assess(**extra):
    data = dict(sex="M", birth_date=dt.date(2024, 6, 15), measured_on=dt.date(2025, 6, 15), now=NOW)
    data.update(extra)
    return growth_assess(**data)


def field_errors(**extra) -> dict:
    with pytest.raises(DomainError) as caught:
        assess(**extra)
    return caught.value.field_errors


class TestResult:
    def test_a_boy_at_365_days(self):
        result = assess(weight_kg=9.6, length_height_cm=75.7, position="recumbent", head_circumference_cm=46.1,
                        muac_cm=14.5)
        assert result.age_days == 365
        assert result.z["wfa"] == -0.04
        assert set(result.z) == {"wfa", "lhfa", "wflh", "bmifa", "hcfa", "acfa"}
        assert all(isinstance(z, float) for z in result.z.values())
        assert result.classification == {"wfa": "normal", "lhfa": "normal", "wflh": "normal", "bmifa": "normal"}
        assert result.flags == []

    def test_restricted_z_and_its_classification(self):
        result = assess(weight_kg=16.0, length_height_cm=75.7)
        assert result.z["wfa"] == 4.96
        assert result.classification["wfa"] == "risk_of_overweight"
        assert result.classification["wflh"] == "obese"

    def test_implausible_values_are_flagged_and_still_classified(self):
        result = assess(weight_kg=9.6, length_height_cm=55.0)
        assert result.z["lhfa"] < -6
        assert result.classification["lhfa"] == "severely_stunted"
        assert "implausible_lhfa" in result.flags

    def test_nothing_measured_gives_nulls_not_normal(self):
        result = assess()
        assert result.age_days == 365
        assert set(result.z.values()) == {None}
        assert set(result.classification.values()) == {None}
        assert result.flags == []

    def test_oedema_leaves_weight_based_indices_null(self):
        result = assess(weight_kg=9.6, length_height_cm=75.7, muac_cm=14.5, oedema=True)
        assert result.z["wfa"] is None and result.z["wflh"] is None and result.z["bmifa"] is None
        assert result.classification["wfa"] is None
        assert result.z["lhfa"] is not None and result.z["acfa"] is not None

    def test_a_school_child_gets_the_2007_reference_and_its_bmi_bands(self):
        result = assess(sex="F", birth_date=dt.date(2015, 1, 10), weight_kg=50.0, length_height_cm=140.0)
        assert result.age_days > 3650
        assert result.z["wfa"] is None and result.z["wflh"] is None
        assert result.z["lhfa"] is not None and result.classification["lhfa"] is None
        assert result.classification["bmifa"] in {"overweight", "obese"}

    def test_no_negative_zero(self):
        result = assess(weight_kg=9.646)
        assert str(result.z["wfa"]) == "0.0"

    def test_measured_today_in_papua_is_not_the_future(self):
        # 23:30 WIB on 14 June is already 15 June in Jayapura
        late = dt.datetime(2025, 6, 14, 16, 30, tzinfo=dt.UTC)
        assert growth_assess(sex="F", birth_date=dt.date(2025, 1, 1), measured_on=dt.date(2025, 6, 15),
                             now=late).age_days == 165


class TestRefusals:
    def test_measurement_before_birth(self):
        errors = field_errors(measured_on=dt.date(2024, 6, 14))
        assert list(errors) == ["measured_on"]

    def test_measurement_in_the_future(self):
        assert list(field_errors(measured_on=dt.date(2025, 6, 16))) == ["measured_on"]

    def test_birth_in_the_future(self):
        errors = field_errors(birth_date=dt.date(2025, 7, 1), measured_on=dt.date(2025, 7, 2))
        assert set(errors) == {"birth_date", "measured_on"}

    def test_older_than_nineteen(self):
        assert list(field_errors(birth_date=dt.date(2005, 1, 1))) == ["birth_date"]
        oldest = assess(birth_date=dt.date(2025, 6, 15) - dt.timedelta(days=6970), length_height_cm=175.0)
        assert oldest.age_days == 6970 and oldest.z["lhfa"] is not None

    @pytest.mark.parametrize(("field", "value"), [
        ("weight_kg", 0.0), ("weight_kg", -1.0), ("weight_kg", 250.1), ("weight_kg", float("inf")),
        ("weight_kg", float("nan")), ("length_height_cm", 0.0), ("length_height_cm", 1e-300),
        ("length_height_cm", 30.0), ("length_height_cm", 250.5),
        ("head_circumference_cm", 0.0), ("head_circumference_cm", 101.0), ("muac_cm", -2.0), ("muac_cm", 100.5),
    ])
    def test_absurd_measurements(self, field, value):
        assert list(field_errors(**{field: value})) == [field]

    def test_limits_themselves_are_accepted(self):
        assess(weight_kg=250.0, length_height_cm=250.0, head_circumference_cm=100.0, muac_cm=100.0)
        assess(length_height_cm=30.1)

    def test_every_problem_is_reported_at_once(self):
        errors = field_errors(measured_on=dt.date(2024, 1, 1), weight_kg=0.0, muac_cm=-1.0, position="sitting",
                              sex="X")
        assert set(errors) == {"measured_on", "weight_kg", "muac_cm", "position", "sex"}
        assert all(isinstance(m, str) and m for messages in errors.values() for m in messages)
