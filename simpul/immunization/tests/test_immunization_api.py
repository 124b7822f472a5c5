"""/api/v1/immunizations: record (201, 200 on replay), list by person, due list; errors as Bahasa JSON."""

import json
import uuid

import pytest

from conftest import make_user
from simpul.accounts.roles import Role
from simpul.api.auth import token_issue
from simpul.audit.models import AccessLog
from simpul.immunization.models import ImmunizationRecord
from simpul.immunization.tests.kit import D, aisyah, give

URL = "/api/v1/immunizations"


def bearer(user):
    raw, _token = token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, url, body, user):
    return client.post(url, data=json.dumps(body), content_type="application/json", **bearer(user))


def get(client, url, user, **params):
    return client.get(url, params, **bearer(user))


def body(person, **extra):
    data = {"person_id": person.pk, "dose": "hb0", "given_on": "2024-01-15", "vaccine": "Uniject HB",
            "batch_number": "B-2301", "given_by": "Bidan Endang", "place": "posyandu"}
    data.update(extra)
    return data


@pytest.mark.django_db
class TestCreate:
    def test_it_records_a_dose(self, client, kader_miji, family_miji):
        child = aisyah(family_miji)
        response = post(client, URL, body(child), kader_miji)
        assert response.status_code == 201, response.content
        data = response.json()
        assert (data["dose"], data["given_on"], data["batch_number"]) == ("hb0", "2024-01-15", "B-2301")
        assert ImmunizationRecord.objects.get(pk=data["id"]).person == child

    def test_a_replayed_client_uuid_answers_200_with_the_stored_record(self, client, kader_miji, family_miji):
        key = str(uuid.uuid4())
        first = post(client, URL, body(aisyah(family_miji), client_uuid=key), kader_miji)
        again = post(client, URL, body(aisyah(family_miji), client_uuid=key), kader_miji)
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["id"] == again.json()["id"]
        assert ImmunizationRecord.objects.count() == 1

    def test_a_double_dose_is_a_422_with_the_field_message(self, client, kader_miji, family_miji):
        child = aisyah(family_miji)
        assert post(client, URL, body(child), kader_miji).status_code == 201
        response = post(client, URL, body(child, given_on="2024-01-16"), kader_miji)
        assert response.status_code == 422
        assert "dose" in response.json()["errors"] and response.json()["detail"]
        assert ImmunizationRecord.objects.count() == 1

    def test_an_interval_violation_is_a_422(self, client, kader_miji, family_miji):
        child = aisyah(family_miji)
        give(kader_miji, child, {"opv1": D(2024, 2, 25)})
        response = post(client, URL, body(child, dose="opv2", given_on="2024-03-20"), kader_miji)
        assert response.status_code == 422 and "given_on" in response.json()["errors"]

    def test_bad_input_is_a_422_with_field_messages(self, client, kader_miji, family_miji):
        response = post(client, URL, body(aisyah(family_miji), given_on="15-01-2024", place="rumah"), kader_miji)
        assert response.status_code == 422
        assert set(response.json()["errors"]) == {"given_on", "place"}

    @pytest.mark.parametrize("who", ["kader_meri", "kader_jepara", "opd_dinsos"])
    def test_others_cannot_record(self, client, request, who, family_miji):
        response = post(client, URL, body(aisyah(family_miji)), request.getfixturevalue(who))
        assert response.status_code == 404
        assert ImmunizationRecord.objects.count() == 0


@pytest.mark.django_db
class TestRead:
    def test_a_childs_doses_paginated_and_logged(self, client, kader_miji, family_miji):
        child = aisyah(family_miji)
        give(kader_miji, child, {"hb0": D(2024, 1, 15), "bcg": D(2024, 2, 10), "opv1": D(2024, 2, 10)})
        response = get(client, URL, kader_miji, person_id=child.pk, limit=2)
        assert response.status_code == 200
        data = response.json()
        assert data["count"] == 3 and [r["dose"] for r in data["items"]] == ["hb0", "bcg"]
        assert AccessLog.objects.filter(object_type="immunization.immunizationrecord",
                                        object_id=str(child.pk)).exists()

    def test_the_bidan_of_the_area_can_read(self, client, kader_miji, bidan_kranggan, family_miji, posyandu_miji):
        child = aisyah(family_miji)
        give(kader_miji, child, {"hb0": D(2024, 1, 15)})
        assert get(client, URL, bidan_kranggan, person_id=child.pk).json()["count"] == 1
        due = get(client, f"{URL}/due", bidan_kranggan, posyandu_id=posyandu_miji.pk, on="2024-03-20")
        assert due.status_code == 200

    def test_the_due_list(self, client, kader_miji, family_miji, posyandu_miji):
        child = aisyah(family_miji)
        give(kader_miji, child, {"hb0": D(2024, 1, 15), "bcg": D(2024, 2, 10), "opv1": D(2024, 2, 10)})
        response = get(client, f"{URL}/due", kader_miji, posyandu_id=posyandu_miji.pk, on="2024-03-20")
        assert response.status_code == 200, response.content
        children = response.json()["children"]
        assert [c["full_name"] for c in children] == ["Aisyah Putri"]
        assert [d["dose"] for d in children[0]["due"]] == ["dpt_hb_hib1", "opv2", "rv1", "pcv1"]
        assert children[0]["overdue"] == []

    def test_the_status(self, client, kader_miji, family_miji):
        child = aisyah(family_miji)
        give(kader_miji, child, {"hb0": D(2024, 1, 15), "bcg": D(2024, 2, 10), "opv1": D(2024, 2, 10)})
        data = get(client, f"{URL}/status", kader_miji, person_id=child.pk, on="2024-04-15").json()
        assert data["complete_for_age"] is False
        assert {d["dose"]: d["state"] for d in data["doses"]}["dpt_hb_hib1"] == "overdue"

    @pytest.mark.parametrize("who", ["kader_meri", "kader_jepara", "opd_dinsos", "lurah_miji"])
    def test_others_get_404(self, client, request, who, kader_miji, family_miji, posyandu_miji):
        user = request.getfixturevalue(who)
        child = aisyah(family_miji)
        give(kader_miji, child, {"hb0": D(2024, 1, 15)})
        assert get(client, URL, user, person_id=child.pk).status_code == 404
        assert get(client, f"{URL}/status", user, person_id=child.pk).status_code == 404
        assert get(client, f"{URL}/due", user, posyandu_id=posyandu_miji.pk).status_code == 404

    def test_a_kader_without_the_health_field_gets_404(self, client, posyandu_miji, family_miji):
        kader = make_user("kader.pendidikan", Role.KADER, posyandu=posyandu_miji, fields=["pendidikan"])
        assert get(client, URL, kader, person_id=aisyah(family_miji).pk).status_code == 404
        assert get(client, f"{URL}/due", kader, posyandu_id=posyandu_miji.pk).status_code == 404
        assert post(client, URL, body(aisyah(family_miji)), kader).status_code == 404


@pytest.mark.django_db
class TestKipi:
    def test_it_notes_an_adverse_event(self, client, kader_miji, family_miji):
        record = give(kader_miji, aisyah(family_miji), {"bcg": D(2024, 2, 10)})[0]
        response = post(client, f"{URL}/{record.pk}/kipi", {"noted_on": "2024-02-11", "notes": "Demam"}, kader_miji)
        assert response.status_code == 200, response.content
        assert response.json()["kipi_notes"] == "Demam"

    def test_outsiders_get_404(self, client, kader_miji, kader_meri, family_miji):
        record = give(kader_miji, aisyah(family_miji), {"bcg": D(2024, 2, 10)})[0]
        response = post(client, f"{URL}/{record.pk}/kipi", {"noted_on": "2024-02-11", "notes": "Demam"}, kader_meri)
        assert response.status_code == 404
