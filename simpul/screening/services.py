"""Writes of screenings: record and correct. Views and the API call only these.

Order in each: transaction → guard (DomainError with per-field messages) → change → audit entry.
Impossible input is refused with a message on the field (BP 300/20, a weight of 1 kg, glucose 900, a
future date, a date before birth, someone no longer living here); nothing is written then. Categories
and flags are computed from the stored (rounded) values with the cut-offs in ``rules``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.scope import Scope
from simpul.audit.services import audit_record
from simpul.core.clock import latest_today
from simpul.core.errors import DomainError, NotInScope
from simpul.core.inputs import parse_client_uuid as _parse_uuid
from simpul.core.inputs import parse_decimal as _decimal
from simpul.health.growth.assessment import growth_assess
from simpul.health.growth.classify import BmiForAge
from simpul.health.selectors import may_record_health
from simpul.registry.lifestage import age_in_months, life_stage
from simpul.registry.models import Person
from simpul.screening import rules
from simpul.screening.models import Screening
from simpul.screening.rules import ScreeningFlag, Smoking

# field -> (lowest, highest), both allowed: outside is a typing or measuring error, never a person.
DECIMAL_LIMITS = {
    "weight_kg": (Decimal("2"), Decimal("300")),
    "height_cm": (Decimal("50"), Decimal("250")),
    "waist_cm": (Decimal("30"), Decimal("250")),
    "haemoglobin_g_dl": (Decimal("2"), Decimal("25")),
}
INTEGER_LIMITS = {
    "systolic": (60, 300),
    "diastolic": (30, 200),
    "glucose_mg_dl": (20, 800),
}
TENTH = Decimal("0.1")
# Every stored input: what a screening may hold.
VALUE_FIELDS = (*DECIMAL_LIMITS, *INTEGER_LIMITS, *rules.BARTHEL_FIELDS)
INPUT_FIELDS = ("screened_on", "weight_kg", "height_cm", "waist_cm", "systolic", "diastolic", "glucose_mg_dl",
                "haemoglobin_g_dl", "smoking", "pregnant", *rules.BARTHEL_FIELDS)


@dataclass
class ScreeningInput:
    screened_on: dt.date | None
    weight_kg: Decimal | float | str | None = None
    height_cm: Decimal | float | str | None = None
    waist_cm: Decimal | float | str | None = None
    systolic: int | float | str | None = None
    diastolic: int | float | str | None = None
    glucose_mg_dl: int | float | str | None = None
    haemoglobin_g_dl: Decimal | float | str | None = None
    smoking: str = Smoking.UNKNOWN
    pregnant: bool = False
    adl: dict[str, int | str | None] = field(default_factory=dict)  # Barthel item -> score
    client_uuid: uuid.UUID | str | None = None


def _limit_message(name: str, low, high) -> str:
    messages = {
        "weight_kg": _("Enter a weight from %(low)s to %(high)s kg."),
        "height_cm": _("Enter a height from %(low)s to %(high)s cm."),
        "waist_cm": _("Enter a waist circumference from %(low)s to %(high)s cm."),
        "haemoglobin_g_dl": _("Enter a haemoglobin from %(low)s to %(high)s g/dL."),
        "systolic": _("Enter a systolic pressure from %(low)s to %(high)s mmHg."),
        "diastolic": _("Enter a diastolic pressure from %(low)s to %(high)s mmHg."),
        "glucose_mg_dl": _("Enter a blood glucose from %(low)s to %(high)s mg/dL."),
    }
    return messages[name] % {"low": low, "high": high}




def _require_record(scope: Scope, person: Person) -> None:
    if not may_record_health(scope, person):
        raise NotInScope()


def _existing(scope: Scope, client_uuid: uuid.UUID | None, person: Person) -> Screening | None:
    if client_uuid is None:
        return None
    existing = Screening.objects.filter(client_uuid=client_uuid).select_related("person").first()
    if existing is None:
        return None
    if existing.person_id != person.pk or not may_record_health(scope, existing.person):
        # Someone else's id, or another person's: never reveal what it is.
        raise DomainError(_("This record id is already in use."), field_errors={"client_uuid": [_("Already in use.")]})
    return existing


def _date_errors(person: Person, screened_on: dt.date | None, *, today: dt.date) -> list[str]:
    if screened_on is None:
        return [_("This field is required.")]
    if screened_on > today:
        return [_("The screening date cannot be in the future.")]
    if screened_on < person.birth_date:
        return [_("The screening date cannot be before the birth date.")]
    if person.life_status != Person.LifeStatus.ALIVE and (
            person.life_status_date is None or screened_on >= person.life_status_date):
        return [_("This resident is no longer recorded as living here on this date.")]
    return []


def _clean(person: Person, data: ScreeningInput, *, today: dt.date) -> dict:
    """Validated model values (without the computed ones); raises DomainError listing every problem."""
    errors: dict[str, list[str]] = {}
    values: dict = {"screened_on": data.screened_on}
    if date_errors := _date_errors(person, data.screened_on, today=today):
        errors["screened_on"] = date_errors
    if person.duplicate_of_id is not None:
        errors["__all__"] = [_("This record was linked to another record of the same person; use the main record.")]
    stage = None
    if "screened_on" not in errors:
        stage = life_stage(person.birth_date, data.screened_on)
        if stage not in rules.SCREENED_STAGES:
            errors.setdefault("__all__", []).append(
                _("Screening is for residents from 10 years of age; weigh younger children on the growth page."))
    allowed = set(rules.fields_for(stage, person.sex)) if stage in rules.SCREENED_STAGES else set(INPUT_FIELDS)
    not_here = _("This is not screened at this age.")

    for name, (low, high) in DECIMAL_LIMITS.items():
        try:
            number = _decimal(getattr(data, name))
        except (InvalidOperation, ValueError, TypeError):
            errors[name] = [_("Enter a number.")]
            continue
        if number is not None and name not in allowed:
            errors[name] = [not_here]
        elif number is not None and not low <= number <= high:
            errors[name] = [_limit_message(name, low, high)]
        else:
            values[name] = None if number is None else number.quantize(TENTH, rounding=ROUND_HALF_UP)
    for name, (low, high) in INTEGER_LIMITS.items():
        try:
            number = _decimal(getattr(data, name))
        except (InvalidOperation, ValueError, TypeError):
            errors[name] = [_("Enter a whole number.")]
            continue
        if number is not None and name not in allowed:
            errors[name] = [not_here]
        elif number is not None and number != number.to_integral_value():
            errors[name] = [_("Enter a whole number.")]
        elif number is not None and not low <= number <= high:
            errors[name] = [_limit_message(name, low, high)]
        else:
            values[name] = None if number is None else int(number)

    systolic, diastolic = values.get("systolic"), values.get("diastolic")
    if "systolic" not in errors and "diastolic" not in errors:
        if (systolic is None) != (diastolic is None):
            missing = "diastolic" if diastolic is None else "systolic"
            errors[missing] = [_("Enter both the systolic and the diastolic pressure.")]
        elif systolic is not None and systolic <= diastolic:
            errors["diastolic"] = [_("The diastolic pressure must be lower than the systolic pressure.")]

    smoking = data.smoking or Smoking.UNKNOWN
    if smoking not in Smoking.values:
        errors["smoking"] = [_("Choose one of the listed options.")]
    elif smoking != Smoking.UNKNOWN and "smoking" not in allowed:
        errors["smoking"] = [not_here]
    values["smoking"] = smoking
    pregnant = bool(data.pregnant)
    if pregnant and "pregnant" not in allowed:
        errors["pregnant"] = [not_here]
    values["pregnant"] = pregnant

    _clean_barthel(data.adl or {}, allowed, values, errors)

    measured = [name for name in VALUE_FIELDS if values.get(name) is not None]
    if not measured and smoking == Smoking.UNKNOWN and not errors:
        errors["__all__"] = [_("Enter at least one result.")]
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    return values


def _clean_barthel(adl: dict, allowed: set[str], values: dict, errors: dict[str, list[str]]) -> None:
    """All ten Barthel items or none; each one of its allowed scores."""
    unknown = set(adl) - set(rules.BARTHEL_FIELDS)
    if unknown:
        errors["__all__"] = [*errors.get("__all__", []), _("Unknown Barthel item.")]
    given = {name: adl.get(name) for name in rules.BARTHEL_FIELDS if adl.get(name) not in (None, "")}
    if given and not set(rules.BARTHEL_FIELDS) <= allowed:
        for name in given:
            errors[name] = [_("The Barthel index is for residents aged 60 and over.")]
        return
    for name, scores in rules.BARTHEL_ITEMS:
        if name not in given:
            values[name] = None
            if given:
                errors[name] = [_("Score every item of the Barthel index, or none.")]
            continue
        raw = given[name]
        try:
            number = _decimal(raw)
        except (InvalidOperation, ValueError, TypeError):
            number = None
        if number is None or number != number.to_integral_value() or int(number) not in scores:
            errors[name] = [_("Choose one of: %(options)s.") % {"options": ", ".join(str(s) for s in scores)}]
            continue
        values[name] = int(number)


def _computed(person: Person, values: dict, *, now: dt.datetime) -> dict:
    """Age, stage, BMI and its category, Hb cut-off, Barthel score and the flags, from validated values."""
    on = values["screened_on"]
    age = age_in_months(person.birth_date, on) // 12
    stage = life_stage(person.birth_date, on)
    weight, height, pregnant = values.get("weight_kg"), values.get("height_cm"), values["pregnant"]
    flags: set[str] = set()
    computed: dict = {"age_years": age, "life_stage": stage, "bmi": rules.bmi(weight, height),
                      "bmi_category": "", "z_bmifa": None, "class_bmifa": ""}
    if computed["bmi"] is not None and not pregnant:
        if stage == "remaja":
            computed.update(_bmi_for_age(person, on, weight, height, now=now, flags=flags))
        else:
            computed["bmi_category"] = rules.adult_bmi_category(computed["bmi"])
            if computed["bmi_category"] == rules.AdultBmi.OBESE:
                flags.add(ScreeningFlag.OBESITY)
    if stage != "remaja" and not pregnant and rules.centrally_obese(values.get("waist_cm"), person.sex):
        flags.add(ScreeningFlag.CENTRAL_OBESITY)
    if rules.hypertensive(values.get("systolic"), values.get("diastolic")):
        flags.add(ScreeningFlag.HYPERTENSION)
    if rules.hyperglycaemic(values.get("glucose_mg_dl")):
        flags.add(ScreeningFlag.HYPERGLYCAEMIA)
    hb = values.get("haemoglobin_g_dl")
    cutoff = rules.anaemia_cutoff(age_years=age, sex=person.sex, pregnant=pregnant) if hb is not None else None
    computed["anaemia_cutoff"] = cutoff
    if rules.anaemic(hb, age_years=age, sex=person.sex, pregnant=pregnant):
        flags.add(ScreeningFlag.ANAEMIA)
    items = [values.get(name) for name in rules.BARTHEL_FIELDS]
    score = None if any(item is None for item in items) else sum(items)
    computed["adl_score"] = score
    computed["adl_category"] = rules.barthel_category(score) or ""
    if rules.functionally_dependent(score):
        flags.add(ScreeningFlag.FUNCTIONAL_DEPENDENCE)
    computed["flags"] = [code for code in rules.FLAG_ORDER if code in flags]
    return computed


def _bmi_for_age(person: Person, on: dt.date, weight, height, *, now: dt.datetime, flags: set[str]) -> dict:
    """WHO 2007 BMI-for-age from the shared growth engine (never recomputed here)."""
    try:
        result = growth_assess(sex=person.sex, birth_date=person.birth_date, measured_on=on,
                               weight_kg=float(weight), length_height_cm=float(height), position="standing", now=now)
    except DomainError:
        return {}  # outside what the growth standards describe: the BMI is kept, without a z
    code = result.classification["bmifa"] or ""
    if code == BmiForAge.OBESE:
        flags.add(ScreeningFlag.OBESITY)
    if "implausible_bmifa" in result.flags:
        flags.add(ScreeningFlag.IMPLAUSIBLE_BMIFA)
    return {"z_bmifa": result.z["bmifa"], "class_bmifa": code}


def _audit_values(screening: Screening) -> dict:
    return {"person": screening.person_id, "screened_on": screening.screened_on,
            **{name: getattr(screening, name) for name in VALUE_FIELDS if getattr(screening, name) is not None},
            "smoking": screening.smoking, "pregnant": screening.pregnant, "flags": ",".join(screening.flags)}



def screening_record(*, actor, scope: Scope, person: Person, data: ScreeningInput,
                     now: dt.datetime | None = None) -> Screening:
    """Record one screening of a person. Re-sending the same client UUID returns the stored record."""
    now = now or timezone.now()
    client_uuid = _parse_uuid(data.client_uuid)
    _require_record(scope, person)
    existing = _existing(scope, client_uuid, person)
    if existing is not None:
        return existing
    values = _clean(person, data, today=latest_today(now))
    screening = Screening(person=person, posyandu_id=person.posyandu_id, desa_id=person.desa_id, recorded_by=actor,
                          created_at=now, **values, **_computed(person, values, now=now))
    if client_uuid is not None:
        screening.client_uuid = client_uuid
    try:
        with transaction.atomic():
            screening.save()
            audit_record(actor=actor, action="screening.screening.recorded", obj=screening,
                         region_code=screening.desa_id, changes=_audit_values(screening))
    except IntegrityError:
        # The same client UUID arrived twice at once: the first one won; answer with it.
        existing = _existing(scope, client_uuid, person)
        if existing is None:
            raise
        return existing
    return screening


@transaction.atomic
def screening_correct(*, actor, scope: Scope, screening: Screening, data: ScreeningInput, reason: str,
                      now: dt.datetime | None = None) -> Screening:
    """Replace a wrong screening by a new one (kept with the reason); the old one stays as history."""
    now = now or timezone.now()
    old = Screening.objects.select_for_update().select_related("person").get(pk=screening.pk)
    person = old.person
    _require_record(scope, person)
    client_uuid = _parse_uuid(data.client_uuid)
    existing = _existing(scope, client_uuid, person)
    if existing is not None:
        return existing
    if old.superseded_by_id is not None:
        raise DomainError(_("This screening was already corrected. Correct the newest version instead."),
                          code="conflict")
    reason = " ".join((reason or "").split())[:255]
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Say why the screening is corrected.")]
    try:
        values = _clean(person, data, today=latest_today(now))
    except DomainError as exc:
        raise DomainError(exc.message, field_errors={**exc.field_errors, **errors}) from exc
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    new = Screening(person=person, posyandu_id=old.posyandu_id, desa_id=old.desa_id, recorded_by=actor,
                    created_at=now, correction_reason=reason, **values, **_computed(person, values, now=now))
    if client_uuid is not None:
        new.client_uuid = client_uuid
    new.save()
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    changes = {name: (getattr(old, name), getattr(new, name)) for name in INPUT_FIELDS
               if getattr(old, name) != getattr(new, name)}
    audit_record(actor=actor, action="screening.screening.corrected", obj=new, region_code=new.desa_id,
                 changes={"supersedes": old.pk, "reason": reason, **changes})
    return new
