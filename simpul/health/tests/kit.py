"""Helpers for the KMS, development, FHIR and day-findings tests (not collected: no test_ prefix)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from conftest import person_input, register_family
from simpul.accounts.scope import scope_for
from simpul.health.development import CURRENT, band_for
from simpul.health.development_services import DevelopmentCheckInput, development_check_record
from simpul.health.models import DevelopmentCheck, Measurement
from simpul.health.services import MeasurementInput, measurement_record
from simpul.registry.models import Person

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
D = dt.date


def at(day: dt.date) -> dt.datetime:
    """An aware datetime at noon in Jakarta on ``day``: the ``now`` of that posyandu day."""
    return dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=JAKARTA)


def add_child(user, posyandu, name: str, birth: dt.date, *, sex: str = "M", nik: str = "", rt: str = "002") -> Person:
    """Register a two-person household (the mother and the child) and return the child."""
    household = register_family(user, posyandu, head=f"Ibu {name}", rt=rt, members=[
        person_input(f"Ibu {name}", "F", D(1992, 4, 1), "kepala"),
        person_input(name, sex, birth, "anak", mother_name=f"Ibu {name}", nik=nik),
    ])
    return household.members.get(full_name=name)


def measure(user, child: Person, day: dt.date, **values) -> Measurement:
    return measurement_record(actor=user, scope=scope_for(user), person=child,
                              data=MeasurementInput(measured_on=day, **values), now=at(day))


def check(user, child: Person, day: dt.date, *, no: int = 0) -> DevelopmentCheck:
    """A development check of the child's band on ``day`` with the first ``no`` items answered "not yet"."""
    band = band_for(child.birth_date, day, table=CURRENT)
    answers = {code: i >= no for i, code in enumerate(band.item_codes)}
    return development_check_record(actor=user, scope=scope_for(user), person=child,
                                    data=DevelopmentCheckInput(checked_on=day, answers=answers), now=at(day))


def parse_svg(text):
    """Parse an SVG this server made (a test reading its own output, not untrusted input)."""
    import xml.etree.ElementTree as ET

    return ET.fromstring(text)  # noqa: S314
