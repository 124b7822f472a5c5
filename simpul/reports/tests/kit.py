"""Helpers shared by the report tests (not collected: the name does not start with test_)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from conftest import person_input
from simpul.accounts.scope import scope_for
from simpul.health.services import MeasurementInput, measurement_record
from simpul.registry.services import HouseholdInput, household_register

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
OCT = dt.date(2026, 10, 1)
SEP = dt.date(2026, 9, 1)


def at(year: int, month: int, day: int) -> dt.datetime:
    """An aware datetime at noon in Jakarta."""
    return dt.datetime(year, month, day, 12, 0, tzinfo=JAKARTA)


NOW = at(2026, 11, 22)  # "today" of every test
REGISTERED = at(2026, 7, 1)


def household_with_child(user, posyandu, child: str, sex: str, born: dt.date, *, parent="Ibu", when=REGISTERED):
    """A household (mother as head, one child) registered on ``when``; returns the child."""
    household = household_register(
        actor=user, scope=scope_for(user), now=when,
        data=HouseholdInput(posyandu_id=posyandu.pk, address="Jl. Uji 1", rt="1", rw="2", members=[
            person_input(f"{parent} {child}", "F", dt.date(1995, 2, 3), "kepala"),
            person_input(child, sex, born, "anak", mother_name=f"{parent} {child}"),
        ]))
    return household.members.get(full_name=child)


def weigh(user, person, day: dt.date, kg, *, cm=None, position=""):
    return measurement_record(actor=user, scope=scope_for(user), person=person, now=NOW,
                              data=MeasurementInput(measured_on=day, weight_kg=kg, length_height_cm=cm,
                                                    position=position))
