"""What of a resident a given user may see: one place for masking and field-gated detail.

Pages and the API both build their output here, so a rule (mask the NIK in
lists; show disability only to health and social workers) cannot drift
between them.
"""

from __future__ import annotations

import datetime as dt

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope
from simpul.lib.nik import mask_nik, warning_message
from simpul.registry.lifestage import LABELS, age_label, life_stage
from simpul.registry.models import Person

# Detail that is specific personal data of one field (UU 27/2022): who may see it.
GATED_ATTRIBUTES = {"disability_type": frozenset({"kesehatan", "sosial"})}


def may_see(scope: Scope, person: Person, attribute: str) -> bool:
    needed = GATED_ATTRIBUTES.get(attribute)
    if needed is None:
        return True
    fields = scope.fields_at(desa_code=person.desa_id, posyandu_id=person.posyandu_id, perm=Perm.VIEW_PERSON)
    return bool(fields & needed)


def may_see_full_nik(scope: Scope, person: Person) -> bool:
    # Those who register and correct records need the whole number to check it against the KTP.
    return scope.allows(Perm.REGISTER, desa_code=person.desa_id, posyandu_id=person.posyandu_id)


def person_summary(person: Person, scope: Scope, *, today: dt.date, full: bool = False) -> dict:
    stage = life_stage(person.birth_date, today, life_status=person.life_status)
    nik = person.nik if person.nik_cipher else ""
    show_full = full and may_see_full_nik(scope, person)
    return {
        "id": person.pk,
        "client_uuid": str(person.client_uuid),
        "full_name": person.full_name,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "birth_date_estimated": person.birth_date_estimated,
        "age": age_label(person.birth_date, today),
        "life_stage": stage,
        "life_stage_label": str(LABELS[stage]) if stage else "",
        "nik": nik if show_full else mask_nik(nik),
        "nik_masked": not show_full,
        "nik_status": person.nik_status,
        "nik_warnings": [warning_message(c, nik) for c in person.nik_warnings] if show_full else [],
        "provisional_id": person.provisional_id,
        "relationship": person.relationship,
        "household_id": person.household_id,
        "posyandu_id": person.posyandu_id,
        "desa_code": person.desa_id,
        "phone": person.phone if full else "",
        "mother_name": person.mother_name,
        "education_status": person.education_status,
        "school_name": person.school_name,
        "disability_type": person.disability_type if may_see(scope, person, "disability_type") else None,
        "life_status": person.life_status,
        "life_status_date": person.life_status_date,
        "version": person.version,
    }
