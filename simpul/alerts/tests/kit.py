"""Helpers for alert tests: families with members of chosen ages, and the records the rules read.

Records the rules read (measurements, pregnancies, screenings, house conditions) are written straight to the
tables with the stored classification: these tests are about the alert rules, not about the services that
classify a measurement (those have their own tests). People are registered through the registry service,
so their residence starts today — evaluations here run on ``timezone.localdate()``.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from conftest import person_input, register_family
from simpul.health.models import Measurement
from simpul.maternal.models import AncVisit, Pregnancy
from simpul.registry.models import HouseholdCondition
from simpul.screening.models import Screening


def today() -> dt.date:
    return timezone.localdate()


def years_ago(years: int, *, plus_days: int = 0) -> dt.date:
    """The birth date of someone who turns ``years`` today (``plus_days`` later: still one year younger)."""
    now = today()
    try:
        born = now.replace(year=now.year - years)
    except ValueError:  # 29 February
        born = dt.date(now.year - years, 3, 1)
    return born + dt.timedelta(days=plus_days)


def months_ago(months: int) -> dt.date:
    now = today()
    total = now.year * 12 + now.month - 1 - months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(now.day, 28))


def family(user, posyandu, *members, head="Budi Santoso", kk=""):
    """A household whose head is Budi (40) plus the given (name, sex, birth, relationship[, extra]) members."""
    people = [person_input(head, "M", years_ago(40), "kepala")]
    for name, sex, birth, relationship, *extra in members:
        people.append(person_input(name, sex, birth, relationship, **(extra[0] if extra else {})))
    return register_family(user, posyandu, head=head, kk=kk, members=people)


def alone(user, posyandu, name="Mbah Darmo", birth=None, sex="M"):
    return register_family(user, posyandu, head=name, members=[person_input(name, sex, birth or years_ago(70),
                                                                            "kepala")])


def member(household, name):
    return household.members.get(full_name=name)


def condition(household, *, house="layak", aid=(), decile=None, on=None):
    return HouseholdCondition.objects.create(household=household, observed_on=on or today(), house=house,
                                             aid_programmes=list(aid), dtsen_decile=decile)


def measure(person, *, lhfa="normal", wflh="normal", flags=(), on=None):
    on = on or today()
    return Measurement.objects.create(person=person, posyandu=person.posyandu, desa=person.desa, measured_on=on,
                                      age_days=(on - person.birth_date).days, weight_kg="9.0",
                                      length_height_cm="75.0", class_lhfa=lhfa, class_wflh=wflh, flags=list(flags))


def pregnancy(person, *, weeks=20):
    hpht = today() - dt.timedelta(weeks=weeks)
    return Pregnancy.objects.create(person=person, posyandu=person.posyandu, desa=person.desa, registered_on=today(),
                                    hpht=hpht, hpl=hpht + dt.timedelta(days=280), gravida=1, para=0, abortus=0)


def anc(preg, *, lila=None, bp=None, on=None):
    on = on or today()
    systolic, diastolic = bp or (None, None)
    return AncVisit.objects.create(pregnancy=preg, person=preg.person, posyandu=preg.posyandu, desa=preg.desa,
                                   visited_on=on, gestational_days=(on - preg.hpht).days, trimester=2,
                                   examiner="bidan", muac_cm=lila, systolic=systolic, diastolic=diastolic)


def screen(person, *, adl="moderate", score=10, on=None):
    on = on or today()
    return Screening.objects.create(person=person, posyandu=person.posyandu, desa=person.desa, screened_on=on,
                                    age_years=70, life_stage="lansia", adl_category=adl, adl_score=score)
