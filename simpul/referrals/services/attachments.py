"""Documents and photos of a referral: type and size checked from the bytes, stored through Django storage."""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from simpul.core.errors import DomainError, NotInScope
from simpul.referrals.models import Attachment, Referral
from simpul.referrals.states import State
from simpul.referrals.taxonomy import DocType

PHOTO_TYPES = frozenset({DocType.HOUSE_PHOTO, DocType.SITE_PHOTO, DocType.PHOTO})
IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
PDF = ("application/pdf", "pdf")
# Documents may be added while the village still holds the referral (before forwarding).
OPEN_FOR_DOCUMENTS = frozenset({State.RECORDED, State.VERIFIED, State.REOPENED})
MAX_FILES_PER_REFERRAL = 30


@dataclass(frozen=True)
class FileInput:
    doc_type: str
    name: str
    content: bytes


def max_upload_bytes() -> int:
    return getattr(settings, "SIMPUL_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)


def sniff(content: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the bytes themselves, or None for anything we do not accept."""
    if content.startswith(b"%PDF-"):
        return PDF
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()  # a truncated or disguised file fails here
            kind = IMAGE_FORMATS.get(image.format or "")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return kind


def check_files(files: list[FileInput], *, prefix: str = "files") -> tuple[list[tuple[FileInput, str, str]], dict]:
    """Validate every file; returns the accepted ones with their type, and field errors for the rest."""
    errors: dict[str, list[str]] = {}
    accepted = []
    # filesizeformat, not whole megabytes: a limit under 1 MB must not read "larger than 0 MB".
    limit = filesizeformat(max_upload_bytes())
    for index, item in enumerate(files):
        key = f"{prefix}.{index}"
        if item.doc_type not in DocType.values:
            errors[key] = [_("Unknown document type.")]
            continue
        if not item.content:
            errors[key] = [_("The file %(name)s is empty.") % {"name": item.name}]
            continue
        if len(item.content) > max_upload_bytes():
            errors[key] = [_("The file %(name)s is larger than %(limit)s.") % {"name": item.name, "limit": limit}]
            continue
        kind = sniff(item.content)
        if kind is None:
            errors[key] = [_("The file %(name)s is not a JPEG, PNG or WebP photo or a PDF document.")
                           % {"name": item.name}]
            continue
        if item.doc_type in PHOTO_TYPES and kind == PDF:
            errors[key] = [_("%(name)s must be a photo (JPEG, PNG or WebP), not a PDF.") % {"name": item.name}]
            continue
        accepted.append((item, *kind))
    return accepted, errors


def store_files(*, referral: Referral, accepted, actor, now) -> list[Attachment]:
    made = []
    for item, content_type, extension in accepted:
        digest = hashlib.sha256(item.content).hexdigest()
        attachment = Attachment(
            referral=referral, doc_type=item.doc_type, original_name=(item.name or "file")[:160],
            content_type=content_type, size=len(item.content), sha256=digest, uploaded_by=actor, uploaded_at=now,
        )
        # The stored name says nothing about the person: ticket + type + digest prefix.
        attachment.file.save(f"{referral.ticket}-{item.doc_type}-{digest[:12]}.{extension}",
                             ContentFile(item.content), save=False)
        attachment.save()
        made.append(attachment)
    return made


@transaction.atomic
def attachment_add(*, actor, scope, referral: Referral, files: list[FileInput], now=None) -> list[Attachment]:
    """Add documents to a referral the village still holds; by its reporter or the village office."""
    from simpul.referrals.access import can_edit_documents

    now = now or timezone.now()
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not can_edit_documents(scope, referral):
        raise NotInScope()
    if referral.state not in OPEN_FOR_DOCUMENTS:
        raise DomainError(_("Documents can no longer be added: the referral is already with the agency."),
                          code="conflict")
    if not files:
        raise DomainError(_("Please correct the marked fields."), field_errors={"files": [_("Choose a file.")]})
    if referral.attachments.count() + len(files) > MAX_FILES_PER_REFERRAL:
        raise DomainError(_("A referral can have at most %(n)s files.") % {"n": MAX_FILES_PER_REFERRAL},
                          field_errors={"files": [_("Too many files.")]})
    accepted, errors = check_files(files)
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    return store_files(referral=referral, accepted=accepted, actor=actor, now=now)


def missing_documents(referral: Referral) -> list[dict]:
    """Required documents not yet attached: [{"type", "label", "needed", "have"}]."""
    have = Counter(referral.attachments.values_list("doc_type", flat=True))
    missing = []
    for item in referral.category.required_documents or []:
        doc_type, needed = item.get("type"), int(item.get("count", 1))
        if have[doc_type] < needed:
            missing.append({"type": doc_type, "label": str(DocType(doc_type).label) if doc_type in DocType.values
                            else doc_type, "needed": needed, "have": have[doc_type]})
    return missing
