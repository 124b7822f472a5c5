"""/api/v1/referrals and /api/v1/agencies: the flow over JSON, with 4xx bodies in Bahasa and nothing half-written."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import JEPARA, MOJOKERTO, agency
from conftest import bearer as auth
from simpul.referrals.models import Referral, Transition
from simpul.referrals.tests.kit import PDF_BYTES, move, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_record_over_the_api_is_idempotent_by_client_uuid(client, kader_miji, family_miji, media):
    body = {"client_uuid": str(uuid.uuid4()), "category": "pu_air_minum", "household_id": family_miji.pk,
            "description": "Sumur gali terbuka dekat kandang."}
    first = client.post("/api/v1/referrals", body, content_type="application/json", **auth(kader_miji))
    assert first.status_code == 201
    data = first.json()
    assert data["state"] == "recorded" and data["missing_documents"][0]["type"] == "photo"
    assert data["allowed_actions"] == []  # the kader records; the village moves it
    again = client.post("/api/v1/referrals", body, content_type="application/json", **auth(kader_miji))
    assert again.status_code == 200 and again.json()["ticket"] == data["ticket"]
    assert Referral.objects.count() == 1


def test_bad_input_is_422_with_field_errors_in_bahasa(client, kader_miji, family_miji):
    response = client.post("/api/v1/referrals", {"category": "tidak_ada", "household_id": family_miji.pk,
                                                 "description": "x"}, content_type="application/json",
                           **auth(kader_miji))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "category" in errors and "description" in errors
    assert Referral.objects.count() == 0


def test_a_household_of_another_regency_is_404(client, kader_miji, family_jepara):
    response = client.post("/api/v1/referrals", {"category": "pu_jamban", "household_id": family_jepara.pk,
                                                 "description": "Belum punya jamban sehat."},
                           content_type="application/json", **auth(kader_miji))
    assert response.status_code == 404 and Referral.objects.count() == 0


def test_the_whole_flow_over_the_api(client, kader_miji, lurah_miji, opd_perkim, opd_dinsos, family_miji, media):
    referral = record(kader_miji, household=family_miji)
    url = f"/api/v1/referrals/{referral.pk}/moves"
    wrong = client.post(url, {"action": "accept"}, content_type="application/json", **auth(lurah_miji))
    assert wrong.status_code == 409 and "tidak dapat" in wrong.json()["detail"]
    ok = client.post(url, {"action": "verify", "note": "Kunjungan rumah: sesuai laporan."},
                     content_type="application/json", **auth(lurah_miji))
    assert ok.status_code == 200 and ok.json()["state"] == "verified"
    no_agency = client.post(url, {"action": "forward"}, content_type="application/json", **auth(lurah_miji))
    assert no_agency.status_code == 422 and "agency_id" in no_agency.json()["errors"]
    jepara_agency = agency(JEPARA, "perkim")
    elsewhere = client.post(url, {"action": "forward", "agency_id": jepara_agency.pk},
                            content_type="application/json", **auth(lurah_miji))
    assert elsewhere.status_code == 422
    forwarded = client.post(url, {"action": "forward", "agency_id": agency(MOJOKERTO, "perkim").pk},
                            content_type="application/json", **auth(lurah_miji))
    assert forwarded.status_code == 200 and forwarded.json()["state"] == "forwarded"
    # Another agency's officer cannot act on it, and cannot even see it.
    assert client.post(url, {"action": "accept"}, content_type="application/json",
                       **auth(opd_dinsos)).status_code == 404
    accepted = client.post(url, {"action": "accept"}, content_type="application/json", **auth(opd_perkim))
    assert accepted.status_code == 200
    no_outcome = client.post(url, {"action": "resolve", "note": "Selesai direhab."},
                             content_type="application/json", **auth(opd_perkim))
    assert no_outcome.status_code == 422 and "outcome" in no_outcome.json()["errors"]
    resolved = client.post(url, {"action": "resolve", "outcome": "house_livable", "note": "Selesai direhab."},
                           content_type="application/json", **auth(opd_perkim))
    assert resolved.status_code == 200 and resolved.json()["state"] == "resolved"
    assert Transition.objects.filter(referral=referral).count() == 5


def test_confidential_reporter_is_hidden_from_the_agency(client, kader_miji, lurah_miji, family_miji, media):
    from conftest import make_user
    from simpul.accounts.roles import Role

    ppa = make_user("opd.ppa", Role.OPD, region=MOJOKERTO, fields=["trantibumlinmas"], agency_code="uptd_ppa")
    referral = record(kader_miji, category="trb_kdrt", household=family_miji, citizen_name="Sri Tetangga",
                      citizen_phone="081234567890")
    assert client.get(f"/api/v1/referrals/{referral.pk}", **auth(ppa)).status_code == 404  # still in the village
    move(lurah_miji, referral, "verify", note="Kunjungan rumah: ada tanda kekerasan.")
    move(lurah_miji, referral, "forward", agency=agency(MOJOKERTO, "uptd_ppa"))
    data = client.get(f"/api/v1/referrals/{referral.pk}", **auth(ppa)).json()
    assert data["reporter"] is None and data["citizen_name"] is None and data["citizen_phone"] is None
    assert data["history"][0]["actor"] is None
    mine = client.get(f"/api/v1/referrals/{referral.pk}", **auth(kader_miji)).json()
    assert mine["reporter"] == "kader.miji" and mine["citizen_phone"] == "081234567890"
    listing = client.get("/api/v1/referrals?box=all", **auth(ppa)).json()
    assert listing["items"][0]["subject"] == "(rahasia)"


def test_attachment_upload_checks_type(client, kader_miji, family_miji, media):
    referral = record(kader_miji, household=family_miji, documents=False)
    url = f"/api/v1/referrals/{referral.pk}/attachments"
    ok = client.post(url, {"doc_type": "ktp", "file": SimpleUploadedFile("ktp.pdf", PDF_BYTES)}, **auth(kader_miji))
    assert ok.status_code == 201 and ok.json()[0]["content_type"] == "application/pdf"
    bad = client.post(url, {"doc_type": "house_photo", "file": SimpleUploadedFile("a.jpg", b"not an image")},
                      **auth(kader_miji))
    assert bad.status_code == 422 and bad.json()["errors"]
    assert referral.attachments.count() == 1


def test_agencies_for_a_desa_are_of_its_regency(client, lurah_miji):
    data = client.get("/api/v1/agencies?desa=3576031002", **auth(lurah_miji)).json()
    codes = {a["code"] for a in data}
    assert {"perkim", "dinsos", "damkar", "kec-357603", "pkm-357603"} <= codes
    assert "kec-357601" not in codes  # another kecamatan's office does not serve Miji
    assert client.get("/api/v1/agencies?desa=35", **auth(lurah_miji)).status_code == 422
