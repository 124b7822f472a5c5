"""Helpers of the activity tests: photos drawn with Pillow (with EXIF and a GPS position, like a phone's)
and an activity recorded through the service."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image, ImageDraw

from simpul.accounts.scope import scope_for
from simpul.activities.photos import PhotoInput
from simpul.activities.services import ActivityInput, TagInput, activity_log_record

GPS_IFD = 0x8825
ORIENTATION = 0x0112
# Kelurahan Miji, Kota Mojokerto: 7° 28' S, 112° 26' E.
GPS = {1: "S", 2: (7.0, 28.0, 0.0), 3: "E", 4: (112.0, 26.0, 0.0)}


def phone_photo(
    width=3000, height=2000, *, colour=(200, 120, 40), fmt="JPEG", orientation: int | None = None
) -> bytes:
    """A photo as a phone stores it: large, with the camera model, the time and the GPS position in EXIF."""
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width // 2, height // 4), fill=(20, 90, 160))  # marks the top-left corner
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Model X"
    exif[0x0132] = "2026:11:20 09:15:00"
    if orientation:
        exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update(GPS)
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", exif=exif.tobytes(), comment=b"taken at Jl. Miji Baru 12")
    else:
        image.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def activity_input(**overrides) -> ActivityInput:
    values = {
        "held_on": dt.date(2026, 11, 14),
        "kind": "community_action",
        "fields": ["kesehatan", "sosial"],
        "summary": "Kerja bakti dan penyuluhan gizi seimbang di balai RW 04",
        "served_children": 12,
        "served_adults": 20,
        "served_elderly": 5,
        "served_disability": 2,
    }
    values.update(overrides)
    return ActivityInput(**values)


def record(kader, posyandu, *, photos=(), tags: TagInput | None = None, now=None, **overrides):
    return activity_log_record(
        actor=kader,
        scope=scope_for(kader),
        posyandu=posyandu,
        data=activity_input(**overrides),
        photos=[PhotoInput(name=f"IMG_{i}.jpg", content=c) for i, c in enumerate(photos)],
        tags=tags,
        now=now or dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC),
    )
