"""NIK checks against hand-built numbers from the Dukcapil rule (PPKKCC DDMMYY SSSS, women day + 40)."""

import datetime as dt

import pytest
from django.utils import translation

from simpul.lib.nik import check_nik, mask_nik, nik_for

TODAY = dt.date(2025, 6, 1)
# Woman born 17-05-1990, first registered in kecamatan 35.76.03: day 17 + 40 = 57.
WOMAN_NIK = "3576035705900001"
# Man born 02-03-1985 in the same kecamatan.
MAN_NIK = "3576030203850002"


@pytest.fixture(autouse=True)
def english():
    """Some tests tell warnings apart by their (English) wording; the site default is Indonesian."""
    with translation.override("en"):
        yield


def test_it_accepts_a_womans_nik_and_reads_sex_and_birth_date():
    check = check_nik(WOMAN_NIK, sex="F", birth_date=dt.date(1990, 5, 17), today=TODAY)
    assert check.is_valid
    assert check.warnings == []
    assert check.encoded_sex == "F"
    assert check.encoded_birth_date == dt.date(1990, 5, 17)


def test_it_accepts_a_mans_nik_and_reads_sex_and_birth_date():
    check = check_nik(MAN_NIK, sex="M", birth_date=dt.date(1985, 3, 2), today=TODAY)
    assert check.is_valid
    assert check.warnings == []
    assert check.encoded_sex == "M"
    assert check.encoded_birth_date == dt.date(1985, 3, 2)


def test_it_strips_dots_and_spaces_written_on_forms():
    check = check_nik("35.76.03 570590 0001", today=TODAY)
    assert check.is_valid
    assert check.nik == WOMAN_NIK


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("357603570590001", "15 digits"),
        ("35760357059000011", "17 digits"),
        ("35760357059O0001", "letter O instead of zero"),
        ("3576O35705900001", "letter in the region part"),
        ("３５７６０３５７０５９００００１", "full-width digits"),
        ("", "empty"),
        ("3576033205900001", "day 32"),
        ("3576030005900001", "day 00"),
        ("3576034005900001", "day 40 (neither a man's nor a woman's day)"),
        ("3576037205900001", "day 72 (woman's day 32)"),
        ("3576031713900001", "month 13"),
        ("3576031700900001", "month 00"),
        ("3576033102900001", "31 February"),
        ("3576032902010001", "29 February 2001"),
        ("3576035705900000", "serial 0000"),
        ("1076035705900001", "province 10 does not exist"),
        ("3500035705900001", "kab/kota 00"),
        ("3576005705900001", "kecamatan 00"),
    ],
)
def test_it_refuses_a_malformed_nik(raw, reason):
    check = check_nik(raw, today=TODAY)
    assert not check.is_valid, reason
    assert check.errors
    assert check.encoded_sex is None


def test_it_lists_every_shape_error_at_once():
    check = check_nik("3576033213900000", today=TODAY)  # day 32, month 13, serial 0000
    assert len(check.errors) == 2  # one for the date digits, one for the serial


def test_it_accepts_29_february_of_a_leap_year():
    check = check_nik("3576032902000001", sex="M", birth_date=dt.date(2000, 2, 29), today=TODAY)
    assert check.is_valid
    assert check.encoded_birth_date == dt.date(2000, 2, 29)


def test_it_warns_but_keeps_a_nik_whose_sex_disagrees():
    check = check_nik(WOMAN_NIK, sex="M", birth_date=dt.date(1990, 5, 17), today=TODAY)
    assert check.is_valid
    assert len(check.warnings) == 1
    assert "sex" in check.warnings[0]


@pytest.mark.parametrize(
    "recorded",
    [dt.date(1990, 5, 18), dt.date(1990, 6, 17), dt.date(1991, 5, 17)],
)
def test_it_warns_but_keeps_a_nik_whose_birth_date_disagrees(recorded):
    check = check_nik(WOMAN_NIK, sex="F", birth_date=recorded, today=TODAY)
    assert check.is_valid
    assert len(check.warnings) == 1
    assert "birth date" in check.warnings[0]


def test_it_warns_about_a_kecamatan_missing_from_the_region_list():
    asked = []

    def exists(code6):
        asked.append(code6)
        return False

    check = check_nik("3576995705900001", kecamatan_exists=exists, today=TODAY)
    assert check.is_valid
    assert asked == ["357699"]
    assert len(check.warnings) == 1
    assert "35.76.99" in check.warnings[0]


def test_it_does_not_warn_about_a_known_kecamatan():
    check = check_nik(WOMAN_NIK, kecamatan_exists=lambda code: code == "357603", today=TODAY)
    assert check.warnings == []


def test_it_reads_a_two_digit_year_as_the_latest_century_not_in_the_future():
    nik = "3576030203250002"  # 02-03-25
    assert check_nik(nik, today=dt.date(2025, 3, 1)).encoded_birth_date == dt.date(1925, 3, 2)
    assert check_nik(nik, today=dt.date(2025, 3, 2)).encoded_birth_date == dt.date(2025, 3, 2)


def test_it_masks_all_but_the_region_prefix_and_last_two_digits():
    masked = mask_nik(WOMAN_NIK)
    assert masked.startswith("3576")
    assert masked.endswith("01")
    assert len(masked) == 16
    assert "570590" not in masked
    assert sum(ch.isdigit() for ch in masked) == 6


def test_it_masks_empty_and_short_values_without_revealing_them():
    assert mask_nik("") == ""
    assert mask_nik(None) == ""
    assert not any(ch.isdigit() for ch in mask_nik("1234567"))


def test_nik_for_builds_the_dukcapil_layout():
    assert nik_for(kecamatan6="357603", birth_date=dt.date(1990, 5, 17), sex="F", serial=1) == WOMAN_NIK
    assert nik_for(kecamatan6="357603", birth_date=dt.date(1985, 3, 2), sex="M", serial=2) == MAN_NIK
