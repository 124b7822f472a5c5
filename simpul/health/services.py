"""Writes of measurements: record, correct, validate. Views and the API call only these.

Order in each: transaction → guard (DomainError with per-field messages) → change → audit entry.

Impossible input is refused (a weight of 0, 90 kg for a baby, a height of 300 cm, a future date, a
date before birth, a person no longer living here). Input that is implausible but possible is
recorded with WHO's implausibility flags, shown for review, never dropped.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm, Role
from simpul.accounts.scope import Scope
from simpul.audit.services import audit_record
from simpul.core.clock import latest_today
from simpul.core.errors import DomainError, NotInScope
from simpul.core.inputs import parse_client_uuid as _parse_uuid
from simpul.core.inputs import parse_decimal as _decimal
from simpul.health.growth.assessment import growth_assess
from simpul.health.growth.zscores import MAX_AGE_DAYS, age_in_days
from simpul.health.models import Measurement, Position
from simpul.health.selectors import HEALTH
from simpul.registry.models import Person

VALUE_FIELDS = ("weight_kg", "length_height_cm", "head_circumference_cm", "muac_cm")
PLACES = {"weight_kg": Decimal("0.001"), "length_height_cm": Decimal("0.1"),
          "head_circumference_cm": Decimal("0.1"), "muac_cm": Decimal("0.1")}

# What a human body of that age cannot measure: (exclusive low, inclusive high) per field.
# Under 5 years the bounds sit well outside WHO's ±5–6 SD, so every real child passes (and extreme
# values are flagged by the growth engine), while a typing slip (90 kg for a baby) does not.
UNDER_5 = {"weight_kg": (0, 50), "length_height_cm": (30, 150), "head_circumference_cm": (20, 65),
           "muac_cm": (5, 35)}
FROM_5 = {"weight_kg": (0, 300), "length_height_cm": (50, 250), "head_circumference_cm": (30, 75),
          "muac_cm": (5, 70)}
FIVE_YEARS_DAYS = 1826
POSITIONS = frozenset(Position.values)  # ``Choices.values`` builds a new list on every call


@dataclass
class MeasurementInput:
    measured_on: dt.date | None
    weight_kg: Decimal | float | str | None = None
    length_height_cm: Decimal | float | str | None = None
    position: str = ""
    head_circumference_cm: Decimal | float | str | None = None
    muac_cm: Decimal | float | str | None = None
    oedema: bool = False
    client_uuid: uuid.UUID | str | None = None


def _limit_message(name: str, low, high) -> str:
    messages = {
        "weight_kg": _("Enter a weight above %(low)s and at most %(high)s kg for this age."),
        "length_height_cm": _("Enter a length or height above %(low)s and at most %(high)s cm for this age."),
        "head_circumference_cm": _("Enter a head circumference above %(low)s and at most %(high)s cm for this age."),
        "muac_cm": _("Enter an arm circumference above %(low)s and at most %(high)s cm for this age."),
    }
    return messages[name] % {"low": low, "high": high}




def _require_health(scope: Scope, *, desa_code: str, posyandu_id: int) -> None:
    if HEALTH not in scope.fields_at(desa_code=desa_code, posyandu_id=posyandu_id, perm=Perm.RECORD_HEALTH):
        raise NotInScope()


def _existing(scope: Scope, client_uuid: uuid.UUID | None, person: Person) -> Measurement | None:
    if client_uuid is None:
        return None
    existing = Measurement.objects.filter(client_uuid=client_uuid).first()
    if existing is None:
        return None
    allowed = HEALTH in scope.fields_at(desa_code=existing.desa_id, posyandu_id=existing.posyandu_id,
                                        perm=Perm.RECORD_HEALTH)
    if not allowed or existing.person_id != person.pk:
        # Someone else's id, or another person's: never reveal what it is.
        raise DomainError(_("This record id is already in use."), field_errors={"client_uuid": [_("Already in use.")]})
    return existing


def _clean(person: Person, data: MeasurementInput, *, today: dt.date) -> dict:
    """Validated model values (without the computed ones); raises DomainError listing every problem."""
    errors: dict[str, list[str]] = {}
    values: dict = {}
    measured_on = data.measured_on
    if measured_on is None:
        errors["measured_on"] = [_("This field is required.")]
    elif measured_on > today:
        errors["measured_on"] = [_("The measurement date cannot be in the future.")]
    elif measured_on < person.birth_date:
        errors["measured_on"] = [_("The measurement date cannot be before the birth date.")]
    elif person.life_status != Person.LifeStatus.ALIVE and (
            person.life_status_date is None or measured_on >= person.life_status_date):
        errors["measured_on"] = [_("This resident is no longer recorded as living here on this date.")]
    if person.duplicate_of_id is not None:
        errors["__all__"] = [_("This record was linked to another record of the same person; use the main record.")]
    values["measured_on"] = measured_on

    under_5 = measured_on is not None and "measured_on" not in errors and \
        age_in_days(person.birth_date, measured_on) < FIVE_YEARS_DAYS
    limits = UNDER_5 if under_5 else FROM_5
    for name in VALUE_FIELDS:
        try:
            number = _decimal(getattr(data, name))
        except (InvalidOperation, ValueError, TypeError):
            errors[name] = [_("Enter a number.")]
            continue
        if number is not None:
            low, high = limits[name]
            if not low < number <= high:
                errors[name] = [_limit_message(name, low, high)]
                continue
            number = number.quantize(PLACES[name], rounding=ROUND_HALF_UP)
        values[name] = number
    if not any(values.get(name) is not None for name in VALUE_FIELDS) and not any(n in errors for n in VALUE_FIELDS):
        errors["weight_kg"] = [_("Enter at least one measurement.")]

    position = data.position or ""
    if position not in POSITIONS and position != "":
        errors["position"] = [_("Choose one of the listed options.")]
    elif position and values.get("length_height_cm") is None:
        position = ""  # a position without a length says nothing
    values["position"] = position
    values["oedema"] = bool(data.oedema)
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    return values


def _computed(person: Person, values: dict, *, now: dt.datetime) -> dict:
    """Age, BMI, z-scores, codes and flags for validated values (the raw values are not changed)."""
    age = age_in_days(person.birth_date, values["measured_on"])
    weight, height = values.get("weight_kg"), values.get("length_height_cm")
    bmi = round(float(weight) / (float(height) / 100) ** 2, 2) if weight and height else None
    computed: dict = {"age_days": age, "bmi": bmi, "flags": []}
    if age <= MAX_AGE_DAYS:
        result = growth_assess(
            sex=person.sex, birth_date=person.birth_date, measured_on=values["measured_on"],
            weight_kg=None if weight is None else float(weight),
            length_height_cm=None if height is None else float(height),
            position=values["position"] or None,
            head_circumference_cm=None if values.get("head_circumference_cm") is None
            else float(values["head_circumference_cm"]),
            muac_cm=None if values.get("muac_cm") is None else float(values["muac_cm"]),
            oedema=values["oedema"], now=now,
        )
        computed.update({f"z_{index}": z for index, z in result.z.items()})
        computed.update({f"class_{index}": code or "" for index, code in result.classification.items()})
        computed["flags"] = list(result.flags)
    return computed


def _audit_values(measurement: Measurement) -> dict:
    return {"person": measurement.person_id, "measured_on": measurement.measured_on,
            **{name: getattr(measurement, name) for name in VALUE_FIELDS if getattr(measurement, name) is not None},
            "flags": ",".join(measurement.flags)}


def measurement_record(*, actor, scope: Scope, person: Person, data: MeasurementInput,
                       now: dt.datetime | None = None) -> Measurement:
    """Record one measurement of a person. Re-sending the same client UUID returns the stored record."""
    now = now or timezone.now()
    client_uuid = _parse_uuid(data.client_uuid)
    _require_health(scope, desa_code=person.desa_id, posyandu_id=person.posyandu_id)
    existing = _existing(scope, client_uuid, person)
    if existing is not None:
        return existing
    values = _clean(person, data, today=latest_today(now))
    measurement = Measurement(person=person, posyandu_id=person.posyandu_id, desa_id=person.desa_id,
                              recorded_by=actor, created_at=now, **values, **_computed(person, values, now=now))
    if client_uuid is not None:
        measurement.client_uuid = client_uuid
    try:
        with transaction.atomic():
            measurement.save()
            audit_record(actor=actor, action="health.measurement.recorded", obj=measurement,
                         region_code=measurement.desa_id, changes=_audit_values(measurement))
    except IntegrityError:
        # The same client UUID arrived twice at once: the first one won; answer with it.
        existing = _existing(scope, client_uuid, person)
        if existing is None:
            raise
        return existing
    return measurement


@transaction.atomic
def measurement_correct(*, actor, scope: Scope, measurement: Measurement, data: MeasurementInput, reason: str,
                        now: dt.datetime | None = None) -> Measurement:
    """Replace a wrong measurement by a new one (kept with the reason); the old one stays as history.

    Monthly results are computed on read, so the corrected month and the next change with it.
    """
    now = now or timezone.now()
    old = Measurement.objects.select_for_update().select_related("person").get(pk=measurement.pk)
    person = old.person
    _require_health(scope, desa_code=old.desa_id, posyandu_id=old.posyandu_id)
    client_uuid = _parse_uuid(data.client_uuid)
    existing = _existing(scope, client_uuid, person)
    if existing is not None:
        return existing
    if old.superseded_by_id is not None:
        raise DomainError(_("This measurement was already corrected. Correct the newest version instead."),
                          code="conflict")
    reason = " ".join((reason or "").split())[:255]
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Say why the measurement is corrected.")]
    try:
        values = _clean(person, data, today=latest_today(now))
    except DomainError as exc:
        raise DomainError(exc.message, field_errors={**exc.field_errors, **errors}) from exc
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    new = Measurement(person=person, posyandu_id=old.posyandu_id, desa_id=old.desa_id, recorded_by=actor,
                      created_at=now, correction_reason=reason, **values, **_computed(person, values, now=now))
    if client_uuid is not None:
        new.client_uuid = client_uuid
    new.save()
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    changes = {name: (getattr(old, name), getattr(new, name))
               for name in ("measured_on", *VALUE_FIELDS, "position", "oedema")
               if getattr(old, name) != getattr(new, name)}
    audit_record(actor=actor, action="health.measurement.corrected", obj=new, region_code=new.desa_id,
                 changes={"supersedes": old.pk, "reason": reason, **changes})
    return new


@transaction.atomic
def measurement_validate(*, actor, scope: Scope, measurement: Measurement, now: dt.datetime | None = None) -> Measurement:
    """A nakes of the area confirms a measurement (after reviewing its flags)."""
    now = now or timezone.now()
    m = Measurement.objects.select_for_update().get(pk=measurement.pk)
    nakes_here = any(g.role == Role.NAKES and HEALTH in g.fields
                     and g.covers(desa_code=m.desa_id, posyandu_id=m.posyandu_id) for g in scope.grants)
    if not nakes_here:
        raise DomainError(_("Only a health worker (nakes) of the area can validate measurements."), code="forbidden")
    if m.superseded_by_id is not None:
        raise DomainError(_("This measurement was corrected; validate the newest version."), code="conflict")
    if m.validated_at is not None:
        return m
    m.validated_by, m.validated_at = actor, now
    m.save(update_fields=["validated_by", "validated_at"])
    audit_record(actor=actor, action="health.measurement.validated", obj=m, region_code=m.desa_id)
    return m
