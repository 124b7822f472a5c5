"""Reads of measurements. Every function takes the caller's scope first.

Health detail is specific personal data (UU 27/2022): only grants that hold ``Perm.VIEW_HEALTH`` over
the place *and* carry the kesehatan field count. So a kader of the kesehatan field sees their posyandu, a
nakes the area of their membership, the Dinkes officer the regency; the desa, the camat, Tim Pembina,
another OPD and a kader of another field see nothing, and cannot tell a measurement exists.

A measurement is visible through the place where it was taken *or* the person's current place, so
the posyandu a child moved to sees the child's whole growth history.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from simpul.accounts.roles import Perm, Role
from simpul.accounts.scope import Scope, require_scope
from simpul.core.choices import SpmField
from simpul.core.errors import NotInScope
from simpul.health.models import Measurement

HEALTH = SpmField.HEALTH.value


def health_scope(scope: Scope | None) -> Scope:
    """The same user's scope narrowed to the grants that carry the kesehatan field."""
    scope = require_scope(scope)
    return Scope(user_id=scope.user_id, grants=tuple(g for g in scope.grants if HEALTH in g.fields))


def may_see_health(scope: Scope, person) -> bool:
    return HEALTH in scope.fields_at(desa_code=person.desa_id, posyandu_id=person.posyandu_id, perm=Perm.VIEW_HEALTH)


def may_record_health(scope: Scope, person) -> bool:
    return HEALTH in scope.fields_at(desa_code=person.desa_id, posyandu_id=person.posyandu_id, perm=Perm.RECORD_HEALTH)


def _visible_q(scope: Scope) -> Q | None:
    health = health_scope(scope)
    at_place = health.q(Perm.VIEW_HEALTH, region_field="desa__code", posyandu_field="posyandu_id")
    person_now = health.q(Perm.VIEW_HEALTH, region_field="person__desa__code", posyandu_field="person__posyandu_id")
    if at_place is None or person_now is None:
        return None
    return at_place | person_now


def measurements_visible(scope: Scope | None, *, person_id: int | None = None,
                         include_superseded: bool = False) -> QuerySet[Measurement]:
    condition = _visible_q(require_scope(scope))
    if condition is None:
        return Measurement.objects.none()
    qs = Measurement.objects.filter(condition)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if not include_superseded:
        qs = qs.filter(superseded_by__isnull=True)
    return qs.select_related("person", "recorded_by", "validated_by")


def measurements_for_person(scope: Scope | None, person, *, include_superseded: bool = False) -> QuerySet[Measurement]:
    """A person's measurements, oldest first; NotInScope unless the user holds health for the person."""
    scope = require_scope(scope)
    if not may_see_health(scope, person):
        raise NotInScope()
    qs = Measurement.objects.filter(person=person)
    if not include_superseded:
        qs = qs.filter(superseded_by__isnull=True)
    return qs.select_related("recorded_by", "validated_by").order_by("measured_on", "created_at", "id")


def measurement_get(scope: Scope | None, pk) -> Measurement:
    measurement = measurements_visible(scope, include_superseded=True).filter(pk=pk).first()
    if measurement is None:
        raise NotInScope()
    return measurement


def measurement_by_client_uuid(scope: Scope | None, client_uuid) -> Measurement | None:
    if client_uuid is None:
        return None
    return measurements_visible(scope, include_superseded=True).filter(client_uuid=client_uuid).first()


def may_validate_health(scope: Scope, person) -> bool:
    """A nakes holding the kesehatan field over the person's place."""
    return any(g.role == Role.NAKES and HEALTH in g.fields and g.permits(Perm.VIEW_PERSON)
               and g.covers(desa_code=person.desa_id, posyandu_id=person.posyandu_id) for g in scope.grants)
