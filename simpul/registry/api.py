"""households and persons under /api/v1/: scoped reads, idempotent creates, audited reads."""

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
from simpul.lib.nik import mask_nik
from simpul.registry import selectors
from simpul.registry.presenters import person_summary
from simpul.registry.services import (
    HouseholdInput,
    PersonInput,
    household_register,
    person_register,
    person_update,
)

households_router = Router(tags=["households"])
persons_router = Router(tags=["persons"])


class PersonIn(Schema):
    client_uuid: uuid.UUID | None = None
    full_name: str = Field(max_length=200)
    sex: Literal["M", "F"]
    birth_date: Day
    birth_date_estimated: bool = False
    relationship: str = Field(description="kepala, suami, istri, anak, menantu, cucu, orang_tua, mertua, famili_lain, lainnya")
    nik: str = Field("", max_length=32, description="16 digits; leave empty when the resident has none yet")
    phone: str = Field("", max_length=32)
    mother_name: str = Field("", max_length=200)
    education_status: str = ""
    school_name: str = Field("", max_length=200)
    disability_type: str = ""
    life_status: Literal["alive", "deceased", "moved"] = "alive"
    life_status_date: Day | None = None

    def to_input(self) -> PersonInput:
        return PersonInput(**self.dict())


class PersonCreateIn(PersonIn):
    household_id: Id


class PersonUpdateIn(PersonIn):
    expected_version: int | None = Field(None, description="the version you edited; a mismatch gives 409")


class PersonOut(Schema):
    id: int
    client_uuid: str
    full_name: str
    sex: str
    birth_date: dt.date
    birth_date_estimated: bool
    age: str
    life_stage: str | None
    nik: str
    nik_masked: bool
    nik_status: str
    nik_warnings: list[str]
    provisional_id: str
    relationship: str
    household_id: int | None
    posyandu_id: int
    desa_code: str
    phone: str
    mother_name: str
    education_status: str
    school_name: str
    disability_type: str | None
    life_status: str
    life_status_date: dt.date | None
    version: int


class HouseholdIn(Schema):
    client_uuid: uuid.UUID | None = None
    posyandu_id: Id
    address: str = Field(max_length=400)
    rt: str = Field("", max_length=8)
    rw: str = Field("", max_length=8)
    dusun: str = Field("", max_length=100)
    kk: str = Field("", max_length=32)
    latitude: float | None = None
    longitude: float | None = None
    members: list[PersonIn] = Field(max_length=30)


class HouseholdListOut(Schema):
    id: int
    client_uuid: str
    head_name: str
    kk: str
    address: str
    rt: str
    rw: str
    dusun: str
    posyandu_id: int
    desa_code: str
    member_count: int
    version: int


class HouseholdOut(HouseholdListOut):
    members: list[PersonOut]


def _household_out(household, scope, *, with_members: bool, today: dt.date) -> dict:
    data = {
        "id": household.pk, "client_uuid": str(household.client_uuid), "head_name": household.head_name,
        "kk": mask_nik(household.kk) if household.kk_cipher else "", "address": household.address,
        "rt": household.rt, "rw": household.rw, "dusun": household.dusun, "posyandu_id": household.posyandu_id,
        "desa_code": household.desa_id, "version": household.version,
        "member_count": getattr(household, "member_count", None) or household.members.count(),
    }
    if with_members:
        data["members"] = [
            person_summary(p, scope, today=today)
            for p in household.members.all() if p.duplicate_of_id is None
        ]
    return data


@households_router.get("", response=list[HouseholdListOut])
@paginate(Page)
@resolved
def households_list(request, q: str = "", rt: str = "", posyandu_id: Id | None = None):
    """Households in the caller's scope. ``q`` searches names, or the last digits of a member's NIK."""
    scope = request_scope(request)
    qs = selectors.households_visible(scope, search=q, rt=rt, posyandu_id=posyandu_id).order_by("pk")
    access_record(actor=request.user, action="api_list", object_type="registry.household",
                  detail=f"search={'yes' if q else 'no'} rt={rt}", request=request)
    today = timezone.localdate()
    return [_household_out(h, scope, with_members=False, today=today) for h in qs]


@households_router.get("/{int:household_id}", response=HouseholdOut)
def household_detail(request, household_id: Id):
    scope = request_scope(request)
    household = selectors.household_get(scope, household_id)
    access_record(actor=request.user, action="api_read", object_type="registry.household", object_id=household.pk,
                  region_code=household.desa_id, request=request)
    return _household_out(household, scope, with_members=True, today=timezone.localdate())


@households_router.post("", response={201: HouseholdOut, 200: HouseholdOut})
def household_create(request, payload: HouseholdIn):
    """Register a household with its members in one request; all or nothing.

    Sending the same ``client_uuid`` again returns the stored household (200) instead of a duplicate.
    """
    scope = request_scope(request)
    data = payload.dict()
    members = [PersonInput(**m) for m in data.pop("members")]
    existed = payload.client_uuid is not None and selectors.households_visible(scope).filter(
        client_uuid=payload.client_uuid).exists()
    household = household_register(actor=request.user, scope=scope, data=HouseholdInput(members=members, **data))
    household = selectors.household_get(scope, household.pk)
    return Status((200 if existed else 201), _household_out(household, scope, with_members=True, today=timezone.localdate()))


@persons_router.get("", response=list[PersonOut])
@paginate(Page)
@resolved
def persons_list(request, q: str = "", posyandu_id: Id | None = None):
    scope = request_scope(request)
    qs = selectors.persons_visible(scope, search=q, posyandu_id=posyandu_id).order_by("pk")
    access_record(actor=request.user, action="api_list", object_type="registry.person",
                  detail=f"search={'yes' if q else 'no'}", request=request)
    today = timezone.localdate()
    return [person_summary(p, scope, today=today) for p in qs]


@persons_router.get("/{int:person_id}", response=PersonOut)
def person_detail(request, person_id: Id):
    scope = request_scope(request)
    person = selectors.person_get(scope, person_id)
    access_record(actor=request.user, action="api_read", object_type="registry.person", object_id=person.pk,
                  region_code=person.desa_id, request=request)
    return person_summary(person, scope, today=timezone.localdate(), full=True)


@persons_router.post("", response={201: PersonOut, 200: PersonOut})
def person_create(request, payload: PersonCreateIn):
    scope = request_scope(request)
    household = selectors.household_get(scope, payload.household_id)
    data = payload.dict()
    data.pop("household_id")
    existed = payload.client_uuid is not None and selectors.persons_visible(scope, include_inactive=True).filter(
        client_uuid=payload.client_uuid).exists()
    person = person_register(actor=request.user, scope=scope, household=household, data=PersonInput(**data))
    return Status((200 if existed else 201), person_summary(person, scope, today=timezone.localdate(), full=True))


@persons_router.put("/{int:person_id}", response=PersonOut)
def person_replace(request, person_id: Id, payload: PersonUpdateIn):
    """Replace a resident's data. Send ``expected_version`` to be told (409) when someone else changed it."""
    scope = request_scope(request)
    person = selectors.person_get(scope, person_id)
    data = payload.dict()
    expected = data.pop("expected_version")
    data.pop("client_uuid", None)
    person = person_update(actor=request.user, scope=scope, person=person, data=PersonInput(**data),
                           expected_version=expected)
    return person_summary(person, scope, today=timezone.localdate(), full=True)
