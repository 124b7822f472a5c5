"""/api/v1/immunizations: record doses (idempotent on client_uuid), a child's doses, the due list."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from simpul.accounts.context_processors import request_scope
from simpul.api.pagination import Page
from simpul.api.types import Day, Id, resolved
from simpul.audit.services import access_record
from simpul.immunization import schedule, selectors
from simpul.immunization.rules import DoseStatus
from simpul.immunization.services import ImmunizationInput, immunization_record, kipi_record

router = Router(tags=["immunizations"])


class RecordIn(Schema):
    client_uuid: uuid.UUID | None = None
    person_id: Id
    dose: str = Field(max_length=16, description=", ".join(schedule.CODES))
    given_on: Day
    vaccine: str = Field("", max_length=120, description="name or brand")
    batch_number: str = Field("", max_length=40)
    given_by: str = Field("", max_length=120, description="the bidan or perawat who gave it")
    place: Literal["posyandu", "pustu", "puskesmas", "other"] = "posyandu"
    place_note: str = Field("", max_length=120)


class KipiIn(Schema):
    noted_on: Day
    notes: str = Field(max_length=2000)
    follow_up: str = Field("", max_length=2000)


class RecordOut(Schema):
    id: int
    client_uuid: str
    person_id: int
    dose: str
    dose_label: str
    given_on: dt.date
    vaccine: str
    batch_number: str
    given_by: str
    place: str
    place_note: str
    kipi_noted_on: dt.date | None
    kipi_notes: str
    kipi_follow_up: str
    created_at: dt.datetime


class DoseOut(Schema):
    dose: str
    label: str
    state: str
    due_on: dt.date
    overdue_on: dt.date
    given_on: dt.date | None
    next_on: dt.date | None
    can_give: bool


class StatusOut(Schema):
    person_id: int
    on: dt.date
    complete_for_age: bool
    doses: list[DoseOut]


class DueChildOut(Schema):
    person_id: int
    full_name: str
    birth_date: dt.date
    age_months: int
    rt: str
    rw: str
    due: list[DoseOut]
    overdue: list[DoseOut]


class DueListOut(Schema):
    posyandu_id: int
    on: dt.date
    children: list[DueChildOut]


def _record_out(record) -> dict:
    return {
        "id": record.pk, "client_uuid": str(record.client_uuid), "person_id": record.person_id, "dose": record.dose,
        "dose_label": record.dose_label, "given_on": record.given_on, "vaccine": record.vaccine,
        "batch_number": record.batch_number, "given_by": record.given_by, "place": record.place,
        "place_note": record.place_note, "kipi_noted_on": record.kipi_noted_on, "kipi_notes": record.kipi_notes,
        "kipi_follow_up": record.kipi_follow_up, "created_at": record.created_at,
    }


def _dose_out(status: DoseStatus) -> dict:
    return {"dose": status.code, "label": str(status.dose.label), "state": status.state, "due_on": status.due_on,
            "overdue_on": status.overdue_on, "given_on": status.given_on, "next_on": status.next_on,
            "can_give": status.can_give}


@router.post("", response={201: RecordOut, 200: RecordOut})
def immunization_create(request, payload: RecordIn):
    """Record one dose. Sending the same ``client_uuid`` again returns the stored record (200)."""
    scope = request_scope(request)
    existed = payload.client_uuid is not None and selectors.records_visible(scope).filter(
        client_uuid=payload.client_uuid).exists()
    if existed:
        record = selectors.records_visible(scope).get(client_uuid=payload.client_uuid)
        return Status(200, _record_out(record))
    person = selectors.child_get(scope, payload.person_id)
    data = payload.dict()
    data.pop("person_id")
    record = immunization_record(actor=request.user, scope=scope, person=person, data=ImmunizationInput(**data))
    return Status(201, _record_out(record))


@router.get("", response=list[RecordOut])
@paginate(Page)
@resolved
def immunization_list(request, person_id: Id):
    """A child's recorded doses, oldest first."""
    scope = request_scope(request)
    person = selectors.child_get(scope, person_id)
    access_record(actor=request.user, action="api_list", object_type="immunization.immunizationrecord",
                  object_id=person.pk, region_code=person.desa_id, request=request)
    return [_record_out(r) for r in selectors.records_for(person)]


@router.get("/status", response=StatusOut)
def immunization_status(request, person_id: Id, on: Day | None = None):
    """Per dose: given, due, overdue, not yet or missed on date ``on`` (default today)."""
    scope = request_scope(request)
    person = selectors.child_get(scope, person_id)
    on = on or timezone.localdate()
    access_record(actor=request.user, action="api_read", object_type="immunization.status", object_id=person.pk,
                  region_code=person.desa_id, request=request)
    status = selectors.immunization_status(person, on)
    return {"person_id": person.pk, "on": on, "complete_for_age": status.complete_for_age,
            "doses": [_dose_out(s) for s in status.doses]}


@router.get("/due", response=DueListOut)
def immunization_due(request, posyandu_id: Id, on: Day | None = None):
    """Children 0-59 months of a posyandu with doses to give on ``on`` (default today); overdue first."""
    scope = request_scope(request)
    on = on or timezone.localdate()
    children = selectors.due_list(scope, posyandu_id=posyandu_id, on=on)
    access_record(actor=request.user, action="api_list", object_type="immunization.due", object_id=posyandu_id,
                  detail=f"on={on.isoformat()} children={len(children)}", request=request)
    return {"posyandu_id": posyandu_id, "on": on, "children": [
        {"person_id": c.person.pk, "full_name": c.person.full_name, "birth_date": c.person.birth_date,
         "age_months": c.age_months, "rt": c.person.household.rt if c.person.household else "",
         "rw": c.person.household.rw if c.person.household else "",
         "due": [_dose_out(s) for s in c.due], "overdue": [_dose_out(s) for s in c.overdue]}
        for c in children]}


@router.post("/{int:record_id}/kipi", response=RecordOut)
def immunization_kipi(request, record_id: Id, payload: KipiIn):
    """Note an adverse event after the dose (KIPI) and its follow-up; a later note replaces the earlier one."""
    scope = request_scope(request)
    record = selectors.record_get(scope, record_id)
    record = kipi_record(actor=request.user, scope=scope, record=record, noted_on=payload.noted_on,
                         notes=payload.notes, follow_up=payload.follow_up)
    return _record_out(record)
