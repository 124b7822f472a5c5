"""/api/v1/sync: the kader's field app pushes its outbox and pulls the changes of her posyandu.

Same authentication as the rest of /api/v1 (bearer token or session with CSRF). Only a kader syncs;
every other role is refused with 403. Decision 0017 explains the cursor and the conflict rule.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from simpul.accounts.context_processors import request_scope
from simpul.audit.services import access_record
from simpul.referrals.services.attachments import max_upload_bytes
from simpul.sync import selectors, upgrade
from simpul.sync.services import PushItem, sync_push
from simpul.sync.uploads import sync_upload_store

router = Router(tags=["sync"])


class PushItemIn(Schema):
    client_uuid: uuid.UUID
    kind: str = Field(max_length=32, description="household.create, person.create, household.update, "
                      "measurement.create, immunization.create, attendance.create, day.open, service.create, "
                      "referral.create")
    device_time: dt.datetime = Field(description="the phone's clock when the entry was made (ISO 8601 with offset)")
    data: dict
    base_version: int | None = Field(None, ge=1, description="updates: the version of the record the phone saw")
    form_version: int | None = Field(None, description="overrides the batch's form_version for this item")


class PushIn(Schema):
    device_id: str = Field(min_length=1, max_length=64)
    form_version: int = Field(description=f"current: {upgrade.CURRENT}")
    items: list[PushItemIn] = Field(max_length=500)


class PushItemOut(Schema):
    client_uuid: str
    status: str = Field(description="created | already_applied | conflict | rejected")
    id: int | None = None
    reason: str | None = None
    field_errors: dict[str, list[str]] | None = None
    server_version: int | None = None
    server_data: dict | None = Field(None, description="conflict: the server's current record, to show beside "
                                     "the phone's")
    retryable: bool | None = Field(None, description="rejected for now only: keep the item and send it again later")
    skew: str | None = Field(None, description="future | past: the phone's clock looks wrong")


class PushOut(Schema):
    received_at: dt.datetime
    results: list[PushItemOut]


class DropOut(Schema):
    kind: str
    id: int


class PullOut(Schema):
    changes: dict[str, list[dict]] = Field(description="household, person, measurement, immunization, pregnancy: "
                                           "rows to insert or replace (by id)")
    drop: list[DropOut] = Field(description="rows to remove from the phone (with a person or household, "
                                "everything recorded for it)")
    next_cursor: str
    has_more: bool
    reset: bool = Field(description="the phone's cached data is for another scope: clear it and keep paging")
    replace: list[str] = Field(default_factory=list, description="kinds sent whole on this page (task): the "
                               "phone replaces all its rows of that kind")


class UploadOut(Schema):
    client_uuid: str
    status: str = Field(description="stored | already_applied")


def _aware(value: dt.datetime) -> dt.datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)


@router.post("/push", response=PushOut, exclude_none=True)
def sync_push_view(request, payload: PushIn):
    """Apply an outbox batch; one answer per item, in the order sent. Sending the batch again changes nothing."""
    now = timezone.now()
    items = [PushItem(client_uuid=i.client_uuid, kind=i.kind, device_time=_aware(i.device_time), data=i.data,
                      base_version=i.base_version, form_version=i.form_version or payload.form_version)
             for i in payload.items]
    results = sync_push(actor=request.user, scope=request_scope(request), device_id=payload.device_id,
                        form_version=payload.form_version, items=items, now=now)
    return {"received_at": now, "results": [r.as_dict() for r in results]}


@router.get("/pull", response=PullOut)
def sync_pull_view(request, cursor: str | None = None, limit: int = selectors.DEFAULT_LIMIT):
    """The changes of the kader's posyandu since ``cursor`` (none: everything, paged). NIK and KK masked."""
    feed = selectors.feed_pull(request_scope(request), cursor=cursor, limit=limit)
    sent = sum(len(rows) for rows in feed["changes"].values())
    access_record(actor=request.user, action="api_sync_pull", object_type="sync.feed",
                  detail=f"{sent} rows, {len(feed['drop'])} drops", request=request)
    return feed


@router.post("/photo", response=UploadOut)
def sync_photo_view(request, client_uuid: Form[uuid.UUID], item_uuid: Form[uuid.UUID], file: File[UploadedFile]):
    """One photo of a ``referral.create`` item, before the item is pushed. Sending it again stores nothing."""
    # Never more than one byte over the limit in memory: that byte is enough to refuse it as too large.
    content = file.read(max_upload_bytes() + 1)
    status = sync_upload_store(actor=request.user, scope=request_scope(request), client_uuid=client_uuid,
                               item_uuid=item_uuid, name=file.name or "foto.jpg", content=content)
    return {"client_uuid": str(client_uuid), "status": status}
