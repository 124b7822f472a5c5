"""A need recorded offline with photos: the photos first (one per request), then the item; all or nothing, once."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from simpul.referrals.models import Attachment, Referral
from simpul.referrals.tests.kit import PDF_BYTES, jpeg_bytes
from simpul.sync.models import SyncReceipt, SyncUpload
from simpul.sync.tests.kit import auth, item, new_household, push, statuses


def upload(client, headers, need: dict, photo_uuid: str, content: bytes, name: str = "foto.jpg"):
    return client.post(
        "/api/v1/sync/photo",
        {
            "client_uuid": photo_uuid,
            "item_uuid": need["client_uuid"],
            "file": SimpleUploadedFile(name, content, "image/jpeg"),
        },
        **headers,
    )


def need_for(household_ref: dict, photos: list[str], **extra) -> dict:
    return item(
        "referral.create",
        {
            "category": "prk_rtlh",
            "description": "Atap rumah bocor dan dinding retak.",
            **household_ref,
            "photos": [{"client_uuid": p, "doc_type": "house_photo"} for p in photos],
            **extra,
        },
    )


@pytest.mark.django_db
def test_a_need_with_two_photos_is_recorded_once_with_both(client, kader_miji, family_miji):
    headers = auth(kader_miji)
    photos = [str(uuid.uuid4()), str(uuid.uuid4())]
    need = need_for({"household_id": family_miji.pk}, photos)
    for index, photo in enumerate(photos):
        answer = upload(client, headers, need, photo, jpeg_bytes((index * 90, 10, 10)))
        assert answer.status_code == 200 and answer.json()["status"] == "stored"
    # a resent photo (the answer was lost) stores nothing new
    assert upload(client, headers, need, photos[0], jpeg_bytes()).json()["status"] == "already_applied"
    assert SyncUpload.objects.count() == 2

    first = push(client, headers, [need]).json()["results"][0]
    assert first["status"] == "created"
    referral = Referral.objects.get()
    assert first["id"] == referral.pk and str(referral.client_uuid) == need["client_uuid"]
    assert referral.household_id == family_miji.pk and referral.reporter_id == kader_miji.pk
    assert sorted(referral.attachments.values_list("doc_type", flat=True)) == ["house_photo", "house_photo"]
    assert SyncUpload.objects.count() == 0  # the staged bytes are gone once they are in the referral

    # the replay, and a late resend of a photo, change nothing
    assert statuses(push(client, headers, [need])) == ["already_applied"]
    assert upload(client, headers, need, photos[1], jpeg_bytes()).json()["status"] == "already_applied"
    assert (Referral.objects.count(), Attachment.objects.count(), SyncUpload.objects.count()) == (1, 2, 0)


@pytest.mark.django_db
def test_a_need_waits_for_a_missing_photo_and_never_arrives_without_it(client, kader_miji, family_miji):
    headers = auth(kader_miji)
    photos = [str(uuid.uuid4()), str(uuid.uuid4())]
    need = need_for({"household_id": family_miji.pk}, photos)
    upload(client, headers, need, photos[0], jpeg_bytes())
    waiting = push(client, headers, [need]).json()["results"][0]
    assert (
        waiting["status"] == "rejected"
        and waiting["retryable"] is True
        and "photos.1" in waiting["field_errors"]
    )
    assert Referral.objects.count() == 0 and not SyncReceipt.objects.exists()
    upload(client, headers, need, photos[1], jpeg_bytes())
    assert statuses(push(client, headers, [need])) == ["created"]
    assert Referral.objects.get().attachments.count() == 2


@pytest.mark.django_db
def test_a_need_about_a_household_made_offline_in_the_same_batch(client, kader_miji, posyandu_miji):
    headers = auth(kader_miji)
    household = new_household(head="Joko Susilo")
    need = need_for({"household_client_uuid": household["client_uuid"]}, [])
    # sent before its household in the device's order: the server applies the household first
    assert statuses(push(client, headers, [need, household])) == ["created", "created"]
    assert Referral.objects.get().household.head_name == "Joko Susilo"


@pytest.mark.django_db
def test_an_invalid_need_is_refused_whole_and_its_photos_are_dropped(client, kader_miji, family_miji):
    headers = auth(kader_miji)
    photo = str(uuid.uuid4())
    need = need_for({"household_id": family_miji.pk}, [photo], description="bocor")  # under 10 characters
    upload(client, headers, need, photo, jpeg_bytes())
    answer = push(client, headers, [need]).json()["results"][0]
    assert (
        answer["status"] == "rejected"
        and "description" in answer["field_errors"]
        and "retryable" not in answer
    )
    assert (Referral.objects.count(), Attachment.objects.count(), SyncUpload.objects.count()) == (0, 0, 0)
    # the phone shows the reason; a resend gets the same answer and stores nothing
    assert upload(client, headers, need, photo, jpeg_bytes()).json()["status"] == "already_applied"
    assert push(client, headers, [need]).json()["results"][0]["field_errors"] == answer["field_errors"]


@pytest.mark.django_db
def test_uploads_are_checked_by_their_bytes_and_their_size(client, kader_miji, family_miji):
    headers = auth(kader_miji)
    need = need_for({"household_id": family_miji.pk}, [])
    pdf = upload(client, headers, need, str(uuid.uuid4()), PDF_BYTES, name="surat.pdf")
    assert pdf.status_code == 422 and "file" in pdf.json()["errors"]
    text = upload(client, headers, need, str(uuid.uuid4()), b"not an image at all", name="x.jpg")
    assert text.status_code == 422
    with override_settings(SIMPUL_MAX_UPLOAD_BYTES=200):
        big = upload(client, headers, need, str(uuid.uuid4()), jpeg_bytes())
    assert big.status_code == 422 and "200" in big.json()["errors"]["file"][0]
    assert SyncUpload.objects.count() == 0


@pytest.mark.django_db
def test_another_users_photo_or_item_is_refused(client, kader_miji, kader_meri, family_miji):
    photo = str(uuid.uuid4())
    need = need_for({"household_id": family_miji.pk}, [photo])
    upload(client, auth(kader_miji), need, photo, jpeg_bytes())
    assert upload(client, auth(kader_meri), need, photo, jpeg_bytes()).status_code == 422
    # kader Meri cannot use Miji's staged photo, nor reach the household
    answer = push(client, auth(kader_meri), [need]).json()["results"][0]
    assert answer["status"] == "rejected"
    assert Referral.objects.count() == 0
    assert SyncUpload.objects.filter(user=kader_miji).count() == 1  # her photo is not Meri's to discard


@pytest.mark.django_db
def test_only_a_kader_uploads(client, lurah_miji, family_miji):
    need = need_for({"household_id": family_miji.pk}, [])
    assert upload(client, auth(lurah_miji), need, str(uuid.uuid4()), jpeg_bytes()).status_code == 403
    assert SyncUpload.objects.count() == 0
