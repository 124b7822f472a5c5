"""Helpers for the immunisation tests (not collected: the name does not start with test_)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from conftest import person_input, register_family
from simpul.accounts.scope import scope_for
from simpul.immunization.models import ImmunizationRecord
from simpul.immunization.services import ImmunizationInput, immunization_record
from simpul.registry.models import Person

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
D = dt.date


def at(year: int, month: int, day: int) -> dt.datetime:
    """An aware datetime at noon in Jakarta: the ``now`` of a past posyandu day."""
    return dt.datetime(year, month, day, 12, 0, tzinfo=JAKARTA)


def aisyah(family) -> Person:
    return family.members.get(full_name="Aisyah Putri")


def add_child(user, posyandu, name: str, birth: dt.date, *, rt: str = "002") -> Person:
    """Register a two-person household (a mother and the child) and return the child."""
    household = register_family(user, posyandu, head=f"Ibu {name}", rt=rt, members=[
        person_input(f"Ibu {name}", "F", D(1992, 4, 1), "kepala"),
        person_input(name, "M", birth, "anak", mother_name=f"Ibu {name}"),
    ])
    return household.members.get(full_name=name)


def give(user, child: Person, doses: dict[str, dt.date]) -> list[ImmunizationRecord]:
    """Record doses through the service, in the order given, each on the day it was given."""
    scope = scope_for(user)
    records = []
    for code, day in doses.items():
        records.append(immunization_record(actor=user, scope=scope, person=child,
                                           data=ImmunizationInput(dose=code, given_on=day),
                                           now=at(day.year, day.month, day.day)))
    return records
