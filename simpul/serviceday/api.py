"""/api/v1/service-days: schedule and run a posyandu day, close it, and read the bidan's referral list.

The schedule (dates, place, status, counts) is visible with posyandu access; who came, what they were
given and why they are referred is health detail (kesehatan field). Anything else is a 404. Writes take a
client UUID so the offline app can retry safely.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from simpul.accounts.context_processors import request_scope
from simpul.api.pagination import Page
from simpul.api.types import ClockTime, Day, Id, resolved
from simpul.audit.services import access_record
from simpul.core.errors import NotInScope
from simpul.registry.selectors import person_get
from simpul.serviceday import access, selectors
from simpul.serviceday.models import Attendance, DayReferral, ServiceDay, ServiceGiven
from simpul.serviceday.services import (
    ServiceInput,
    attendance_record,
    counselling_record,
    day_close,
    day_open,
    day_schedule,
    service_record,
)
from simpul.serviceday.services.common import invalid

router = Router(tags=["posyandu days"])


class DayIn(Schema):
    model_config = ConfigDict(extra="forbid")
    client_uuid: uuid.UUID | None = None
    posyandu_id: Id
    held_on: Day
    starts_at: ClockTime | None = None
    place: str = Field("", max_length=160)
    note: str = Field("", max_length=255)


class DayOut(Schema):
    id: int
    client_uuid: str
    posyandu_id: int
    desa_code: str
    held_on: dt.date
    starts_at: dt.time | None
    place: str
    status: str
    counselling_topics: list[str]
    close_summary: dict

    @staticmethod
    def resolve_client_uuid(day) -> str:
        return str(day.client_uuid)

    @staticmethod
    def resolve_desa_code(day) -> str:
        return day.desa_id


class DayAttendanceIn(Schema):
    model_config = ConfigDict(extra="forbid")
    client_uuid: uuid.UUID | None = None
    person_id: Id


class DayAttendanceOut(Schema):
    id: int
    client_uuid: str
    person_id: int
    group: str
    walk_in: bool
    arrived_at: dt.datetime

    @staticmethod
    def resolve_client_uuid(a) -> str:
        return str(a.client_uuid)


class ServiceIn(Schema):
    model_config = ConfigDict(extra="forbid")
    client_uuid: uuid.UUID | None = None
    person_id: Id
    kind: str
    quantity: int | None = None
    detail: str = ""
    note: str = Field("", max_length=255)


class ServiceOut(Schema):
    id: int
    client_uuid: str
    person_id: int
    kind: str
    quantity: int | None
    detail: str
    note: str

    @staticmethod
    def resolve_client_uuid(s) -> str:
        return str(s.client_uuid)


class CounsellingIn(Schema):
    model_config = ConfigDict(extra="forbid")
    topics: list[str]
    notes: str = ""
    participants: int | None = None


class ReasonOut(Schema):
    reason: str
    label: str
    detail: str


class ReferralOut(Schema):
    id: int
    day_id: int
    held_on: dt.date
    posyandu_id: int
    person_id: int
    person_name: str
    reasons: list[ReasonOut]
    followed_up_at: dt.datetime | None
    follow_up_note: str

    @staticmethod
    def resolve_held_on(r) -> dt.date:
        return r.day.held_on

    @staticmethod
    def resolve_person_name(r) -> str:
        return r.person.full_name

    @staticmethod
    def resolve_reasons(r) -> list[dict]:
        return r.reason_items


class AbsenceOut(Schema):
    person_id: int
    person_name: str
    group: str
    visited_on: dt.date | None

    @staticmethod
    def resolve_person_name(a) -> str:
        return a.person.full_name


class DayDetailOut(DayOut):
    attendances: list[DayAttendanceOut]
    services: list[ServiceOut]
    referrals: list[ReferralOut]
    absences: list[AbsenceOut]

    @staticmethod
    def resolve_attendances(day) -> list:
        return list(Attendance.objects.filter(day=day))

    @staticmethod
    def resolve_services(day) -> list:
        return list(ServiceGiven.objects.filter(day=day))

    @staticmethod
    def resolve_referrals(day) -> list:
        return list(DayReferral.objects.filter(day=day).select_related("person", "day"))

    @staticmethod
    def resolve_absences(day) -> list:
        return list(day.absences.select_related("person"))


@router.get("", response=list[DayOut])
@paginate(Page)
@resolved
def service_days_list(request, posyandu_id: Id | None = None):
    """Posyandu days the caller may see (schedule only), newest first."""
    qs = selectors.days_visible(request_scope(request))
    if posyandu_id is not None:
        qs = qs.filter(posyandu_id=posyandu_id)
    return qs.order_by("-held_on", "id")


@router.post("", response={201: DayOut, 200: DayOut})
def service_day_create(request, payload: DayIn):
    scope = request_scope(request)
    posyandu = selectors.posyandu_get(scope, payload.posyandu_id)
    existed = ServiceDay.objects.filter(client_uuid=payload.client_uuid).exists() if payload.client_uuid else False
    day = day_schedule(actor=request.user, scope=scope, posyandu=posyandu,
                       **payload.dict(exclude={"posyandu_id"}))
    return Status(200 if existed else 201, day)


@router.get("/referrals", response=list[ReferralOut])
@paginate(Page)
def service_day_referrals(request, open_only: bool = True):
    """The bidan's list: people referred at the close of posyandu days in the caller's health scope."""
    scope = request_scope(request)
    access.require(access.may_see_referrals(scope))
    access_record(actor=request.user, action="api_list", object_type="serviceday.referrals", request=request)
    return selectors.referrals_visible(scope, open_only=open_only)


@router.get("/{day_id}", response=DayDetailOut)
def service_day_detail(request, day_id: Id):
    scope = request_scope(request)
    day = selectors.day_get(scope, day_id, people=True)
    access_record(actor=request.user, action="api_view", object_type="serviceday.day", object_id=day.pk,
                  region_code=day.desa_id, request=request)
    return day


@router.post("/{day_id}/open", response=DayOut)
def service_day_open(request, day_id: Id):
    scope = request_scope(request)
    return day_open(actor=request.user, scope=scope, day=selectors.day_get(scope, day_id, people=True))


@router.post("/{day_id}/attendance", response={201: DayAttendanceOut, 200: DayAttendanceOut})
def service_day_attend(request, day_id: Id, payload: DayAttendanceIn):
    scope = request_scope(request)
    day = selectors.day_get(scope, day_id, people=True)
    person = person_get(scope, payload.person_id)
    before = Attendance.objects.filter(day=day, person=person).exists()
    attendance = attendance_record(actor=request.user, scope=scope, day=day, person=person,
                                   client_uuid=payload.client_uuid)
    return Status(200 if before else 201, attendance)


@router.post("/{day_id}/services", response={201: ServiceOut, 200: ServiceOut})
def service_day_service(request, day_id: Id, payload: ServiceIn):
    scope = request_scope(request)
    day = selectors.day_get(scope, day_id, people=True)
    try:
        attendance = selectors.attendance_get(scope, day, payload.person_id)
    except NotInScope:
        raise invalid("person_id", _("Mark the person present first.")) from None
    existed = (ServiceGiven.objects.filter(client_uuid=payload.client_uuid).exists()
               if payload.client_uuid else False)
    given = service_record(actor=request.user, scope=scope, day=day, attendance=attendance, data=ServiceInput(
        kind=payload.kind, quantity=payload.quantity, detail=payload.detail, note=payload.note,
        client_uuid=payload.client_uuid))
    return Status(200 if existed else 201, given)


@router.post("/{day_id}/counselling", response=DayOut)
def service_day_counselling(request, day_id: Id, payload: CounsellingIn):
    scope = request_scope(request)
    day = selectors.day_get(scope, day_id, people=True)
    return counselling_record(actor=request.user, scope=scope, day=day, **payload.dict())


@router.post("/{day_id}/close", response=DayOut)
def service_day_close(request, day_id: Id):
    scope = request_scope(request)
    return day_close(actor=request.user, scope=scope, day=selectors.day_get(scope, day_id, people=True))
