from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope
from simpul.audit.services import audit_record
from simpul.core.choices import Sex
from simpul.core.clock import latest_today
from simpul.core.errors import DomainError
from simpul.core.inputs import parse_client_uuid
from simpul.lib import crypto
from simpul.registry.models import Household, Person, Residence
from simpul.registry.services import validation as v
from simpul.registry.services.editing import lock_for_edit
from simpul.registry.tasks import find_duplicates


@dataclass
class PersonInput:
    full_name: str
    sex: str
    birth_date: dt.date | None
    relationship: str
    birth_date_estimated: bool = False
    nik: str = ""
    phone: str = ""
    mother_name: str = ""
    education_status: str = ""
    school_name: str = ""
    disability_type: str = ""
    life_status: str = Person.LifeStatus.ALIVE
    life_status_date: dt.date | None = None
    client_uuid: uuid.UUID | None = None
    extra: dict = field(default_factory=dict)


def _choice(value: str, choices, field_name: str, errors: v.Errors, *, required: bool) -> str:
    if not value:
        if required:
            errors.add(field_name, _("This field is required."))
        return ""
    if value not in choices.values:
        errors.add(field_name, _("Choose one of the listed options."))
    return value


def person_values(data: PersonInput, errors: v.Errors, *, today: dt.date, current: Person | None = None) -> dict:
    """Validate one resident and return model field values; problems go into ``errors``."""
    values: dict = {}
    values["full_name"] = v.clean_name(data.full_name, "full_name", errors)
    values["sex"] = _choice(data.sex, Sex, "sex", errors, required=True)
    values["birth_date"] = v.clean_birth_date(data.birth_date, errors, today=today)
    values["birth_date_estimated"] = bool(data.birth_date_estimated)
    values["relationship"] = _choice(data.relationship, Person.Relationship, "relationship", errors, required=True)
    values["phone"] = v.clean_phone(data.phone, errors)
    values["mother_name"] = v.clean_name(data.mother_name, "mother_name", errors, required=False)
    values["education_status"] = _choice(data.education_status, Person.Education, "education_status", errors, required=False)
    values["school_name"] = " ".join((data.school_name or "").split())[:120]
    if values["school_name"] and values["education_status"] in {"", "not_in_school", "finished"}:
        errors.add("school_name", _("A school name only goes with a current school level."))
    values["disability_type"] = _choice(data.disability_type, Person.Disability, "disability_type", errors, required=False)
    values["life_status"] = _choice(data.life_status or "alive", Person.LifeStatus, "life_status", errors, required=True)
    status_date = data.life_status_date
    if values["life_status"] != Person.LifeStatus.ALIVE:
        if status_date is None:
            errors.add("life_status_date", _("Enter the date of death or of moving away."))
        elif status_date > today:
            errors.add("life_status_date", _("This date cannot be in the future."))
        elif values["birth_date"] and status_date < values["birth_date"]:
            errors.add("life_status_date", _("This date cannot be before the birth date."))
    else:
        status_date = None
    values["life_status_date"] = status_date

    nik = (data.nik or "").replace(" ", "").replace(".", "")
    if nik:
        check = v.check_person_nik(nik, sex=values["sex"] or None, birth_date=values["birth_date"], today=today)
        if check.errors:
            for message in check.errors:
                errors.add("nik", message)
        else:
            values["nik_hash"] = v.nik_hash(check.nik)
            unchanged = current is not None and current.nik_hash == values["nik_hash"]
            if not unchanged:
                taken = Person.objects.filter(nik_hash=values["nik_hash"])
                if current is not None:
                    taken = taken.exclude(pk=current.pk)
                if taken.exists():
                    errors.add("nik", _("This NIK is already registered for another resident."))
                values["nik_cipher"] = crypto.encrypt(check.nik)
            values["nik_last4"] = check.nik[-4:]
            values["nik_warnings"] = check.warning_codes
            values["nik_status"] = Person.NikStatus.UNVERIFIED if check.warnings else Person.NikStatus.VALID
    else:
        values.update(nik_hash=None, nik_cipher="", nik_last4="", nik_warnings=[], nik_status=Person.NikStatus.NONE)
    return values


_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U to misread


def new_provisional_id(desa_code: str) -> str:
    """``TMP-<desa>-<9 base32 chars>``: 32^9 values per desa, so a clash is practically impossible."""
    return f"TMP-{desa_code}-{''.join(secrets.choice(_ID_ALPHABET) for _ in range(9))}"




def _existing_by_uuid(model, client_uuid, scope: Scope, perm: str):
    client_uuid = parse_client_uuid(client_uuid)
    if client_uuid is None:
        return None
    existing = model.objects.filter(client_uuid=client_uuid).first()
    if existing is None:
        return None
    if not scope.allows(perm, desa_code=existing.desa_id, posyandu_id=existing.posyandu_id):
        # Someone else's id: never reveal that it exists.
        raise DomainError(_("This record id is already in use."), field_errors={"client_uuid": [_("Already in use.")]})
    return existing


def create_person(*, household: Household, values: dict, client_uuid, actor, now) -> Person:
    """Insert a validated resident with their first residence. Callers hold the transaction."""
    person = Person(
        household=household,
        posyandu_id=household.posyandu_id,
        desa_id=household.desa_id,
        provisional_id=new_provisional_id(household.desa_id),
        created_by=actor,
        updated_by=actor,
        created_at=now,
        updated_at=now,
        **values,
    )
    if client_uuid:
        person.client_uuid = client_uuid
    person.save()
    Residence.objects.create(
        person=person,
        household=household,
        posyandu_id=household.posyandu_id,
        desa_id=household.desa_id,
        start_date=timezone.localdate(now),
    )
    return person


def person_register(*, actor, scope: Scope, household: Household, data: PersonInput, now: dt.datetime | None = None) -> Person:
    """Add a resident to a household. Re-sending the same client UUID returns the stored resident."""
    now = now or timezone.now()
    existing = _existing_by_uuid(Person, data.client_uuid, scope, Perm.REGISTER)
    if existing is not None:
        return existing
    scope.require(Perm.REGISTER, desa_code=household.desa_id, posyandu_id=household.posyandu_id)
    errors = v.Errors()
    if household.status != Household.Status.ACTIVE:
        errors.add("household", _("This household has moved away or was dissolved; residents cannot be added."))
    values = person_values(data, errors, today=latest_today(now))
    if values.get("relationship") == Person.Relationship.HEAD and household.members.filter(
        relationship=Person.Relationship.HEAD, life_status=Person.LifeStatus.ALIVE
    ).exists():
        errors.add("relationship", _("This household already has a head of family."))
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    try:
        with transaction.atomic():
            person = create_person(household=household, values=values, client_uuid=parse_client_uuid(data.client_uuid),
                                   actor=actor, now=now)
            audit_record(
                actor=actor, action="registry.person.registered", obj=person, region_code=person.desa_id,
                changes={"household": household.pk, "full_name": person.full_name},
            )
    except IntegrityError as exc:
        raise DomainError(_("This NIK is already registered for another resident."), field_errors={"nik": [
            _("This NIK is already registered for another resident.")]}) from exc
    transaction.on_commit(lambda: find_duplicates.enqueue([person.pk]))
    return person


AUDITED_FIELDS = [
    "full_name", "sex", "birth_date", "birth_date_estimated", "relationship", "phone", "mother_name",
    "education_status", "school_name", "disability_type", "life_status", "life_status_date", "nik_hash",
]


@transaction.atomic
def person_update(
    *, actor, scope: Scope, person: Person, data: PersonInput, expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Person:
    """Change a resident's data; the audit trail keeps what changed from what to (never the NIK itself)."""
    now = now or timezone.now()
    person = lock_for_edit(
        person, scope=scope, expected_version=expected_version,
        stale_message=_("Someone else changed this resident after you opened it. Reload to see their changes."),
    )
    errors = v.Errors()
    values = person_values(data, errors, today=latest_today(now), current=person)
    if (
        values.get("relationship") == Person.Relationship.HEAD
        and person.relationship != Person.Relationship.HEAD
        and person.household_id
        and Person.objects.filter(household_id=person.household_id, relationship=Person.Relationship.HEAD,
                                  life_status=Person.LifeStatus.ALIVE).exclude(pk=person.pk).exists()
    ):
        errors.add("relationship", _("This household already has a head of family."))
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    changes = {}
    for name in AUDITED_FIELDS:
        if name in values and getattr(person, name) != values[name]:
            changes["nik" if name == "nik_hash" else name] = (getattr(person, name), values[name])
    if not changes:
        return person
    was_head = person.relationship == Person.Relationship.HEAD
    for name, value in values.items():
        setattr(person, name, value)
    person.version += 1
    person.updated_by = actor
    person.updated_at = now
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        # Someone registered the same NIK between our check and this save: the unique hash decides.
        message = _("This NIK is already registered for another resident.")
        raise DomainError(message, field_errors={"nik": [message]}) from exc
    if person.household_id and person.relationship == Person.Relationship.HEAD:
        Household.objects.filter(pk=person.household_id).update(head_name=person.full_name)
    elif person.household_id and was_head:
        # The head stepped down: the list must not keep showing them as head.
        Household.objects.filter(pk=person.household_id).update(head_name="")
    audit_record(actor=actor, action="registry.person.updated", obj=person, region_code=person.desa_id, changes=changes)
    return person
