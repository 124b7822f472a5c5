"""The KMS chart: WHO SD curves, the child's points, and the SVG read back.

Reference values are WHO's published simplified field tables (WHO Child Growth Standards 2006,
"Weight-for-age" and "Length/height-for-age", z-scores, by month), rounded to 0.1 as printed —
not this code's output:

* boys weight-for-age 12 months: −3 SD 6.9, −2 SD 7.7, median 9.6, +2 SD 12.0, +3 SD 13.3 kg
* girls weight-for-age 0 months: −2 SD 2.4, median 3.2, +2 SD 4.2 kg
* girls weight-for-age 60 months: −3 SD 12.1, −2 SD 13.7, median 18.2, +2 SD 24.9, +3 SD 29.5 kg
* boys length-for-age 24 months (lying): −2 SD 81.7, median 87.8, +2 SD 93.9 cm
* boys height-for-age 24 months (standing): −2 SD 81.0, median 87.1, +2 SD 93.2 cm
* girls length-for-age 12 months: −2 SD 68.9, median 74.0, +2 SD 79.2 cm
* boys height-for-age 60 months: −2 SD 100.7, median 110.0, +2 SD 119.2 cm
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from simpul.health import kms
from simpul.health.tests.kit import parse_svg

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(("index", "sex", "month", "standing", "expected"), [
    ("wfa", "M", 12, None, {-3: 6.9, -2: 7.7, 0: 9.6, 2: 12.0, 3: 13.3}),
    ("wfa", "F", 0, None, {-2: 2.4, 0: 3.2, 2: 4.2}),
    ("wfa", "F", 60, None, {-3: 12.1, -2: 13.7, 0: 18.2, 2: 24.9, 3: 29.5}),
    ("lhfa", "M", 24, False, {-2: 81.7, 0: 87.8, 2: 93.9}),
    ("lhfa", "M", 24, True, {-2: 81.0, 0: 87.1, 2: 93.2}),
    ("lhfa", "F", 12, None, {-2: 68.9, 0: 74.0, 2: 79.2}),
    ("lhfa", "M", 60, None, {-2: 100.7, 0: 110.0, 2: 119.2}),
])
def test_curve_values_match_the_who_tables(index, sex, month, standing, expected):
    for sd, value in expected.items():
        assert round(kms.curve_value(index, sex, sd, month, standing=standing), 1) == value, (sd, value)


def test_the_length_curve_ends_and_the_height_curve_begins_at_24_months():
    length, height = kms.curve_segments("lhfa", "M", 0)
    assert [m for m, _v in length] == list(range(25)) and [m for m, _v in height] == list(range(24, 61))
    assert length[-1][1] - height[0][1] == pytest.approx(0.7, abs=0.05)  # WHO: 87.8 lying, 87.1 standing
    assert len(kms.curve_segments("wfa", "F", 2)) == 1


def test_month_days_follow_who():
    # 30.4375 days a month, half up: 12 months = 365 days, 24 months = 731 days (730.5), 60 = 1826.
    assert [kms.day_of_month(m) for m in (0, 1, 12, 24, 60)] == [0, 30, 365, 731, 1826]


def _m(day, age_days, **values):
    base = {"weight_kg": None, "length_height_cm": None, "position": "", "z_wfa": None, "z_lhfa": None,
            "class_wfa": "", "class_lhfa": "", "superseded_by_id": None}
    base.update(values)
    return SimpleNamespace(measured_on=day, age_days=age_days, **base)


def test_points_are_current_under_five_and_converted_for_position():
    rows = [
        _m(dt.date(2025, 1, 14), 365, weight_kg=Decimal("8.900"), length_height_cm=Decimal("74.0"),
           position="recumbent", z_wfa=-0.35, class_wfa="normal"),
        _m(dt.date(2025, 2, 14), 396, weight_kg=Decimal("9.900"), superseded_by_id=99),  # corrected: not plotted
        _m(dt.date(2025, 9, 1), 595, length_height_cm=Decimal("80.0"), position="standing"),  # < 731 days: +0.7
        _m(dt.date(2026, 3, 1), 776, length_height_cm=Decimal("86.0"), position="recumbent"),  # ≥ 731: −0.7
        _m(dt.date(2029, 3, 1), 1872, weight_kg=Decimal("19.0")),  # past 60 months: off the chart
    ]
    assert [(p.measured_on, p.value) for p in kms.points("wfa", rows)] == [(dt.date(2025, 1, 14), 8.9)]
    assert [p.value for p in kms.points("lhfa", rows)] == [74.0, 80.7, 85.3]
    assert kms.points("wfa", rows)[0].age_months == pytest.approx(365 / 30.4375)


def _read(svg: str):
    root = parse_svg(svg)
    left, top, right, bottom = (float(v) for v in root.get("data-plot").split())
    y_min, y_max = float(root.get("data-y-min")), float(root.get("data-y-max"))

    def value(y):
        return y_min + (bottom - float(y)) * (y_max - y_min) / (bottom - top)

    def month(x):
        return (float(x) - left) * 60 / (right - left)

    return root, value, month


def test_the_svg_curves_read_back_to_the_who_values():
    root, value, month = _read(kms.render_svg("wfa", "M", []))
    median = [p.split(",") for p in root.find(f"{SVG}polyline[@data-sd='0']").get("points").split()]
    x, y = median[12]
    assert round(month(x), 6) == 12 and round(value(y), 1) == 9.6
    minus2 = root.find(f"{SVG}polyline[@data-sd='-2']").get("points").split()[12].split(",")
    assert round(value(minus2[1]), 1) == 7.7
    girls = _read(kms.render_svg("wfa", "F", []))
    assert round(girls[1](girls[0].find(f"{SVG}polyline[@data-sd='0']").get("points").split()[0].split(",")[1]),
                 1) == 3.2
    boys_length, value, _month = _read(kms.render_svg("lhfa", "M", []))
    length_median = boys_length.findall(f"{SVG}polyline[@data-sd='0']")[0].get("points").split()
    assert round(value(length_median[24].split(",")[1]), 1) == 87.8


def test_the_svg_is_accessible_and_coloured():
    svg = kms.render_svg("wfa", "F", [
        _m(dt.date(2025, 1, 14), 365, weight_kg=Decimal("8.9"), z_wfa=-0.35, class_wfa="normal")])
    root = parse_svg(svg)
    assert root.get("role") == "img" and "8.9 kg" in root.get("aria-label")
    assert root.find(f"{SVG}title").text
    bands = {p.get("class") for p in root.findall(f"{SVG}polygon")}
    assert bands == {"band band-red", "band band-orange", "band band-green", "band band-pale"}
    assert root.find(f"{SVG}polygon[@class='band band-green']").get("fill") == kms.COLOURS["green"]
    assert {p.get("data-sd") for p in root.findall(f"{SVG}polyline[@class='sd']")} == {"-3", "-2", "0", "2", "3"}


def test_the_childs_points_are_plotted_at_their_age_and_value():
    rows = [_m(dt.date(2025, 1, 14), 365, weight_kg=Decimal("8.9")), _m(dt.date(2025, 2, 14), 396,
                                                                        weight_kg=Decimal("9.2"))]
    root, value, month = _read(kms.render_svg("wfa", "F", rows))
    circles = root.findall(f"{SVG}circle[@class='child-point']")
    assert [c.get("data-date") for c in circles] == ["2025-01-14", "2025-02-14"]
    assert [round(value(c.get("cy")), 2) for c in circles] == [8.9, 9.2]
    assert [round(month(c.get("cx")), 2) for c in circles] == [round(365 / 30.4375, 2), round(396 / 30.4375, 2)]
    assert root.find(f"{SVG}polyline[@class='child-line']") is not None


def test_an_empty_chart_says_so():
    root = parse_svg(kms.render_svg("lhfa", "M", []))
    assert root.findall(f"{SVG}circle") == [] and root.get("aria-label")


def test_unknown_chart_is_refused():
    with pytest.raises(ValueError):
        kms.render_svg("hcfa", "M", [])
