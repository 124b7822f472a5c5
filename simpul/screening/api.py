"""/api/v1/screenings: record, list, read and correct screenings; the posyandu's screening targets.

Writes need the kesehatan field with record rights at the person's place; reads the kesehatan field with
health access. Anything else is answered exactly like a missing record (404). Reads are logged.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from simpul.accounts.context_processors import request_scope
from simpul.api.pagination import Page
from simpul.api.types import Day, Id, resolved
from simpul.audit.services import access_record
from simpul.registry.selectors import person_get
from simpul.screening import rules, selectors
from simpul.screening.services import ScreeningInput, screening_correct, screening_record

router = Router(tags=["screenings"])


class ScreeningIn(Schema):
    model_config = ConfigDict(extra="forbid")  # a misspelt field must not silently become "not measured"

    client_uuid: uuid.UUID | None = Field(None, description="made by the client; sending it again returns the "
                                          "stored record (200) instead of a duplicate")
    screened_on: Day
    weight_kg: float | None = Field(None, description="2–300, stored to 0.1")
    height_cm: float | None = Field(None, description="50–250, stored to 0.1")
    waist_cm: float | None = Field(None, description="30–250; adults and elderly only")
    systolic: int | None = Field(None, description="60–300 mmHg, with diastolic, above it")
    diastolic: int | None = Field(None, description="30–200 mmHg")
    glucose_mg_dl: int | None = Field(None, description="random (sewaktu), 20–800; adults and elderly only")
    haemoglobin_g_dl: float | None = Field(None, description="2–25, stored to 0.1")
    smoking: Literal["unknown", "yes", "no"] = Field("unknown", description="adults and elderly only")
    pregnant: bool = Field(False, description="women 10–59: Hb cut-off 11.0, no BMI category")
    adl_feeding: int | None = Field(None, description="Barthel items, elderly only: all ten or none")
    adl_bathing: int | None = None
    adl_grooming: int | None = None
    adl_dressing: int | None = None
    adl_bowels: int | None = None
    adl_bladder: int | None = None
    adl_toilet: int | None = None
    adl_transfer: int | None = None
    adl_mobility: int | None = None
    adl_stairs: int | None = None

    def to_input(self) -> ScreeningInput:
        data = self.dict(exclude={"person_id", "reason"})
        adl = {name: data.pop(name) for name in rules.BARTHEL_FIELDS}
        return ScreeningInput(**data, adl={k: v for k, v in adl.items() if v is not None})


class ScreeningCreateIn(ScreeningIn):
    person_id: Id


class ScreeningCorrectIn(ScreeningIn):
    reason: str = Field(max_length=255)


class ScreeningOut(Schema):
    id: int
    client_uuid: str
    person_id: int
    posyandu_id: int
    desa_code: str
    screened_on: dt.date
    age_years: int
    life_stage: str
    pregnant: bool
    weight_kg: float | None
    height_cm: float | None
    waist_cm: float | None
    systolic: int | None
    diastolic: int | None
    glucose_mg_dl: int | None
    haemoglobin_g_dl: float | None
    smoking: str
    adl: dict[str, int | None] = Field(description="Barthel item -> score")
    bmi: float | None = Field(description="kg/m², one decimal")
    bmi_category: str | None = Field(description="adults: severely_thin, thin, normal, overweight, obese (Kemenkes)")
    z_bmifa: float | None = Field(description="adolescents: WHO 2007 BMI-for-age z")
    class_bmifa: str | None = Field(description="adolescents: severely_thin, thin, normal, overweight, obese")
    anaemia_cutoff: float | None = Field(description="the WHO 2011 Hb cut-off applied (g/dL)")
    adl_score: int | None
    adl_category: str | None = Field(description="independent, mild, moderate, severe, total")
    flags: list[str] = Field(description="hypertension, hyperglycaemia, anaemia, obesity, central_obesity, "
                             "functional_dependence, implausible_bmifa")
    recorded_by: str | None
    created_at: dt.datetime
    superseded_by_id: int | None
    correction_reason: str

    @staticmethod
    def resolve_client_uuid(s) -> str:
        return str(s.client_uuid)

    @staticmethod
    def resolve_desa_code(s) -> str:
        return s.desa_id

    @staticmethod
    def resolve_adl(s) -> dict:
        return s.adl_items

    @staticmethod
    def resolve_bmi_category(s) -> str | None:
        return s.bmi_category or None

    @staticmethod
    def resolve_class_bmifa(s) -> str | None:
        return s.class_bmifa or None

    @staticmethod
    def resolve_adl_category(s) -> str | None:
        return s.adl_category or None

    @staticmethod
    def resolve_recorded_by(s) -> str | None:
        return s.recorded_by.username if s.recorded_by_id else None


class TargetOut(Schema):
    person_id: int
    full_name: str
    sex: str
    life_stage: str
    age_years: int
    latest_screening_id: int | None
    latest_screened_on: dt.date | None
    latest_flags: list[str]


@router.post("", response={201: ScreeningOut, 200: ScreeningOut})
def screening_create(request, payload: ScreeningCreateIn):
    """Record a screening; BMI category or BMI-for-age, Hb cut-off, Barthel score and flags are stored."""
    scope = request_scope(request)
    person = person_get(scope, payload.person_id)
    existed = selectors.screening_by_client_uuid(scope, payload.client_uuid) is not None
    s = screening_record(actor=request.user, scope=scope, person=person, data=payload.to_input())
    return Status(200 if existed else 201, selectors.screening_get(scope, s.pk))


@router.get("", response=list[ScreeningOut])
@paginate(Page)
@resolved
def screenings_list(request, person_id: Id | None = None, posyandu_id: Id | None = None,
                    include_superseded: bool = False):
    """Current screenings in the caller's health scope, by person and date; filter by person or posyandu."""
    scope = request_scope(request)
    qs = selectors.screenings_visible(scope, person_id=person_id, posyandu_id=posyandu_id,
                                      include_superseded=include_superseded)
    access_record(actor=request.user, action="api_list", object_type="screening.screening",
                  object_id=str(person_id or ""), detail=f"posyandu_id={posyandu_id or ''}", request=request)
    return qs.order_by("person_id", "screened_on", "created_at", "id")


@router.get("/targets", response=list[TargetOut])
def screening_targets_list(request, posyandu_id: Id, on: Day | None = None):
    """The posyandu's adolescents, adults and elderly on a day, with their latest screening (attendance list)."""
    scope = request_scope(request)
    on = on or timezone.localdate()
    targets = selectors.screening_targets(scope, posyandu_id=posyandu_id, on=on)
    access_record(actor=request.user, action="api_list", object_type="screening.posyandu", object_id=posyandu_id,
                  detail=f"on={on.isoformat()}", request=request)
    return [{"person_id": t.person.pk, "full_name": t.person.full_name, "sex": t.person.sex,
             "life_stage": t.life_stage, "age_years": t.age_years,
             "latest_screening_id": t.latest.pk if t.latest else None,
             "latest_screened_on": t.latest.screened_on if t.latest else None,
             "latest_flags": list(t.latest.flags) if t.latest else []} for t in targets]


@router.get("/{int:screening_id}", response=ScreeningOut)
def screening_detail(request, screening_id: Id):
    scope = request_scope(request)
    s = selectors.screening_get(scope, screening_id)
    access_record(actor=request.user, action="api_read", object_type="screening.screening", object_id=s.pk,
                  region_code=s.desa_id, request=request)
    return s


@router.post("/{int:screening_id}/correct", response={201: ScreeningOut, 200: ScreeningOut})
def screening_correct_api(request, screening_id: Id, payload: ScreeningCorrectIn):
    """Replace a wrong screening: a new record supersedes it, with the reason; the old one stays."""
    scope = request_scope(request)
    old = selectors.screening_get(scope, screening_id)
    existed = selectors.screening_by_client_uuid(scope, payload.client_uuid) is not None
    new = screening_correct(actor=request.user, scope=scope, screening=old, data=payload.to_input(),
                            reason=payload.reason)
    return Status(200 if existed else 201, selectors.screening_get(scope, new.pk))
