"""Helpers for the screening tests (not collected: the name does not start with test_)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from conftest import person_input, register_family
from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.registry.models import Person
from simpul.screening import rules
from simpul.screening.models import Screening
from simpul.screening.services import ScreeningInput, screening_record

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
D = dt.date
NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=JAKARTA)  # the posyandu day of the tests
DAY = D(2026, 11, 20)
INDEPENDENT = {name: max(scores) for name, scores in rules.BARTHEL_ITEMS}  # 20/20


def resident(user, posyandu, name: str, sex: str, birth: dt.date, *, rt: str = "002", rw: str = "004") -> Person:
    """Register a one-person household and return the person."""
    household = register_family(user, posyandu, head=name, rt=rt, members=[person_input(name, sex, birth, "kepala")])
    if rw != "004":
        household.__class__.objects.filter(pk=household.pk).update(rw=rw)
    return household.members.get()


def screen(user, person: Person, *, now: dt.datetime = NOW, **values) -> Screening:
    values.setdefault("screened_on", DAY)
    return screening_record(actor=user, scope=scope_for(user), person=person, data=ScreeningInput(**values), now=now)


def counts() -> tuple[int, int]:
    return Screening.objects.count(), AuditEntry.objects.filter(object_type="screening.screening").count()


def adl(**changes) -> dict[str, int]:
    return {**INDEPENDENT, **changes}
