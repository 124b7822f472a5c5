"""Helpers for referral tests: minimal valid files and a referral walked to any state."""

from __future__ import annotations

import io

from PIL import Image

from simpul.accounts.scope import scope_for
from simpul.referrals.models import Category
from simpul.referrals.services import FileInput, MoveInput, NeedInput, referral_move, referral_record

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg_bytes(color=(120, 80, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(buffer, format="JPEG")
    return buffer.getvalue()


def documents_for(category_code: str) -> list[FileInput]:
    """Every required document of a category: photos as JPEG, papers as PDF."""
    from simpul.referrals.services.attachments import PHOTO_TYPES

    files = []
    for item in Category.objects.get(code=category_code).required_documents:
        for index in range(int(item["count"])):
            photo = item["type"] in PHOTO_TYPES
            files.append(FileInput(item["type"], f"{item['type']}-{index}.{'jpg' if photo else 'pdf'}",
                                   jpeg_bytes() if photo else PDF_BYTES))
    return files


def record(user, *, category="prk_rtlh", household=None, person=None, documents=True, now=None, **extra):
    data = NeedInput(category=category, description=extra.pop("description", "Atap bocor, dinding retak, lantai tanah."),
                     household_id=household.pk if household else None, person_id=person.pk if person else None,
                     files=documents_for(category) if documents else [], **extra)
    return referral_record(actor=user, scope=scope_for(user), data=data, now=now)


def move(user, referral, action, *, note="Sudah dicek di lapangan.", agency=None, outcome="", detail=None, now=None):
    return referral_move(actor=user, scope=scope_for(user), referral=referral, now=now, data=MoveInput(
        action=action, note=note, agency_id=agency.pk if agency else None, outcome=outcome,
        outcome_detail=detail or {}))
