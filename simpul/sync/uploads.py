"""Photos of a referral made offline, sent one per request ahead of the outbox item that names them.

A push body is limited to about 1 MB (``SIMPUL_MAX_BODY_BYTES``) and a phone photo alone comes close, so
the photos travel as multipart uploads keyed by the phone's own photo UUID and the UUID of the
``referral.create`` item. Sending the same photo again stores nothing new; a photo of an item the server
has already answered is not stored at all. The referral takes the bytes in its own transaction
(``field_kinds.referral_item``) and the staged copy is deleted then.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.scope import Scope
from simpul.core.errors import DomainError
from simpul.referrals.services.attachments import FileInput, check_files
from simpul.referrals.taxonomy import DocType
from simpul.sync import selectors
from simpul.sync.field_kinds import MAX_PHOTOS
from simpul.sync.models import SyncReceipt, SyncUpload

STORED, ALREADY_APPLIED = "stored", "already_applied"


def _in_use() -> DomainError:
    message = _("This record id is already in use.")
    return DomainError(message, field_errors={"client_uuid": [message]})


def sync_upload_store(
    *,
    actor,
    scope: Scope | None,
    client_uuid: uuid.UUID,
    item_uuid: uuid.UUID,
    name: str,
    content: bytes,
    now: dt.datetime | None = None,
) -> str:
    """Keep one photo for a later ``referral.create`` item: ``stored``, or ``already_applied`` for a resend."""
    selectors.require_field_app(scope)
    now = now or timezone.now()
    receipt = SyncReceipt.objects.filter(client_uuid=item_uuid).first()
    if receipt is not None:
        if receipt.user_id != actor.pk:
            raise _in_use()
        return ALREADY_APPLIED  # the referral was answered: its photos are no longer needed
    existing = SyncUpload.objects.filter(client_uuid=client_uuid).first()
    if existing is not None:
        if existing.user_id != actor.pk or existing.item_uuid != item_uuid:
            raise _in_use()
        return ALREADY_APPLIED
    _accepted, errors = check_files([FileInput(DocType.PHOTO, name, content)], prefix="file")
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors={"file": errors["file.0"]})
    if SyncUpload.objects.filter(item_uuid=item_uuid).count() >= MAX_PHOTOS:
        message = _("A need from the field app can have at most %(n)s photos.") % {"n": MAX_PHOTOS}
        raise DomainError(message, field_errors={"file": [message]})
    try:
        with transaction.atomic():
            SyncUpload.objects.create(
                client_uuid=client_uuid,
                item_uuid=item_uuid,
                user=actor,
                name=(name or "foto")[:160],
                content=content,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                received_at=now,
            )
    except IntegrityError:
        # The same photo from two tabs at once.
        if SyncUpload.objects.filter(client_uuid=client_uuid, user=actor, item_uuid=item_uuid).exists():
            return ALREADY_APPLIED
        raise _in_use() from None
    return STORED
