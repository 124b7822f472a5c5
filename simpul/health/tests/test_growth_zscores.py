"""WHO's rules, checked row by row against z-scores computed by WHO's own programs.

* ``MySurvey_z_st.csv``: WHO's igrowup example survey, 498 children, with measuring position and
  oedema — every z must match WHO's to 0.01, be null exactly where WHO's is, and flag the same rows.
* ``igrowup_stata_z.csv.gz``: 5,704 children through WHO's Stata igrowup (0–5 y) and who2007 (5–19 y)
  programs, which leave a z empty where they flag it implausible.
"""

import csv
import gzip
from pathlib import Path

import numpy as np
import pytest

from simpul.health.growth import zscores
from simpul.health.growth.lms import value_at
from simpul.health.growth.zscores import (
    INDICES,
    MAX_AGE_DAYS,
    age_in_days,
    zscores_batch,
    zscores_one,
)

DATA = Path(__file__).parent / "data"
TOLERANCE = 0.01 + 1e-9  # WHO prints two decimals


def _float(value: str) -> float:
    return float(value) if value not in ("", "NA") else np.nan


@pytest.fixture(scope="module")
def who_survey():
    with open(DATA / "MySurvey_z_st.csv", newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    col = {name: header.index(name) for name in header}  # first occurrence ("oedema" appears twice)

    def column(name):
        return np.array([_float(r[col[name]]) for r in rows])

    inputs = dict(
        sex=[{"1": "M", "2": "F"}[r[col["GENDER"]]] for r in rows],
        age_days=column("age.days"),
        weight_kg=column("WEIGHT"),
        length_height_cm=column("HEIGHT"),
        position=[{"l": "recumbent", "h": "standing"}.get(r[col["measure"]]) for r in rows],
        head_circumference_cm=column("HEAD"),
        muac_cm=column("MUAC"),
        oedema=[r[col["oedema"]] == "y" for r in rows],
    )
    return inputs, column


@pytest.fixture(scope="module")
def survey_result(who_survey):
    inputs, _column = who_survey
    return zscores_batch(**inputs)


SURVEY_COLUMNS = [("lhfa", "zlen", "flen"), ("wfa", "zwei", "fwei"), ("wflh", "zwfl", "fwfl"),
                  ("bmifa", "zbmi", "fbmi"), ("hcfa", "zhc", "fhc"), ("acfa", "zac", "fac")]


class TestWhoSurvey:
    @pytest.mark.parametrize(("index", "who_z", "_flag"), SURVEY_COLUMNS)
    def test_every_z_matches_who_within_001(self, who_survey, survey_result, index, who_z, _flag):
        _inputs, column = who_survey
        theirs, ours = column(who_z), survey_result.z[index]
        assert (np.isnan(theirs) == np.isnan(ours)).all(), "null exactly where WHO's program gives none"
        both = ~np.isnan(theirs)
        assert both.sum() > 90
        assert np.abs(np.round(ours[both], 2) - theirs[both]).max() <= TOLERANCE

    @pytest.mark.parametrize(("index", "_z", "who_flag"), SURVEY_COLUMNS)
    def test_flags_match_who(self, who_survey, survey_result, index, _z, who_flag):
        _inputs, column = who_survey
        theirs = column(who_flag)
        known = ~np.isnan(theirs)
        assert (survey_result.implausible(index)[known] == (theirs[known] == 1)).all()

    def test_length_conversion_matches_whos_clenhei(self, who_survey, survey_result):
        _inputs, column = who_survey
        assert survey_result.length_height_cm == pytest.approx(column("clenhei"), nan_ok=True)

    def test_bmi_is_from_the_converted_length(self, who_survey, survey_result):
        _inputs, column = who_survey
        assert survey_result.bmi == pytest.approx(column("cbmi"), nan_ok=True)

    def test_the_survey_exercises_every_rule(self, who_survey):
        inputs, column = who_survey
        age = inputs["age_days"]
        standing_young = [p == "standing" and a < 731 for p, a in zip(inputs["position"], age, strict=True)]
        lying_old = [p == "recumbent" and a >= 731 for p, a in zip(inputs["position"], age, strict=True)]
        assert sum(standing_young) and sum(lying_old) and sum(inputs["oedema"])
        assert (np.abs(column("zwei")) > 3).any() or (np.abs(column("zwfl")) > 3).any()


@pytest.fixture(scope="module")
def stata():
    with gzip.open(DATA / "igrowup_stata_z.csv.gz", "rt", newline="") as f:
        rows = list(csv.DictReader(f))
    columns = {name: np.array([_float(r[name]) for r in rows]) for name in rows[0] if name != "sex"}
    result = zscores_batch(sex=[r["sex"] for r in rows], age_days=columns["age_days"],
                           weight_kg=columns["weight_kg"], length_height_cm=columns["height_cm"],
                           head_circumference_cm=columns["head_cm"])
    return columns, result


STATA_COLUMNS = [("lhfa", "zlen"), ("wfa", "zwei"), ("wflh", "zwfl"), ("bmifa", "zbmi"), ("hcfa", "zhc"),
                 ("lhfa", "zhfa"), ("wfa", "zwfa"), ("bmifa", "zbfa")]


class TestWhoStataPrograms:
    @pytest.mark.parametrize(("index", "who_z"), STATA_COLUMNS)
    def test_every_z_matches_who_within_001(self, stata, index, who_z):
        columns, result = stata
        theirs, ours = columns[who_z], result.z[index]
        measured = ~np.isnan(theirs) & ~np.isnan(columns["weight_kg" if index == "wfa" else "height_cm"])
        assert measured.sum() > 750
        assert not np.isnan(ours[measured]).any()
        assert np.abs(np.round(ours[measured], 2) - theirs[measured]).max() <= TOLERANCE

    @pytest.mark.parametrize("index", ["lhfa", "wfa", "wflh", "bmifa", "hcfa"])
    def test_where_whos_program_drops_a_z_we_keep_it_and_flag_it(self, stata, index):
        columns, result = stata
        who = {"lhfa": ("zlen", "zhfa"), "wfa": ("zwei", "zwfa"), "wflh": ("zwfl",), "bmifa": ("zbmi", "zbfa"),
               "hcfa": ("zhc",)}[index]
        theirs = np.fmax.reduce([columns[c] for c in who]) if len(who) > 1 else columns[who[0]]
        ours = result.z[index]
        dropped = np.isnan(theirs) & ~np.isnan(ours)
        assert dropped.any()
        assert result.implausible(index)[dropped].all()
        assert not result.implausible(index)[~np.isnan(theirs)].any()

    def test_the_2007_reference_is_used_after_1856_days(self, stata):
        columns, _result = stata
        older = columns["age_days"] > 1856
        assert older.sum() > 1000
        assert np.isnan(columns["zlen"][older]).all() and not np.isnan(columns["zhfa"][older]).all()


class TestIndependentImplementation:
    """pygrowup2 (Decimal arithmetic, its own code) on random children, where its conventions equal WHO's."""

    def test_it_agrees_on_random_children(self):
        pygrowup = pytest.importorskip("pygrowup")
        rng = np.random.default_rng(20200102)
        n = 400
        sex = rng.integers(0, 2, n)
        age = rng.integers(1, 1857, n)
        lying = age < 731
        # pygrowup2 converts at 730 days and does not interpolate length: give it lengths on the 0.1 grid,
        # measured as the age requires, so that neither matters
        length = np.round(np.where(lying, rng.uniform(46, 100, n), rng.uniform(80, 118, n)), 1)
        weight = np.round(rng.uniform(2.5, 25, n), 1)
        head = np.round(rng.uniform(32, 54, n), 1)
        muac = np.round(rng.uniform(9, 20, n), 1)
        ours = zscores_batch(sex=sex, age_days=age, weight_kg=weight, length_height_cm=length,
                             head_circumference_cm=head, muac_cm=muac)
        compared = 0
        for i in range(n):
            obs = pygrowup.Observation(sex=("male", "female")[sex[i]], age_in_days=int(age[i]))
            bmi = weight[i] / (length[i] / 100) ** 2
            calls = [
                ("wfa", obs.wfa, (weight[i],), {}),
                ("lhfa", obs.lhfa, (length[i],), {"recumbent": bool(lying[i]), "auto_adjust": False}),
                ("wflh", obs.wfl if lying[i] else obs.wfh, (weight[i], length[i]), {}),
                ("bmifa", obs.bmifa, (bmi,), {}),
                ("hcfa", obs.hcfa, (head[i],), {}),
                ("acfa", obs.acfa, (muac[i],), {}),
            ]
            for index, method, args, kwargs in calls:
                try:
                    expected = float(method(*args, **kwargs))
                except pygrowup.exceptions.PyGrowUpException:
                    continue  # outside pygrowup2's own (narrower) plausibility ranges
                assert round(ours.z[index][i], 2) == pytest.approx(expected, abs=TOLERANCE), (index, i)
                compared += 1
        assert compared > 2000


class TestRules:
    def test_age_in_days_counts_calendar_days(self):
        import datetime as dt

        assert age_in_days(dt.date(2024, 2, 29), dt.date(2025, 2, 28)) == 365
        assert age_in_days(dt.date(2024, 1, 1), dt.date(2024, 1, 1)) == 0

    def test_standing_height_under_731_days_gains_07_cm(self):
        standing = zscores_one(sex="F", age_days=730, length_height_cm=80.0, position="standing")
        lying = zscores_one(sex="F", age_days=730, length_height_cm=80.7, position="recumbent")
        assert standing.length_height_cm == pytest.approx(80.7)
        assert standing.z["lhfa"] == pytest.approx(lying.z["lhfa"])

    def test_recumbent_length_from_731_days_loses_07_cm(self):
        lying = zscores_one(sex="M", age_days=731, length_height_cm=86.0, position="recumbent")
        standing = zscores_one(sex="M", age_days=731, length_height_cm=85.3, position="standing")
        assert lying.length_height_cm == pytest.approx(85.3)
        assert lying.z == pytest.approx(standing.z)

    def test_without_a_position_the_measurement_follows_the_age(self):
        unknown = zscores_one(sex="M", age_days=400, length_height_cm=75.0)
        assert unknown.length_height_cm == 75.0
        assert unknown.z["lhfa"] == zscores_one(sex="M", age_days=400, length_height_cm=75.0,
                                                position="recumbent").z["lhfa"]

    def test_the_input_array_is_not_changed(self):
        length = np.array([80.0, 86.0])
        zscores_batch(sex=["F", "M"], age_days=[700, 800], length_height_cm=length,
                      position=["standing", "recumbent"])
        assert list(length) == [80.0, 86.0]

    def test_weight_for_length_below_731_days_and_for_height_after(self):
        # the same child and numbers: the tables differ, so the z does
        at_730 = zscores_one(sex="M", age_days=730, weight_kg=10.0, length_height_cm=80.0)
        at_731 = zscores_one(sex="M", age_days=731, weight_kg=10.0, length_height_cm=80.0)
        assert at_730.z["wflh"] != at_731.z["wflh"]
        assert zscores_one(sex="M", age_days=700, weight_kg=3.0, length_height_cm=45.0).z["wflh"] is not None
        assert zscores_one(sex="M", age_days=700, weight_kg=3.0, length_height_cm=44.9).z["wflh"] is None
        assert zscores_one(sex="M", age_days=700, weight_kg=20.0, length_height_cm=110.1).z["wflh"] is None
        assert zscores_one(sex="M", age_days=800, weight_kg=7.0, length_height_cm=64.9).z["wflh"] is None
        assert zscores_one(sex="M", age_days=800, weight_kg=25.0, length_height_cm=120.0).z["wflh"] is not None
        assert zscores_one(sex="M", age_days=800, weight_kg=25.0, length_height_cm=120.1).z["wflh"] is None

    def test_weight_for_length_interpolates_between_tenths(self):
        def z(length):
            return zscores_one(sex="F", age_days=300, weight_kg=8.0, length_height_cm=length).z["wflh"]

        assert z(70.35) != z(70.3) and min(z(70.3), z(70.4)) < z(70.35) < max(z(70.3), z(70.4))

    def test_oedema_nulls_the_weight_based_indices_only(self):
        child = dict(sex="F", age_days=500, weight_kg=9.0, length_height_cm=78.0, head_circumference_cm=46.0,
                     muac_cm=14.0)
        with_oedema = zscores_one(**child, oedema=True)
        assert with_oedema.z["wfa"] is None and with_oedema.z["wflh"] is None and with_oedema.z["bmifa"] is None
        without = zscores_one(**child)
        for index in ("lhfa", "hcfa", "acfa"):
            assert with_oedema.z[index] == without.z[index] is not None

    @pytest.mark.parametrize("missing", [None, 0.0, -3.0, float("nan")])
    def test_missing_or_non_positive_measurements_give_null(self, missing):
        scores = zscores_one(sex="M", age_days=400, weight_kg=missing, length_height_cm=missing,
                             head_circumference_cm=missing, muac_cm=missing)
        assert all(z is None for z in scores.z.values())
        assert scores.implausible == ()

    def test_unknown_age_or_sex_gives_null(self):
        assert all(z is None for z in zscores_one(sex="M", age_days=None, weight_kg=9.0,
                                                   length_height_cm=75.0).z.values())
        assert all(z is None for z in zscores_one(sex="X", age_days=400, weight_kg=9.0,
                                                   length_height_cm=75.0).z.values())
        assert all(z is None for z in zscores_one(sex="M", age_days=-1, weight_kg=9.0).z.values())

    def test_what_each_age_can_have(self):
        def computed(age):
            scores = zscores_one(sex="F", age_days=age, weight_kg=18.0, length_height_cm=110.0,
                                 head_circumference_cm=50.0, muac_cm=16.0)
            return {index for index, z in scores.z.items() if z is not None}

        assert computed(90) == set(INDICES) - {"acfa"}
        assert computed(91) == computed(1856) == set(INDICES)
        assert computed(1857) == {"wfa", "lhfa", "bmifa"}  # 61.01 months: the 2007 reference
        assert computed(int(120 * 30.4375)) == {"wfa", "lhfa", "bmifa"}
        assert computed(3683) == {"lhfa", "bmifa"}  # 121.0 months: weight-for-age stops at 10 years
        assert computed(MAX_AGE_DAYS) == {"lhfa", "bmifa"}
        assert computed(MAX_AGE_DAYS + 1) == set()

    def test_implausible_values_are_flagged_and_kept(self):
        scores = zscores_one(sex="M", age_days=365, weight_kg=3.0, length_height_cm=50.0)
        assert scores.z["wfa"] < -6 and scores.z["lhfa"] < -6
        assert set(scores.implausible) >= {"wfa", "lhfa"}

    def test_flags_use_whos_thresholds_on_the_rounded_z(self):
        L, M, S = 0.0645, 9.646, 0.10925  # weight-for-age, boys, 365 days
        sd2, sd3 = value_at(2, L, M, S), value_at(3, L, M, S)
        nsd2, nsd3 = value_at(-2, L, M, S), value_at(-3, L, M, S)
        restricted = [-6.006, -6.004, 5.004, 5.006]  # rounded: −6.01, −6.00, 5.00, 5.01
        weight = np.array([nsd3 + (z + 3) * (nsd2 - nsd3) if z < 0 else sd3 + (z - 3) * (sd3 - sd2)
                           for z in restricted])
        result = zscores_batch(sex="M", age_days=np.full(4, 365.0), weight_kg=weight)
        assert result.z["wfa"] == pytest.approx(restricted)
        assert list(result.implausible("wfa")) == [True, False, False, True]

    def test_only_the_requested_indices_are_computed(self):
        result = zscores_batch(sex=["M"], age_days=[365], weight_kg=[9.6], length_height_cm=[75.0],
                               indices=("wfa", "lhfa"))
        assert set(result.z) == {"wfa", "lhfa"}
        with pytest.raises(ValueError):
            zscores_batch(sex=["M"], age_days=[365], indices=("weight",))

    def test_lists_with_none_are_accepted(self):
        result = zscores_batch(sex=["M", None, "F"], age_days=[365, 365, None], weight_kg=[9.6, 9.6, None])
        assert result.z["wfa"][0] == pytest.approx(-0.0437, abs=1e-4)
        assert np.isnan(result.z["wfa"][1:]).all()

    def test_sex_codes_never_wrap_round(self):
        result = zscores_batch(sex=np.array([0, 1, 256, 257, -1]), age_days=365, weight_kg=9.6)
        assert not np.isnan(result.z["wfa"][:2]).any() and np.isnan(result.z["wfa"][2:]).all()

    def test_a_bad_position_code_is_an_error(self):
        with pytest.raises(ValueError):
            zscores_batch(sex=["M"], age_days=[365], length_height_cm=[75.0], position=["lying"])
        with pytest.raises(ValueError):
            zscores_batch(sex=[0], age_days=[365], length_height_cm=[75.0], position=np.array([3]))

    def test_integer_and_fractional_ages(self):
        whole = zscores_batch(sex=[0, 0], age_days=np.array([365, 366]), weight_kg=[9.6, 9.6]).z["wfa"]
        halves = zscores_batch(sex=[0, 0], age_days=np.array([364.5, 365.49]), weight_kg=[9.6, 9.6]).z["wfa"]
        assert list(halves) == [whole[0], whole[0]]  # half a day rounds up, as WHO rounds

    @pytest.mark.parametrize("block", [16, 4096])
    def test_batch_equals_one_at_a_time(self, monkeypatch, block):
        monkeypatch.setattr(zscores, "BLOCK", block)  # many blocks, rows of both references in each
        rng = np.random.default_rng(7)
        n = 200
        rows = dict(sex=rng.choice(["M", "F"], n), age_days=rng.integers(0, MAX_AGE_DAYS + 30, n).astype(float),
                    weight_kg=rng.uniform(2, 60, n), length_height_cm=rng.uniform(45, 170, n),
                    position=rng.choice(["recumbent", "standing", None], n),
                    head_circumference_cm=rng.uniform(30, 55, n), muac_cm=rng.uniform(9, 25, n),
                    oedema=rng.random(n) < 0.05)
        batch = zscores_batch(**rows)
        codes = zscores_batch(**{**rows, "sex": (rows["sex"] == "F").astype(np.int8),
                                 "position": np.array([{"recumbent": 1, "standing": 2}.get(p, 0)
                                                       for p in rows["position"]], dtype=np.int8)})
        for i in range(n):
            one = zscores_one(**{k: (v[i].item() if hasattr(v[i], "item") else v[i]) for k, v in rows.items()})
            for index in INDICES:
                expected = batch.z[index][i]
                assert (one.z[index] is None) == np.isnan(expected)
                assert one.z[index] is None or one.z[index] == pytest.approx(expected)
                assert codes.z[index][i] == pytest.approx(expected, nan_ok=True)
