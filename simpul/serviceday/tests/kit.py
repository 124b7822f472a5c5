"""Shared set-up for the posyandu-day tests: a family of Miji with children of known ages, and days."""

from __future__ import annotations

import datetime as dt

from conftest import person_input, register_family
from simpul.accounts.scope import scope_for
from simpul.health.services import MeasurementInput, measurement_record
from simpul.serviceday.services import day_open, day_schedule

DAY = dt.date(2026, 11, 20)


def at(day: dt.date, hour: int = 2) -> dt.datetime:
    """A moment of that day: 02:00 UTC is 09:00 WIB, posyandu time."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def open_day(user, posyandu, held_on: dt.date = DAY):
    scope = scope_for(user)
    day = day_schedule(actor=user, scope=scope, posyandu=posyandu, held_on=held_on,
                       now=at(held_on - dt.timedelta(days=7)))
    return day_open(actor=user, scope=scope, day=day, now=at(held_on))


def family_with_children(kader, posyandu):
    """Parents and four children; ages on DAY (2026-11-20) in the comments."""
    household = register_family(kader, posyandu, kk="3576030101200009", head="Agus Salim", members=[
        person_input("Agus Salim", "M", dt.date(1988, 2, 1), "kepala"),
        person_input("Rina Wati", "F", dt.date(1992, 6, 3), "istri"),
        person_input("Aisyah Putri", "F", dt.date(2024, 1, 15), "anak"),  # 34 months
        person_input("Bima Sakti", "M", dt.date(2024, 11, 20), "anak"),  # 24 months (730 days)
        person_input("Citra Ayu", "F", dt.date(2021, 1, 10), "anak"),  # 70 months: pre-school
        person_input("Dimas Arya", "M", dt.date(2025, 5, 1), "anak"),  # 18 months
    ])
    return {p.full_name.split()[0].lower(): p for p in household.members.all()}


def weigh(user, person, on: dt.date, weight, **values):
    return measurement_record(actor=user, scope=scope_for(user), person=person,
                              data=MeasurementInput(measured_on=on, weight_kg=weight, **values), now=at(on, 5))
