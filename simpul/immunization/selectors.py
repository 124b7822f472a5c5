"""Reads of immunisation data. Every function takes the caller's scope first.

Health detail is specific personal data (UU 27/2022): only grants that hold ``Perm.VIEW_HEALTH`` over the
place *and* carry the kesehatan field count — the kesehatan kader of the posyandu, the nakes of their area
and the Dinkes officer (an OPD of the kesehatan field). The desa, the camat, Tim Pembina, another OPD and a
kader of another field get "not found". Same rule as simpul.health.selectors for measurements.

A child's card follows the child: the posyandu the child lives in now sees every dose, wherever given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce

from django.db.models import Prefetch, Q, QuerySet

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope, require_scope
from simpul.core.choices import SpmField
from simpul.core.errors import NotInScope
from simpul.health.findings import Finding, Reason
from simpul.immunization import rules
from simpul.immunization.models import ImmunizationRecord
from simpul.immunization.schedule import add_months
from simpul.posyandu.models import Posyandu
from simpul.registry.lifestage import age_in_months
from simpul.registry.models import Person


def _health_scope(scope: Scope) -> Scope:
    """The same user's scope narrowed to the grants that carry the kesehatan field."""
    return Scope(user_id=scope.user_id, grants=tuple(g for g in scope.grants if SpmField.HEALTH in g.fields))


def _health_filter(scope: Scope | None, qs: QuerySet, *, prefixes: tuple[str, ...] = ("",)) -> QuerySet:
    """Rows whose place (``<prefix>desa``/``<prefix>posyandu``), for any of the prefixes, the user may see."""
    health = _health_scope(require_scope(scope))
    parts = [health.q(Perm.VIEW_HEALTH, region_field=f"{p}desa__code", posyandu_field=f"{p}posyandu_id")
             for p in prefixes]
    if any(part is None for part in parts):
        return qs.none()
    return qs.filter(reduce(lambda a, b: a | b, parts))


def children_visible(scope: Scope | None) -> QuerySet[Person]:
    """People whose immunisation detail the user may see (any age; callers narrow)."""
    return _health_filter(scope, Person.objects.all())


def child_get(scope: Scope | None, pk) -> Person:
    person = children_visible(scope).select_related("household", "posyandu", "desa").filter(pk=pk).first()
    if person is None:
        raise NotInScope()
    return person


def records_visible(scope: Scope | None) -> QuerySet[ImmunizationRecord]:
    """Records given at a place the user may see, or of a child who lives at such a place now."""
    return _health_filter(scope, ImmunizationRecord.objects.all(), prefixes=("", "person__"))


def records_for(person: Person) -> QuerySet[ImmunizationRecord]:
    """A child's doses in the order given (call only after child_get allowed the read)."""
    return ImmunizationRecord.objects.filter(person=person).select_related("recorded_by").order_by("given_on", "pk")


def record_get(scope: Scope | None, pk) -> ImmunizationRecord:
    record = records_visible(scope).select_related("person").filter(pk=pk).first()
    if record is None:
        raise NotInScope()
    return record


def posyandu_for_health(scope: Scope | None, pk) -> Posyandu:
    """A posyandu whose children's immunisation the user may see."""
    scope = require_scope(scope)
    posyandu = Posyandu.objects.select_related("desa").filter(pk=pk).first()
    if posyandu is None or SpmField.HEALTH not in scope.fields_at(
            desa_code=posyandu.desa_id, posyandu_id=posyandu.pk, perm=Perm.VIEW_HEALTH):
        raise NotInScope()
    return posyandu


@dataclass(frozen=True)
class ImmunizationStatus:
    person: Person
    on: dt.date
    doses: list[rules.DoseStatus]
    complete_for_age: bool

    def in_state(self, *states: str) -> list[rules.DoseStatus]:
        return [s for s in self.doses if s.state in states]

    @property
    def to_give(self) -> list[rules.DoseStatus]:
        """Due or overdue doses that may be given on the date: the visit list."""
        return [s for s in self.doses if s.can_give and s.state in (rules.State.DUE, rules.State.OVERDUE)]


def _given(records) -> dict[str, dt.date]:
    return {r.dose: r.given_on for r in records}


def immunization_status(person: Person, on: dt.date, *, je_endemic: bool = False,
                        records=None) -> ImmunizationStatus:
    """Per dose given/due/overdue/not yet on date ``on``, and whether the child is complete for age.

    Call only after the caller's scope allowed the read (child_get). Doses given after ``on`` do not
    count: the status is the one the child had on that date.
    """
    records = records_for(person) if records is None else records
    given = {code: day for code, day in _given(records).items() if day <= on}
    doses = rules.evaluate(person.birth_date, given, on, je_endemic=je_endemic)
    return ImmunizationStatus(person=person, on=on, doses=doses, complete_for_age=rules.complete_for_age(doses))


@dataclass(frozen=True)
class DueChild:
    person: Person
    age_months: int
    due: list[rules.DoseStatus]
    overdue: list[rules.DoseStatus]


def due_list(scope: Scope | None, *, posyandu_id: int, on: dt.date, je_endemic: bool = False) -> list[DueChild]:
    """The kader's visit list for a posyandu on a date: each child 0-59 months with doses to give.

    Children with an overdue dose come first (they need the home visit), then by RW, RT and name.
    """
    posyandu = posyandu_for_health(scope, posyandu_id)
    born_after = add_months(on, -60)
    children = (
        Person.objects.filter(posyandu=posyandu, life_status=Person.LifeStatus.ALIVE, duplicate_of__isnull=True,
                              birth_date__gt=born_after, birth_date__lte=on)
        .select_related("household")
        .prefetch_related(Prefetch("immunizations", queryset=ImmunizationRecord.objects.order_by("given_on")))
    )
    result = []
    for child in children:
        status = immunization_status(child, on, je_endemic=je_endemic, records=child.immunizations.all())
        to_give = status.to_give
        if not to_give:
            continue
        result.append(DueChild(
            person=child, age_months=age_in_months(child.birth_date, on),
            due=[s for s in to_give if s.state == rules.State.DUE],
            overdue=[s for s in to_give if s.state == rules.State.OVERDUE],
        ))

    def order(item: DueChild):
        household = item.person.household
        return (0 if item.overdue else 1, household.rw if household else "", household.rt if household else "",
                item.person.full_name, item.person.pk)

    return sorted(result, key=order)


def day_findings(scope: Scope | None, *, posyandu_id: int, day: dt.date, person_ids: Iterable[int],
                 je_endemic: bool = False) -> list[Finding]:
    """IMMUNIZATION_OVERDUE for the children seen at a posyandu on a day (``person_ids``: attendance).

    For each of those people the user may see, 0–59 months old and living here on the day: the overdue
    doses that can be given that day (the ``overdue`` part of the visit list, ``due_list``), as of
    ``day`` — doses given later do not count. The detail is their labels in schedule order. A child
    from another posyandu who came that day is included (the bidan follows up whoever was seen).
    Ordered by person id. NotInScope unless the user holds health over the posyandu.
    """
    posyandu_for_health(scope, posyandu_id)
    ids = {int(pk) for pk in person_ids}
    if not ids:
        return []
    born_after = add_months(day, -60)
    children = (
        children_visible(scope)
        .filter(pk__in=ids, duplicate_of__isnull=True, birth_date__gt=born_after, birth_date__lte=day)
        .filter(Q(life_status=Person.LifeStatus.ALIVE) | Q(life_status_date__gt=day))
        .prefetch_related(Prefetch("immunizations", queryset=ImmunizationRecord.objects.order_by("given_on", "pk")))
        .order_by("pk")
    )
    findings = []
    for child in children:
        status = immunization_status(child, day, je_endemic=je_endemic, records=child.immunizations.all())
        overdue = [s for s in status.to_give if s.state == rules.State.OVERDUE]
        if overdue:
            findings.append(Finding(child.pk, Reason.IMMUNIZATION_OVERDUE.value,
                                    ", ".join(str(s.dose.label) for s in overdue)))
    return findings
