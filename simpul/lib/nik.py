"""Validation of the Nomor Induk Kependudukan (NIK).

Structure (Dukcapil): ``PPKKCC DDMMYY SSSS`` — the kecamatan of first
registration, the birth date with 40 added to the day for women, and a serial
from 0001. Only the shape makes a NIK *invalid*; facts that may be true of a
real card (an old kecamatan code from before a region split, a date that does
not agree with what the family told the kader) are *warnings*: the record is
kept and marked unverified, because refusing a real KTP is worse than storing a
doubtful one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NikCheck:
    nik: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The same warnings as codes, for storing: the message is made in the reader's language at display.
    warning_codes: list[str] = field(default_factory=list)
    encoded_sex: str | None = None  # "M" or "F"
    encoded_birth_date: dt.date | None = None

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _century_date(day: int, month: int, yy: int, today: dt.date) -> dt.date | None:
    """Two-digit years: take the most recent century that is not in the future."""
    for century in (2000, 1900):
        try:
            candidate = dt.date(century + yy, month, day)
        except ValueError:
            return None
        if candidate <= today:
            return candidate
    return None


def check_nik(
    raw: str,
    *,
    sex: str | None = None,
    birth_date: dt.date | None = None,
    kecamatan_exists: Callable[[str], bool] | None = None,
    today: dt.date | None = None,
) -> NikCheck:
    """Check a NIK against its format and against the person's recorded sex and birth date."""
    today = today or dt.date.today()
    nik = (raw or "").strip().replace(" ", "").replace(".", "")
    errors: list[str] = []

    if len(nik) != 16 or not nik.isascii() or not nik.isdigit():
        return NikCheck(nik=nik, errors=[str(_("NIK must be exactly 16 digits."))])

    day, month, yy, serial = int(nik[6:8]), int(nik[8:10]), int(nik[10:12]), int(nik[12:16])
    encoded_sex = "F" if day > 40 else "M"
    real_day = day - 40 if day > 40 else day
    encoded_birth = None
    if not 1 <= real_day <= 31 or not 1 <= month <= 12:
        errors.append(str(_("The birth date inside the NIK (digits 7-12) is not a real date.")))
    else:
        encoded_birth = _century_date(real_day, month, yy, today)
        if encoded_birth is None:
            errors.append(str(_("The birth date inside the NIK (digits 7-12) is not a real date.")))
    if serial == 0:
        errors.append(str(_("The last four digits of a NIK (serial number) cannot be 0000.")))
    if int(nik[0:2]) < 11:
        errors.append(str(_("The first two digits of a NIK must be a province code (11 or higher).")))
    elif nik[2:4] == "00" or nik[4:6] == "00":
        # Kab/kota and kecamatan codes start at 01: "350000" is no place in any version of the list.
        errors.append(str(_("Digits 3-6 of a NIK must be a kabupaten/kota and kecamatan code (not 00).")))
    if errors:
        return NikCheck(nik=nik, errors=errors)

    codes: list[str] = []
    if kecamatan_exists is not None and not kecamatan_exists(nik[:6]):
        codes.append(KECAMATAN_UNKNOWN)
    if sex in {"M", "F"} and sex != encoded_sex:
        codes.append(SEX_MISMATCH)
    if birth_date is not None and encoded_birth is not None:
        same_day_month = (birth_date.day, birth_date.month) == (encoded_birth.day, encoded_birth.month)
        if not same_day_month or birth_date.year % 100 != yy:
            codes.append(BIRTH_DATE_MISMATCH)
    return NikCheck(
        nik=nik, warnings=[warning_message(c, nik) for c in codes], warning_codes=codes,
        encoded_sex=encoded_sex, encoded_birth_date=encoded_birth,
    )


KECAMATAN_UNKNOWN = "kecamatan_unknown"
SEX_MISMATCH = "sex_mismatch"
BIRTH_DATE_MISMATCH = "birth_date_mismatch"


def warning_message(code: str, nik: str = "") -> str:
    """The message for a stored warning code, in the active language."""
    if code == KECAMATAN_UNKNOWN:
        return str(_("Kecamatan code %(code)s is not in the current region list (it may be an old code).")
                   % {"code": f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}" if nik else "?"})
    if code == SEX_MISMATCH:
        return str(_("The NIK encodes a different sex than the one recorded."))
    if code == BIRTH_DATE_MISMATCH:
        return str(_("The NIK encodes a different birth date than the one recorded."))
    return code


def mask_nik(nik: str | None) -> str:
    """Show only the region prefix and the last two digits: 3576xxxxxxxxxx12."""
    if not nik:
        return ""
    if len(nik) < 10:
        # Too short to be a NIK: showing a prefix and a suffix would show nearly all of it.
        return "•" * len(nik)
    return f"{nik[:4]}{'•' * (len(nik) - 6)}{nik[-2:]}"


def nik_for(*, kecamatan6: str, birth_date: dt.date, sex: str, serial: int) -> str:
    """Build a well-formed NIK (used by the synthetic demo data generator)."""
    day = birth_date.day + (40 if sex == "F" else 0)
    return f"{kecamatan6}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"
