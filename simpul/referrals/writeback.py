"""What a resolved referral changes in the registry, so the SPM engine sees the service delivered.

Each category names one write-back (taxonomy.WriteBack). The agency resolves with
an outcome code: the write-back's own outcome (the service was delivered: write
it back) or ``handled`` (action taken, nothing in the registry changes, e.g. a
house put on next year's list). House, water, sanitation and aid are new
HouseholdCondition observations (history kept); education is the person's status.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.audit.services import audit_record
from simpul.core.errors import DomainError
from simpul.referrals.models import Referral
from simpul.referrals.taxonomy import WriteBack
from simpul.registry.models import HouseholdCondition, Person

HANDLED = "handled"
AID_PROGRAMMES = {
    "pkh": gettext_lazy("PKH (family hope programme)"),
    "bpnt": gettext_lazy("BPNT/Sembako food aid"),
    "pbi_jkn": gettext_lazy("PBI-JKN health insurance"),
    "blt_dd": gettext_lazy("BLT village-fund cash aid"),
    "atensi": gettext_lazy("ATENSI social rehabilitation"),
    "other": gettext_lazy("Other assistance"),
}
# writes_back → (outcome code, label)
OUTCOMES = {
    WriteBack.EDUCATION: ("enrolled", gettext_lazy("Enrolled in school or a programme")),
    WriteBack.HOUSE: ("house_livable", gettext_lazy("House rehabilitated: now livable")),
    WriteBack.RELOCATED: ("relocated", gettext_lazy("Household relocated")),
    WriteBack.WATER: ("water_safe", gettext_lazy("Safe drinking water in place")),
    WriteBack.SANITATION: ("toilet_proper", gettext_lazy("Proper toilet in place")),
    WriteBack.AID: ("aid_granted", gettext_lazy("Assistance granted")),
    WriteBack.SOCIAL_SERVICE: ("basic_needs_served", gettext_lazy("Basic-needs social service given")),
}
ENROLMENT_LEVELS = ("paud", "sd", "smp", "sma", "kesetaraan")


def outcomes_for(referral_or_category) -> list[tuple[str, str]]:
    category = getattr(referral_or_category, "category", referral_or_category)
    options = []
    if category.writes_back in OUTCOMES:
        code, label = OUTCOMES[category.writes_back]
        options.append((code, str(label)))
    options.append((HANDLED, _("Handled (no change to the household record)")))
    return options


def _invalid(field: str, message: str) -> DomainError:
    return DomainError(_("Please correct the marked fields."), field_errors={field: [message]})


def check_outcome(referral: Referral, outcome: str, detail: dict | None) -> None:
    detail = detail or {}
    if outcome not in dict(outcomes_for(referral)):
        raise _invalid("outcome", _("Choose the outcome."))
    if outcome == HANDLED:
        return
    kind = referral.category.writes_back
    if kind == WriteBack.EDUCATION:
        if referral.person_id is None:
            raise _invalid("outcome", _("This referral names no child to enrol."))
        if detail.get("level") not in ENROLMENT_LEVELS:
            raise _invalid("level", _("Choose where the child is now enrolled."))
    elif kind in (WriteBack.HOUSE, WriteBack.RELOCATED, WriteBack.WATER, WriteBack.SANITATION, WriteBack.AID):
        if referral.household_id is None:
            raise _invalid("outcome", _("This referral names no household to update."))
        if kind == WriteBack.WATER and detail.get("water_source") not in HouseholdCondition.SAFE_WATER:
            raise _invalid("water_source", _("Choose the household's new safe water source."))
        if kind == WriteBack.SANITATION and detail.get("sanitation") not in HouseholdCondition.PROPER_SANITATION:
            raise _invalid("sanitation", _("Choose the household's new toilet."))
        if kind == WriteBack.AID and detail.get("programme") not in AID_PROGRAMMES:
            raise _invalid("programme", _("Choose the programme granted."))


def latest_condition(household_id: int) -> HouseholdCondition | None:
    return HouseholdCondition.objects.filter(household_id=household_id).order_by("-observed_on", "-pk").first()


def apply_outcome(*, referral: Referral, outcome: str, detail: dict | None, actor, now) -> None:
    detail = detail or {}
    if outcome == HANDLED:
        return
    kind = referral.category.writes_back
    if kind == WriteBack.EDUCATION:
        person = Person.objects.select_for_update().get(pk=referral.person_id)
        old = person.education_status
        person.education_status = detail["level"]
        person.school_name = str(detail.get("school_name", ""))[:120] or person.school_name
        person.version += 1
        person.updated_at, person.updated_by = now, actor
        person.save(update_fields=["education_status", "school_name", "version", "updated_at", "updated_by"])
        audit_record(actor=actor, action="person.education_from_referral", obj=person, region_code=person.desa_id,
                     changes={"education_status": [old, person.education_status], "referral": referral.ticket})
        return
    if kind == WriteBack.SOCIAL_SERVICE:
        return  # the resolved referral itself is the record of the service (SPM sosial counts it)
    previous = latest_condition(referral.household_id)
    condition = HouseholdCondition(
        household_id=referral.household_id, observed_on=referral.closed_on, source=HouseholdCondition.Source.REFERRAL,
        referral=referral, recorded_by=actor, recorded_at=now, note=referral.ticket,
        house=previous.house if previous else "", water_source=previous.water_source if previous else "",
        sanitation=previous.sanitation if previous else "",
        aid_programmes=list(previous.aid_programmes) if previous else [],
        dtsen_decile=previous.dtsen_decile if previous else None,
    )
    if kind == WriteBack.HOUSE:
        condition.house = HouseholdCondition.House.LIVABLE
    elif kind == WriteBack.RELOCATED:
        condition.house = HouseholdCondition.House.RELOCATED
    elif kind == WriteBack.WATER:
        condition.water_source = detail["water_source"]
    elif kind == WriteBack.SANITATION:
        condition.sanitation = detail["sanitation"]
    elif kind == WriteBack.AID and detail["programme"] not in condition.aid_programmes:
        condition.aid_programmes = [*condition.aid_programmes, detail["programme"]]
    condition.save()
    audit_record(actor=actor, action="household.condition_from_referral", obj=referral.household,
                 region_code=referral.desa_id, changes={"referral": referral.ticket, "outcome": outcome})
