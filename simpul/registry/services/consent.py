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
from simpul.registry.lifestage import age_in_months
from simpul.registry.models import Consent, Person
from simpul.registry.services import validation as v

ADULT_AGE_MONTHS = 18 * 12  # UU 27/2022 art. 25: a child's data needs a parent's or guardian's consent


@transaction.atomic
def consent_record(*, actor, scope: Scope, person: Person, purpose: str, method: str, given_on: dt.date,
                   guardian_name: str = "", guardian_relationship: str = "", now: dt.datetime | None = None) -> Consent:
    now = now or timezone.now()
    if not scope.allows(Perm.REGISTER, desa_code=person.desa_id, posyandu_id=person.posyandu_id):
        raise NotInScope()
    errors: dict[str, list[str]] = {}
    if purpose not in Consent.Purpose.values:
        errors["purpose"] = [_("Choose one of the listed options.")]
    if method not in Consent.Method.values:
        errors["method"] = [_("Choose one of the listed options.")]
    if given_on > latest_today(now):
        errors["given_on"] = [_("This date cannot be in the future.")]
    elif given_on < person.birth_date:
        errors["given_on"] = [_("This date cannot be before the birth date.")]
    name_errors = v.Errors()
    guardian_name = v.clean_name(guardian_name, "guardian_name", name_errors, required=False)
    guardian_relationship = " ".join((guardian_relationship or "").split())
    if len(guardian_relationship) > 40:
        name_errors.add("guardian_relationship", _("This text can be at most %(n)d characters.") % {"n": 40})
    errors.update(name_errors)
    if age_in_months(person.birth_date, given_on) < ADULT_AGE_MONTHS and not guardian_name:
        errors.setdefault("guardian_name", []).append(
            _("For a child, the consent of a parent or guardian is required: enter their name."))
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    consent = Consent.objects.create(
        person=person, purpose=purpose, method=method, given_on=given_on, witness=actor,
        guardian_name=guardian_name, guardian_relationship=guardian_relationship, recorded_at=now,
    )
    audit_record(actor=actor, action="registry.consent.recorded", obj=consent, region_code=person.desa_id,
                 changes={"person": person.pk, "purpose": purpose, "method": method})
    return consent


@transaction.atomic
def consent_withdraw(*, actor, scope: Scope, consent: Consent, withdrawn_on: dt.date, reason: str = "",
                     now: dt.datetime | None = None) -> Consent:
    now = now or timezone.now()
    person = consent.person
    if not scope.allows(Perm.REGISTER, desa_code=person.desa_id, posyandu_id=person.posyandu_id):
        raise NotInScope()
    if consent.withdrawn_on is not None:
        raise DomainError(_("This consent was already withdrawn."))
    if withdrawn_on < consent.given_on or withdrawn_on > latest_today(now):
        raise DomainError(_("The withdrawal date must be between the consent date and today."),
                          field_errors={"withdrawn_on": [_("The withdrawal date must be between the consent date and today.")]})
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_reason = (reason or "").strip()[:255]
    consent.save(update_fields=["withdrawn_on", "withdrawal_reason"])
    audit_record(actor=actor, action="registry.consent.withdrawn", obj=consent, region_code=person.desa_id,
                 changes={"person": person.pk, "purpose": consent.purpose})
    return consent
