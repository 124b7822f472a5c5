"""Field rules for households and residents, shared by pages, the API and the seeders.

Each check adds messages to an ``errors`` dict keyed by field name, so a form
or a 422 body can show every problem at once instead of one at a time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from simpul.lib import crypto
from simpul.lib.nik import NikCheck, check_nik
from simpul.regions.selectors import kecamatan_code_exists

NAME_RE = re.compile(r"^[^\W\d_][\w .,'\-]*$", re.UNICODE)
# re.ASCII: ``\d`` would otherwise accept Arabic-Indic or full-width digits.
PHONE_RE = re.compile(r"\+?\d{8,15}", re.ASCII)
RT_RW_RE = re.compile(r"\d{1,3}", re.ASCII)
OLDEST_BIRTH_YEAR = 1900


class Errors(defaultdict):
    def __init__(self):
        super().__init__(list)

    def add(self, field: str, message: str) -> None:
        self[field].append(str(message))

    def prefixed(self, prefix: str) -> dict[str, list[str]]:
        return {f"{prefix}{key}": value for key, value in self.items()}


def clean_name(value: str | None, field: str, errors: Errors, *, required: bool = True) -> str:
    name = " ".join((value or "").split())
    if not name:
        if required:
            errors.add(field, _("This field is required."))
        return ""
    if len(name) > 120:
        errors.add(field, _("A name can be at most 120 characters."))
    elif not NAME_RE.match(name):
        errors.add(field, _("A name may only contain letters, spaces and . , ' -"))
    return name


def clean_phone(value: str | None, errors: Errors, field: str = "phone") -> str:
    phone = re.sub(r"[\s\-()]", "", value or "")
    if phone and not PHONE_RE.fullmatch(phone):
        errors.add(field, _("Enter a phone number of 8 to 15 digits, for example 081234567890."))
    return phone


def clean_rt_rw(value: str | None, field: str, errors: Errors) -> str:
    text = (value or "").strip()
    if text and not RT_RW_RE.fullmatch(text):
        errors.add(field, _("RT and RW are numbers of at most three digits, e.g. 003."))
        return text
    return text.zfill(3) if text else ""


def clean_coordinates(lat, lng, errors: Errors) -> tuple[Decimal | None, Decimal | None]:
    if lat in (None, "") and lng in (None, ""):
        return None, None
    try:
        lat_d, lng_d = Decimal(str(lat)), Decimal(str(lng))
    except Exception:  # noqa: BLE001 - any unparsable input is the same user error
        errors.add("latitude", _("Coordinates must be decimal numbers."))
        return None, None
    if not (lat_d.is_finite() and lng_d.is_finite()):
        # "NaN" parses as a Decimal but cannot be compared (InvalidOperation), "Infinity" is no place.
        errors.add("latitude", _("Coordinates must be decimal numbers."))
        return None, None
    # Indonesia lies within roughly 6°N–11°S and 95°E–141°E.
    if not (Decimal("-11.5") <= lat_d <= Decimal("6.5") and Decimal("94.5") <= lng_d <= Decimal("141.5")):
        errors.add("latitude", _("These coordinates are outside Indonesia."))
        return None, None
    return lat_d.quantize(Decimal("0.000001")), lng_d.quantize(Decimal("0.000001"))


def clean_birth_date(value: dt.date | None, errors: Errors, *, today: dt.date) -> dt.date | None:
    if value is None:
        errors.add("birth_date", _("This field is required."))
        return None
    if value > today:
        errors.add("birth_date", _("The birth date cannot be in the future."))
    elif value.year < OLDEST_BIRTH_YEAR:
        errors.add("birth_date", _("The birth date is too far in the past."))
    return value


def check_person_nik(nik: str, *, sex: str | None, birth_date: dt.date | None, today: dt.date) -> NikCheck:
    return check_nik(nik, sex=sex, birth_date=birth_date, kecamatan_exists=kecamatan_code_exists, today=today)


def clean_kk(value: str | None, errors: Errors, field: str = "kk") -> str:
    kk = (value or "").replace(" ", "").replace(".", "")
    if kk and (len(kk) != 16 or not kk.isascii() or not kk.isdigit()):
        errors.add(field, _("A KK number must be exactly 16 digits."))
    return kk


def kk_hash(kk: str) -> str | None:
    return crypto.lookup_hash(f"kk:{kk}") if kk else None


def nik_hash(nik: str) -> str | None:
    return crypto.lookup_hash(f"nik:{nik}") if nik else None
