"""The data of each outbox kind, checked field by field before a service sees it.

They extend the REST API's own input schemas, so the field app and /api/v1 accept the same fields.
``extra="forbid"``: a misspelt field must be refused, not silently recorded as "not measured".
"""

from __future__ import annotations

import uuid

from ninja import Field, Schema
from pydantic import ConfigDict
from pydantic import ValidationError as PydanticError

from simpul.api.errors import _field_path, _pydantic_message
from simpul.core.errors import DomainError
from simpul.health.measurements_api import MeasurementIn
from simpul.immunization.api import RecordIn
from simpul.registry.api import HouseholdIn, PersonIn

STRICT = ConfigDict(extra="forbid")


class HouseholdCreateData(HouseholdIn):
    model_config = STRICT
    posyandu_id: int | None = Field(None, description="default: the kader's own posyandu")


class PersonCreateData(PersonIn):
    model_config = STRICT
    household_id: int | None = None
    household_client_uuid: uuid.UUID | None = Field(None, description="a household of this or an earlier batch")


class HouseholdUpdateData(Schema):
    """Only the fields the kader changed; the rest keep the server's values."""

    model_config = STRICT
    household_id: int | None = None
    household_client_uuid: uuid.UUID | None = None
    address: str | None = Field(None, max_length=400)
    rt: str | None = Field(None, max_length=8)
    rw: str | None = Field(None, max_length=8)
    dusun: str | None = Field(None, max_length=100)
    kk: str | None = Field(None, max_length=32)
    latitude: float | None = None
    longitude: float | None = None


class MeasurementCreateData(MeasurementIn):
    model_config = STRICT
    person_id: int | None = None
    person_client_uuid: uuid.UUID | None = None


class ImmunizationCreateData(RecordIn):
    model_config = STRICT
    person_id: int | None = None
    person_client_uuid: uuid.UUID | None = None


class AttendanceCreateData(Schema):
    model_config = STRICT
    day_id: int
    person_id: int | None = None
    person_client_uuid: uuid.UUID | None = None


def parse(schema: type[Schema], data: dict) -> Schema:
    """``data`` as ``schema``; a DomainError with every field message (in Bahasa) if it does not fit."""
    from django.utils.translation import gettext as _

    try:
        return schema.model_validate(data)
    except PydanticError as exc:
        errors: dict[str, list[str]] = {}
        for error in exc.errors():
            errors.setdefault(_field_path(error.get("loc", ())), []).append(_pydantic_message(error))
        raise DomainError(_("Please correct the marked fields."), field_errors=errors) from exc
