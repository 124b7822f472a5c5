"""Bad input the API took with a server error (found by fuzzing the demo with schemathesis): now each is a
field error in Bahasa (422), and anything still unexpected is a JSON answer, never the HTML error page."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import translation

from conftest import bearer

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture(autouse=True)
def bahasa():
    with translation.override("id"):
        yield


def _errors(response, status=422) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()["errors"]


@pytest.mark.parametrize("path", [
    "/immunizations/due?posyandu_id={p}&on=0001-01-01",
    "/pregnancies/pregnant-women?posyandu_id={p}&on=0001-01-01",
    "/screenings/targets?posyandu_id={p}&on=0001-01-01",
    "/screenings/targets?posyandu_id={p}&on=9999-12-31",
])
def test_a_day_outside_any_plausible_year_is_a_field_error(client, kader_miji, posyandu_miji, path):
    errors = _errors(client.get(API + path.format(p=posyandu_miji.pk), **bearer(kader_miji)))
    assert errors == {"on": ["Isi tanggal antara tahun 1800 dan 2199."]}


def test_a_pregnancy_registered_in_year_one_is_refused(client, kader_miji, family_miji):
    mother = family_miji.members.filter(sex="F").first()
    body = {"person_id": mother.pk, "registered_on": "0001-01-01", "estimated_weeks": 10, "gravida": 1}
    errors = _errors(client.post(f"{API}/pregnancies", body, content_type="application/json", **bearer(kader_miji)))
    assert errors == {"registered_on": ["Isi tanggal antara tahun 1800 dan 2199."]}


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "٢٠٢٦-١١", "𝟐𝟎𝟐𝟔-11"])
def test_a_report_month_outside_the_plausible_years_or_not_in_ascii_digits_is_refused(
        client, kader_miji, posyandu_miji, month):
    errors = _errors(client.get(f"{API}/reports/posyandu/{posyandu_miji.pk}/{month}", **bearer(kader_miji)))
    assert errors == {"month": ["Masukkan bulan dengan format TTTT-BB."]}


def test_a_push_item_with_a_device_time_in_year_one_is_refused_for_good_and_the_rest_is_stored(
        client, kader_miji, posyandu_miji):
    def item(device_time, address):
        return {"client_uuid": str(uuid.uuid4()), "kind": "household.create", "device_time": device_time,
                "data": {"posyandu_id": posyandu_miji.pk, "address": address, "members": [
                    {"client_uuid": str(uuid.uuid4()), "full_name": "Warga Baru", "sex": "F",
                     "birth_date": "1990-01-01", "relationship": "kepala"}]}}

    items = [item("0001-01-01T00:00:00+07:00", "Jl. Jam Rusak"), item("2026-11-20T10:00:00+07:00", "Jl. Baik")]
    response = client.post(f"{API}/sync/push", {"device_id": "d", "form_version": 2, "items": items},
                           content_type="application/json", **bearer(kader_miji))
    assert response.status_code == 200, response.content
    broken, good = response.json()["results"]
    assert broken["status"] == "rejected" and not broken.get("retryable") and list(broken["field_errors"]) == [
        "device_time"]
    assert good["status"] == "created"


def test_an_old_form_with_a_gender_that_is_no_text_is_refused_for_that_item_only(client, kader_miji, family_miji):
    items = [{"client_uuid": str(uuid.uuid4()), "kind": "person.create", "device_time": "2026-11-20T10:00:00+07:00",
              "data": {"gender": []}}]
    response = client.post(f"{API}/sync/push", {"device_id": "d", "form_version": 1, "items": items},
                           content_type="application/json", **bearer(kader_miji))
    assert response.status_code == 200
    (result,) = response.json()["results"]
    assert result["status"] == "rejected" and not result.get("retryable")


def test_a_start_time_with_an_offset_is_taken_as_the_posyandu_wall_clock(client, kader_miji, posyandu_miji):
    held_on = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    response = client.post(f"{API}/service-days", {"posyandu_id": posyandu_miji.pk, "held_on": held_on,
                                                   "starts_at": "08:00:00+07:00"},
                           content_type="application/json", **bearer(kader_miji))
    assert response.status_code == 201, response.content
    assert response.json()["starts_at"] == "08:00:00"


@pytest.mark.parametrize(("path", "field"), [("/regions?offset=99999999999999999999", "offset"),
                                             ("/posyandu?limit=99999999999999999999", "limit"),
                                             ("/tasks?offset=99999999999999999999", "offset")])
def test_an_offset_past_any_list_is_a_field_error(client, kader_miji, path, field):
    assert _errors(client.get(API + path, **bearer(kader_miji))) == {field: ["Nilainya terlalu besar."]}


@pytest.mark.parametrize(("path", "field", "message"), [
    ("/persons?posyandu_id=99999999999999999999", "posyandu_id", "Nilainya terlalu besar."),
    ("/households?posyandu_id=-99999999999999999999", "posyandu_id", "Nilainya terlalu kecil."),
    ("/pregnancies?person_id=99999999999999999999", "person_id", "Nilainya terlalu besar."),
    ("/tasks?posyandu=99999999999999999999", "posyandu", "Nilainya terlalu besar."),
])
def test_an_id_no_database_key_can_hold_is_a_field_error(client, kader_miji, path, field, message):
    assert _errors(client.get(API + path, **bearer(kader_miji))) == {field: [message]}


def test_a_participant_id_no_database_key_can_hold_is_a_field_error(client, lurah_miji):
    response = client.post(f"{API}/programmes/1/activities/1/participants",
                           {"attendance": {"99999999999999999999": "attended"}},
                           content_type="application/json", **bearer(lurah_miji))
    assert _errors(response) == {"attendance.99999999999999999999.[key]": ["Nilainya terlalu besar."]}


def test_deeply_nested_json_is_a_bad_body_in_bahasa(client, kader_miji):
    body = "[" * 100_000 + "]" * 100_000
    response = client.post(f"{API}/sync/push", body, content_type="application/json", **bearer(kader_miji))
    assert response.status_code == 400 and response.json()["code"] == "bad_json"


def test_an_unexpected_error_is_answered_in_json_and_bahasa(client, kader_miji, monkeypatch, caplog):
    from simpul.regions import api as regions_api

    def broken(code):
        raise RuntimeError("a bug")

    monkeypatch.setattr(regions_api, "undotted", broken)  # a bug anywhere in a view
    response = client.get(f"{API}/regions/35", **bearer(kader_miji))
    assert response.status_code == 500 and response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Terjadi kesalahan di server. Coba lagi nanti; bila terus terjadi, "
                                         "beri tahu admin.", "code": "server_error"}
    assert "a bug" in caplog.text


def test_a_path_the_api_does_not_have_is_a_json_404(client, kader_miji):
    response = client.get(f"{API}/tidak-ada", **bearer(kader_miji))
    assert response.status_code == 404 and response.json() == {"detail": "Tidak ditemukan.", "code": "not_found"}


def test_a_page_the_site_does_not_have_is_still_a_page(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_period_in_other_digits_than_ascii_is_refused(client, pembina_mojokerto):
    response = client.get(f"{API}/spm/achievement?region=35.76&period=𝟐𝟎𝟐𝟔", **bearer(pembina_mojokerto))
    assert list(_errors(response)) == ["period"]


def test_a_method_the_path_does_not_take_is_a_json_405(client, kader_miji, family_miji):
    person = family_miji.members.first()
    response = client.patch(f"{API}/persons/{person.pk}", {}, content_type="application/json", **bearer(kader_miji))
    assert response.status_code == 405 and response.json() == {"detail": "Metode ini tidak diizinkan di sini.",
                                                                "code": "method_not_allowed"}
    assert response.has_header("Allow")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_numbers_json_does_not_have_are_a_bad_body(client, kader_miji, family_miji, constant):
    person = family_miji.members.first()
    body = f'{{"person_id": {person.pk}, "measured_on": "2026-01-05", "weight_kg": {constant}}}'
    response = client.post(f"{API}/measurements", body, content_type="application/json", **bearer(kader_miji))
    assert response.status_code == 400 and response.json() == {
        "detail": "Isi permintaan bukan JSON UTF-8 yang valid.", "code": "bad_json"}
    assert not person.measurements.exists()


# --- The NUL character (found by fuzzing on PostgreSQL, whose text columns cannot hold it) -------------------

@pytest.mark.parametrize("path", ["/regions?q=%00", "/regions?q%00=1", "/regions/35.76%00", "/households?q=a%00b"])
def test_a_nul_in_the_address_is_a_bad_request_in_json(client, kader_miji, path):
    response = client.get(API + path, **bearer(kader_miji))
    assert response.status_code == 400 and response.json() == {"detail": "Permintaan tidak dapat dipahami.",
                                                               "code": "bad_request"}


def test_a_nul_in_a_page_search_is_a_bad_request_page(client, kader_miji):
    client.force_login(kader_miji)
    response = client.get("/warga/keluarga/?q=Darmo%00")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert client.get("/warga/keluarga/?q=Darmo").status_code == 200


def test_a_nul_in_any_text_of_a_body_is_a_field_error_and_nothing_is_stored(client, kader_miji, posyandu_miji):
    from simpul.registry.models import Household
    from simpul.sync.models import SyncReceipt

    items = [{"client_uuid": str(uuid.uuid4()), "kind": "household.create", "device_time": "2026-11-20T10:00:00+07:00",
              "data": {"posyandu_id": posyandu_miji.pk, "address": "Jl. Baik", "members": [
                  {"client_uuid": str(uuid.uuid4()), "full_name": "Warga\u0000Baru", "sex": "F",
                   "birth_date": "1990-01-01", "relationship": "kepala"}]}}]
    response = client.post(f"{API}/sync/push", {"device_id": "d", "form_version": 2, "items": items},
                           content_type="application/json", **bearer(kader_miji))
    assert _errors(response) == {"items.0.data.members.0.full_name": ["Teks tidak boleh berisi karakter NUL."]}
    assert not Household.objects.exists() and not SyncReceipt.objects.exists()


def test_a_nul_in_a_key_of_a_body_is_a_field_error(client, kader_miji, posyandu_miji):
    body = '{"posyandu_id": ' + str(posyandu_miji.pk) + ', "held_on": "2026-12-01", "not\\u0000es": "x"}'
    response = client.post(f"{API}/service-days", body, content_type="application/json", **bearer(kader_miji))
    assert _errors(response) == {"notes": ["Teks tidak boleh berisi karakter NUL."]}


def test_a_nul_in_a_form_field_is_a_field_error(client, kader_miji):
    response = client.post(f"{API}/sync/photo", {"client_uuid": "abc\x00", "item_uuid": str(uuid.uuid4())},
                           **bearer(kader_miji))
    assert _errors(response) == {"client_uuid": ["Teks tidak boleh berisi karakter NUL."]}


def test_a_form_body_that_cannot_be_read_is_a_bad_form(client, kader_miji):
    response = client.generic("POST", f"{API}/sync/photo", b"--x\r\nsampah", content_type="multipart/form-data",
                              **bearer(kader_miji))
    assert response.status_code == 400 and response.json() == {"detail": "Data formulir yang dikirim tidak dapat dibaca.",
                                                               "code": "bad_form"}


def test_a_nul_in_a_page_form_is_a_bad_request_page(client, kader_miji, family_miji):
    from simpul.audit.models import AuditEntry

    client.force_login(kader_miji)
    person = family_miji.members.first()
    before = AuditEntry.objects.count()
    response = client.post(f"/warga/orang/{person.pk}/", {"note": "catatan\x00"})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert AuditEntry.objects.count() == before


def test_a_form_with_more_files_than_django_reads_is_a_bad_request(client, kader_miji, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile(f"f{i}.jpg", b"x", content_type="image/jpeg")
             for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    response = client.post(f"{API}/sync/photo", {"client_uuid": str(uuid.uuid4()), "item_uuid": str(uuid.uuid4()),
                                                  "file": files}, **bearer(kader_miji))
    assert response.status_code == 400 and response.json() == {"detail": "Permintaan tidak dapat dipahami.",
                                                               "code": "bad_request"}


def test_a_choice_error_lists_the_options_without_english(client, kader_miji):
    body = {"sex": "X", "birth_date": "2025-01-10", "measured_on": "2026-01-10", "weight_kg": 9.1}
    response = client.post(f"{API}/growth/calculate", body, content_type="application/json", **bearer(kader_miji))
    assert _errors(response) == {"sex": ["Pilih salah satu dari: M, F."]}


def test_a_length_near_zero_is_refused_not_answered_with_infinity(client, kader_miji):
    body = {"sex": "F", "birth_date": "2024-01-10", "measured_on": "2026-01-10", "weight_kg": 10.2,
            "length_height_cm": 1e-300, "position": "standing"}
    response = client.post(f"{API}/growth/calculate", body, content_type="application/json", **bearer(kader_miji))
    assert _errors(response) == {"length_height_cm": ["Isi panjang atau tinggi badan lebih dari 30 dan paling banyak 250 cm."]}
