"""Writes of development checks: record. Views (and later the API) call only this.

Order: transaction → guard (DomainError with per-field messages) → change → audit entry, as in
``health.services``. Same scope (the kesehatan field with record rights at the child's place), same
date rules as a measurement (not in the future, not before birth, not after the child left or died),
and the same idempotency: the same client UUID returns the stored check.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope
from simpul.audit.services import audit_record
from simpul.core.clock import latest_today
from simpul.core.errors import DomainError
from simpul.health import development
from simpul.health.models import DevelopmentCheck
from simpul.health.selectors import HEALTH
from simpul.health.services import _parse_uuid, _require_health
from simpul.registry.lifestage import age_in_months
from simpul.registry.models import Person


@dataclass
class DevelopmentCheckInput:
    checked_on: dt.date | None
    answers: Mapping[str, bool] = field(default_factory=dict)  # item code -> yes
    band: str = ""  # the band the form showed; when given, it must be the band of the date
    client_uuid: uuid.UUID | str | None = None


def _existing(scope: Scope, client_uuid: uuid.UUID | None, person: Person) -> DevelopmentCheck | None:
    if client_uuid is None:
        return None
    existing = DevelopmentCheck.objects.filter(client_uuid=client_uuid).first()
    if existing is None:
        return None
    allowed = HEALTH in scope.fields_at(desa_code=existing.desa_id, posyandu_id=existing.posyandu_id,
                                        perm=Perm.RECORD_HEALTH)
    if not allowed or existing.person_id != person.pk:
        raise DomainError(_("This record id is already in use."), field_errors={"client_uuid": [_("Already in use.")]})
    return existing


def _clean(person: Person, data: DevelopmentCheckInput, *, today: dt.date,
           table: development.ChecklistTable) -> tuple[development.Band, dict[str, bool]]:
    errors: dict[str, list[str]] = {}
    on = data.checked_on
    band = None
    if on is None:
        errors["checked_on"] = [_("This field is required.")]
    elif on > today:
        errors["checked_on"] = [_("The date of the check cannot be in the future.")]
    elif on < person.birth_date:
        errors["checked_on"] = [_("The date of the check cannot be before the birth date.")]
    elif person.life_status != Person.LifeStatus.ALIVE and (
            person.life_status_date is None or on >= person.life_status_date):
        errors["checked_on"] = [_("This resident is no longer recorded as living here on this date.")]
    else:
        band = development.band_for(person.birth_date, on, table=table)
        if band is None:
            errors["checked_on"] = [_("The development checklist is for children from birth to 72 months.")]
        elif data.band and data.band != band.code:
            errors["checked_on"] = [_("On this date the child is in another age band; answer the questions "
                                      "for that band.")]
    if person.duplicate_of_id is not None:
        errors["__all__"] = [_("This record was linked to another record of the same person; use the main record.")]
    answers: dict[str, bool] = {}
    if band is not None and "checked_on" not in errors:
        given = dict(data.answers or {})
        for code in band.item_codes:
            value = given.pop(code, None)
            if not isinstance(value, bool):
                errors[code] = [_("Answer yes or no.")]
            else:
                answers[code] = value
        if given:
            errors["answers"] = [_("Unknown questions for this age band: %(codes)s.")
                                 % {"codes": ", ".join(sorted(map(str, given)))}]
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    return band, answers


def development_check_record(*, actor, scope: Scope, person: Person, data: DevelopmentCheckInput,
                             now: dt.datetime | None = None,
                             table: development.ChecklistTable = development.CURRENT) -> DevelopmentCheck:
    """Record one checklist for a child. Re-sending the same client UUID returns the stored check."""
    now = now or timezone.now()
    client_uuid = _parse_uuid(data.client_uuid)
    _require_health(scope, desa_code=person.desa_id, posyandu_id=person.posyandu_id)
    existing = _existing(scope, client_uuid, person)
    if existing is not None:
        return existing
    band, answers = _clean(person, data, today=latest_today(now), table=table)
    check = DevelopmentCheck(
        person=person, posyandu_id=person.posyandu_id, desa_id=person.desa_id, checked_on=data.checked_on,
        age_months=age_in_months(person.birth_date, data.checked_on), band=band.code,
        table_version=table.version, answers=answers, result=development.result_for(answers),
        recorded_by=actor, created_at=now,
    )
    if client_uuid is not None:
        check.client_uuid = client_uuid
    try:
        with transaction.atomic():
            check.save()
            audit_record(actor=actor, action="health.development_check.recorded", obj=check,
                         region_code=check.desa_id,
                         changes={"person": person.pk, "checked_on": check.checked_on, "band": check.band,
                                  "table_version": check.table_version, "result": check.result,
                                  "no": development.no_count(answers)})
    except IntegrityError:
        existing = _existing(scope, client_uuid, person)
        if existing is None:
            raise
        return existing
    return check
