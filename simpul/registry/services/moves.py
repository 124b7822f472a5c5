"""Moves keep history: the old residence is closed on the day before the move, a new one opens.

Counts for a past period read ``Residence`` rows, so a child who moved in June is
counted in her old posyandu for January–May and in the new one from June.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope
from simpul.audit.services import audit_record
from simpul.core.clock import latest_today
from simpul.core.errors import DomainError, NotInScope
from simpul.posyandu.models import Posyandu
from simpul.registry.models import Household, Person, Residence
from simpul.registry.services import validation as v


def _check_not_future(moved_on: dt.date, now) -> None:
    if moved_on > latest_today(now):
        raise DomainError(_("The moving date cannot be in the future."), field_errors={"moved_on": [
            _("The moving date cannot be in the future.")]})


def _check_move_date(moved_on: dt.date, person: Person, now) -> None:
    _check_not_future(moved_on, now)
    current = person.residences.filter(end_date__isnull=True).first()
    if current and moved_on <= current.start_date:
        raise DomainError(_("The moving date must be after the start of the current residence."),
                          field_errors={"moved_on": [_("The moving date must be after the start of the current residence.")]})


def _relocate(person: Person, target: Household, moved_on: dt.date, reason: str) -> None:
    Residence.objects.filter(person=person, end_date__isnull=True).update(end_date=moved_on - dt.timedelta(days=1))
    Residence.objects.create(
        person=person, household=target, posyandu_id=target.posyandu_id, desa_id=target.desa_id,
        start_date=moved_on, reason=reason,
    )
    person.household = target
    person.posyandu_id = target.posyandu_id
    person.desa_id = target.desa_id
    person.version += 1


@transaction.atomic
def person_move(*, actor, scope: Scope, person: Person, to_household: Household, moved_on: dt.date,
                now: dt.datetime | None = None, relationship: str | None = None) -> Person:
    """Move one resident into another household (in this or another posyandu or desa).

    ``relationship`` is their place in the new household (default: unchanged). A head of
    family cannot join a household that already has a living head without a new relationship.
    """
    now = now or timezone.now()
    person = Person.objects.select_for_update().get(pk=person.pk)
    to_household = Household.objects.select_for_update().get(pk=to_household.pk)
    for place in (person, to_household):
        if not scope.allows(Perm.REGISTER, desa_code=place.desa_id, posyandu_id=place.posyandu_id):
            raise NotInScope()
    if person.household_id == to_household.pk:
        raise DomainError(_("The resident already lives in this household."))
    if person.life_status != Person.LifeStatus.ALIVE:
        raise DomainError(_("Only a living resident can be moved."))
    if to_household.status != Household.Status.ACTIVE:
        message = _("This household has moved away or was dissolved; residents cannot be added.")
        raise DomainError(message, field_errors={"to_household": [message]})
    new_relationship = relationship or person.relationship
    if new_relationship not in Person.Relationship.values:
        message = _("Choose one of the listed options.")
        raise DomainError(message, field_errors={"relationship": [message]})
    if new_relationship == Person.Relationship.HEAD and to_household.members.filter(
        relationship=Person.Relationship.HEAD, life_status=Person.LifeStatus.ALIVE
    ).exists():
        message = _("This household already has a head of family.")
        raise DomainError(message, field_errors={"relationship": [message]})
    _check_move_date(moved_on, person, now)
    before = (person.household_id, person.posyandu_id, person.desa_id, person.relationship)
    was_head_of = person.household_id if person.relationship == Person.Relationship.HEAD else None
    _relocate(person, to_household, moved_on, "moved")
    person.relationship = new_relationship
    person.updated_by, person.updated_at = actor, now
    person.save()
    if was_head_of is not None:
        # The old household no longer shows the leaver as its head.
        Household.objects.filter(pk=was_head_of).update(head_name="")
    if new_relationship == Person.Relationship.HEAD:
        Household.objects.filter(pk=to_household.pk).update(head_name=person.full_name)
    changes = {
        "household": (before[0], to_household.pk), "posyandu": (before[1], person.posyandu_id),
        "desa": (before[2], person.desa_id), "moved_on": moved_on.isoformat(),
    }
    if before[3] != new_relationship:
        changes["relationship"] = (before[3], new_relationship)
    audit_record(actor=actor, action="registry.person.moved", obj=person, region_code=person.desa_id, changes=changes)
    return person


@transaction.atomic
def household_move(*, actor, scope: Scope, household: Household, to_posyandu, moved_on: dt.date,
                   address: str = "", rt: str = "", rw: str = "", now: dt.datetime | None = None) -> Household:
    """Move a whole household, with every living member, to another posyandu or desa."""
    now = now or timezone.now()
    household = Household.objects.select_for_update().get(pk=household.pk)
    if not scope.allows(Perm.REGISTER, desa_code=household.desa_id, posyandu_id=household.posyandu_id):
        raise NotInScope()
    if not scope.allows(Perm.REGISTER, desa_code=to_posyandu.desa_id, posyandu_id=to_posyandu.pk):
        raise NotInScope()
    if to_posyandu.pk == household.posyandu_id:
        raise DomainError(_("The household is already in this posyandu."))
    if household.status != Household.Status.ACTIVE:
        raise DomainError(_("Only an active household can be moved."))
    errors = v.Errors()
    if to_posyandu.status != Posyandu.Status.ACTIVE:
        errors.add("to_posyandu", _("This posyandu is inactive."))
    address = " ".join((address or "").split())
    if len(address) > 255:
        errors.add("address", _("The address can be at most 255 characters."))
    rt = v.clean_rt_rw(rt, "rt", errors)
    rw = v.clean_rt_rw(rw, "rw", errors)
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    _check_not_future(moved_on, now)
    members = list(household.members.select_for_update().filter(life_status=Person.LifeStatus.ALIVE))
    for member in members:
        _check_move_date(moved_on, member, now)
    before = (household.posyandu_id, household.desa_id)
    household.posyandu = to_posyandu
    household.desa_id = to_posyandu.desa_id
    if address:
        household.address = address
    household.rt, household.rw = (rt or household.rt), (rw or household.rw)
    household.version += 1
    household.updated_by, household.updated_at = actor, now
    household.save()
    for member in members:
        _relocate(member, household, moved_on, "household_moved")
        member.updated_by, member.updated_at = actor, now
        member.save()
    audit_record(actor=actor, action="registry.household.moved", obj=household, region_code=household.desa_id,
                 changes={"posyandu": (before[0], to_posyandu.pk), "desa": (before[1], household.desa_id),
                          "members": len(members), "moved_on": moved_on.isoformat()})
    return household
