"""The household's income-earner situation (issue 7): recorded as a new household condition observation.

A condition observation carries the full picture (registry.HouseholdCondition), so the unchanged parts of the
previous observation are copied and only ``earners`` is new. The kader asks it at a home visit or a programme's
registration; the early-warning rule ``only_earner_unable`` and the target groups ``earner_unable`` /
``single_earner`` read it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope, require_scope
from simpul.audit.services import audit_record
from simpul.core.errors import DomainError, NotInScope
from simpul.registry.models import Household, HouseholdCondition

SURVEY = {
    "house": HouseholdCondition.House,
    "water_source": HouseholdCondition.Water,
    "sanitation": HouseholdCondition.Sanitation,
}


def latest_earners(household_id: int, on: dt.date | None = None) -> HouseholdCondition | None:
    rows = HouseholdCondition.objects.filter(household_id=household_id).exclude(earners="")
    if on is not None:
        rows = rows.filter(observed_on__lte=on)
    return rows.order_by("-observed_on", "-pk").first()


@transaction.atomic
def household_earners_record(
    *,
    actor,
    scope: Scope | None,
    household: Household,
    earners: str,
    observed_on: dt.date,
    note: str = "",
    survey: dict | None = None,
    now: dt.datetime | None = None,
    today: dt.date | None = None,
) -> HouseholdCondition:
    """Record who earns the income. A household never surveyed needs house, water and sanitation with it:
    an observation with those blank would read as "unsafe water" to the SPM, not as "not asked"."""
    scope = require_scope(scope)
    now = now or timezone.now()
    today = today or timezone.localdate()
    if not scope.allows(Perm.REGISTER, desa_code=household.desa_id, posyandu_id=household.posyandu_id):
        raise NotInScope()
    errors = {}
    if earners not in HouseholdCondition.Earners.values:
        errors["earners"] = [_("Choose who earns the household's income.")]
    if observed_on is None or observed_on > today:
        errors["observed_on"] = [_("The date must not be in the future.")]
    Household.objects.select_for_update().filter(
        pk=household.pk
    ).first()  # one writer per household at a time
    previous = (
        HouseholdCondition.objects.filter(household=household, observed_on__lte=observed_on)
        .order_by("-observed_on", "-pk")
        .first()
    )
    survey = {key: value for key, value in (survey or {}).items() if value}
    if previous is None:
        for key, choices in SURVEY.items():
            if survey.get(key) not in choices.values:
                errors[key] = [_("This household was never surveyed: record this too.")]
    if errors:
        raise DomainError(_("The income-earner situation could not be saved."), field_errors=errors)
    if previous is not None:
        survey = {
            "house": previous.house,
            "water_source": previous.water_source,
            "sanitation": previous.sanitation,
        }
    old = latest_earners(household.pk)
    condition = HouseholdCondition.objects.create(
        household=household,
        observed_on=observed_on,
        source=HouseholdCondition.Source.SURVEY,
        house=survey["house"],
        water_source=survey["water_source"],
        sanitation=survey["sanitation"],
        aid_programmes=list(previous.aid_programmes) if previous else [],
        dtsen_decile=previous.dtsen_decile if previous else None,
        earners=earners,
        note=note.strip()[:255],
        recorded_by=actor,
        recorded_at=now,
    )
    audit_record(
        actor=actor,
        action="registry.household.earners_recorded",
        obj=household,
        region_code=household.desa_id,
        changes={"earners": [old.earners if old else "", earners]},
    )
    return condition
