"""Referral pages: inboxes per role, recording with documents, the detail with its actions, downloads, export."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from conftest import MOJOKERTO, agency
from simpul.audit.models import AccessLog
from simpul.referrals.models import Referral
from simpul.referrals.tests.kit import PDF_BYTES, jpeg_bytes, move, record

pytestmark = pytest.mark.django_db


def client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_kader_records_an_rtlh_need_with_documents_from_the_form(client, kader_miji, family_miji, media):
    c = client_for(client, kader_miji)
    pick = c.get(f"/rujukan/baru/?household={family_miji.pk}")
    assert pick.status_code == 200 and "category=prk_rtlh" in pick.content.decode()
    url = f"/rujukan/baru/?household={family_miji.pk}&category=prk_rtlh"
    form = c.get(url)
    assert 'name="doc_house_photo"' in form.content.decode()
    files = {f"doc_{name}": SimpleUploadedFile(f"{name}.pdf", PDF_BYTES, "application/pdf")
             for name in ("ktp", "kk", "income_statement", "land_proof", "no_prior_aid")}
    files["doc_house_photo"] = [SimpleUploadedFile(f"h{i}.jpg", jpeg_bytes((i * 40, 10, 10)), "image/jpeg")
                                for i in range(3)]
    response = c.post(url, {"description": "Atap bocor dan dinding retak.", **files})
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rujukan/{referral.pk}/"
    assert referral.attachments.filter(doc_type="house_photo").count() == 3
    assert referral.household_id == family_miji.pk and referral.state == "recorded"


def test_a_wrong_file_is_refused_in_bahasa_and_nothing_is_saved(client, kader_miji, family_miji, media):
    c = client_for(client, kader_miji)
    url = f"/rujukan/baru/?household={family_miji.pk}&category=prk_rtlh"
    fake = SimpleUploadedFile("rumah.jpg", b"MZ\x90\x00 this is a program", "image/jpeg")
    response = c.post(url, {"description": "Atap bocor dan dinding retak.", "doc_house_photo": [fake]})
    assert response.status_code == 200
    assert "bukan foto JPEG" in response.content.decode()
    assert Referral.objects.count() == 0


def test_short_description_is_a_field_error(client, kader_miji, family_miji, media):
    c = client_for(client, kader_miji)
    response = c.post(f"/rujukan/baru/?household={family_miji.pk}&category=pu_air_minum", {"description": "air"})
    assert response.status_code == 200 and "paling sedikit 10 karakter" in response.content.decode()
    assert Referral.objects.count() == 0


def test_boxes_per_role(client, kader_miji, lurah_miji, opd_perkim, family_miji, media):
    referral = record(kader_miji, household=family_miji)
    assert referral.ticket in client_for(client, kader_miji).get("/rujukan/?box=mine").content.decode()
    client.logout()
    c = client_for(client, lurah_miji)
    assert referral.ticket in c.get("/rujukan/?box=to_verify").content.decode()
    assert referral.ticket not in c.get("/rujukan/?box=to_forward").content.decode()
    client.logout()
    # Not yet forwarded: the agency has nothing.
    assert referral.ticket not in client_for(client, opd_perkim).get("/rujukan/?box=all").content.decode()
    move(lurah_miji, referral, "verify", note="Kunjungan rumah: sesuai laporan.")
    move(lurah_miji, referral, "forward", agency=agency(MOJOKERTO, "perkim"))
    assert referral.ticket in client.get("/rujukan/?box=new").content.decode()


def test_outsiders_get_404_on_the_referral_and_its_documents(client, kader_miji, kader_meri, opd_dinsos,
                                                             kader_jepara, camat_kranggan, family_miji, media):
    referral = record(kader_miji, household=family_miji)
    document = referral.attachments.first()
    for outsider in (kader_meri, opd_dinsos, kader_jepara):
        c = client_for(client, outsider)
        assert c.get(f"/rujukan/{referral.pk}/").status_code == 404
        assert c.get(f"/rujukan/{referral.pk}/dokumen/{document.pk}/").status_code == 404
        assert c.post(f"/rujukan/{referral.pk}/aksi/", {"action": "verify", "note": "x" * 20}).status_code == 404
        client.logout()
    # The camat supervises tickets, he does not open named referrals.
    assert client_for(client, camat_kranggan).get(f"/rujukan/{referral.pk}/").status_code == 403


def test_detail_opens_are_logged_and_documents_download(client, kader_miji, lurah_miji, family_miji, media):
    referral = record(kader_miji, household=family_miji)
    c = client_for(client, lurah_miji)
    page = c.get(f"/rujukan/{referral.pk}/")
    assert page.status_code == 200 and referral.ticket in page.content.decode()
    assert AccessLog.objects.filter(actor=lurah_miji, action="referral.view", object_id=str(referral.pk)).exists()
    document = referral.attachments.filter(doc_type="house_photo").first()
    response = c.get(f"/rujukan/{referral.pk}/dokumen/{document.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert AccessLog.objects.filter(action="referral.document", object_id=str(document.pk)).exists()


def test_move_page_refuses_with_a_message_and_changes_nothing(client, kader_miji, operator_miji, family_miji, media):
    referral = record(kader_miji, household=family_miji, documents=False)
    c = client_for(client, operator_miji)
    response = c.post(f"/rujukan/{referral.pk}/aksi/", {"action": "verify", "note": "ok"})
    assert response.status_code == 422 and "kunjungan rumah" in response.content.decode().lower()
    move(operator_miji, referral, "verify", note="Kunjungan rumah: sesuai laporan.")
    response = c.post(f"/rujukan/{referral.pk}/aksi/", {"action": "forward", "note": "teruskan",
                                                         "agency": agency(MOJOKERTO, "perkim").pk})
    assert response.status_code == 422 and "Dokumen wajib belum lengkap" in response.content.decode()
    referral.refresh_from_db()
    assert referral.state == "verified" and referral.agency_id is None


def test_a_kader_cannot_resolve_through_the_page(client, kader_miji, family_miji, media):
    referral = record(kader_miji, household=family_miji)
    response = client_for(client, kader_miji).post(f"/rujukan/{referral.pk}/aksi/", {
        "action": "resolve", "outcome": "house_livable", "note": "selesai sendiri"})
    assert response.status_code in (403, 409, 422)
    referral.refresh_from_db()
    assert referral.state == "recorded"


def test_attach_refuses_an_oversized_file(client, kader_miji, family_miji, media, settings):
    settings.SIMPUL_MAX_UPLOAD_BYTES = 1024
    referral = record(kader_miji, household=family_miji, documents=False)
    big = SimpleUploadedFile("ktp.pdf", PDF_BYTES + b"0" * 2048, "application/pdf")
    response = client_for(client, kader_miji).post(f"/rujukan/{referral.pk}/dokumen/", {"doc_type": "ktp",
                                                                                         "files": [big]}, follow=True)
    assert "lebih besar dari" in response.content.decode()
    assert referral.attachments.count() == 0


def test_export_is_an_excel_file_with_the_inbox_and_is_audited(client, kader_miji, lurah_miji, opd_perkim,
                                                               family_miji, media):
    referral = record(kader_miji, household=family_miji)
    move(lurah_miji, referral, "verify", note="Kunjungan rumah: sesuai laporan.")
    move(lurah_miji, referral, "forward", agency=agency(MOJOKERTO, "perkim"))
    kdrt = record(kader_miji, category="trb_kdrt", household=family_miji)
    c = client_for(client, lurah_miji)
    response = c.get("/rujukan/ekspor.xlsx?box=all")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert rows[referral.ticket][2] == "Rumah tidak layak huni (RTLH)"
    assert "Budi" in rows[referral.ticket][5]
    assert rows[kdrt.ticket][5] == "(rahasia)"  # confidential: never named in a list or an export
    assert AccessLog.objects.filter(actor=lurah_miji, action="referral.export").exists()
