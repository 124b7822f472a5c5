"""Helpers for the maternal tests (not collected: the name does not start with test_)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from conftest import person_input, register_family
from simpul.accounts.scope import scope_for
from simpul.maternal.models import AncVisit, NifasVisit, Pregnancy
from simpul.maternal.services import (
    AncVisitInput,
    NifasVisitInput,
    PregnancyInput,
    anc_visit_record,
    nifas_visit_record,
    pregnancy_close,
    pregnancy_register,
)
from simpul.registry.models import Person

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
D = dt.date
TODAY = D(2026, 11, 22)


def at(day: dt.date) -> dt.datetime:
    """An aware datetime at noon in Jakarta on ``day``: the ``now`` of a past posyandu day."""
    return dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=JAKARTA)


NOW = at(TODAY)


def siti(family) -> Person:
    """Siti Aminah of ``family_miji``: a woman born 9 July 1988."""
    return family.members.get(full_name="Siti Aminah")


def add_woman(user, posyandu, name: str, birth: dt.date, *, rt: str = "003", rw: str = "004") -> Person:
    household = register_family(user, posyandu, head=name, rt=rt, members=[person_input(name, "F", birth, "kepala")])
    if rw != "004":
        household.rw = rw
        household.save(update_fields=["rw"])
    return household.members.get(full_name=name)


def register(user, person, *, hpht: dt.date | None, registered_on: dt.date | None | str = "auto", gravida=1, para=0,
             abortus=0, estimated_weeks=None, client_uuid=None, now: dt.datetime | None = None) -> Pregnancy:
    if registered_on == "auto":  # eight weeks after HPHT
        registered_on = hpht + dt.timedelta(days=56)
    data = PregnancyInput(registered_on=registered_on, hpht=hpht, estimated_weeks=estimated_weeks, gravida=gravida,
                          para=para, abortus=abortus, client_uuid=client_uuid)
    return pregnancy_register(actor=user, scope=scope_for(user), person=person, data=data, now=now or NOW)


def visit(user, pregnancy, day: dt.date, *, now: dt.datetime | None = None, **values) -> AncVisit:
    values.setdefault("examiner", "bidan")
    return anc_visit_record(actor=user, scope=scope_for(user), pregnancy=pregnancy,
                            data=AncVisitInput(visited_on=day, **values), now=now or NOW)


def close(user, pregnancy, *, status: str = "delivered", on: dt.date, note: str = "",
          now: dt.datetime | None = None) -> Pregnancy:
    return pregnancy_close(actor=user, scope=scope_for(user), pregnancy=pregnancy, status=status, on=on, note=note,
                           now=now or NOW)


def nifas(user, pregnancy, day: dt.date, *, now: dt.datetime | None = None, **values) -> NifasVisit:
    values.setdefault("examiner", "bidan")
    return nifas_visit_record(actor=user, scope=scope_for(user), pregnancy=pregnancy,
                              data=NifasVisitInput(visited_on=day, **values), now=now or NOW)
