"""/api/v1/households and /api/v1/persons: scoped, idempotent, JSON errors in Bahasa."""

import json
import uuid

import pytest

from simpul.api.auth import token_issue
from simpul.audit.models import AccessLog
from simpul.registry.models import Household, Person


def bearer(user):
    raw, _token = token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def payload(posyandu, **extra):
    body = {
        "posyandu_id": posyandu.pk, "address": "Jl. Surodinawan 3", "rt": "4", "rw": "1", "kk": "3576031203150003",
        "members": [
            {"full_name": "Agus Salim", "sex": "M", "birth_date": "1979-12-03", "relationship": "kepala",
             "nik": "3576030312790004"},
            {"full_name": "Dewi Lestari", "sex": "F", "birth_date": "2019-04-08", "relationship": "anak",
             "mother_name": "Rina"},
        ],
    }
    body.update(extra)
    return body


def post(client, url, body, user, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **bearer(user), **headers)


@pytest.mark.django_db
class TestCreate:
    def test_it_creates_a_household_with_members(self, client, kader_miji, posyandu_miji):
        response = post(client, "/api/v1/households", payload(posyandu_miji), kader_miji)
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["head_name"] == "Agus Salim"
        assert [m["full_name"] for m in body["members"]] == ["Agus Salim", "Dewi Lestari"]
        assert body["kk"].startswith("3576") and "3576031203150003" != body["kk"]

    def test_the_same_client_uuid_returns_the_stored_household(self, client, kader_miji, posyandu_miji):
        key = str(uuid.uuid4())
        first = post(client, "/api/v1/households", payload(posyandu_miji, client_uuid=key), kader_miji)
        again = post(client, "/api/v1/households", payload(posyandu_miji, client_uuid=key), kader_miji)
        assert first.status_code == 201 and again.status_code == 200
        assert first.json()["id"] == again.json()["id"]
        assert Household.objects.count() == 1 and Person.objects.count() == 2

    def test_another_scopes_client_uuid_reveals_nothing(self, client, kader_miji, kader_jepara, posyandu_miji,
                                                        posyandu_jepara):
        key = str(uuid.uuid4())
        post(client, "/api/v1/households", payload(posyandu_miji, client_uuid=key), kader_miji)
        other = payload(posyandu_jepara, client_uuid=key, kk="", members=[
            {"full_name": "Sutrisno", "sex": "M", "birth_date": "1970-01-01", "relationship": "kepala"}])
        response = post(client, "/api/v1/households", other, kader_jepara)
        assert response.status_code == 422
        assert "Agus" not in response.content.decode()

    def test_bad_input_gives_field_errors_in_bahasa(self, client, kader_miji, posyandu_miji):
        body = payload(posyandu_miji)
        body["members"][0]["nik"] = "12345"
        body["members"][1]["birth_date"] = "2099-01-01"
        response = post(client, "/api/v1/households", body, kader_miji)
        assert response.status_code == 422
        errors = response.json()["errors"]
        assert errors["members.0.nik"] == ["NIK harus tepat 16 digit."]
        assert errors["members.1.birth_date"] == ["Tanggal lahir tidak boleh di masa depan."]
        assert Household.objects.count() == 0 and Person.objects.count() == 0

    def test_schema_errors_are_in_bahasa_too(self, client, kader_miji, posyandu_miji):
        body = payload(posyandu_miji)
        body["members"][0]["birth_date"] = "17-05-1990"
        del body["address"]
        response = post(client, "/api/v1/households", body, kader_miji)
        assert response.status_code == 422
        errors = response.json()["errors"]
        assert errors["address"] == ["Kolom ini wajib diisi."]
        assert "members.0.birth_date" in errors

    def test_a_duplicate_kk_is_refused(self, client, kader_miji, posyandu_miji):
        assert post(client, "/api/v1/households", payload(posyandu_miji), kader_miji).status_code == 201
        again = payload(posyandu_miji)
        again["members"][0]["nik"] = ""
        response = post(client, "/api/v1/households", again, kader_miji)
        assert response.status_code == 422
        assert "kk" in response.json()["errors"]
        assert Household.objects.count() == 1

    def test_a_posyandu_of_another_regency_is_refused(self, client, kader_jepara, posyandu_miji):
        response = post(client, "/api/v1/households", payload(posyandu_miji), kader_jepara)
        assert response.status_code == 422
        assert "posyandu" in response.json()["errors"]
        assert Household.objects.count() == 0

    def test_non_utf8_body_is_a_400_in_bahasa(self, client, kader_miji):
        response = client.post("/api/v1/households", data=b'{"address": "\xff\xfe"}', content_type="application/json",
                               **bearer(kader_miji))
        assert response.status_code == 400
        assert response.json()["code"] == "bad_json"

    def test_an_oversized_body_is_a_413(self, client, kader_miji, posyandu_miji, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
        body = payload(posyandu_miji, address="x" * 5000)
        response = post(client, "/api/v1/households", body, kader_miji)
        assert response.status_code == 413
        assert Household.objects.count() == 0


@pytest.mark.django_db
class TestRead:
    def test_lists_are_scoped_and_mask_nik(self, client, kader_miji, kader_meri, family_miji):
        mine = client.get("/api/v1/persons", **bearer(kader_miji)).json()
        assert mine["count"] == 3
        assert all("•" in p["nik"] or p["nik"] == "" for p in mine["items"])
        assert client.get("/api/v1/persons", **bearer(kader_meri)).json()["count"] == 0
        assert client.get("/api/v1/households", **bearer(kader_meri)).json()["count"] == 0

    @pytest.mark.parametrize("persona", ["kader_meri", "kader_jepara", "camat_kranggan", "opd_dinsos", "admin_user",
                                         "pembina_mojokerto"])
    def test_guessing_ids_finds_nothing(self, client, request, persona, family_miji):
        user = request.getfixturevalue(persona)
        person = family_miji.members.first()
        assert client.get(f"/api/v1/households/{family_miji.pk}", **bearer(user)).status_code == 404
        response = client.get(f"/api/v1/persons/{person.pk}", **bearer(user))
        assert response.status_code == 404
        assert response.json()["detail"] == "Tidak ditemukan."

    def test_reading_a_person_is_logged(self, client, kader_miji, family_miji):
        person = family_miji.members.first()
        assert client.get(f"/api/v1/persons/{person.pk}", **bearer(kader_miji)).status_code == 200
        assert AccessLog.objects.filter(actor=kader_miji, action="api_read", object_id=str(person.pk)).exists()

    def test_disability_is_hidden_from_a_kader_without_health_or_social_field(self, client, posyandu_miji, kader_miji):
        from conftest import make_user, person_input, register_family

        family = register_family(kader_miji, posyandu_miji, members=[
            person_input("Rudi Hartono", "M", __import__("datetime").date(1975, 1, 1), "kepala", disability_type="physical")])
        teacher = make_user("kader.guru", "kader", posyandu=posyandu_miji, fields=["pendidikan"])
        person = family.members.get()
        assert client.get(f"/api/v1/persons/{person.pk}", **bearer(kader_miji)).json()["disability_type"] == "physical"
        assert client.get(f"/api/v1/persons/{person.pk}", **bearer(teacher)).json()["disability_type"] is None

    def test_unauthenticated_requests_get_401(self, client, family_miji):
        response = client.get("/api/v1/households")
        assert response.status_code == 401

    def test_the_openapi_document_lists_the_resources(self, client, db):
        paths = client.get("/api/v1/openapi.json").json()["paths"]
        for path in ("/api/v1/regions", "/api/v1/posyandu", "/api/v1/households", "/api/v1/persons",
                     "/api/v1/auth/token"):
            assert path in paths


@pytest.mark.django_db
class TestUpdate:
    def test_a_stale_version_gets_409(self, client, kader_miji, family_miji):
        person = family_miji.members.get(full_name="Aisyah Putri")
        body = {"full_name": "Aisyah", "sex": "F", "birth_date": "2024-01-15", "relationship": "anak",
                "expected_version": person.version + 5}
        response = client.put(f"/api/v1/persons/{person.pk}", data=json.dumps(body), content_type="application/json",
                              **bearer(kader_miji))
        assert response.status_code == 409
        assert response.json()["code"] == "conflict"

    def test_it_updates_with_the_current_version(self, client, kader_miji, family_miji):
        person = family_miji.members.get(full_name="Aisyah Putri")
        body = {"full_name": "Aisyah Putri Rahma", "sex": "F", "birth_date": "2024-01-15", "relationship": "anak",
                "mother_name": "Siti Aminah", "expected_version": person.version}
        response = client.put(f"/api/v1/persons/{person.pk}", data=json.dumps(body), content_type="application/json",
                              **bearer(kader_miji))
        assert response.status_code == 200
        assert response.json()["version"] == person.version + 1
