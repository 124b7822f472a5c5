"""The share card carries no personal data: its text comes from a fixed list of the activity's fields, the
names of the people tagged in the photos never appear, the kader is not named, a private photo is never
drawn, and the PNG has no text or EXIF chunks."""

import datetime as dt
import io
import struct

import pytest
from django.utils import translation
from PIL import Image

from conftest import register_family
from simpul.activities import card
from simpul.activities.models import ActivityLog
from simpul.activities.services import TagInput
from simpul.activities.tests.kit import phone_photo, record

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
PHOTO_COLOUR = (200, 120, 40)


def chunks(png: bytes) -> list[str]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    names, at = [], 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        names.append(kind.decode("ascii"))
        at += 12 + length
    return names


@pytest.fixture
def family(kader_miji, posyandu_miji):
    return register_family(kader_miji, posyandu_miji)


def test_the_card_text_is_the_whitelisted_fields_and_nothing_personal(kader_miji, posyandu_miji, family):
    people = list(family.members.all())
    activity = record(
        kader_miji,
        posyandu_miji,
        photos=[phone_photo(600, 400)],
        tags=TagInput(person_ids=[p.pk for p in people], share_requested=True),
    )
    with translation.override("en"):
        text = card.card_text(activity)
    assert text.lines() == [
        "Community action",
        "Posyandu Melati Miji · Miji",
        "14 November 2026",
        "Health · Social affairs",
        "Kerja bakti dan penyuluhan gizi seimbang di balai RW 04",
        "37 people served: 12 children, 20 adults, 5 elderly · 2 with a disability",
        "Posyandu serving six basic-service fields (6 SPM)",
    ]
    joined = " ".join(text.lines()).casefold()
    for name in [p.full_name for p in people] + ["kader.miji", "Jl. Miji Baru"]:
        assert name.casefold() not in joined
    for person in people:
        assert person.nik == "" or person.nik not in joined


def test_a_summary_with_a_name_that_slipped_in_is_left_off_the_card(kader_miji, posyandu_miji, family):
    activity = record(kader_miji, posyandu_miji)
    # Written around the service (an import, an old record): the card still checks.
    ActivityLog.objects.filter(pk=activity.pk).update(summary="Kunjungan rumah ke Siti Aminah dan bayinya")
    activity.refresh_from_db()
    assert card.card_text(activity).summary == ""


def test_the_png_is_square_and_has_no_text_or_exif_chunks(kader_miji, posyandu_miji):
    activity = record(
        kader_miji,
        posyandu_miji,
        photos=[phone_photo(1200, 900, colour=PHOTO_COLOUR)],
        tags=TagInput(share_requested=True),
    )
    png = card.card_png(activity, today=TODAY)
    image = Image.open(io.BytesIO(png))
    assert image.size == (1080, 1080) and image.format == "PNG"
    assert set(chunks(png)) <= {"IHDR", "IDAT", "IEND"}
    assert not image.info.get("exif") and not image.text
    # The shareable photo fills the top: its colour at the bottom-right of the photo band.
    assert image.convert("RGB").getpixel((1000, 500)) == pytest.approx(PHOTO_COLOUR, abs=6)


def test_a_private_photo_is_never_drawn(kader_miji, posyandu_miji, family):
    child = family.members.get(full_name="Aisyah Putri")
    activity = record(
        kader_miji,
        posyandu_miji,
        photos=[phone_photo(1200, 900, colour=PHOTO_COLOUR)],
        tags=TagInput(person_ids=[child.pk], share_requested=True),
    )
    image = Image.open(io.BytesIO(card.card_png(activity, today=TODAY))).convert("RGB")
    assert image.getpixel((1000, 500)) != pytest.approx(PHOTO_COLOUR, abs=6)
    assert image.getpixel((10, 10)) == card.TEAL  # the band drawn in place of a photo


def test_counts_text_leaves_out_empty_groups(kader_miji, posyandu_miji):
    activity = record(
        kader_miji, posyandu_miji, served_children=0, served_adults=8, served_elderly=0, served_disability=0
    )
    with translation.override("en"):
        assert card.counts_text(activity) == "8 people served: 8 adults"
    activity = record(
        kader_miji, posyandu_miji, served_children=0, served_adults=0, served_elderly=0, served_disability=0
    )
    assert card.counts_text(activity) == ""
