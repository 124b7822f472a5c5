"""Outbox kinds of the posyandu day and of needs: day.open, service.create, referral.create.

Each goes through the service the pages use (``day_open``, ``service_record``, ``referral_record``), like
the kinds in ``services.py``; this module only parses, resolves references and decides the answer.

Conflict rule (decision 0022): all three are append-only facts and never conflict.

* ``day.open`` is a state move that a second tap (or a second phone) repeats harmlessly: an open day
  answers ``already_applied``; a closed or cancelled day is refused with the day service's message.
* ``service.create``: one service of a kind per person and day. The same service recorded by the
  other phone at the table (another client UUID) is the same fact: ``already_applied`` with its id.
* ``referral.create``: a new referral with its photos, all in one transaction. The photos arrive
  first through ``POST /api/v1/sync/photo`` (``uploads.py``); a photo still missing makes the item
  wait (retryable), never a referral without its photos.
"""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _
from ninja import Field, Schema

from simpul.core.errors import DomainError
from simpul.referrals.models import Referral
from simpul.referrals.services.attachments import PHOTO_TYPES, FileInput
from simpul.referrals.services.record import NeedInput, referral_record
from simpul.serviceday.models import Attendance, ServiceDay, ServiceGiven
from simpul.serviceday.services import ServiceInput, day_open, service_record
from simpul.sync import schemas
from simpul.sync.models import SyncReceipt, SyncUpload

MAX_PHOTOS = 5


class DayOpenData(Schema):
    model_config = schemas.STRICT
    day_id: int


class ServiceCreateData(Schema):
    model_config = schemas.STRICT
    day_id: int
    person_id: int | None = None
    person_client_uuid: uuid.UUID | None = None
    attendance_client_uuid: uuid.UUID | None = Field(
        None, description="the attendance item made with it, if any"
    )
    kind: str = Field(max_length=16)
    quantity: int | None = None
    detail: str = Field("", max_length=32)
    note: str = Field("", max_length=255)


class PhotoRef(Schema):
    model_config = schemas.STRICT
    client_uuid: uuid.UUID
    doc_type: str = Field("photo", max_length=24)


class ReferralCreateData(Schema):
    model_config = schemas.STRICT
    category: str = Field(max_length=40)
    description: str = Field(max_length=2000)
    person_id: int | None = None
    person_client_uuid: uuid.UUID | None = None
    household_id: int | None = None
    household_client_uuid: uuid.UUID | None = None
    rt: str = Field("", max_length=8)
    rw: str = Field("", max_length=8)
    latitude: float | None = None
    longitude: float | None = None
    confidential: bool = False
    photos: list[PhotoRef] = Field(default_factory=list, max_length=MAX_PHOTOS)


def _services():
    # services.py imports this module to register the handlers below; import it back lazily.
    from simpul.sync import services

    return services


def day_open_item(item, data: dict, *, actor, scope, now):
    s = _services()
    payload = schemas.parse(DayOpenData, data)
    day = s.selectors.day_for_sync(scope, payload.day_id)
    existed = day.status == ServiceDay.Status.OPEN
    day = day_open(actor=actor, scope=scope, day=day, now=now)
    return s.ItemResult(item.client_uuid, s._status(existed), id=day.pk)


def service_item(item, data: dict, *, actor, scope, now):
    s = _services()
    payload = schemas.parse(ServiceCreateData, data)
    day = s.selectors.day_for_sync(scope, payload.day_id)
    person = s._person_ref(scope, payload.person_id, payload.person_client_uuid)
    same = ServiceGiven.objects.filter(day=day, person=person, kind=payload.kind).first()
    mine = ServiceGiven.objects.filter(client_uuid=item.client_uuid).first()
    if mine is None and same is not None:
        # Given already, recorded from the other phone at the table: the same fact.
        return s.ItemResult(item.client_uuid, SyncReceipt.Status.ALREADY_APPLIED, id=same.pk)
    attendance = Attendance.objects.filter(day=day, person=person).first()
    if attendance is None:
        waiting = payload.attendance_client_uuid
        if waiting is not None and not SyncReceipt.objects.filter(client_uuid=waiting).exists():
            raise s._Retry(
                _("The attendance of this entry has not reached the server yet."),
                {"attendance_client_uuid": [_("Not received yet.")]},
            )
        message = _("Mark the person present first.")
        raise DomainError(message, field_errors={"person_id": [message]})
    given = service_record(
        actor=actor,
        scope=scope,
        day=day,
        attendance=attendance,
        now=now,
        data=ServiceInput(
            kind=payload.kind,
            quantity=payload.quantity,
            detail=payload.detail,
            note=payload.note,
            client_uuid=item.client_uuid,
        ),
    )
    return s.ItemResult(item.client_uuid, s._status(mine is not None), id=given.pk)


def referral_item(item, data: dict, *, actor, scope, now):
    s = _services()
    payload = schemas.parse(ReferralCreateData, data)
    person = household = None
    if payload.person_id is not None or payload.person_client_uuid is not None:
        person = s._person_ref(scope, payload.person_id, payload.person_client_uuid)
    if payload.household_id is not None or payload.household_client_uuid is not None:
        household = s._household_ref(scope, payload.household_id, payload.household_client_uuid)
    existed = Referral.objects.filter(client_uuid=item.client_uuid).exists()
    files = [] if existed else _photos(item, payload, actor=actor, retry=s._Retry)
    referral = referral_record(
        actor=actor,
        scope=scope,
        now=now,
        data=NeedInput(
            category=payload.category,
            description=payload.description,
            person_id=person.pk if person else None,
            household_id=household.pk if household else None,
            rt=payload.rt,
            rw=payload.rw,
            latitude=payload.latitude,
            longitude=payload.longitude,
            confidential=payload.confidential,
            client_uuid=item.client_uuid,
            files=files,
        ),
    )
    discard_uploads(item.client_uuid, user=actor)
    return s.ItemResult(item.client_uuid, s._status(existed), id=referral.pk)


def _photos(item, payload: ReferralCreateData, *, actor, retry) -> list[FileInput]:
    errors = {
        f"photos.{i}": [_("Only photos can be sent with a need from the field app.")]
        for i, ref in enumerate(payload.photos)
        if ref.doc_type not in PHOTO_TYPES
    }
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    wanted = [ref.client_uuid for ref in payload.photos]
    uploads = {
        u.client_uuid: u
        for u in SyncUpload.objects.filter(client_uuid__in=wanted, user=actor, item_uuid=item.client_uuid)
    }
    missing = [i for i, ref in enumerate(payload.photos) if ref.client_uuid not in uploads]
    if missing:
        raise retry(
            _("The photos of this entry have not all reached the server yet."),
            {f"photos.{i}": [_("Not received yet.")] for i in missing},
        )
    return [
        FileInput(ref.doc_type, uploads[ref.client_uuid].name, bytes(uploads[ref.client_uuid].content))
        for ref in payload.photos
    ]


def discard_uploads(item_uuid, *, user) -> None:
    """The photos of an item that got its final answer: kept in the referral, or not at all."""
    SyncUpload.objects.filter(item_uuid=item_uuid, user=user).delete()


HANDLERS = {"day.open": day_open_item, "service.create": service_item, "referral.create": referral_item}
OBJECT_TYPES = {
    "day.open": "serviceday.serviceday",
    "service.create": "serviceday.servicegiven",
    "referral.create": "referrals.referral",
}
