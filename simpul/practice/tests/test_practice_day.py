"""A whole posyandu day in practice mode, through the pages, leaves the real database exactly as it was.

kader.miji switches practice on for Posyandu Melati Miji (whose real register holds one family), opens
today's practice day, registers visitors, weighs the children, gives a service, records a house that is
unfit to live in as a need (with its photos and documents) and closes the day. Every table of the real
database keeps its row count, the SPM counters keep every value, no file lands in the real media folder
and no message leaves; the practice file holds the day.
"""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import MIJI
from simpul.health.models import Measurement
from simpul.practice.tests.kit import inside, real_picture, start
from simpul.referrals.models import Attachment, Referral
from simpul.referrals.tests.kit import PDF_BYTES, jpeg_bytes
from simpul.registry.models import Household, Person
from simpul.serviceday.models import Attendance, ServiceDay, ServiceGiven
from simpul.spm import counters


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "real-media"
    return settings.MEDIA_ROOT


def under_fives(day):
    from simpul.immunization.schedule import add_months

    return list(
        Person.objects.filter(
            posyandu_id=day.posyandu_id, birth_date__gt=add_months(day.held_on, -60), life_status="alive"
        ).order_by("pk")[:4]
    )


def test_a_whole_practice_day_changes_nothing_real(
    client, kader_miji, posyandu_miji, family_miji, media, practice_dir, settings
):
    settings.SIMPUL_NOTIFY_CHANNELS = ["email"]
    kader_miji.email = "kader.miji@example.org"
    kader_miji.save()
    today = timezone.localdate()
    counters.rebuild(MIJI[:4], today.year, today=today)
    start(client, kader_miji, posyandu_miji)
    before = real_picture()
    assert before["registry_person"] == 3 and before["spm_counter"] > 0

    with inside(posyandu_miji):
        day = ServiceDay.objects.get(posyandu_id=posyandu_miji.pk, held_on=today)
        assert day.status == "scheduled"
        children = under_fives(day)
        household = Household.objects.filter(posyandu_id=posyandu_miji.pk).order_by("pk").first()
        synthetic = Household.objects.count()
    assert len(children) >= 3 and synthetic >= 12

    assert client.post(f"/hari-buka/{day.pk}/buka/").status_code == 302
    for child in children:
        assert client.post(f"/hari-buka/{day.pk}/hadir/{child.pk}/").status_code == 302
        saved = client.post(f"/hari-buka/{day.pk}/ukur/{child.pk}/", {"weight_kg": "10.5"})
        assert saved.status_code == 302, saved.content.decode()[:2000]
    service = client.post(
        f"/hari-buka/{day.pk}/layanan/{children[0].pk}/",
        {f"p{children[0].pk}-kind": "counselling", f"p{children[0].pk}-note": "MP-ASI"},
    )
    assert service.status_code == 302
    url = f"/rujukan/baru/?household={household.pk}&category=prk_rtlh"
    files = {
        f"doc_{name}": SimpleUploadedFile(f"{name}.pdf", PDF_BYTES, "application/pdf")
        for name in ("ktp", "kk", "income_statement", "land_proof", "no_prior_aid")
    }
    files["doc_house_photo"] = [
        SimpleUploadedFile(f"h{i}.jpg", jpeg_bytes((i * 40, 10, 10)), "image/jpeg") for i in range(3)
    ]
    need = client.post(url, {"description": "Atap bocor dan dinding retak sejak musim hujan.", **files})
    assert need.status_code == 302, need.content.decode()[:2000]
    assert (
        client.post(
            f"/hari-buka/{day.pk}/penyuluhan/", {"topics": ["stunting"], "participants": "9"}
        ).status_code
        == 302
    )
    assert client.post(f"/hari-buka/{day.pk}/tutup/").status_code == 302
    results = client.get(f"/hari-buka/{day.pk}/hasil/")
    assert results.status_code == 200 and b"practice-banner" in results.content

    assert real_picture() == before
    assert not any(media.rglob("*")) if media.exists() else True
    assert mail.outbox == []
    with inside(posyandu_miji):
        day.refresh_from_db()
        assert day.status == "closed"
        assert Attendance.objects.filter(day=day).count() == len(children)
        assert Measurement.objects.filter(measured_on=today, person__in=children).count() == len(children)
        assert ServiceGiven.objects.filter(day=day, kind="counselling").count() == 1
        referral = Referral.objects.get(household_id=household.pk)
        assert referral.attachments.count() == 8
        stored = [a.file.name for a in Attachment.objects.filter(referral=referral)]
    workspace_media = list((practice_dir).glob("posyandu-*-media"))
    assert len(workspace_media) == 1
    assert all((workspace_media[0] / name).exists() for name in stored)
