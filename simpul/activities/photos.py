"""Cleaning an uploaded photo: type checked from the bytes, turned upright, scaled to at most 1600 px and
written again as a fresh JPEG, which leaves every piece of metadata behind (EXIF with the GPS position,
the camera and the time, XMP, comments). Pillow only writes EXIF when it is passed to ``save``; we never
pass it.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from simpul.referrals.services.attachments import PDF, max_upload_bytes, sniff

MAX_SIDE = 1600
THUMB_SIDE = 480
JPEG_QUALITY = 85


@dataclass(frozen=True)
class PhotoInput:
    name: str
    content: bytes


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    thumb: bytes
    width: int
    height: int
    sha256: str


def check(photo: PhotoInput) -> str | None:
    """None when the upload is an acceptable photo, else the reason in Bahasa."""
    if not photo.content:
        return _("The file %(name)s is empty.") % {"name": photo.name}
    if len(photo.content) > max_upload_bytes():
        return _("The file %(name)s is larger than %(limit)s.") % {
            "name": photo.name,
            "limit": filesizeformat(max_upload_bytes()),
        }
    kind = sniff(photo.content)
    if kind == PDF:
        return _("%(name)s must be a photo (JPEG, PNG or WebP), not a PDF.") % {"name": photo.name}
    if kind is None:
        return _("The file %(name)s is not a JPEG, PNG or WebP photo.") % {"name": photo.name}
    return None


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def clean(content: bytes) -> CleanPhoto:
    """The stored form of an accepted photo (call :func:`check` first)."""
    with Image.open(io.BytesIO(content)) as original:
        # Phones store portrait photos sideways with an orientation tag; apply it before the tag is dropped.
        upright = ImageOps.exif_transpose(original)
        pixels = upright.convert("RGB")
    # A new image holds only the pixels: no info dict, no EXIF, no ICC profile carried along.
    image = Image.new("RGB", pixels.size)
    image.paste(pixels)
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    data = _jpeg(image)
    return CleanPhoto(
        content=data,
        thumb=_jpeg(thumb),
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(data).hexdigest(),
    )
