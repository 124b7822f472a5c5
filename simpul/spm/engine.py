"""Evaluate indicators over the records of some posyandu for the months of one year.

A rule (``simpul.spm.rules``) names its candidate *units* — people, households or reports that could be in
the target population in the year — and judges one unit on one day: not in the sasaran that day (``None``),
or a :class:`Verdict` saying where the unit belonged, whether it was served to standard, and what is still
missing. The engine asks each rule for each month's "as of" day (the month's end, or today for the running
month), so a person is counted where they lived then, and once.

Counters (``simpul.spm.counters``) are sums of these verdicts per posyandu and month; the unserved list and
the kader's tasks are the verdicts that are not served. One evaluator feeds all three, so they cannot
disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from simpul.spm import catalogue
from simpul.spm.data import PosyanduData
from simpul.spm.periods import month_end, months_through


@dataclass(frozen=True)
class Missing:
    """One thing still missing for a unit, e.g. ``Missing("weighings", {"have": 5, "need": 7})``.

    ``code`` picks the sentence (``simpul.spm.presenters``); ``detail`` holds JSON-able values for it.
    ``due_on`` (ISO date) is when a kader task for it falls due, when the rule knows.
    """

    code: str
    detail: dict = field(default_factory=dict)
    due_on: str | None = None


@dataclass(frozen=True)
class Unit:
    kind: str  # person | household | report | pregnancy (kes.ibu_hamil judges each pregnancy)
    id: int


@dataclass(frozen=True)
class Verdict:
    """How one unit stood on one day.

    ``pending`` marks a unit of the target group that cannot be judged yet (a household whose water source
    was never surveyed): outside the denominator, counted beside it, and on the kader's list to survey.
    """

    posyandu_id: int  # where the unit belonged on the day judged
    served: bool
    missing: tuple[Missing, ...] = ()
    pending: bool = False


class Rule:
    """Base of every indicator rule; subclasses set ``name`` and implement ``units`` and ``verdict``."""

    name = ""

    def __init__(self, indicator: catalogue.Indicator):
        self.indicator = indicator
        self.params = indicator.params

    def units(self, data: PosyanduData) -> Iterable[Unit]:
        raise NotImplementedError

    def verdict(self, data: PosyanduData, unit: Unit, as_of: dt.date) -> Verdict | None:
        raise NotImplementedError


RULES: dict[str, type[Rule]] = {}


def register(rule: type[Rule]) -> type[Rule]:
    RULES[rule.name] = rule
    return rule


def rule_for(indicator: catalogue.Indicator) -> Rule:
    return RULES[indicator.rule](indicator)


def as_of_day(year: int, month: int, today: dt.date) -> dt.date:
    return min(month_end(year, month), today)


def computed(codes: Iterable[str] | None = None) -> tuple[catalogue.Indicator, ...]:
    """Indicators Simpul computes (optionally only ``codes``) whose rule is registered.

    ``test_catalogue`` holds every computed row of the catalogue to a registered rule.
    """
    from simpul.spm import rules  # noqa: F401  (registers every rule module)

    wanted = set(codes) if codes is not None else None
    return tuple(i for i in catalogue.COMPUTED if (wanted is None or i.code in wanted) and i.rule in RULES)


@dataclass(frozen=True)
class Judged:
    indicator: str
    month: int
    unit: Unit
    verdict: Verdict


def judge(posyandu_ids: Iterable[int], year: int, *, today: dt.date, months: Iterable[int] | None = None,
          codes: Iterable[str] | None = None, data: PosyanduData | None = None) -> Iterator[Judged]:
    """Every verdict for units that belonged to these posyandu on each month's "as of" day."""
    ids = frozenset(posyandu_ids)
    months = list(months) if months is not None else list(months_through(year, today))
    if not ids or not months:
        return
    data = data or PosyanduData(ids, year, today=today)
    days = {month: as_of_day(year, month, today) for month in months}
    for indicator in computed(codes):
        rule = rule_for(indicator)
        for unit in rule.units(data):
            for month, day in days.items():
                verdict = rule.verdict(data, unit, day)
                if verdict is not None and verdict.posyandu_id in ids:
                    yield Judged(indicator.code, month, unit, verdict)


# (indicator, posyandu_id, month) -> [denominator, numerator, pending]
Counts = dict[tuple[str, int, int], list[int]]


def add(totals: Counts, judged: Judged) -> None:
    cell = totals.setdefault((judged.indicator, judged.verdict.posyandu_id, judged.month), [0, 0, 0])
    if judged.verdict.pending:
        cell[2] += 1
    else:
        cell[0] += 1
        cell[1] += judged.verdict.served


def count(posyandu_ids: Iterable[int], year: int, *, today: dt.date, months: Iterable[int] | None = None,
          codes: Iterable[str] | None = None) -> Counts:
    """Denominator, numerator and pending per indicator, posyandu and month, straight from the records."""
    totals: Counts = {}
    for judged in judge(posyandu_ids, year, today=today, months=months, codes=codes):
        add(totals, judged)
    return totals
