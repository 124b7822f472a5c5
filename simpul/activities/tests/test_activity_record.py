"""activity_log_record and activity_photos_add: what is stored, what is refused, and that a refusal stores nothing."""

import datetime as dt
import io
import uuid

import pytest
from PIL import Image

from conftest import register_family
from simpul.accounts.scope import scope_for
from simpul.activities.models import ActivityLog, ActivityPhoto
from simpul.activities.photos import PhotoInput
from simpul.activities.services import MAX_PHOTOS, activity_photos_add
from simpul.activities.tests.kit import GPS_IFD, phone_photo, record
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope

pytestmark = pytest.mark.django_db


def stored_image(field) -> Image.Image:
    with field.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def test_it_stores_a_resized_photo_without_exif_or_location(kader_miji, posyandu_miji, media):
    original = phone_photo(3000, 2000)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the upload does carry a position

    activity = record(kader_miji, posyandu_miji, photos=[original])

    photo = activity.photos.get()
    image = stored_image(photo.file)
    assert (image.format, image.size) == ("JPEG", (1600, 1067))  # 3000×2000 scaled to a 1600 px long side
    assert (photo.width, photo.height) == (1600, 1067)
    assert len(image.getexif()) == 0 and not image.getexif().get_ifd(GPS_IFD)
    assert "exif" not in image.info and "comment" not in image.info and "xmp" not in image.info
    with photo.file.open("rb") as handle:
        raw = handle.read()
    assert b"Exif" not in raw and b"PhoneMaker" not in raw and b"Miji" not in raw
    assert photo.size == len(raw)
    thumb = stored_image(photo.thumb)
    assert max(thumb.size) == 480 and len(thumb.getexif()) == 0
    # The stored name carries no person or place: "kegiatan-<id>-<digest>.jpg".
    assert photo.file.name.split("/")[-1].startswith(f"kegiatan-{activity.pk}-")
    entry = AuditEntry.objects.get(action="activities.activity.recorded")
    assert (
        entry.changes["photos"] == 1
        and entry.changes["people_served"] == 37
        and entry.region_code == "3576031002"
    )


def test_a_small_png_is_kept_at_its_size_and_a_portrait_is_turned_upright(kader_miji, posyandu_miji):
    activity = record(
        kader_miji,
        posyandu_miji,
        photos=[phone_photo(800, 600, fmt="PNG"), phone_photo(2400, 1800, orientation=6)],
    )
    small, portrait = activity.photos.order_by("id")
    assert stored_image(small.file).size == (800, 600) and stored_image(small.file).format == "JPEG"
    # Orientation 6 means "rotate 90° clockwise to view": the stored pixels are already upright.
    assert stored_image(portrait.file).size == (1200, 1600)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"%PDF-1.4 a document", "PDF"),
        (b"not an image at all", "JPEG, PNG"),
        (b"", "empty"),
    ],
)
def test_it_refuses_what_is_not_a_photo_and_stores_nothing(
    kader_miji, posyandu_miji, media, content, message
):
    with pytest.raises(DomainError) as exc:
        record(kader_miji, posyandu_miji, photos=[phone_photo(400, 300), content])
    assert exc.value.field_errors["photos"]
    assert ActivityLog.objects.count() == 0 and ActivityPhoto.objects.count() == 0
    assert not any(media.rglob("*.jpg"))


def test_it_refuses_a_photo_over_the_size_limit(kader_miji, posyandu_miji, settings):
    settings.SIMPUL_MAX_UPLOAD_BYTES = 10_000
    with pytest.raises(DomainError) as exc:
        record(kader_miji, posyandu_miji, photos=[phone_photo(1200, 900)])
    assert "10.0" in exc.value.field_errors["photos"][0] or "KB" in exc.value.field_errors["photos"][0]


def test_at_most_ten_photos_per_activity(kader_miji, posyandu_miji):
    small = phone_photo(64, 48)
    activity = record(kader_miji, posyandu_miji, photos=[small] * (MAX_PHOTOS - 1))
    with pytest.raises(DomainError) as exc:
        activity_photos_add(
            actor=kader_miji,
            scope=scope_for(kader_miji),
            activity=activity,
            photos=[PhotoInput("a.jpg", small), PhotoInput("b.jpg", small)],
        )
    assert "photos" in exc.value.field_errors
    activity_photos_add(
        actor=kader_miji, scope=scope_for(kader_miji), activity=activity, photos=[PhotoInput("a.jpg", small)]
    )
    assert activity.photos.count() == MAX_PHOTOS


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"held_on": dt.date(2026, 11, 21)}, "held_on"),  # "now" is 20 November 2026
        ({"fields": []}, "fields"),
        ({"fields": ["kesehatan", "astrologi"]}, "fields"),
        ({"kind": "party"}, "kind"),
        ({"summary": "ok"}, "summary"),
        ({"summary": "Bantuan untuk warga NIK 3576031234560001"}, "summary"),
        ({"summary": "Hubungi 0812 3456 7890 untuk info"}, "summary"),
        ({"served_disability": 40}, "served_disability"),  # more than the 37 served
        ({"served_children": -1}, "served_children"),
    ],
)
def test_it_refuses_bad_input(kader_miji, posyandu_miji, overrides, field):
    with pytest.raises(DomainError) as exc:
        record(kader_miji, posyandu_miji, **overrides)
    assert field in exc.value.field_errors
    assert ActivityLog.objects.count() == 0


def test_the_summary_may_not_name_a_registered_resident(kader_miji, posyandu_miji):
    register_family(kader_miji, posyandu_miji)
    with pytest.raises(DomainError) as exc:
        record(kader_miji, posyandu_miji, summary="Pembagian sembako untuk keluarga Budi Santoso di RT 02")
    assert "Budi Santoso" in exc.value.field_errors["summary"][0]
    # A first name alone, or the name inside another word, is not a full name.
    record(kader_miji, posyandu_miji, summary="Pembagian sembako untuk keluarga Pak Budi di RT 02")


def test_a_kader_of_another_posyandu_may_not_log_here(kader_meri, kader_jepara, posyandu_miji):
    for outsider in (kader_meri, kader_jepara):
        with pytest.raises(NotInScope):
            record(outsider, posyandu_miji)


def test_the_lurah_and_pembina_may_not_log_for_a_posyandu(lurah_miji, pembina_mojokerto, posyandu_miji):
    for user in (lurah_miji, pembina_mojokerto):
        with pytest.raises(NotInScope):
            record(user, posyandu_miji)


def test_a_replay_of_the_same_client_uuid_stores_it_once(kader_miji, posyandu_miji):
    key = uuid.uuid4()
    first = record(kader_miji, posyandu_miji, client_uuid=key, photos=[phone_photo(64, 48)])
    again = record(kader_miji, posyandu_miji, client_uuid=key, photos=[phone_photo(64, 48)])
    assert first.pk == again.pk and ActivityLog.objects.count() == 1 and ActivityPhoto.objects.count() == 1


def test_a_posyandu_day_of_another_posyandu_cannot_be_linked(
    kader_miji, kader_meri, posyandu_miji, posyandu_meri
):
    from simpul.serviceday.models import ServiceDay

    theirs = ServiceDay.objects.create(
        posyandu=posyandu_meri, desa_id=posyandu_meri.desa_id, held_on=dt.date(2026, 11, 10)
    )
    ours = ServiceDay.objects.create(
        posyandu=posyandu_miji, desa_id=posyandu_miji.desa_id, held_on=dt.date(2026, 11, 10)
    )
    with pytest.raises(DomainError) as exc:
        record(kader_miji, posyandu_miji, kind="posyandu_day", service_day_id=theirs.pk)
    assert "service_day" in exc.value.field_errors
    assert record(kader_miji, posyandu_miji, kind="posyandu_day", service_day_id=ours.pk).service_day == ours


def test_tags_must_be_people_of_this_posyandu(kader_miji, kader_jepara, posyandu_miji, posyandu_jepara):
    from simpul.activities.services import TagInput

    family = register_family(kader_jepara, posyandu_jepara, head="Slamet Riyadi")
    with pytest.raises(DomainError) as exc:
        record(
            kader_miji,
            posyandu_miji,
            photos=[phone_photo(64, 48)],
            tags=TagInput(person_ids=[family.members.first().pk]),
        )
    assert "people" in exc.value.field_errors
