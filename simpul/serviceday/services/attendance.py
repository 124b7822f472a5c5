"""Step 1, pendaftaran: who came, and walk-ins registered on the spot."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.audit.services import audit_record
from simpul.core.errors import DomainError, NotInScope
from simpul.core.inputs import parse_client_uuid as parse_uuid
from simpul.health.selectors import may_record_health
from simpul.registry.models import Person
from simpul.registry.services.households import HouseholdInput, household_register
from simpul.registry.services.people import PersonInput, person_register
from simpul.serviceday import access
from simpul.serviceday.groups import group_on
from simpul.serviceday.models import Attendance, ServiceDay
from simpul.serviceday.selectors import maternal_ids
from simpul.serviceday.services.common import invalid


def require_open(day: ServiceDay) -> None:
    # Read the status afresh: another phone may have closed the day since this one loaded it.
    day.status = ServiceDay.objects.values_list("status", flat=True).get(pk=day.pk)
    if day.status != ServiceDay.Status.OPEN:
        message = (_("Open the day first.") if day.status == ServiceDay.Status.SCHEDULED
                   else _("This day is closed; nothing can be added to it."))
        raise DomainError(message, code="conflict")


def _replayed(client_uuid, day: ServiceDay, person: Person) -> Attendance | None:
    if client_uuid is None:
        return None
    existing = Attendance.objects.filter(client_uuid=client_uuid).first()
    if existing is not None and (existing.day_id != day.pk or existing.person_id != person.pk):
        raise invalid("client_uuid", _("This record id is already in use."))
    return existing


def attendance_record(*, actor, scope, day: ServiceDay, person: Person, walk_in: bool = False, client_uuid=None,
                      now: dt.datetime | None = None) -> Attendance:
    """Mark a person present. Marking the same person twice returns the first mark (double taps, retries)."""
    now = now or timezone.now()
    access.require(access.may_run(scope, day.posyandu))
    if not may_record_health(scope, person):
        raise NotInScope()
    client_uuid = parse_uuid(client_uuid)
    replayed = _replayed(client_uuid, day, person)
    if replayed is not None:
        return replayed
    require_open(day)
    if person.duplicate_of_id is not None:
        raise DomainError(_("This record was linked to another record of the same person; use the main record."))
    if person.life_status != Person.LifeStatus.ALIVE:
        raise DomainError(_("This resident is no longer recorded as living here."))
    if person.birth_date > day.held_on:
        raise DomainError(_("This person was born after the day."))
    existing = Attendance.objects.filter(day=day, person=person).first()
    if existing is not None:
        return existing
    pregnant, nifas = maternal_ids(scope, posyandu_id=person.posyandu_id, on=day.held_on)
    group = group_on(person, day.held_on, pregnant_ids=pregnant, nifas_ids=nifas)
    attendance = Attendance(day=day, person=person, group=group, recorded_by=actor, arrived_at=now,
                            walk_in=walk_in or person.posyandu_id != day.posyandu_id)
    if client_uuid is not None:
        attendance.client_uuid = client_uuid
    try:
        with transaction.atomic():
            attendance.save()
            audit_record(actor=actor, action="serviceday.attendance.recorded", obj=attendance,
                         region_code=day.desa_id, changes={"person": person.pk, "group": group,
                                                           "walk_in": attendance.walk_in})
    except IntegrityError:
        # The same person marked from two phones at once: keep the first mark.
        existing = Attendance.objects.filter(day=day, person=person).first()
        if existing is None:
            raise
        return existing
    return attendance


@transaction.atomic
def walk_in_register(*, actor, scope, day: ServiceDay, person: PersonInput, household=None,
                     new_household: HouseholdInput | None = None, now: dt.datetime | None = None) -> Attendance:
    """Register someone not yet in the registry and mark them present, in one step.

    The person joins an existing household of the posyandu, or a new household made on the spot. Either
    everything is written (resident, household, attendance) or nothing is.
    """
    now = now or timezone.now()
    access.require(access.may_run(scope, day.posyandu))
    require_open(day)
    if (household is None) == (new_household is None):
        raise invalid("household", _("Choose the family, or enter a new family."))
    if household is not None:
        if household.posyandu_id != day.posyandu_id:
            raise NotInScope()
        registered = person_register(actor=actor, scope=scope, household=household, data=person, now=now)
    else:
        new_household.posyandu_id = day.posyandu_id
        person.relationship = Person.Relationship.HEAD  # the first member of a new family heads it
        new_household.members = [person]
        try:
            created = household_register(actor=actor, scope=scope, data=new_household, now=now)
        except DomainError as exc:
            # The form has one person, not a member list: put "members.0.x" messages on field "x".
            errors = {key.removeprefix("members.0."): value for key, value in exc.field_errors.items()}
            raise DomainError(exc.message, field_errors=errors, code=exc.code) from exc
        registered = created.members.get()
    return attendance_record(actor=actor, scope=scope, day=day, person=registered, walk_in=True, now=now)
