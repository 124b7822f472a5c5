"""Writes for programmes: create/update a programme, record an activity, its attendance and follow-ups.

Each service: atomic → guard (DomainError, Bahasa via gettext) → change → audit entry. No notification yet:
nobody is waiting for a programme record (the early-warning rule reads the registry, not these tables).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.scope import Scope, require_scope
from simpul.audit.services import audit_record
from simpul.core.choices import SpmField
from simpul.core.clock import latest_today
from simpul.core.errors import DomainError, NotInScope
from simpul.posyandu.models import Posyandu
from simpul.programmes import access, eligibility
from simpul.programmes.models import FollowUp, Participation, Programme, ProgrammeActivity
from simpul.regions.models import Region
from simpul.registry.models import Person


class ProgrammeError(DomainError):
    pass


@dataclass
class ProgrammeInput:
    owner_kind: str
    region_code: str
    field: str
    name: str
    kind: str
    start_date: dt.date
    posyandu_id: int | None = None
    agency_id: int | None = None
    organiser: str = ""
    description: str = ""
    skill: str = ""
    target_rule: str = ""
    target_params: dict | None = None
    end_date: dt.date | None = None
    status: str = Programme.Status.ACTIVE


def _clean(scope: Scope, data: ProgrammeInput) -> tuple[dict, Posyandu | None]:
    errors: dict[str, list[str]] = {}
    if data.owner_kind not in Programme.OwnerKind.values:
        errors["owner_kind"] = [_("Choose who runs the programme.")]
    if data.field not in SpmField.values:
        errors["field"] = [_("Choose one of the six SPM fields.")]
    if data.kind not in Programme.Kind.values:
        errors["kind"] = [_("Choose the kind of programme.")]
    if data.status not in Programme.Status.values:
        errors["status"] = [_("Choose a status.")]
    if not (data.name or "").strip():
        errors["name"] = [_("Give the programme a name.")]
    if data.end_date and data.start_date and data.end_date < data.start_date:
        errors["end_date"] = [_("The end date must not be before the start date.")]
    if data.kind == Programme.Kind.EMPOWERMENT_TRAINING and not (data.skill or "").strip():
        errors["skill"] = [_("Say which skill the training teaches.")]
    params = {}
    if data.target_rule:
        params, rule_errors = eligibility.clean_params(data.target_rule, data.target_params or {})
        errors |= {
            key if key == "target_rule" else "target_params": msgs for key, msgs in rule_errors.items()
        }
    posyandu = None
    if data.owner_kind == Programme.OwnerKind.POSYANDU:
        posyandu = Posyandu.objects.filter(pk=data.posyandu_id).first() if data.posyandu_id else None
        if posyandu is None:
            errors["posyandu_id"] = [_("Choose the posyandu that runs the programme.")]
    region = data.region_code if posyandu is None else posyandu.desa_id
    if posyandu is None and not Region.objects.filter(code=region or "").exists():
        errors.setdefault("region_code", [_("Choose the area the programme covers.")])
    if data.owner_kind == Programme.OwnerKind.DESA and region and len(region) != 10:
        errors["region_code"] = [_("A village programme covers one village.")]
    if errors:
        raise ProgrammeError(
            _("The programme could not be saved: check the marked fields."), field_errors=errors
        )
    if not any(
        access.may_own(
            g,
            owner_kind=data.owner_kind,
            region_code=region,
            posyandu=posyandu,
            agency_id=data.agency_id,
            field=data.field,
        )
        for g in scope.grants
    ):
        raise ProgrammeError(
            _("You may not run a programme for this owner, area or field."),
            field_errors={"owner_kind": [_("Not allowed for your role or area.")]},
            code="forbidden",
        )
    values = {
        "owner_kind": data.owner_kind,
        "region_id": region,
        "posyandu": posyandu,
        "agency_id": data.agency_id if data.owner_kind == Programme.OwnerKind.OPD else None,
        "organiser": data.organiser.strip()[:160],
        "field": data.field,
        "name": data.name.strip()[:160],
        "description": data.description.strip(),
        "kind": data.kind,
        "skill": data.skill.strip()[:120],
        "target_rule": data.target_rule,
        "target_params": params,
        "start_date": data.start_date,
        "end_date": data.end_date,
        "status": data.status,
    }
    return values, posyandu


@transaction.atomic
def programme_create(
    *, actor, scope: Scope | None, data: ProgrammeInput, now: dt.datetime | None = None
) -> Programme:
    scope = require_scope(scope)
    now = now or timezone.now()
    values, _posyandu = _clean(scope, data)
    programme = Programme.objects.create(**values, created_by=actor, created_at=now, updated_at=now)
    audit_record(
        actor=actor,
        action="programmes.programme.created",
        obj=programme,
        region_code=programme.region_id,
        changes={"name": programme.name, "owner_kind": programme.owner_kind, "rule": programme.target_rule},
    )
    return programme


@transaction.atomic
def programme_update(
    *, actor, scope: Scope | None, programme: Programme, data: ProgrammeInput, now: dt.datetime | None = None
) -> Programme:
    scope = require_scope(scope)
    now = now or timezone.now()
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if not access.may_edit(scope, programme):
        raise NotInScope()
    values, _posyandu = _clean(scope, data)
    changes = {}
    for key, value in values.items():
        old = getattr(programme, key)
        if old != value:
            changes[key] = [old, value]
            setattr(programme, key, value)
    programme.updated_at = now
    programme.save()
    audit_record(
        actor=actor,
        action="programmes.programme.updated",
        obj=programme,
        region_code=programme.region_id,
        changes=changes,
    )
    return programme


def _require_run(scope: Scope, programme: Programme) -> None:
    if not access.may_run(scope, programme):
        raise NotInScope()


def _dated_record_start(
    scope: Scope | None, programme: Programme, date: dt.date | None, now: dt.datetime | None, today: dt.date | None
) -> tuple[Scope, dt.datetime, dt.date, dict[str, list[str]]]:
    """What an activity and a follow-up check first: the scope, the right to run the programme, and a date
    not in the future; returns (scope, now, today, field errors so far)."""
    scope = require_scope(scope)
    now = now or timezone.now()
    today = today or latest_today(now)
    _require_run(scope, programme)
    errors: dict[str, list[str]] = {}
    if date is None or date > today:
        errors["date"] = [_("The date must not be in the future.")]
    return scope, now, today, errors


@transaction.atomic
def activity_record(
    *,
    actor,
    scope: Scope | None,
    programme: Programme,
    date: dt.date,
    kind: str,
    place: str = "",
    posyandu_id: int | None = None,
    given: str = "",
    notes: str = "",
    now: dt.datetime | None = None,
    today: dt.date | None = None,
) -> ProgrammeActivity:
    scope, now, today, errors = _dated_record_start(scope, programme, date, now, today)
    if kind not in ProgrammeActivity.Kind.values:
        errors["kind"] = [_("Choose the kind of activity.")]
    if "date" not in errors and (date < programme.start_date or (programme.end_date and date > programme.end_date)):
        errors["date"] = [_("The date must fall within the programme's dates.")]
    if programme.status == Programme.Status.CANCELLED:
        errors["programme"] = [_("The programme was cancelled.")]
    if posyandu_id is not None and posyandu_id not in access.posyandu_in_area(programme):
        errors["posyandu_id"] = [_("This posyandu is outside the programme's area.")]
    if errors:
        raise ProgrammeError(
            _("The activity could not be saved: check the marked fields."), field_errors=errors
        )
    activity = ProgrammeActivity.objects.create(
        programme=programme,
        date=date,
        kind=kind,
        place=place.strip()[:160],
        posyandu_id=posyandu_id,
        given=given.strip()[:255],
        notes=notes.strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    audit_record(
        actor=actor,
        action="programmes.activity.recorded",
        obj=activity,
        region_code=programme.region_id,
        changes={"programme": programme.pk, "date": date, "kind": kind},
    )
    return activity


def _people_runnable(scope: Scope, programme: Programme, person_ids) -> dict[int, Person]:
    """The people this user may name for this programme: living in the area, named at their place."""
    allowed = set(access.runnable_posyandu(scope, programme))
    people = Person.objects.in_bulk(list(person_ids))
    bad = [pk for pk in person_ids if pk not in people or people[pk].posyandu_id not in allowed]
    if bad:
        raise ProgrammeError(
            _("Some people are not in the registry of your posyandu in this programme's area."),
            field_errors={
                "participants": [
                    _("Unknown person: %(ids)s") % {"ids": ", ".join(str(pk) for pk in bad[:10])}
                ]
            },
        )
    return people


GIVEN_MAX = 255  # Participation.given


def _check_given(attendance: dict[int, str], given: dict[int, str]) -> None:
    """What was handed over is said of people on this attendance list, briefly: anything else is refused,
    not dropped (a name left out of the list would otherwise lose what she received without a word)."""
    errors = []
    stray = [pk for pk in given if pk not in attendance]
    if stray:
        errors.append(_("What was given is recorded only with attendance; not on the list: %(ids)s")
                      % {"ids": ", ".join(str(pk) for pk in stray[:10])})
    if any(len(" ".join((text or "").split())) > GIVEN_MAX for text in given.values()):
        errors.append(_("Too long: at most %(max)s.") % {"max": GIVEN_MAX})
    if errors:
        raise ProgrammeError(_("Please correct the marked fields."), field_errors={"given": errors})


@transaction.atomic
def participants_record(
    *,
    actor,
    scope: Scope | None,
    activity: ProgrammeActivity,
    attendance: dict[int, str],
    given: dict[int, str] | None = None,
    now: dt.datetime | None = None,
) -> list[Participation]:
    """Set the attendance of one activity: ``{person_id: status}``; people left out keep their row."""
    scope = require_scope(scope)
    now = now or timezone.now()
    programme = activity.programme
    _require_run(scope, programme)
    given = given or {}
    wrong = [str(s) for s in attendance.values() if s not in Participation.Status.values]
    if wrong:
        raise ProgrammeError(
            _("Unknown attendance status."),
            field_errors={"participants": [_("Unknown status: %(s)s") % {"s": ", ".join(wrong)}]},
        )
    _people_runnable(scope, programme, attendance)
    _check_given(attendance, given)
    existing = {
        p.person_id: p
        for p in Participation.objects.select_for_update().filter(
            activity=activity, person_id__in=list(attendance)
        )
    }
    saved = []
    for person_id, status in attendance.items():
        row = existing.get(person_id) or Participation(activity=activity, person_id=person_id)
        row.status, row.attended = status, status in Participation.REACHED
        row.given = " ".join((given.get(person_id) or "").split()) or row.given or ""
        row.recorded_by, row.recorded_at = actor, now
        row.save()
        saved.append(row)
    audit_record(
        actor=actor,
        action="programmes.participants.recorded",
        obj=activity,
        region_code=programme.region_id,
        changes={
            "attended": sum(1 for r in saved if r.attended),
            "absent": sum(1 for r in saved if not r.attended),
        },
    )
    return saved


@transaction.atomic
def follow_up_record(
    *,
    actor,
    scope: Scope | None,
    programme: Programme,
    person_id: int,
    date: dt.date,
    outcome: str,
    note: str = "",
    monthly_income: int | None = None,
    now: dt.datetime | None = None,
    today: dt.date | None = None,
) -> FollowUp:
    scope, now, today, errors = _dated_record_start(scope, programme, date, now, today)
    if outcome not in FollowUp.Outcome.values:
        errors["outcome"] = [_("Choose an outcome.")]
    if monthly_income is not None and not 0 <= monthly_income <= 1_000_000_000:
        errors["monthly_income"] = [_("Enter an amount in rupiah.")]
    if errors:
        raise ProgrammeError(
            _("The follow-up could not be saved: check the marked fields."), field_errors=errors
        )
    _people_runnable(scope, programme, [person_id])
    if not Participation.objects.filter(
        activity__programme=programme, person_id=person_id, status__in=Participation.REACHED
    ).exists():
        raise ProgrammeError(
            _("Only a participant of the programme can be followed up."),
            field_errors={"person_id": [_("Not a participant of this programme.")]},
        )
    row = FollowUp.objects.create(
        programme=programme,
        person_id=person_id,
        date=date,
        outcome=outcome,
        note=note.strip()[:255],
        monthly_income=monthly_income,
        recorded_by=actor,
        recorded_at=now,
    )
    audit_record(
        actor=actor,
        action="programmes.follow_up.recorded",
        obj=row,
        region_code=programme.region_id,
        changes={"programme": programme.pk, "person": person_id, "outcome": outcome},
    )
    return row
