"""Recording a need: the kader (or the village office) opens a referral with its documents in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm
from simpul.audit.services import audit_record
from simpul.core.errors import DomainError, NotInScope
from simpul.posyandu.models import Posyandu
from simpul.referrals.models import Category, Referral, Transition
from simpul.referrals.services.attachments import FileInput, check_files, store_files
from simpul.referrals.services.tickets import ticket_issue
from simpul.referrals.states import RECORDERS, Action, State
from simpul.referrals.workdays import add_working_days, holidays_for_span
from simpul.registry.selectors import household_get, person_get
from simpul.registry.services.validation import (
    Errors,
    clean_coordinates,
    clean_name,
    clean_phone,
    clean_rt_rw,
)

DESCRIPTION_MIN, DESCRIPTION_MAX = 10, 2000


@dataclass
class NeedInput:
    category: str
    description: str
    person_id: int | None = None
    household_id: int | None = None
    posyandu_id: int | None = None  # a need about a place: the posyandu whose area it is in
    rt: str = ""
    rw: str = ""
    latitude: Decimal | str | None = None
    longitude: Decimal | str | None = None
    citizen_name: str = ""
    citizen_phone: str = ""
    confidential: bool = False  # may raise the category's default, never lower it
    client_uuid: uuid.UUID | None = None
    files: list[FileInput] = field(default_factory=list)


def local_date(now):
    return timezone.localtime(now).date()


@transaction.atomic
def referral_record(*, actor, scope, data: NeedInput, now=None) -> Referral:
    now = now or timezone.now()
    if data.client_uuid is not None:
        existing = Referral.objects.filter(client_uuid=data.client_uuid).first()
        if existing is not None:
            if existing.reporter_id != actor.pk:
                raise DomainError(_("This record id is already used."), code="conflict")
            return existing  # a retry of the same submission
    errors = Errors()
    category = Category.objects.filter(code=data.category, active=True).first()
    if category is None:
        errors.add("category", _("Choose a category from the list."))
    person = household = None
    # Subject: what the need is about. Reads go through the registry's scoped selectors (404 outside).
    if data.person_id is not None:
        person = person_get(scope, data.person_id)
    if data.household_id is not None:
        household = household_get(scope, data.household_id)
    if person is not None and household is None:
        household = person.household
    elif person is not None and person.household_id != household.pk:
        errors.add("person_id", _("This person is not a member of the chosen household."))
    # Cleaned first: "  " is no RT, so it must not satisfy a place's subject rule.
    given_rt = clean_rt_rw(data.rt, "rt", errors)
    given_rw = clean_rt_rw(data.rw, "rw", errors)
    if category is not None:
        _check_subject(category, person, household, bool(given_rt or given_rw), errors)
    posyandu = _place(scope, person, household, data, errors)
    description = (data.description or "").strip()
    if len(description) < DESCRIPTION_MIN:
        errors.add("description", _("Describe the need in at least %(n)s characters.") % {"n": DESCRIPTION_MIN})
    elif len(description) > DESCRIPTION_MAX:
        errors.add("description", _("The description can be at most %(n)s characters.") % {"n": DESCRIPTION_MAX})
    rt = given_rt or (household.rt if household else "")
    rw = given_rw or (household.rw if household else "")
    latitude, longitude = clean_coordinates(data.latitude, data.longitude, errors)
    citizen_name = clean_name(data.citizen_name, "citizen_name", errors, required=False)
    citizen_phone = clean_phone(data.citizen_phone, errors, "citizen_phone")
    accepted, file_errors = check_files(list(data.files))
    for key, messages in file_errors.items():
        for message in messages:
            errors.add(key, message)
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=dict(errors))
    if not scope.allows(Perm.RECORD_NEED, desa_code=posyandu.desa_id, posyandu_id=posyandu.pk) or not (
        scope.roles & RECORDERS
    ):
        raise NotInScope()

    recorded_on = local_date(now)
    due_on = add_working_days(recorded_on, category.sla_working_days,
                              holidays_for_span(recorded_on, category.sla_working_days))
    referral = Referral.objects.create(
        client_uuid=data.client_uuid or uuid.uuid4(),
        ticket=ticket_issue(field=category.field, desa_code=posyandu.desa_id, on=recorded_on),
        category=category, field=category.field, desa_id=posyandu.desa_id, posyandu=posyandu,
        person=person, household=household, description=description, rt=rt, rw=rw,
        latitude=latitude, longitude=longitude, confidential=category.confidential or bool(data.confidential),
        reporter=actor, citizen_name=citizen_name, citizen_phone=citizen_phone, state=State.RECORDED,
        recorded_at=now, recorded_on=recorded_on, due_on=due_on, stage_started_at=now, stage_started_on=recorded_on,
    )
    Transition.objects.create(referral=referral, action=Action.RECORD, from_state="", to_state=State.RECORDED,
                              actor=actor, at=now)
    store_files(referral=referral, accepted=accepted, actor=actor, now=now)
    audit_record(actor=actor, action="referral.record", obj=referral, region_code=referral.desa_id,
                 changes={"category": category.code, "ticket": referral.ticket})
    _notify_village(referral, now)
    return referral


def _check_subject(category: Category, person, household, has_rt_rw: bool, errors: Errors) -> None:
    subject = category.subject
    if subject == Category.Subject.PERSON and person is None:
        errors.add("person_id", _("This need is about a person: choose the resident."))
    elif subject == Category.Subject.HOUSEHOLD and household is None:
        errors.add("household_id", _("This need is about a household: choose the household."))
    elif subject == Category.Subject.EITHER and person is None and household is None:
        errors.add("household_id", _("Choose the resident or the household this need is about."))
    elif subject == Category.Subject.PLACE and person is None and household is None and not has_rt_rw:
        errors.add("rt", _("Give the RT/RW where this is."))


def _place(scope, person, household, data: NeedInput, errors: Errors) -> Posyandu | None:
    """The posyandu (and so the desa) a referral belongs to: the subject's, or the one named for a place."""
    if household is not None:
        return household.posyandu
    if person is not None:
        return person.posyandu
    if data.posyandu_id is None:
        posyandu_ids = scope.posyandu_ids(Perm.RECORD_NEED)
        if len(posyandu_ids) == 1:
            return Posyandu.objects.get(pk=posyandu_ids[0])
        errors.add("posyandu_id", _("Choose the posyandu whose area this is in."))
        return None
    posyandu = Posyandu.objects.filter(pk=data.posyandu_id).first()
    if posyandu is None or not scope.allows(Perm.RECORD_NEED, desa_code=posyandu.desa_id, posyandu_id=posyandu.pk):
        raise NotInScope()
    return posyandu


def _notify_village(referral: Referral, now) -> None:
    from simpul.referrals.notify import notify_village_new

    notify_village_new(referral, now)
