"""Writes of immunisation records: one dose given, and a KIPI note on it.

Who may write: a user holding the health field (``kesehatan``) with the register permission at the
child's posyandu — the kader and pengurus of the health field.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope
from simpul.audit.services import audit_record
from simpul.core.choices import SpmField
from simpul.core.clock import latest_today
from simpul.core.errors import DomainError, NotInScope
from simpul.core.inputs import parse_client_uuid as _client_uuid
from simpul.immunization import rules, schedule
from simpul.immunization.models import ImmunizationRecord
from simpul.registry.models import Person

TEXT_LIMITS = {"vaccine": 120, "batch_number": 40, "given_by": 120, "place_note": 120}
PLACES = frozenset(ImmunizationRecord.Place.values)  # ``Choices.values`` builds a new list on every call


@dataclass
class ImmunizationInput:
    dose: str
    given_on: dt.date | None
    vaccine: str = ""
    batch_number: str = ""
    given_by: str = ""
    place: str = ImmunizationRecord.Place.POSYANDU
    place_note: str = ""
    client_uuid: uuid.UUID | str | None = None


def may_record(scope: Scope, person: Person) -> bool:
    fields = scope.fields_at(desa_code=person.desa_id, posyandu_id=person.posyandu_id, perm=Perm.RECORD_HEALTH)
    return SpmField.HEALTH in fields


def may_read(scope: Scope, person: Person) -> bool:
    fields = scope.fields_at(desa_code=person.desa_id, posyandu_id=person.posyandu_id, perm=Perm.VIEW_HEALTH)
    return SpmField.HEALTH in fields


def _date(value: dt.date) -> str:
    return formats.date_format(value, "j F Y")


def _invalid(field: str, message: str) -> DomainError:
    return DomainError(message, field_errors={field: [message]})




def _replayed(client_uuid: uuid.UUID | None, scope: Scope) -> ImmunizationRecord | None:
    if client_uuid is None:
        return None
    existing = ImmunizationRecord.objects.select_related("person").filter(client_uuid=client_uuid).first()
    if existing is None:
        return None
    if not (may_read(scope, existing.person) or may_record(scope, existing.person)):
        # Someone else's id: never reveal what it holds.
        raise _invalid("client_uuid", _("This record id is already in use."))
    return existing


def _already_recorded(record: ImmunizationRecord) -> DomainError:
    message = _("%(dose)s was already recorded for this child on %(date)s.") % {
        "dose": record.dose_label, "date": _date(record.given_on)}
    return _invalid("dose", message)


def _clean_text(data: ImmunizationInput) -> dict:
    values, errors = {}, {}
    for name, limit in TEXT_LIMITS.items():
        value = " ".join((getattr(data, name) or "").split())
        if len(value) > limit:
            errors[name] = [_("Too long: at most %(max)s.") % {"max": limit}]
        values[name] = value
    if data.place not in PLACES:
        errors["place"] = [_("Choose one of the listed options.")]
    values["place"] = data.place
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    return values


def _check_dose(person: Person, dose: schedule.Dose, given_on: dt.date | None, *, today: dt.date,
                given: dict[str, dt.date]) -> None:
    """Refuse a dose that the schedule or the calendar does not allow; one clear message each."""
    if given_on is None:
        raise _invalid("given_on", _("Enter the date the dose was given."))
    if given_on > today:
        raise _invalid("given_on", _("This date cannot be in the future."))
    if given_on < person.birth_date:
        raise _invalid("given_on", _("The date cannot be before the child's birth date (%(date)s).") % {
            "date": _date(person.birth_date)})
    if person.life_status_date and person.life_status != Person.LifeStatus.ALIVE and given_on > person.life_status_date:
        raise _invalid("given_on", _("The date cannot be after the person died or moved away."))
    before = schedule.previous(dose)
    previous_on = given.get(before.code) if before else None
    if before is not None and previous_on is None:
        raise _invalid("dose", _("Record %(previous)s first: %(dose)s comes after it.") % {
            "previous": before.label, "dose": dose.label})
    earliest = dose.earliest.after(person.birth_date)
    if given_on < earliest:
        raise _invalid("given_on", _(
            "%(dose)s is not given before the age of %(age)s: the earliest date for this child is %(date)s."
        ) % {"dose": dose.label, "age": dose.earliest.label(), "date": _date(earliest)})
    if before is None or previous_on is None:
        return
    first_allowed = rules.earliest_date(dose, person.birth_date, given)
    if first_allowed is not None and given_on < first_allowed:
        interval = dose.interval.label() if dose.interval else _("one day")
        raise _invalid("given_on", _(
            "%(dose)s must be at least %(interval)s after %(previous)s (given on %(previous_on)s): "
            "the earliest date is %(date)s."
        ) % {"dose": dose.label, "interval": interval, "previous": before.label,
             "previous_on": _date(previous_on), "date": _date(first_allowed)})


def immunization_record(*, actor, scope: Scope, person: Person, data: ImmunizationInput,
                        now: dt.datetime | None = None) -> ImmunizationRecord:
    """Record one dose given to a child. Re-sending the same client UUID returns the stored record."""
    now = now or timezone.now()
    client_uuid = _client_uuid(data.client_uuid)
    existing = _replayed(client_uuid, scope)
    if existing is not None:
        return existing
    if not may_record(scope, person):
        raise NotInScope()
    if person.duplicate_of_id:
        raise _invalid("person", _("This record was linked to another record of the same person: record the dose there."))
    dose = schedule.get(data.dose or "")
    if dose is None:
        raise _invalid("dose", _("Choose a dose from the national schedule."))
    values = _clean_text(data)
    try:
        with transaction.atomic():
            # One writer per child at a time: the checks below read the child's other doses.
            person = Person.objects.select_for_update().get(pk=person.pk)
            records = {r.dose: r for r in ImmunizationRecord.objects.filter(person=person)}
            if dose.code in records:
                raise _already_recorded(records[dose.code])
            _check_dose(person, dose, data.given_on, today=latest_today(now),
                        given={code: r.given_on for code, r in records.items()})
            record = ImmunizationRecord.objects.create(
                client_uuid=client_uuid or uuid.uuid4(), person=person, desa_id=person.desa_id,
                posyandu_id=person.posyandu_id, dose=dose.code, given_on=data.given_on, recorded_by=actor,
                created_at=now, updated_at=now, **values,
            )
            audit_record(actor=actor, action="immunization.dose.recorded", obj=record, region_code=record.desa_id,
                         changes={"person": person.pk, "dose": dose.code, "given_on": data.given_on,
                                  "vaccine": values["vaccine"], "batch_number": values["batch_number"]})
    except IntegrityError as exc:
        # A concurrent request won the race: answer as if it had come first.
        replay = _replayed(client_uuid, scope)
        if replay is not None:
            return replay
        same = ImmunizationRecord.objects.filter(person=person, dose=dose.code).first()
        if same is not None:
            raise _already_recorded(same) from exc
        raise
    # Later: tell the SPM counters (kes.balita) that this child's record changed, on commit.
    return record


def kipi_record(*, actor, scope: Scope, record: ImmunizationRecord, noted_on: dt.date | None, notes: str,
                follow_up: str = "", now: dt.datetime | None = None) -> ImmunizationRecord:
    """Note an adverse event after a dose (KIPI) and what was done about it; a later note replaces it."""
    now = now or timezone.now()
    if not may_record(scope, record.person):
        raise NotInScope()
    notes, follow_up = (notes or "").strip(), (follow_up or "").strip()
    errors: dict[str, list[str]] = {}
    if not notes:
        errors["kipi_notes"] = [_("Describe what happened after the immunisation.")]
    if noted_on is None:
        errors["kipi_noted_on"] = [_("Enter the date the reaction was noticed.")]
    elif noted_on > latest_today(now):
        errors["kipi_noted_on"] = [_("This date cannot be in the future.")]
    elif noted_on < record.given_on:
        errors["kipi_noted_on"] = [_("The date cannot be before the dose was given (%(date)s).") % {
            "date": _date(record.given_on)}]
    for name, value in (("kipi_notes", notes), ("kipi_follow_up", follow_up)):
        if len(value) > 2000:
            errors.setdefault(name, []).append(_("Too long: at most %(max)s.") % {"max": 2000})
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    with transaction.atomic():
        record = ImmunizationRecord.objects.select_for_update().get(pk=record.pk)
        changes = {}
        for name, value in (("kipi_noted_on", noted_on), ("kipi_notes", notes), ("kipi_follow_up", follow_up)):
            if getattr(record, name) != value:
                changes[name] = (getattr(record, name), value)
                setattr(record, name, value)
        record.updated_at = now
        record.save(update_fields=["kipi_noted_on", "kipi_notes", "kipi_follow_up", "updated_at"])
        audit_record(actor=actor, action="immunization.kipi.recorded", obj=record, region_code=record.desa_id,
                     changes=changes)
    return record
