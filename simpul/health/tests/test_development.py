"""The development checklist table: which band a child's age falls in, and the result rule.

Ages are completed months as the Buku KIA counts them (a month is completed on the same day of the
month as the birth); expectations are worked out by hand. Result rule (ADR 0010, the KPSP reading,
[U]): all yes → appropriate (sesuai); 1–2 not yet → doubtful (meragukan); ≥ 3 not yet → possible delay
(kemungkinan penyimpangan).
"""

import datetime as dt

import pytest

from simpul.health import development
from simpul.health.development import CURRENT, band_for, result_for

D = dt.date
BORN = D(2024, 1, 15)


@pytest.mark.parametrize(("on", "band"), [
    (D(2024, 1, 15), "m0_3"),  # the day of birth
    (D(2024, 4, 14), "m0_3"),  # 2 months 30 days
    (D(2024, 4, 15), "m3_6"),  # 3 months exactly
    (D(2024, 7, 14), "m3_6"),
    (D(2024, 7, 15), "m6_9"),
    (D(2024, 10, 15), "m9_12"),
    (D(2025, 1, 14), "m9_12"),  # 11 months
    (D(2025, 1, 15), "m12_18"),  # 12 months
    (D(2025, 7, 15), "m18_24"),
    (D(2026, 1, 14), "m18_24"),  # 23 months
    (D(2026, 1, 15), "m24_36"),  # 24 months
    (D(2027, 1, 15), "m36_48"),
    (D(2028, 1, 15), "m48_60"),
    (D(2029, 1, 14), "m48_60"),  # 59 months
    (D(2029, 1, 15), "m60_72"),  # 60 months
    (D(2030, 1, 14), "m60_72"),  # 71 months: the last day of the checklist
])
def test_band_at_the_boundaries(on, band):
    assert band_for(BORN, on).code == band


@pytest.mark.parametrize("on", [D(2030, 1, 15), D(2031, 6, 1), D(2024, 1, 14)])
def test_no_band_from_72_months_or_before_birth(on):
    assert band_for(BORN, on) is None


def test_a_child_born_on_the_31st_completes_the_month_on_the_1st():
    # Born 31 Jan: 30 Apr is 2 months 30 days (no 31 Apr), 1 May is 3 months.
    assert band_for(D(2024, 1, 31), D(2024, 4, 30)).code == "m0_3"
    assert band_for(D(2024, 1, 31), D(2024, 5, 1)).code == "m3_6"


@pytest.mark.parametrize(("no", "result"), [
    (0, "appropriate"), (1, "doubtful"), (2, "doubtful"), (3, "possible_delay"), (4, "possible_delay"),
    (8, "possible_delay"),
])
def test_result_rule(no, result):
    items = CURRENT.band("m12_18").item_codes  # 8 items
    answers = {code: i >= no for i, code in enumerate(items)}
    assert result_for(answers) == result


def test_the_table_covers_0_to_72_months_without_gaps():
    bands = CURRENT.bands
    assert bands[0].low_months == 0 and bands[-1].high_months == development.MAX_MONTHS == 72
    assert all(a.high_months == b.low_months for a, b in zip(bands, bands[1:], strict=False))
    for band in bands:
        assert len(set(band.item_codes)) == len(band.items) >= 8, band.code
    assert CURRENT.confirmed is False and CURRENT.version in development.TABLES


def test_band_labels():
    assert CURRENT.band("m12_18").short == "12–18 bln"
    assert CURRENT.band("nope") is None
