"""Which units of a desa or posyandu are not served, found cheaply; the engine's verdict only for those shown.

The unserved list must name every unserved unit (the total and the order are exact) but needs the engine's
"what is missing" only for the fifty rows of the page. Judging every under-five of a large desa with the
engine costs about half a second, so:

1. *Find.* Where the indicator's rule has a columnar form over resident rows (``fastpath.VECTOR_RULES``: the
   person rules — screening, under-five package, follow-up, education), one evaluation of the place's
   posyandu for the one as-of day gives every person in the sasaran and whether served. Rules over other
   units (households, pregnancies, referrals) have columnar forms that return counts per posyandu without the
   units' ids, so for them — and whenever ``fastpath`` offers no such form — the engine judges every unit as
   before (``engine_unserved``; for pregnancies over their mothers only).
2. *Judge the page.* The engine judges only the page's people, on a :class:`PeopleData` holding just those
   people: a person rule reads nothing but the person's own residence history and records, so the verdict
   is the one the full evaluation gives. Each verdict is checked against what step 1 found (unserved, at
   that posyandu); a disagreement raises :class:`Disagreement` and the caller falls back to the engine for
   the whole list, so a page never shows a row the engine would not.

``simpul/spm/tests/test_unserved_equal.py`` holds the list equal to the engine-only list on generated records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db.models import Q

from simpul.maternal.models import Pregnancy
from simpul.registry.models import Residence
from simpul.spm import catalogue, engine, fastpath
from simpul.spm.data import PosyanduData


@dataclass(frozen=True)
class Found:
    """An unserved unit: its kind and id, the posyandu it belongs to on the day judged, and the engine's verdict
    when the engine judged it already."""

    kind: str
    id: int
    posyandu_id: int
    verdict: engine.Verdict | None = None


# Rules whose columnar form turned out to count units other than resident rows (households, pregnancies,
# referrals): the engine answers for them, without evaluating the form first.
_NOT_OVER_PEOPLE: set[str] = set()


class Disagreement(Exception):
    """The engine's verdict for a unit differs from what the columnar evaluation found."""


def columnar_unserved(
    posyandu_ids: list[int], year: int, as_of: dt.date, *, today: dt.date, indicator: catalogue.Indicator
) -> list[Found] | None:
    """The unserved people on ``as_of`` by the rule's columnar form; None when it has none over people.

    Depends on ``fastpath.area_load`` and ``fastpath.VECTOR_RULES[rule](area, indicator, as_of)`` returning
    (sasaran, served) masks over ``area.person`` / ``area.posyandu`` rows (one row per person and desa on a
    day, and a place is one desa at most).
    """
    forms = getattr(fastpath, "VECTOR_RULES", {})
    form = forms.get(indicator.rule)
    if form is None or indicator.rule in _NOT_OVER_PEOPLE or not hasattr(fastpath, "area_load"):
        return None
    area = fastpath.area_load(posyandu_ids, year, today=today)
    result = form(area, indicator, as_of)
    if not isinstance(result, tuple):  # ``Units``: no ids to name; not asked again in this process
        _NOT_OVER_PEOPLE.add(indicator.rule)
        return None
    sasaran, served = result
    rows = np.flatnonzero(sasaran & ~served)
    return [
        Found("person", int(person), int(area.posyandu_ids[index]))
        for person, index in zip(area.person[rows].tolist(), area.posyandu[rows].tolist(), strict=True)
    ]


def engine_unserved(
    posyandu_ids: list[int], year: int, month: int, *, today: dt.date, indicator: catalogue.Indicator
) -> list[Found]:
    """Every unit judged by the engine, as the list always was; the unserved ones with their verdicts.

    A pregnancy is judged from its mother's records alone, so for ``anc_pattern`` the engine reads only the
    residents who have a pregnancy on record (:class:`PeopleData`), not the whole desa: the same units and
    verdicts, a few dozen people instead of thousands.
    """
    data = None
    if indicator.rule == "anc_pattern":
        mothers = Pregnancy.objects.filter(
            person_id__in=Residence.objects.filter(posyandu_id__in=posyandu_ids).values("person_id")
        ).values_list("person_id", flat=True)
        data = PeopleData(posyandu_ids, year, today=today, people=set(mothers))
    return [
        Found(j.unit.kind, j.unit.id, j.verdict.posyandu_id, j.verdict)
        for j in engine.judge(
            posyandu_ids, year, today=today, months=[month], codes=[indicator.code], data=data
        )
        if not j.verdict.served
    ]


class PeopleData(PosyanduData):
    """``PosyanduData`` of some people only: the same ``Resident`` rows the full load gives them (their stays
    in these posyandu, overlapping the year), and no one else's. Rules load records by ``person_id__in``
    ``residents``, so they read these people's records only."""

    def __init__(self, posyandu_ids: Iterable[int], year: int, *, today: dt.date, people: Iterable[int]):
        super().__init__(posyandu_ids, year, today=today)
        self.people = frozenset(people)

    def residence_filter(self) -> Q:
        # The query and the Resident rows are those of ``PosyanduData.residents``, narrowed to ``people``.
        return Q(posyandu_id__in=self.posyandu_ids, person_id__in=self.people)


def judge_people(
    posyandu_ids: list[int],
    year: int,
    as_of: dt.date,
    *,
    today: dt.date,
    indicator: catalogue.Indicator,
    found: list[Found],
) -> list[Found]:
    """The engine's verdicts for these found people (the page), each checked against what was found."""
    if not found:
        return []
    data = PeopleData(posyandu_ids, year, today=today, people=[f.id for f in found])
    rule = engine.rule_for(indicator)
    candidates = set(rule.units(data))
    judged = []
    for unit in found:
        if unit.kind != "person" or engine.Unit("person", unit.id) not in candidates:
            raise Disagreement(f"{indicator.code}: {unit.kind} {unit.id} not a resident here")
        verdict = rule.verdict(data, engine.Unit("person", unit.id), as_of)
        if verdict is None or verdict.served or verdict.posyandu_id != unit.posyandu_id:
            raise Disagreement(f"{indicator.code}: person {unit.id} judged {verdict}")
        judged.append(Found(unit.kind, unit.id, unit.posyandu_id, verdict))
    return judged
