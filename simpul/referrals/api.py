"""/api/v1/referrals and /api/v1/agencies: record needs, move them through the flow, attach documents.

Same rules as the pages (they call the same services and selectors): a referral
outside the user's reach is a 404, a move the table forbids is a 409 (wrong state)
or 403 (wrong actor), bad input a 422 with field errors in Bahasa Indonesia.
Lists never name the subject of a confidential referral; detail hides its reporter
except from the reporter and the village head.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import ConfigDict

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.api.pagination import Page
from simpul.api.types import Id
from simpul.audit.services import access_record
from simpul.core.errors import DomainError, NotInScope
from simpul.referrals import access, presenters, selectors
from simpul.referrals.models import Agency
from simpul.referrals.services import (
    FileInput,
    MoveInput,
    NeedInput,
    attachment_add,
    confidential_approve,
    missing_documents,
    referral_move,
    referral_record,
)

router = Router(tags=["referrals"])
agencies_router = Router(tags=["referrals"])


class NeedIn(Schema):
    model_config = ConfigDict(extra="forbid")
    client_uuid: uuid.UUID | None = None
    category: str = Field(..., max_length=40)
    description: str = Field(..., max_length=4000)
    person_id: Id | None = None
    household_id: Id | None = None
    posyandu_id: Id | None = None
    rt: str = Field("", max_length=8)
    rw: str = Field("", max_length=8)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    citizen_name: str = Field("", max_length=120)
    citizen_phone: str = Field("", max_length=30)
    confidential: bool = False


class MoveIn(Schema):
    model_config = ConfigDict(extra="forbid")
    action: str = Field(..., max_length=12)
    note: str = Field("", max_length=4000)
    agency_id: Id | None = None
    outcome: str = Field("", max_length=24)
    outcome_detail: dict[str, str] = Field(default_factory=dict)
    version: int | None = None


class ApproveIn(Schema):
    model_config = ConfigDict(extra="forbid")
    note: str = Field("", max_length=2000)


class ItemOut(Schema):
    id: int
    ticket: str
    field: str
    category: str
    category_label: str
    desa_code: str
    rt: str
    rw: str
    subject: str
    state: str
    state_label: str
    recorded_on: dt.date
    due_on: dt.date
    overdue: bool
    agency_id: int | None
    confidential: bool


class AttachmentOut(Schema):
    id: int
    doc_type: str
    content_type: str
    size: int
    uploaded_at: dt.datetime


class TransitionOut(Schema):
    action: str
    from_state: str
    to_state: str
    at: dt.datetime
    note: str
    agency_id: int | None
    actor: str | None


class DetailOut(ItemOut):
    client_uuid: str
    person_id: int | None
    household_id: int | None
    posyandu_id: int | None
    description: str
    latitude: Decimal | None
    longitude: Decimal | None
    reporter: str | None
    citizen_name: str | None
    citizen_phone: str | None
    outcome: str
    outcome_note: str
    version: int
    stage_started_at: dt.datetime
    closed_on: dt.date | None
    missing_documents: list[dict]
    attachments: list[AttachmentOut]
    history: list[TransitionOut]
    allowed_actions: list[str]


class AgencyOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    fields: list[str]
    area_code: str | None


def _item(referral, scope, today) -> dict:
    row = presenters.row(referral, scope, today)
    return {
        "id": referral.pk, "ticket": referral.ticket, "field": referral.field, "category": referral.category.code,
        "category_label": row.category, "desa_code": referral.desa_id, "rt": referral.rt, "rw": referral.rw,
        "subject": row.subject, "state": referral.state, "state_label": row.state_label,
        "recorded_on": referral.recorded_on, "due_on": referral.due_on, "overdue": row.overdue,
        "agency_id": referral.agency_id, "confidential": referral.confidential,
    }


def _detail(referral, scope) -> dict:
    today = timezone.localdate()
    shown = access.reporter_visible(scope, referral)
    data = _item(referral, scope, today)
    data.update({
        "client_uuid": str(referral.client_uuid), "subject": presenters.subject_label(referral),
        "person_id": referral.person_id, "household_id": referral.household_id, "posyandu_id": referral.posyandu_id,
        "description": referral.description, "latitude": referral.latitude, "longitude": referral.longitude,
        "reporter": referral.reporter.username if shown else None,
        "citizen_name": referral.citizen_name if shown else None,
        "citizen_phone": referral.citizen_phone if shown else None,
        "outcome": referral.outcome, "outcome_note": referral.outcome_note, "version": referral.version,
        "stage_started_at": referral.stage_started_at, "closed_on": referral.closed_on,
        "missing_documents": missing_documents(referral),
        "attachments": list(referral.attachments.all()),
        "history": [{
            "action": t.action, "from_state": t.from_state, "to_state": t.to_state, "at": t.at, "note": t.note,
            "agency_id": t.agency_id,
            "actor": (t.actor.username if t.actor and (shown or t.action != "record") else None),
        } for t in selectors.referral_history(referral)],
        "allowed_actions": presenters.actions_for(scope, referral),
    })
    return data


def _require(scope, perm: str) -> None:
    if not scope.can(perm):
        raise NotInScope()


@router.get("", response=list[ItemOut])
@paginate(Page)
def referral_list(request, box: str = "all", state: str = "", field: str = "", category: str = "", q: str = ""):
    scope = request_scope(request)
    _require(scope, Perm.VIEW_REFERRALS)
    if box not in selectors.BOXES:
        raise DomainError(_("Please correct the marked fields."),
                          field_errors={"box": [_("Choose one of: %(options)s.") % {"options": ", ".join(selectors.BOXES)}]})
    today = timezone.localdate()
    access_record(actor=request.user, action="referral.list", object_type="referrals.referral",
                  detail=f"api box={box}", request=request)
    return [_item(r, scope, today) for r in selectors.referrals_visible(
        scope, box=box, state=state, field=field, category=category, search=q)]


@router.post("", response={201: DetailOut, 200: DetailOut})
def referral_create(request, payload: NeedIn):
    scope = request_scope(request)
    _require(scope, Perm.RECORD_NEED)
    existed = payload.client_uuid is not None and selectors.Referral.objects.filter(
        client_uuid=payload.client_uuid).exists()
    referral = referral_record(actor=request.user, scope=scope, data=NeedInput(**payload.dict()))
    referral = selectors.referral_get(scope, referral.pk)
    return Status(200 if existed else 201, _detail(referral, scope))


@router.get("/{int:referral_id}", response=DetailOut)
def referral_read(request, referral_id: Id):
    scope = request_scope(request)
    referral = selectors.referral_get(scope, referral_id)
    access_record(actor=request.user, action="referral.view", object_type="referrals.referral",
                  object_id=referral.pk, region_code=referral.desa_id,
                  detail="api confidential" if referral.confidential else "api", request=request)
    return _detail(referral, scope)


@router.post("/{int:referral_id}/moves", response=DetailOut)
def referral_move_api(request, referral_id: Id, payload: MoveIn):
    scope = request_scope(request)
    referral = selectors.referral_get(scope, referral_id)
    referral = referral_move(actor=request.user, scope=scope, referral=referral, data=MoveInput(**payload.dict()))
    return _detail(selectors.referral_get(scope, referral.pk), scope)


@router.post("/{int:referral_id}/approve", response=DetailOut)
def referral_approve_api(request, referral_id: Id, payload: ApproveIn):
    scope = request_scope(request)
    referral = selectors.referral_get(scope, referral_id)
    confidential_approve(actor=request.user, scope=scope, referral=referral, note=payload.note)
    return _detail(selectors.referral_get(scope, referral.pk), scope)


@router.post("/{int:referral_id}/attachments", response={201: list[AttachmentOut]})
def referral_attach_api(request, referral_id: Id, doc_type: Form[str], file: File[UploadedFile]):
    scope = request_scope(request)
    referral = selectors.referral_get(scope, referral_id)
    made = attachment_add(actor=request.user, scope=scope, referral=referral,
                          files=[FileInput(doc_type, file.name or "file", file.read())])
    return Status(201, made)


@agencies_router.get("", response=list[AgencyOut])
def agency_list(request, desa: str = ""):
    """Agencies a referral of this desa may be forwarded or redirected to (or all of the user's kab/kota)."""
    scope = request_scope(request)
    if not (scope.can(Perm.VIEW_REFERRALS) or scope.can(Perm.MONITOR_REFERRALS)):
        raise NotInScope()
    if desa:
        if not (desa.isdigit() and len(desa) == 10):
            raise DomainError(_("Please correct the marked fields."),
                              field_errors={"desa": [_("Give the 10-digit desa code.")]})
        agencies = selectors.agencies_for(desa)
    else:
        from simpul.posyandu.models import Posyandu

        prefixes = scope.region_prefixes(Perm.VIEW_REFERRALS) + scope.region_prefixes(Perm.MONITOR_REFERRALS)
        desa_codes = Posyandu.objects.filter(pk__in=scope.posyandu_ids(Perm.VIEW_REFERRALS)).values_list(
            "desa_id", flat=True)
        kabkota = {code[:4] for code in [*prefixes, *desa_codes]}
        agencies = Agency.objects.filter(region_id__in=sorted(kabkota), active=True)
    return [{"id": a.pk, "code": a.code, "name": a.name, "short_name": a.short_name, "kind": a.kind,
             "fields": a.fields, "area_code": a.area_id} for a in agencies]
