from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope
from simpul.audit.services import audit_record
from simpul.core.clock import latest_today
from simpul.core.errors import DomainError
from simpul.lib import crypto
from simpul.posyandu.models import Posyandu
from simpul.registry.models import Household, Person
from simpul.registry.services import validation as v
from simpul.registry.services.editing import lock_for_edit
from simpul.registry.services.people import (
    PersonInput,
    _existing_by_uuid,
    create_person,
    parse_client_uuid,
    person_values,
)
from simpul.registry.tasks import find_duplicates


@dataclass
class HouseholdInput:
    posyandu_id: int | None
    address: str
    rt: str = ""
    rw: str = ""
    dusun: str = ""
    kk: str = ""
    latitude: object = None
    longitude: object = None
    client_uuid: uuid.UUID | None = None
    members: list[PersonInput] = field(default_factory=list)


def _household_values(data: HouseholdInput, errors: v.Errors, *, current: Household | None = None) -> dict:
    values: dict = {}
    address = " ".join((data.address or "").split())
    if not address:
        errors.add("address", _("This field is required."))
    elif len(address) > 255:
        errors.add("address", _("The address can be at most 255 characters."))
    values["address"] = address
    values["rt"] = v.clean_rt_rw(data.rt, "rt", errors)
    values["rw"] = v.clean_rt_rw(data.rw, "rw", errors)
    values["dusun"] = " ".join((data.dusun or "").split())[:60]
    values["latitude"], values["longitude"] = v.clean_coordinates(data.latitude, data.longitude, errors)
    kk = v.clean_kk(data.kk, errors)
    if kk and "kk" not in errors:
        values["kk_hash"] = v.kk_hash(kk)
        if current is None or current.kk_hash != values["kk_hash"]:
            taken = Household.objects.filter(kk_hash=values["kk_hash"])
            if current is not None:
                taken = taken.exclude(pk=current.pk)
            if taken.exists():
                errors.add("kk", _("This KK number is already registered for another household."))
            values["kk_cipher"] = crypto.encrypt(kk)
    elif not kk:
        values["kk_hash"], values["kk_cipher"] = None, ""
    return values


def _posyandu_for(data: HouseholdInput, scope: Scope, errors: v.Errors) -> Posyandu | None:
    posyandu = Posyandu.objects.filter(pk=data.posyandu_id).first() if data.posyandu_id else None
    if posyandu is None or not scope.allows(Perm.REGISTER, desa_code=posyandu.desa_id, posyandu_id=posyandu.pk):
        errors.add("posyandu", _("Choose a posyandu you work in."))
        return None
    if posyandu.status != Posyandu.Status.ACTIVE:
        errors.add("posyandu", _("This posyandu is inactive."))
    return posyandu


def household_register(*, actor, scope: Scope, data: HouseholdInput, now: dt.datetime | None = None) -> Household:
    """Register a household with all its members in one step: all of it is saved, or none of it.

    Re-sending the same client UUID returns the household already stored (the offline app retries).
    """
    now = now or timezone.now()
    existing = _existing_by_uuid(Household, data.client_uuid, scope, Perm.REGISTER)
    if existing is not None:
        return existing
    errors = v.Errors()
    posyandu = _posyandu_for(data, scope, errors)
    values = _household_values(data, errors)
    if not data.members:
        errors.add("members", _("A household needs at least one member."))
    heads = [m for m in data.members if m.relationship == Person.Relationship.HEAD]
    if data.members and len(heads) != 1:
        errors.add("members", _("Mark exactly one member as head of family."))
    member_values = []
    member_uuids: list[uuid.UUID | None] = []
    seen_nik: dict[str, int] = {}
    seen_uuid: set[uuid.UUID] = set()
    for index, member in enumerate(data.members):
        member_errors = v.Errors()
        member_values.append(person_values(member, member_errors, today=latest_today(now)))
        hashed = member_values[-1].get("nik_hash")
        if hashed and hashed in seen_nik:
            member_errors.add("nik", _("The same NIK is entered for two members."))
        elif hashed:
            seen_nik[hashed] = index
        try:
            member_uuid = parse_client_uuid(member.client_uuid)
        except DomainError as exc:
            member_uuid = None
            for message in exc.field_errors.get("client_uuid", [exc.message]):
                member_errors.add("client_uuid", message)
        member_uuids.append(member_uuid)
        if member_uuid is not None:
            if member_uuid in seen_uuid or Person.objects.filter(client_uuid=member_uuid).exists():
                member_errors.add("client_uuid", _("This record id is already in use."))
            seen_uuid.add(member_uuid)
        errors.update(member_errors.prefixed(f"members.{index}."))
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)

    head_name = member_values[data.members.index(heads[0])]["full_name"]
    try:
        with transaction.atomic():
            household = Household(
                posyandu=posyandu, desa_id=posyandu.desa_id, head_name=head_name,
                created_by=actor, updated_by=actor, created_at=now, updated_at=now, **values,
            )
            if data.client_uuid:
                household.client_uuid = parse_client_uuid(data.client_uuid)
            household.save()
            people = [
                create_person(household=household, values=mv, client_uuid=mu, actor=actor, now=now)
                for mu, mv in zip(member_uuids, member_values, strict=True)
            ]
            audit_record(
                actor=actor, action="registry.household.registered", obj=household, region_code=household.desa_id,
                changes={"members": len(people), "posyandu": posyandu.pk, "rt": household.rt, "rw": household.rw},
            )
    except IntegrityError as exc:
        # Two kader registering the same KK or NIK at the same moment: the database decides.
        raise DomainError(_("This KK or NIK was just registered by someone else. Search for it first.")) from exc
    person_ids = [p.pk for p in people]
    transaction.on_commit(lambda: find_duplicates.enqueue(person_ids))
    return household


@transaction.atomic
def household_update(
    *, actor, scope: Scope, household: Household, data: HouseholdInput, expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Household:
    now = now or timezone.now()
    household = lock_for_edit(
        household, scope=scope, expected_version=expected_version,
        stale_message=_("Someone else changed this household after you opened it. Reload to see their changes."),
    )
    errors = v.Errors()
    values = _household_values(data, errors, current=household)
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    changes = {}
    for name, value in values.items():
        if getattr(household, name) != value:
            changes["kk" if name.startswith("kk_") else name] = (getattr(household, name), value)
            setattr(household, name, value)
    if changes:
        household.version += 1
        household.updated_by, household.updated_at = actor, now
        try:
            with transaction.atomic():
                household.save()
        except IntegrityError as exc:
            message = _("This KK number is already registered for another household.")
            raise DomainError(message, field_errors={"kk": [message]}) from exc
        audit_record(actor=actor, action="registry.household.updated", obj=household,
                     region_code=household.desa_id, changes=changes)
    return household
