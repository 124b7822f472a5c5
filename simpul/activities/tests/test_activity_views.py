"""The pages: logging an activity with photos from the phone, the warning when a photo stays private,
tagging, removing a photo, the card download, and who sees private photos and names."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import register_family
from simpul.activities.models import ActivityLog, ActivityPhoto
from simpul.activities.services import TagInput
from simpul.activities.tests.kit import phone_photo, record
from simpul.audit.models import AccessLog

pytestmark = pytest.mark.django_db


def upload(name="IMG_0001.jpg", content=None):
    return SimpleUploadedFile(name, content or phone_photo(800, 600), content_type="image/jpeg")


def form_data(**extra):
    data = {
        "held_on": timezone.localdate().isoformat(),
        "kind": "community_action",
        "fields": ["sosial"],
        "summary": "Pembagian paket sembako Jumat Berkah untuk lansia",
        "served_children": "0",
        "served_adults": "3",
        "served_elderly": "14",
        "served_disability": "1",
    }
    data.update(extra)
    return data


@pytest.fixture
def family(kader_miji, posyandu_miji):
    return register_family(kader_miji, posyandu_miji)


def test_the_kader_logs_an_activity_with_photos(client, kader_miji, posyandu_miji, family):
    client.force_login(kader_miji)
    page = client.get("/kegiatan/baru/")
    assert (
        page.status_code == 200 and "Aisyah Putri" in page.content.decode()
    )  # the child is offered for tagging
    response = client.post(
        "/kegiatan/baru/",
        form_data(photos=[upload(), upload("IMG_2.jpg", phone_photo(640, 480))], share_requested="on"),
    )
    activity = ActivityLog.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/kegiatan/{activity.pk}/"
    assert (activity.fields, activity.people_served, activity.recorded_by) == (["sosial"], 17, kader_miji)
    assert activity.photos.count() == 2 and all(p.share_requested for p in activity.photos.all())
    detail = client.get(response["Location"]).content.decode()
    assert "Shareable" in detail or "Bisa dibagikan" in detail


def test_a_photo_with_a_child_without_consent_is_saved_private_with_a_warning(
    client, kader_miji, posyandu_miji, family
):
    child = family.members.get(full_name="Aisyah Putri")
    client.force_login(kader_miji)
    response = client.post(
        "/kegiatan/baru/",
        form_data(photos=[upload()], people=[str(child.pk)], share_requested="on"),
        follow=True,
    )
    body = response.content.decode()
    assert "Aisyah Putri" in body and ActivityPhoto.objects.get().people.get() == child
    # Shown as a warning on the page it lands on.
    assert any("Aisyah Putri" in str(m) for m in response.context["messages"])


def test_bad_input_shows_the_form_again_and_stores_nothing(client, kader_miji, posyandu_miji, family):
    client.force_login(kader_miji)
    response = client.post(
        "/kegiatan/baru/",
        form_data(
            summary="Kunjungan ke rumah Budi Santoso di RT 02", photos=[upload("x.pdf", b"%PDF-1.4 hello")]
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "summary" in errors and ActivityLog.objects.count() == 0
    assert "Budi Santoso" in errors["summary"][0]


def test_tagging_and_removing_a_photo(
    client, kader_miji, posyandu_miji, family, media, django_capture_on_commit_callbacks
):
    child = family.members.get(full_name="Aisyah Putri")
    activity = record(kader_miji, posyandu_miji, photos=[phone_photo(64, 48)], now=timezone.now())
    photo = activity.photos.get()
    client.force_login(kader_miji)
    prefix = f"p{photo.pk}"
    client.post(
        f"/kegiatan/foto/{photo.pk}/tanda/",
        {f"{prefix}-people": [str(child.pk)], f"{prefix}-share_requested": "on"},
    )
    photo.refresh_from_db()
    assert photo.share_requested and list(photo.people.all()) == [child]
    stored = list(media.rglob("*.jpg"))
    assert len(stored) == 2  # the photo and its thumbnail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/kegiatan/foto/{photo.pk}/hapus/")
    assert response.status_code == 302 and not ActivityPhoto.objects.exists()
    assert not any(path.exists() for path in stored)


def test_the_card_downloads_as_a_png_file(client, kader_miji, posyandu_miji):
    activity = record(kader_miji, posyandu_miji)
    client.force_login(kader_miji)
    response = client.get(f"/kegiatan/{activity.pk}/kartu.png?unduh=1")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        f'attachment; filename="kegiatan-posyandu-melati-miji-{activity.held_on.isoformat()}.png"'
    )
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert AccessLog.objects.filter(action="export", object_type="activities.card").count() == 1


def test_private_photos_and_names_only_for_those_who_may_see_people(
    client, kader_miji, pembina_mojokerto, lurah_miji, posyandu_miji, family
):
    child = family.members.get(full_name="Aisyah Putri")
    adult = family.members.get(full_name="Budi Santoso")
    activity = record(
        kader_miji,
        posyandu_miji,
        photos=[phone_photo(64, 48)],
        tags=TagInput(person_ids=[adult.pk], share_requested=True),
        now=timezone.now(),
    )
    from simpul.accounts.scope import scope_for
    from simpul.activities.photos import PhotoInput
    from simpul.activities.services import activity_photos_add

    [private] = activity_photos_add(
        actor=kader_miji,
        scope=scope_for(kader_miji),
        activity=activity,
        photos=[PhotoInput("c.jpg", phone_photo(64, 48))],
        tags=TagInput(person_ids=[child.pk], share_requested=True),
    )
    shared = activity.photos.exclude(pk=private.pk).get()

    client.force_login(pembina_mojokerto)
    body = client.get(f"/kegiatan/{activity.pk}/").content.decode()
    assert f"/kegiatan/foto/{shared.pk}/" in body and f"/kegiatan/foto/{private.pk}/" not in body
    assert "Budi Santoso" not in body and "Aisyah Putri" not in body
    assert client.get(f"/kegiatan/foto/{shared.pk}/").status_code == 200
    assert client.get(f"/kegiatan/foto/{private.pk}/").status_code == 404

    client.force_login(lurah_miji)
    body = client.get(f"/kegiatan/{activity.pk}/").content.decode()
    assert f"/kegiatan/foto/{private.pk}/" in body and "Aisyah Putri" in body
    assert "/tanda/" not in body  # sees, does not tag
    response = client.get(f"/kegiatan/foto/{private.pk}/?ukuran=kecil")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert AccessLog.objects.filter(
        actor=lurah_miji, object_type="activities.photo", object_id=str(private.pk)
    ).exists()


def test_outsiders_get_not_found(client, kader_miji, kader_meri, kader_jepara, posyandu_miji):
    activity = record(
        kader_miji,
        posyandu_miji,
        photos=[phone_photo(64, 48)],
        tags=TagInput(share_requested=True),
        now=timezone.now(),
    )
    photo = activity.photos.get()
    for outsider in (kader_meri, kader_jepara):
        client.force_login(outsider)
        for url in (
            f"/kegiatan/{activity.pk}/",
            f"/kegiatan/{activity.pk}/kartu.png",
            f"/kegiatan/foto/{photo.pk}/",
        ):
            assert client.get(url).status_code == 404, (outsider, url)
        assert client.post(f"/kegiatan/foto/{photo.pk}/hapus/").status_code == 404
        assert client.post(f"/kegiatan/{activity.pk}/foto/", {"photos": [upload()]}).status_code == 404
        assert f"/kegiatan/{activity.pk}/" not in client.get("/kegiatan/").content.decode()
    assert ActivityPhoto.objects.count() == 1


def test_adding_photos_to_a_logged_activity(client, kader_miji, posyandu_miji):
    activity = record(kader_miji, posyandu_miji, held_on=dt.date(2026, 11, 14))
    client.force_login(kader_miji)
    response = client.post(
        f"/kegiatan/{activity.pk}/foto/", {"photos": [upload(), upload("b.png")], "share_requested": "on"}
    )
    assert response.status_code == 302 and activity.photos.count() == 2
    bad = client.post(f"/kegiatan/{activity.pk}/foto/", {"photos": [upload("x.txt", b"hello")]}, follow=True)
    assert activity.photos.count() == 2 and any("x.txt" in str(m) for m in bad.context["messages"])


def test_the_list_is_filtered_by_month(client, kader_miji, posyandu_miji):
    record(
        kader_miji, posyandu_miji, held_on=dt.date(2026, 10, 3), summary="Penyuluhan PHBS di sekolah dasar"
    )
    record(
        kader_miji, posyandu_miji, held_on=dt.date(2026, 11, 14), summary="Kerja bakti membersihkan selokan"
    )
    client.force_login(kader_miji)
    body = client.get("/kegiatan/?bulan=2026-10").content.decode()
    assert "Penyuluhan PHBS" in body and "Kerja bakti" not in body


def test_opened_from_a_posyandu_day_the_form_starts_from_it(client, kader_miji, posyandu_miji, posyandu_meri):
    from simpul.serviceday.models import ServiceDay

    held = timezone.localdate() - dt.timedelta(days=5)
    day = ServiceDay.objects.create(posyandu=posyandu_miji, desa_id=posyandu_miji.desa_id, held_on=held)
    other = ServiceDay.objects.create(posyandu=posyandu_meri, desa_id=posyandu_meri.desa_id, held_on=held)
    client.force_login(kader_miji)
    form = client.get(f"/kegiatan/baru/?posyandu={posyandu_miji.pk}&hari={day.pk}").context["form"]
    assert form.initial["service_day"] == day.pk and form.initial["kind"] == "posyandu_day"
    assert form.initial["held_on"] == held
    form = client.get(f"/kegiatan/baru/?posyandu={posyandu_miji.pk}&hari={other.pk}").context["form"]
    assert "service_day" not in form.initial  # another posyandu's day is not offered


def test_the_kader_corrects_an_activity_and_the_change_is_audited(
    client, kader_miji, lurah_miji, posyandu_miji, family
):
    from simpul.audit.models import AuditEntry

    activity = record(kader_miji, posyandu_miji, held_on=dt.date(2026, 11, 14))
    client.force_login(kader_miji)
    page = client.get(f"/kegiatan/{activity.pk}/ubah/")
    assert page.status_code == 200 and page.context["form"].initial["served_adults"] == 20
    data = form_data(
        held_on="2026-11-14",
        fields=["kesehatan", "sosial"],
        served_adults="21",
        summary="Kerja bakti dan penyuluhan gizi seimbang di balai RW 04 (ralat)",
    )
    assert client.post(f"/kegiatan/{activity.pk}/ubah/", data).status_code == 302
    activity.refresh_from_db()
    assert (activity.served_adults, activity.served_elderly, activity.summary.endswith("(ralat)")) == (
        21,
        14,
        True,
    )
    entry = AuditEntry.objects.get(action="activities.activity.updated")
    assert entry.changes["served_adults"] == [20, 21] and entry.changes["served_elderly"] == [5, 14]
    assert "fields" not in entry.changes and "kind" not in entry.changes

    bad = client.post(f"/kegiatan/{activity.pk}/ubah/", {**data, "summary": "Menjenguk Siti Aminah di rumah"})
    assert bad.status_code == 400 and "summary" in bad.context["form"].errors
    activity.refresh_from_db()
    assert activity.summary.endswith("(ralat)")

    client.force_login(lurah_miji)
    assert client.get(f"/kegiatan/{activity.pk}/ubah/").status_code in {403, 404}
    assert client.post(f"/kegiatan/{activity.pk}/ubah/", data).status_code in {403, 404}
