"""/api/v1/measurements: record, list, read, correct and validate anthropometric measurements.

Writes need the kesehatan field with register rights at the person's place; reads the kesehatan field
with person access. Anything else is answered exactly like a missing record (404). Reads are logged.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from simpul.accounts.context_processors import request_scope
from simpul.api.pagination import Page
from simpul.audit.services import access_record
from simpul.health import selectors
from simpul.health.api import ClassificationOut, ZOut  # one schema each in the OpenAPI, not two of one name
from simpul.health.services import (
    MeasurementInput,
    measurement_correct,
    measurement_record,
    measurement_validate,
)
from simpul.registry.selectors import person_get

router = Router(tags=["measurements"])


class MeasurementIn(Schema):
    model_config = ConfigDict(extra="forbid")  # a misspelt field must not silently become "not measured"

    client_uuid: uuid.UUID | None = Field(None, description="made by the client; sending it again returns the "
                                          "stored record (200) instead of a duplicate")
    measured_on: dt.date
    weight_kg: float | None = None
    length_height_cm: float | None = Field(None, description="as measured (no position conversion)")
    position: Literal["recumbent", "standing"] | None = None
    head_circumference_cm: float | None = None
    muac_cm: float | None = None
    oedema: bool = False

    def to_input(self) -> MeasurementInput:
        data = self.dict(exclude={"person_id", "reason"})
        data["position"] = data["position"] or ""
        return MeasurementInput(**data)


class MeasurementCreateIn(MeasurementIn):
    person_id: int


class MeasurementCorrectIn(MeasurementIn):
    reason: str = Field(max_length=255)


class MeasurementOut(Schema):
    id: int
    client_uuid: str
    person_id: int
    posyandu_id: int
    desa_code: str
    measured_on: dt.date
    weight_kg: float | None
    length_height_cm: float | None
    position: str | None
    head_circumference_cm: float | None
    muac_cm: float | None
    oedema: bool
    age_days: int
    bmi: float | None = Field(description="from the values as measured")
    z: ZOut
    classification: ClassificationOut
    flags: list[str] = Field(description="implausible_<index> where WHO flags the z: check the values")
    recorded_by: str | None
    created_at: dt.datetime
    validated_by: str | None
    validated_at: dt.datetime | None
    superseded_by_id: int | None
    correction_reason: str

    @staticmethod
    def resolve_client_uuid(m) -> str:
        return str(m.client_uuid)

    @staticmethod
    def resolve_desa_code(m) -> str:
        return m.desa_id

    @staticmethod
    def resolve_position(m) -> str | None:
        return m.position or None

    @staticmethod
    def resolve_recorded_by(m) -> str | None:
        return m.recorded_by.username if m.recorded_by_id else None

    @staticmethod
    def resolve_validated_by(m) -> str | None:
        return m.validated_by.username if m.validated_by_id else None


@router.post("", response={201: MeasurementOut, 200: MeasurementOut})
def measurement_create(request, payload: MeasurementCreateIn):
    """Record a measurement; z-scores, Permenkes 2/2020 codes and WHO flags are computed and stored."""
    scope = request_scope(request)
    person = person_get(scope, payload.person_id)
    existed = selectors.measurement_by_client_uuid(scope, payload.client_uuid) is not None
    m = measurement_record(actor=request.user, scope=scope, person=person, data=payload.to_input())
    return Status(200 if existed else 201, selectors.measurement_get(scope, m.pk))


@router.get("", response=list[MeasurementOut])
@paginate(Page)
def measurements_list(request, person_id: int | None = None, include_superseded: bool = False):
    """Current measurements in the caller's health scope, oldest first; ``person_id`` narrows to one person."""
    scope = request_scope(request)
    qs = selectors.measurements_visible(scope, person_id=person_id, include_superseded=include_superseded)
    access_record(actor=request.user, action="api_list", object_type="health.measurement",
                  object_id=str(person_id or ""), request=request)
    return qs.order_by("person_id", "measured_on", "created_at", "id")


@router.get("/{int:measurement_id}", response=MeasurementOut)
def measurement_detail(request, measurement_id: int):
    scope = request_scope(request)
    m = selectors.measurement_get(scope, measurement_id)
    access_record(actor=request.user, action="api_read", object_type="health.measurement", object_id=m.pk,
                  region_code=m.desa_id, request=request)
    return m


@router.post("/{int:measurement_id}/correct", response={201: MeasurementOut, 200: MeasurementOut})
def measurement_correct_view(request, measurement_id: int, payload: MeasurementCorrectIn):
    """Replace a wrong measurement: a new record supersedes it, with the reason; the old one stays."""
    scope = request_scope(request)
    old = selectors.measurement_get(scope, measurement_id)
    existed = selectors.measurement_by_client_uuid(scope, payload.client_uuid) is not None
    new = measurement_correct(actor=request.user, scope=scope, measurement=old, data=payload.to_input(),
                              reason=payload.reason)
    return Status(200 if existed else 201, selectors.measurement_get(scope, new.pk))


@router.post("/{int:measurement_id}/validate", response=MeasurementOut)
def measurement_validate_view(request, measurement_id: int):
    """A nakes of the area confirms the measurement."""
    scope = request_scope(request)
    m = measurement_validate(actor=request.user, scope=scope, measurement=selectors.measurement_get(scope, measurement_id))
    return selectors.measurement_get(scope, m.pk)
