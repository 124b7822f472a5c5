"""Helpers for programme tests: a Miji programme written straight to the tables, and families of chosen ages.

People are registered through the registry service, so their residence starts today: eligibility here is
judged on ``timezone.localdate()`` (and "yesterday" is before anyone lived here).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from conftest import MIJI, person_input, register_family
from simpul.programmes.models import Programme, ProgrammeActivity
from simpul.registry.models import HouseholdCondition


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


def desa_programme(
    *, rule: str = "lansia", params: dict | None = None, field: str = "sosial", start: dt.date | None = None
) -> tuple[Programme, ProgrammeActivity]:
    programme = Programme.objects.create(
        owner_kind=Programme.OwnerKind.DESA,
        region_id=MIJI,
        field=field,
        name="Jumat Berkah Miji",
        kind=Programme.Kind.SOCIAL_AID,
        target_rule=rule,
        target_params=params or {},
        start_date=start or today() - dt.timedelta(days=60),
    )
    activity = ProgrammeActivity.objects.create(
        programme=programme, date=today(), kind="distribution", place="Balai RW 04", given="Paket sembako"
    )
    return programme, activity


def family(user, posyandu, head: tuple, *members, rt: str = "002"):
    """A household: ``head`` and ``members`` are (name, sex, birth, relationship[, extra]) tuples."""
    people = [
        person_input(name, sex, birth, relationship, **(extra[0] if extra else {}))
        for name, sex, birth, relationship, *extra in (head, *members)
    ]
    return register_family(user, posyandu, head=head[0], members=people, rt=rt)


def condition(household, *, decile=None, earners="", on=None, water="perpipaan"):
    return HouseholdCondition.objects.create(
        household=household,
        observed_on=on or today(),
        house="layak",
        water_source=water,
        sanitation="sendiri_septik",
        dtsen_decile=decile,
        earners=earners,
    )
