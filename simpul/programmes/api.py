"""/api/v1/programmes: programmes the user may see, their reach and not-reached list, and the writes.

``GET /programmes[?field=&kind=&status=]`` lists; ``POST /programmes`` creates; ``GET /programmes/{id}`` one with
its reach; ``GET /programmes/{id}/not-reached[?on=&page=]`` the masked-per-role list (access-logged);
``POST /programmes/{id}/activities`` records an activity; ``POST /programmes/{id}/activities/{aid}/participants``
``{"attendance": {"<person id>": "attended"|"absent"|"delivered"}}`` sets attendance;
``POST /programmes/{id}/follow-ups`` records an outcome. Out of reach: 404; bad input: 422 with Bahasa field
errors; never a half-written record (each write is one service in one transaction).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.api.pagination import Page
from simpul.api.types import Day, Id
from simpul.core.choices import SpmField
from simpul.core.errors import DomainError, NotInScope
from simpul.programmes import eligibility, selectors, services
from simpul.programmes.models import Programme
from simpul.programmes.reads_log import read_logged

router = Router(tags=["programmes"])


class ProgrammeIn(Schema):
    model_config = ConfigDict(extra="forbid")
    owner_kind: str = Field(..., max_length=12)
    region_code: str = Field("", max_length=10)
    posyandu_id: Id | None = None
    agency_id: Id | None = None
    field: str = Field(..., max_length=20)
    name: str = Field(..., min_length=1, max_length=160)
    kind: str = Field(..., max_length=24)
    organiser: str = Field("", max_length=160)
    description: str = Field("", max_length=4000)
    skill: str = Field("", max_length=120)
    target_rule: str = Field("", max_length=32)
    target_params: dict[str, int] = Field(default_factory=dict)
    start_date: Day
    end_date: Day | None = None
    status: str = Field(Programme.Status.ACTIVE, max_length=10)


class ProgrammeOut(Schema):
    id: int
    name: str
    kind: str
    field: str
    owner_kind: str
    region_code: str
    posyandu_id: int | None
    agency_id: int | None
    organiser: str
    skill: str
    target_rule: str
    target_params: dict
    target_text: str
    start_date: dt.date
    end_date: dt.date | None
    status: str


class ReachRowOut(Schema):
    code: str
    name: str
    eligible: int
    reached: int
    participants: int
    percent: float | None


class ProgrammeDetailOut(ProgrammeOut):
    on: dt.date
    reach: ReachRowOut | None
    reach_by: str
    reach_rows: list[ReachRowOut]


class NotReachedOut(Schema):
    total: int
    page: int
    pages: int
    names_visible: bool
    rows: list[dict]


class ActivityIn(Schema):
    model_config = ConfigDict(extra="forbid")
    date: Day
    kind: str = Field(..., max_length=14)
    place: str = Field("", max_length=160)
    posyandu_id: Id | None = None
    given: str = Field("", max_length=255)
    notes: str = Field("", max_length=4000)


class ActivityOut(Schema):
    id: int
    programme_id: int
    date: dt.date
    kind: str
    place: str
    posyandu_id: int | None
    given: str


class ParticipantsIn(Schema):
    model_config = ConfigDict(extra="forbid")
    attendance: dict[Id, str] = Field(..., min_length=1, max_length=500)
    given: dict[Id, str] = Field(default_factory=dict)


class ParticipantsOut(Schema):
    activity_id: int
    saved: int
    reached: int


class FollowUpIn(Schema):
    model_config = ConfigDict(extra="forbid")
    person_id: Id
    date: Day
    outcome: str = Field(..., max_length=20)
    monthly_income: int | None = Field(None, ge=0)
    note: str = Field("", max_length=255)


class FollowUpOut(Schema):
    id: int
    programme_id: int
    person_id: int
    date: dt.date
    outcome: str


def _out(p: Programme) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "kind": p.kind,
        "field": p.field,
        "owner_kind": p.owner_kind,
        "region_code": p.region_id,
        "posyandu_id": p.posyandu_id,
        "agency_id": p.agency_id,
        "organiser": p.organiser,
        "skill": p.skill,
        "target_rule": p.target_rule,
        "target_params": p.target_params,
        "target_text": eligibility.describe(p.target_rule, p.target_params),
        "start_date": p.start_date,
        "end_date": p.end_date,
        "status": p.status,
    }


def _row(row: selectors.ReachRow) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        "eligible": row.eligible,
        "reached": row.reached,
        "participants": row.participants,
        "percent": row.percent,
    }


def _scope(request):
    scope = request_scope(request)
    if not scope.can(Perm.VIEW_AGGREGATES):
        raise NotInScope()
    return scope


@router.get("", response=list[ProgrammeOut])
@paginate(Page)
def programmes_list(request, field: str = "", kind: str = "", status: str = ""):
    scope = _scope(request)
    for name, value, choices in (
        ("field", field, SpmField.values),
        ("kind", kind, Programme.Kind.values),
        ("status", status, Programme.Status.values),
    ):
        if value and value not in choices:
            raise DomainError(
                _("The data sent is not valid."),
                field_errors={name: [_("Choose one of: %(options)s.") % {"options": ", ".join(choices)}]},
            )
    return [
        _out(p) for p in selectors.programmes_visible(scope, field=field, kind=kind, status=status)[:2000]
    ]


@router.post("", response={201: ProgrammeOut})
def programmes_create(request, payload: ProgrammeIn):
    scope = _scope(request)
    data = services.ProgrammeInput(**payload.dict())
    return Status(201, _out(services.programme_create(actor=request.user, scope=scope, data=data)))


@router.get("/{int:programme_id}", response=ProgrammeDetailOut)
def programmes_detail(request, programme_id: Id, on: Day | None = None):
    scope = _scope(request)
    programme = selectors.programme_get(scope, programme_id)
    on = on or timezone.localdate()
    reach = selectors.reach(programme, on=on) if programme.target_rule else None
    return {
        **_out(programme),
        "on": on,
        "reach": _row(reach.total) if reach else None,
        "reach_by": reach.by if reach else "",
        "reach_rows": [_row(r) for r in reach.rows] if reach else [],
    }


@router.get("/{int:programme_id}/not-reached", response=NotReachedOut)
def programmes_not_reached(request, programme_id: Id, on: Day | None = None, page: int = 1):
    scope = _scope(request)
    programme = selectors.programme_get(scope, programme_id)
    if not programme.target_rule:
        raise NotInScope()
    result = selectors.not_reached(scope, programme, on=on, page=max(1, page))
    read_logged(
        request,
        programme,
        action="programmes.not_reached",
        detail=f"api p{result.page} names={result.names_visible} n={len(result.rows)}",
    )
    return {
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "names_visible": result.names_visible,
        "rows": [
            {
                "person_id": r.id,
                "name": r.name,
                "age": r.age,
                "sex": r.sex,
                "rt": r.rt,
                "rw": r.rw,
                "posyandu": r.posyandu,
                "desa": r.desa,
            }
            for r in result.rows
        ],
    }


@router.post("/{int:programme_id}/activities", response={201: ActivityOut})
def programmes_activity_create(request, programme_id: Id, payload: ActivityIn):
    scope = _scope(request)
    programme = selectors.programme_get(scope, programme_id)
    a = services.activity_record(actor=request.user, scope=scope, programme=programme, **payload.dict())
    return Status(
        201,
        {
            "id": a.pk,
            "programme_id": programme.pk,
            "date": a.date,
            "kind": a.kind,
            "place": a.place,
            "posyandu_id": a.posyandu_id,
            "given": a.given,
        },
    )


@router.post("/{int:programme_id}/activities/{int:activity_id}/participants", response=ParticipantsOut)
def programmes_participants_record(request, programme_id: Id, activity_id: Id, payload: ParticipantsIn):
    scope = _scope(request)
    programme = selectors.programme_get(scope, programme_id)
    activity = selectors.activity_get(scope, programme, activity_id)
    saved = services.participants_record(
        actor=request.user, scope=scope, activity=activity, attendance=payload.attendance, given=payload.given
    )
    return {"activity_id": activity.pk, "saved": len(saved), "reached": sum(1 for r in saved if r.attended)}


@router.post("/{int:programme_id}/follow-ups", response={201: FollowUpOut})
def programmes_follow_up_create(request, programme_id: Id, payload: FollowUpIn):
    scope = _scope(request)
    programme = selectors.programme_get(scope, programme_id)
    row = services.follow_up_record(actor=request.user, scope=scope, programme=programme, **payload.dict())
    return Status(
        201,
        {
            "id": row.pk,
            "programme_id": programme.pk,
            "person_id": row.person_id,
            "date": row.date,
            "outcome": row.outcome,
        },
    )
