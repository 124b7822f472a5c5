"""Writes of pregnancies and their visits: register, close, ANC visit (record, correct), nifas visit.

Order in each: guard (DomainError with per-field messages in Bahasa) → change → audit entry, inside one
transaction. Impossible input is refused with nothing written: a weight of 300 kg, LiLA of 5 cm, a blood
pressure of 300/20, an HPHT in the future or a year ago, a visit before HPHT, a man or a girl of eight.

Who may write: a user holding the kesehatan field with ``Perm.RECORD_HEALTH`` at the woman's place (the
kesehatan kader of her posyandu, the bidan of the area). Every write takes an optional client UUID: the
same UUID sent again returns the stored record, so an offline resend never doubles a visit.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from simpul.accounts.scope import Scope
from simpul.audit.services import audit_record
from simpul.core.choices import Sex
from simpul.core.clock import latest_today
from simpul.core.errors import DomainError, NotInScope
from simpul.core.inputs import parse_client_uuid as _parse_uuid
from simpul.core.inputs import parse_decimal as _decimal
from simpul.health.selectors import may_record_health, may_see_health
from simpul.maternal import rules
from simpul.maternal.models import AncVisit, NifasVisit, Pregnancy
from simpul.maternal.rules import Examiner
from simpul.registry.models import Person

# Impossible values (typing slips), not clinical thresholds: (low, high) inclusive unless noted.
WEIGHT_KG = (Decimal("25"), Decimal("200"))  # above 25, at most 200
LILA_CM = (Decimal("10"), Decimal("50"))
SYSTOLIC = (60, 260)
DIASTOLIC = (30, 160)
GRAVIDA_MAX = 20
IRON_TABLETS_MAX = 120
NOTE_MAX = 2000
REASON_MAX = 255



def _date(value: dt.date) -> str:
    return formats.date_format(value, "j F Y")


def _invalid(errors: dict[str, list[str]]) -> DomainError:
    return DomainError(_("Please correct the marked fields."), field_errors=errors)




def _replayed(model: type[models.Model], client_uuid: uuid.UUID | None, scope: Scope, *, owner_id: int,
              owner_field: str):
    """The stored record of a resent client UUID; someone else's UUID is refused without saying whose."""
    if client_uuid is None:
        return None
    existing = model.objects.select_related("person").filter(client_uuid=client_uuid).first()
    if existing is None:
        return None
    if not may_see_health(scope, existing.person) or getattr(existing, owner_field) != owner_id:
        raise _invalid({"client_uuid": [_("This record id is already in use.")]})
    return existing


def _require_record(scope: Scope, person: Person) -> None:
    if not may_record_health(scope, person):
        raise NotInScope()




def _integer(value) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise ValueError
        return int(value)
    if isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            raise ValueError
        return int(value)
    return int(str(value).strip())


def _text(value, limit: int, name: str, errors: dict) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        errors[name] = [_("Too long: at most %(max)s.") % {"max": limit}]
    return text


def _codes(values, choices: type[models.TextChoices], name: str, errors: dict) -> list[str]:
    codes = set(values or [])
    if any(code not in choices.values for code in codes):
        errors[name] = [_("Choose one of the listed options.")]
        return []
    return [code for code in choices.values if code in codes]  # each once, in the order of the list


def _examiner(value, errors: dict) -> str:
    if value not in Examiner.values:
        errors["examiner"] = [_("Choose who examined the mother.")]
    return value


def _blood_pressure(systolic, diastolic, errors: dict) -> tuple[int | None, int | None]:
    values: dict[str, int | None] = {}
    for name, raw, (low, high), message in (
        ("systolic", systolic, SYSTOLIC, _("Enter a systolic pressure from %(low)s to %(high)s mmHg.")),
        ("diastolic", diastolic, DIASTOLIC, _("Enter a diastolic pressure from %(low)s to %(high)s mmHg.")),
    ):
        try:
            number = _integer(raw)
        except (ValueError, TypeError):
            errors[name] = [_("Enter a whole number.")]
            continue
        if number is not None and not low <= number <= high:
            errors[name] = [message % {"low": low, "high": high}]
            continue
        values[name] = number
    if "systolic" in errors or "diastolic" in errors:
        return None, None
    sys_, dia = values.get("systolic"), values.get("diastolic")
    if (sys_ is None) != (dia is None):
        missing = "diastolic" if dia is None else "systolic"
        errors[missing] = [_("Enter both numbers of the blood pressure, or neither.")]
    elif sys_ is not None and sys_ <= dia:
        errors["systolic"] = [_("The systolic pressure must be higher than the diastolic.")]
    return sys_, dia


def _age_years(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _living_here_on(person: Person, on: dt.date) -> bool:
    return person.life_status == Person.LifeStatus.ALIVE or (
        person.life_status_date is not None and on < person.life_status_date)


# --- Pregnancy -----------------------------------------------------------------------------------


@dataclass
class PregnancyInput:
    registered_on: dt.date | None
    hpht: dt.date | None = None  # known first day of the last period
    estimated_weeks: int | str | None = None  # when HPHT is unknown: gestational age in weeks today
    gravida: int | str | None = None
    para: int | str | None = 0
    abortus: int | str | None = 0
    client_uuid: uuid.UUID | str | None = None


def _clean_pregnancy(person: Person, data: PregnancyInput, *, today: dt.date) -> dict:
    errors: dict[str, list[str]] = {}
    if person.sex != Sex.FEMALE:
        errors["__all__"] = [_("A pregnancy can only be recorded for a woman.")]
    if person.duplicate_of_id is not None:
        errors["__all__"] = [_("This record was linked to another record of the same person; use the main record.")]
    registered_on = data.registered_on
    if registered_on is None:
        errors["registered_on"] = [_("This field is required.")]
    elif registered_on > today:
        errors["registered_on"] = [_("The date cannot be in the future.")]
    elif not _living_here_on(person, registered_on):
        errors["registered_on"] = [_("This resident is no longer recorded as living here on this date.")]

    hpht, source, weeks = data.hpht, Pregnancy.HphtSource.LMP, None
    if hpht is None:
        try:
            weeks = _integer(data.estimated_weeks)
        except (ValueError, TypeError):
            errors["estimated_weeks"] = [_("Enter a whole number.")]
        else:
            if weeks is None:
                errors["hpht"] = [_("Enter the first day of the last period (HPHT), or the estimated weeks of "
                                    "pregnancy if she does not know it.")]
            elif not 1 <= weeks <= rules.MAX_GESTATION_DAYS // 7:
                errors["estimated_weeks"] = [_("Enter a number of weeks from %(low)s to %(high)s.") % {
                    "low": 1, "high": rules.MAX_GESTATION_DAYS // 7}]
            elif registered_on is not None:
                hpht, source = rules.hpht_from_weeks(registered_on, weeks), Pregnancy.HphtSource.ESTIMATED
    if hpht is not None and registered_on is not None and "registered_on" not in errors:
        field_name = "hpht" if source == Pregnancy.HphtSource.LMP else "estimated_weeks"
        if hpht > registered_on:
            errors[field_name] = [_("HPHT cannot be after the date of this record.")]
        elif (registered_on - hpht).days > rules.MAX_GESTATION_DAYS:
            errors[field_name] = [_("HPHT cannot be more than %(weeks)s weeks before the date of this record.") % {
                "weeks": rules.MAX_GESTATION_DAYS // 7}]
        elif hpht < person.birth_date or not (
                rules.MOTHER_MIN_AGE <= _age_years(person.birth_date, hpht) <= rules.MOTHER_MAX_AGE):
            errors[field_name] = [_("At HPHT she would be outside the age of %(low)s to %(high)s years: check the "
                                    "dates and the birth date.") % {"low": rules.MOTHER_MIN_AGE,
                                                                     "high": rules.MOTHER_MAX_AGE}]

    counts: dict[str, int] = {}
    for name in ("gravida", "para", "abortus"):
        try:
            number = _integer(getattr(data, name))
        except (ValueError, TypeError):
            errors[name] = [_("Enter a whole number.")]
            continue
        if number is None:
            errors[name] = [_("This field is required.")]
        elif number < 0 or number > GRAVIDA_MAX:
            errors[name] = [_("Enter a number from %(low)s to %(high)s.") % {"low": 0, "high": GRAVIDA_MAX}]
        else:
            counts[name] = number
    if "gravida" in counts and counts["gravida"] < 1:
        errors["gravida"] = [_("Gravida counts this pregnancy too, so it is at least 1.")]
    elif len(counts) == 3 and counts["para"] + counts["abortus"] > counts["gravida"] - 1:
        errors["para"] = [_("Para and abortus together can be at most gravida minus one (%(max)s): this "
                            "pregnancy is not finished yet.") % {"max": counts["gravida"] - 1}]
    if errors:
        raise _invalid(errors)
    return {"registered_on": registered_on, "hpht": hpht, "hpht_source": source, "estimated_weeks": weeks,
            "hpl": rules.hpl_from_hpht(hpht), **counts}


def _ongoing_message(existing: Pregnancy) -> DomainError:
    message = _("She already has an ongoing pregnancy (HPHT %(date)s). Record how it ended before registering a "
                "new one.") % {"date": _date(existing.hpht)}
    return DomainError(message, field_errors={"__all__": [message]}, code="conflict")


def pregnancy_register(*, actor, scope: Scope, person: Person, data: PregnancyInput,
                       now: dt.datetime | None = None) -> Pregnancy:
    """Record a new pregnancy of a woman. Re-sending the same client UUID returns the stored record."""
    now = now or timezone.now()
    client_uuid = _parse_uuid(data.client_uuid)
    _require_record(scope, person)
    existing = _replayed(Pregnancy, client_uuid, scope, owner_id=person.pk, owner_field="person_id")
    if existing is not None:
        return existing
    values = _clean_pregnancy(person, data, today=latest_today(now))
    try:
        with transaction.atomic():
            person = Person.objects.select_for_update().get(pk=person.pk)
            ongoing = Pregnancy.objects.filter(person=person, status=Pregnancy.Status.ONGOING).first()
            if ongoing is not None:
                raise _ongoing_message(ongoing)
            overlapping = Pregnancy.objects.filter(person=person).exclude(status=Pregnancy.Status.ONGOING).filter(
                models.Q(delivered_on__gte=values["hpht"]) | models.Q(ended_on__gte=values["hpht"])).first()
            if overlapping is not None:
                message = _("HPHT cannot be before the end of her previous pregnancy (%(date)s).") % {
                    "date": _date(overlapping.closed_on)}
                field_name = "hpht" if values["hpht_source"] == Pregnancy.HphtSource.LMP else "estimated_weeks"
                raise _invalid({field_name: [message]})
            pregnancy = Pregnancy.objects.create(
                client_uuid=client_uuid or uuid.uuid4(), person=person, posyandu_id=person.posyandu_id,
                desa_id=person.desa_id, recorded_by=actor, created_at=now, updated_at=now, **values)
            audit_record(actor=actor, action="maternal.pregnancy.registered", obj=pregnancy,
                         region_code=pregnancy.desa_id,
                         changes={"person": person.pk, "hpht": pregnancy.hpht, "hpht_source": pregnancy.hpht_source,
                                  "hpl": pregnancy.hpl, "gpa": pregnancy.obstetric_formula})
    except IntegrityError:
        # A concurrent request won: the same UUID returns it, another ongoing pregnancy is refused.
        replay = _replayed(Pregnancy, client_uuid, scope, owner_id=person.pk, owner_field="person_id")
        if replay is not None:
            return replay
        ongoing = Pregnancy.objects.filter(person=person, status=Pregnancy.Status.ONGOING).first()
        if ongoing is not None:
            raise _ongoing_message(ongoing) from None
        raise
    return pregnancy


@transaction.atomic
def pregnancy_close(*, actor, scope: Scope, pregnancy: Pregnancy, status: str, on: dt.date | None,
                    note: str = "", now: dt.datetime | None = None) -> Pregnancy:
    """Record how a pregnancy ended: ``delivered`` (birth from 20 weeks) or ``ended`` (before, or otherwise)."""
    now = now or timezone.now()
    pregnancy = Pregnancy.objects.select_for_update().select_related("person").get(pk=pregnancy.pk)
    _require_record(scope, pregnancy.person)
    if pregnancy.status == status and pregnancy.closed_on == on:
        return pregnancy  # the same close sent again
    if status not in Pregnancy.TRANSITIONS.get(pregnancy.status, set()):
        if pregnancy.status != Pregnancy.Status.ONGOING:
            raise DomainError(_("This pregnancy was already closed on %(date)s.") % {
                "date": _date(pregnancy.closed_on)}, code="conflict")
        raise _invalid({"status": [_("Choose delivered or ended.")]})
    errors: dict[str, list[str]] = {}
    note = _text(note, REASON_MAX, "outcome_note", errors)
    if on is None:
        errors["on"] = [_("This field is required.")]
    elif on > latest_today(now):
        errors["on"] = [_("The date cannot be in the future.")]
    elif on < pregnancy.hpht:
        errors["on"] = [_("The date cannot be before HPHT (%(date)s).") % {"date": _date(pregnancy.hpht)}]
    elif on < pregnancy.registered_on:
        errors["on"] = [_("The date cannot be before the pregnancy was recorded (%(date)s).") % {
            "date": _date(pregnancy.registered_on)}]
    elif (on - pregnancy.hpht).days > rules.MAX_GESTATION_DAYS:
        errors["on"] = [_("The date cannot be more than %(weeks)s weeks after HPHT.") % {
            "weeks": rules.MAX_GESTATION_DAYS // 7}]
    elif status == Pregnancy.Status.DELIVERED and (on - pregnancy.hpht).days < rules.DELIVERY_FROM_DAYS:
        errors["on"] = [_("Before %(weeks)s weeks of pregnancy this is not a delivery: record it as ended.") % {
            "weeks": rules.DELIVERY_FROM_DAYS // 7}]
    else:
        last = pregnancy.anc_visits.filter(superseded_by__isnull=True).order_by("-visited_on").first()
        if last is not None and on < last.visited_on:
            errors["on"] = [_("The date cannot be before the last antenatal visit (%(date)s).") % {
                "date": _date(last.visited_on)}]
    if errors:
        raise _invalid(errors)
    old_status = pregnancy.status
    pregnancy.status = status
    if status == Pregnancy.Status.DELIVERED:
        pregnancy.delivered_on = on
    else:
        pregnancy.ended_on = on
    pregnancy.outcome_note = note
    pregnancy.updated_at = now
    pregnancy.save(update_fields=["status", "delivered_on", "ended_on", "outcome_note", "updated_at"])
    audit_record(actor=actor, action=f"maternal.pregnancy.{status}", obj=pregnancy, region_code=pregnancy.desa_id,
                 changes={"status": (old_status, status), "on": on, "outcome_note": note})
    return pregnancy


# --- ANC visit -----------------------------------------------------------------------------------


@dataclass
class AncVisitInput:
    visited_on: dt.date | None
    examiner: str = Examiner.KADER
    weight_kg: Decimal | float | str | None = None
    muac_cm: Decimal | float | str | None = None
    systolic: int | str | None = None
    diastolic: int | str | None = None
    iron_tablets: int | str | None = 0
    pmt_given: bool = False
    tb_symptoms: bool = False
    referred: bool = False
    danger_signs: list[str] = field(default_factory=list)
    notes: str = ""
    client_uuid: uuid.UUID | str | None = None


ANC_VALUE_FIELDS = ("weight_kg", "muac_cm", "systolic", "diastolic")


def _clean_anc(pregnancy: Pregnancy, data: AncVisitInput, *, today: dt.date) -> dict:
    errors: dict[str, list[str]] = {}
    person = pregnancy.person
    visited_on = data.visited_on
    if visited_on is None:
        errors["visited_on"] = [_("This field is required.")]
    elif visited_on > today:
        errors["visited_on"] = [_("The visit date cannot be in the future.")]
    elif visited_on < pregnancy.hpht:
        errors["visited_on"] = [_("The visit cannot be before HPHT (%(date)s).") % {"date": _date(pregnancy.hpht)}]
    elif (visited_on - pregnancy.hpht).days > rules.MAX_GESTATION_DAYS:
        errors["visited_on"] = [_("The visit cannot be more than %(weeks)s weeks after HPHT (%(date)s): check "
                                  "the dates.") % {"weeks": rules.MAX_GESTATION_DAYS // 7,
                                                   "date": _date(pregnancy.hpht)}]
    elif pregnancy.closed_on is not None and visited_on > pregnancy.closed_on:
        errors["visited_on"] = [_("The pregnancy ended on %(date)s: an antenatal visit cannot be after that.") % {
            "date": _date(pregnancy.closed_on)}]
    elif not _living_here_on(person, visited_on):
        errors["visited_on"] = [_("This resident is no longer recorded as living here on this date.")]
    examiner = _examiner(data.examiner, errors)

    values: dict = {}
    for name, (low, high), place, message in (
        ("weight_kg", WEIGHT_KG, Decimal("0.01"), _("Enter a weight above %(low)s and at most %(high)s kg.")),
        ("muac_cm", LILA_CM, Decimal("0.1"), _("Enter a LiLA from %(low)s to %(high)s cm.")),
    ):
        try:
            number = _decimal(getattr(data, name))
        except (InvalidOperation, ValueError, TypeError):
            errors[name] = [_("Enter a number.")]
            continue
        if number is not None:
            ok = low < number <= high if name == "weight_kg" else low <= number <= high
            if not ok:
                errors[name] = [message % {"low": low, "high": high}]
                continue
            number = number.quantize(place, rounding=ROUND_HALF_UP)
        values[name] = number
    values["systolic"], values["diastolic"] = _blood_pressure(data.systolic, data.diastolic, errors)
    try:
        tablets = _integer(data.iron_tablets) or 0
    except (ValueError, TypeError):
        errors["iron_tablets"] = [_("Enter a whole number.")]
        tablets = 0
    if not 0 <= tablets <= IRON_TABLETS_MAX:
        errors["iron_tablets"] = [_("Enter a number from %(low)s to %(high)s.") % {"low": 0, "high": IRON_TABLETS_MAX}]
    signs = _codes(data.danger_signs, AncVisit.DangerSign, "danger_signs", errors)
    notes = _text(data.notes, NOTE_MAX, "notes", errors)
    if errors:
        raise _invalid(errors)
    days = (visited_on - pregnancy.hpht).days
    return {"visited_on": visited_on, "examiner": examiner, "gestational_days": days,
            "trimester": rules.trimester_of(days), **values, "iron_tablets": tablets,
            "pmt_given": bool(data.pmt_given), "tb_symptoms": bool(data.tb_symptoms), "referred": bool(data.referred),
            "danger_signs": signs, "notes": notes}


def _anc_audit(visit: AncVisit) -> dict:
    return {"pregnancy": visit.pregnancy_id, "visited_on": visit.visited_on, "examiner": visit.examiner,
            **{name: getattr(visit, name) for name in ANC_VALUE_FIELDS if getattr(visit, name) is not None},
            "iron_tablets": visit.iron_tablets, "danger_signs": ",".join(visit.danger_signs)}


def anc_visit_record(*, actor, scope: Scope, pregnancy: Pregnancy, data: AncVisitInput,
                     now: dt.datetime | None = None) -> AncVisit:
    """Record one antenatal examination. Re-sending the same client UUID returns the stored visit."""
    now = now or timezone.now()
    client_uuid = _parse_uuid(data.client_uuid)
    person = pregnancy.person
    _require_record(scope, person)
    existing = _replayed(AncVisit, client_uuid, scope, owner_id=pregnancy.pk, owner_field="pregnancy_id")
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            pregnancy = Pregnancy.objects.select_for_update().select_related("person").get(pk=pregnancy.pk)
            values = _clean_anc(pregnancy, data, today=latest_today(now))
            visit = AncVisit.objects.create(
                client_uuid=client_uuid or uuid.uuid4(), pregnancy=pregnancy, person=pregnancy.person,
                posyandu_id=pregnancy.person.posyandu_id, desa_id=pregnancy.person.desa_id, recorded_by=actor,
                created_at=now, **values)
            audit_record(actor=actor, action="maternal.anc_visit.recorded", obj=visit, region_code=visit.desa_id,
                         changes=_anc_audit(visit))
    except IntegrityError:
        replay = _replayed(AncVisit, client_uuid, scope, owner_id=pregnancy.pk, owner_field="pregnancy_id")
        if replay is None:
            raise
        return replay
    return visit


@transaction.atomic
def anc_visit_correct(*, actor, scope: Scope, visit: AncVisit, data: AncVisitInput, reason: str,
                      now: dt.datetime | None = None) -> AncVisit:
    """Replace a wrong visit by a new one (kept with the reason); the old one stays as history."""
    now = now or timezone.now()
    old = AncVisit.objects.select_for_update().select_related("pregnancy__person").get(pk=visit.pk)
    pregnancy = old.pregnancy
    _require_record(scope, pregnancy.person)
    client_uuid = _parse_uuid(data.client_uuid)
    existing = _replayed(AncVisit, client_uuid, scope, owner_id=pregnancy.pk, owner_field="pregnancy_id")
    if existing is not None:
        return existing
    if old.superseded_by_id is not None:
        raise DomainError(_("This visit was already corrected. Correct the newest version instead."), code="conflict")
    reason = " ".join((reason or "").split())
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Say why the visit is corrected.")]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [_("Too long: at most %(max)s.") % {"max": REASON_MAX}]
    try:
        values = _clean_anc(pregnancy, data, today=latest_today(now))
    except DomainError as exc:
        raise _invalid({**exc.field_errors, **errors}) from exc
    if errors:
        raise _invalid(errors)
    new = AncVisit.objects.create(
        client_uuid=client_uuid or uuid.uuid4(), pregnancy=pregnancy, person=pregnancy.person,
        posyandu_id=old.posyandu_id, desa_id=old.desa_id, recorded_by=actor, created_at=now,
        correction_reason=reason, **values)
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    changes = {name: (getattr(old, name), getattr(new, name))
               for name in ("visited_on", "examiner", *ANC_VALUE_FIELDS, "iron_tablets", "danger_signs")
               if getattr(old, name) != getattr(new, name)}
    audit_record(actor=actor, action="maternal.anc_visit.corrected", obj=new, region_code=new.desa_id,
                 changes={"supersedes": old.pk, "reason": reason, **changes})
    return new


# --- Nifas visit ---------------------------------------------------------------------------------


@dataclass
class NifasVisitInput:
    visited_on: dt.date | None
    examiner: str = Examiner.KADER
    systolic: int | str | None = None
    diastolic: int | str | None = None
    vitamin_a: bool = False
    kb_method: str = NifasVisit.KbMethod.NONE
    danger_signs: list[str] = field(default_factory=list)
    notes: str = ""
    client_uuid: uuid.UUID | str | None = None


def _clean_nifas(pregnancy: Pregnancy, data: NifasVisitInput, *, today: dt.date) -> dict:
    errors: dict[str, list[str]] = {}
    if pregnancy.status != Pregnancy.Status.DELIVERED:
        message = _("Record the delivery first: nifas visits follow a birth.")
        raise DomainError(message, field_errors={"__all__": [message]}, code="conflict")
    visited_on = data.visited_on
    if visited_on is None:
        errors["visited_on"] = [_("This field is required.")]
    elif visited_on > today:
        errors["visited_on"] = [_("The visit date cannot be in the future.")]
    elif not 0 <= (visited_on - pregnancy.delivered_on).days <= rules.NIFAS_DAYS:
        errors["visited_on"] = [_("A nifas visit is from the day of birth (%(date)s) to %(days)s days after it.") % {
            "date": _date(pregnancy.delivered_on), "days": rules.NIFAS_DAYS}]
    elif not _living_here_on(pregnancy.person, visited_on):
        errors["visited_on"] = [_("This resident is no longer recorded as living here on this date.")]
    examiner = _examiner(data.examiner, errors)
    systolic, diastolic = _blood_pressure(data.systolic, data.diastolic, errors)
    if data.kb_method not in NifasVisit.KbMethod.values:
        errors["kb_method"] = [_("Choose one of the listed options.")]
    signs = _codes(data.danger_signs, NifasVisit.DangerSign, "danger_signs", errors)
    notes = _text(data.notes, NOTE_MAX, "notes", errors)
    if errors:
        raise _invalid(errors)
    return {"visited_on": visited_on, "days_after_delivery": (visited_on - pregnancy.delivered_on).days,
            "examiner": examiner, "systolic": systolic, "diastolic": diastolic, "vitamin_a": bool(data.vitamin_a),
            "kb_method": data.kb_method, "danger_signs": signs, "notes": notes}


def nifas_visit_record(*, actor, scope: Scope, pregnancy: Pregnancy, data: NifasVisitInput,
                       now: dt.datetime | None = None) -> NifasVisit:
    """Record a visit in the 42 days after birth. Re-sending the same client UUID returns the stored visit."""
    now = now or timezone.now()
    client_uuid = _parse_uuid(data.client_uuid)
    _require_record(scope, pregnancy.person)
    existing = _replayed(NifasVisit, client_uuid, scope, owner_id=pregnancy.pk, owner_field="pregnancy_id")
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            pregnancy = Pregnancy.objects.select_for_update().select_related("person").get(pk=pregnancy.pk)
            values = _clean_nifas(pregnancy, data, today=latest_today(now))
            visit = NifasVisit.objects.create(
                client_uuid=client_uuid or uuid.uuid4(), pregnancy=pregnancy, person=pregnancy.person,
                posyandu_id=pregnancy.person.posyandu_id, desa_id=pregnancy.person.desa_id, recorded_by=actor,
                created_at=now, **values)
            audit_record(actor=actor, action="maternal.nifas_visit.recorded", obj=visit, region_code=visit.desa_id,
                         changes={"pregnancy": pregnancy.pk, "visited_on": visit.visited_on,
                                  "days_after_delivery": visit.days_after_delivery, "vitamin_a": visit.vitamin_a,
                                  "kb_method": visit.kb_method, "danger_signs": ",".join(visit.danger_signs)})
    except IntegrityError:
        replay = _replayed(NifasVisit, client_uuid, scope, owner_id=pregnancy.pk, owner_field="pregnancy_id")
        if replay is None:
            raise
        return replay
    return visit
