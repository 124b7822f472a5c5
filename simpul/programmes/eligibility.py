"""Target groups as data: who a programme is for, evaluated against the registry as of a date.

A programme stores a rule code and its parameters (``Programme.target_rule`` / ``target_params``); the check is
a small pure function here over the residents of the programme's posyandu *as of the day asked* (where they
lived that day, from the residence history, via :class:`simpul.spm.data.PosyanduData`), the household they
lived in that day, and the household's latest condition on or before it. Ages are completed years with both
ends of a range included. Nothing is stored: the eligible list is recomputed on read, so a lansia who moved
away or a family whose decile was updated drops out by itself.

The income-earner situation is read from the latest observation that *recorded* it (blank means "not asked
that day", e.g. a condition written by a resolved referral), unlike the decile, which 0019 reads from the
latest observation as a whole.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from simpul.registry.models import HouseholdCondition, Person
from simpul.spm.data import PosyanduData, Resident, age_in_years

Earners = HouseholdCondition.Earners


@dataclass(frozen=True)
class TargetRule:
    code: str
    name: str
    explanation: str  # with the parameters filled in by ``describe``
    defaults: dict = field(default_factory=dict)


RULES: tuple[TargetRule, ...] = (
    TargetRule(
        "lansia_alone",
        _("Elderly living alone"),
        _("People aged %(min_age)s or more who are the only member of their household."),
        {"min_age": 60},
    ),
    TargetRule("lansia", _("Elderly"), _("Everyone aged %(min_age)s or more."), {"min_age": 60}),
    TargetRule(
        "lansia_or_poor",
        _("Elderly and poor families"),
        _(
            "Everyone aged %(min_age)s or more, and the head of every household of DTSEN decile "
            "%(max_decile)s or lower."
        ),
        {"min_age": 60, "max_decile": 5},
    ),
    TargetRule("disability", _("Persons with disability"), _("Everyone recorded with a disability."), {}),
    TargetRule(
        "age_range",
        _("Age group"),
        _("Everyone aged %(min_age)s to %(max_age)s years."),
        {"min_age": 10, "max_age": 18},
    ),
    TargetRule(
        "poor_women",
        _("Women of poor households"),
        _("Women aged %(min_age)s to %(max_age)s in households of DTSEN decile %(max_decile)s or lower."),
        {"min_age": 19, "max_age": 59, "max_decile": 5},
    ),
    TargetRule(
        "earner_unable",
        _("Families whose only earner can no longer work"),
        _(
            "Members aged %(min_age)s to %(max_age)s of households whose only earner can no longer work "
            "or that have no earner."
        ),
        {"min_age": 18, "max_age": 59},
    ),
    TargetRule(
        "single_earner",
        _("Families depending on one earner"),
        _("Women aged %(min_age)s to %(max_age)s in households that live on one earner (or none)."),
        {"min_age": 19, "max_age": 59},
    ),
)
BY_CODE = {rule.code: rule for rule in RULES}


def describe(code: str, params: dict) -> str:
    rule = BY_CODE.get(code)
    if rule is None:
        return str(_("Open to everyone (no target group)"))
    return str(rule.explanation) % {**rule.defaults, **(params or {})}


def clean_params(code: str, params: dict | None) -> tuple[dict, dict[str, list[str]]]:
    """Check a rule's parameters against its defaults: known keys, whole numbers in range, min ≤ max."""
    rule = BY_CODE.get(code)
    if rule is None:
        return {}, {"target_rule": [str(_("Unknown target group."))]}
    clean, errors = {}, {}
    for key, value in (params or {}).items():
        if key not in rule.defaults:
            errors[key] = [str(_("Unknown setting for this target group."))]
            continue
        top = 10 if key == "max_decile" else 120
        low = 1 if key == "max_decile" else 0
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= top:
            errors[key] = [str(_("Enter a whole number from %(low)s to %(top)s.") % {"low": low, "top": top})]
        else:
            clean[key] = value
    merged = {**rule.defaults, **clean}
    if not errors and "min_age" in merged and "max_age" in merged and merged["min_age"] > merged["max_age"]:
        errors["min_age"] = [str(_("The lowest age must not be above the highest."))]
    return clean, errors


@dataclass(frozen=True)
class Eligible:
    person_id: int
    posyandu_id: int
    household_id: int | None
    birth_date: dt.date


class Registry:
    """The residents of some posyandu on one day, with their household of that day and its condition."""

    def __init__(self, posyandu_ids, on: dt.date):
        self.on = on
        self.data = PosyanduData(posyandu_ids, on.year, today=on)

    def living(self) -> list[tuple[Resident, int, int | None]]:
        """(resident, posyandu, household) for everyone living in these posyandu on the day."""
        found = []
        for resident in self.data.residents.values():
            posyandu_id = self.data.posyandu_of(resident, self.on)
            if posyandu_id is None:
                continue
            stay = next(
                s for s in resident.stays if s.start <= self.on and (s.end is None or s.end >= self.on)
            )
            found.append((resident, posyandu_id, stay.household_id))
        return found

    def conditions(self, households) -> dict[int, tuple[int | None, str]]:
        """Per household: (DTSEN decile of the latest observation, latest recorded earners situation)."""
        decile: dict[int, int | None] = {}
        earners: dict[int, str] = {}
        rows = (
            HouseholdCondition.objects.filter(household_id__in=households, observed_on__lte=self.on)
            .order_by("household_id", "observed_on", "pk")
            .values_list("household_id", "dtsen_decile", "earners")
        )
        for household_id, row_decile, row_earners in rows:
            decile[household_id] = row_decile
            if row_earners:
                earners[household_id] = row_earners
        return {pk: (decile.get(pk), earners.get(pk, "")) for pk in set(decile) | set(earners)}


def eligible(
    code: str, params: dict | None, posyandu_ids, on: dt.date, *, registry: Registry | None = None
) -> list[Eligible]:
    """Everyone in these posyandu who falls in the target group on ``on``; [] for an open programme.

    ``registry``: the same posyandu and day loaded once for several programmes (a household's offers).
    """
    rule = BY_CODE.get(code)
    if rule is None:
        return []
    p = {**rule.defaults, **(params or {})}
    registry = registry or Registry(posyandu_ids, on)
    living = registry.living()
    households: dict[int, list[Resident]] = defaultdict(list)
    for resident, _posyandu, household_id in living:
        if household_id is not None:
            households[household_id].append(resident)
    needs_condition = code in {"lansia_or_poor", "poor_women", "earner_unable", "single_earner"}
    conditions = registry.conditions(list(households)) if needs_condition else {}
    heads = {}
    if code == "lansia_or_poor":
        heads = dict(
            Person.objects.filter(
                household_id__in=households, relationship=Person.Relationship.HEAD
            ).values_list("household_id", "pk")
        )

    def age(r: Resident) -> int:
        return age_in_years(r.birth_date, on)

    def in_range(r: Resident) -> bool:
        return p["min_age"] <= age(r) <= p["max_age"]

    def decile_at_most(household_id) -> bool:
        decile = conditions.get(household_id, (None, ""))[0]
        return decile is not None and decile <= p["max_decile"]

    def earners_in(household_id, situations) -> bool:
        return conditions.get(household_id, (None, ""))[1] in situations

    checks = {
        "lansia_alone": lambda r, h: age(r) >= p["min_age"] and h is not None and len(households[h]) == 1,
        "lansia": lambda r, h: age(r) >= p["min_age"],
        "lansia_or_poor": lambda r, h: (
            age(r) >= p["min_age"] or (h is not None and heads.get(h) == r.id and decile_at_most(h))
        ),
        "disability": lambda r, h: bool(r.disability_type),
        "age_range": lambda r, h: in_range(r),
        "poor_women": lambda r, h: r.sex == "F" and in_range(r) and decile_at_most(h),
        "earner_unable": lambda r, h: in_range(r) and earners_in(h, {Earners.ONE_CANNOT_WORK, Earners.NONE}),
        "single_earner": lambda r, h: (
            r.sex == "F"
            and in_range(r)
            and earners_in(h, {Earners.ONE, Earners.ONE_CANNOT_WORK, Earners.NONE})
        ),
    }
    check = checks[code]
    return sorted(
        (Eligible(r.id, posyandu_id, h, r.birth_date) for r, posyandu_id, h in living if check(r, h)),
        key=lambda e: e.person_id,
    )
