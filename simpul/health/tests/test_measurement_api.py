"""/api/v1/measurements: 201 then 200 on a replayed client_uuid, 422 field errors, 404 for outsiders."""

import json
import uuid

import pytest

from simpul.api.auth import token_issue
from simpul.audit.models import AccessLog
from simpul.health.models import Measurement

pytestmark = [pytest.mark.django_db]
URL = "/api/v1/measurements"


def bearer(user):
    raw, _token = token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, user, body, url=URL):
    return client.post(url, data=json.dumps(body), content_type="application/json", **bearer(user))


@pytest.fixture
def child(family_miji):
    return family_miji.members.get(full_name="Aisyah Putri")


def body(child, **extra):
    data = {"person_id": child.pk, "measured_on": "2025-01-14", "weight_kg": 8.9, "length_height_cm": 74.0,
            "position": "recumbent"}
    data.update(extra)
    return data


def test_it_records_and_replays(client, kader_miji, child):
    key = str(uuid.uuid4())
    first = post(client, kader_miji, body(child, client_uuid=key))
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["age_days"] == 365 and data["classification"]["wfa"] == "normal"
    assert abs(data["z"]["wfa"]) < 0.05 and data["z"]["acfa"] is None and data["flags"] == []
    assert data["weight_kg"] == 8.9 and data["position"] == "recumbent" and data["recorded_by"] == "kader.miji"
    again = post(client, kader_miji, body(child, client_uuid=key, weight_kg=9.5))
    assert again.status_code == 200 and again.json()["id"] == data["id"] and again.json()["weight_kg"] == 8.9
    assert Measurement.objects.count() == 1


def test_impossible_values_are_422_with_field_messages(client, kader_miji, child):
    response = post(client, kader_miji, body(child, weight_kg=90, length_height_cm=300))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"weight_kg", "length_height_cm"}
    assert Measurement.objects.count() == 0


def test_a_misspelt_field_is_refused(client, kader_miji, child):
    response = post(client, kader_miji, {**body(child), "wieght_kg": 8})
    assert response.status_code == 422 and Measurement.objects.count() == 0


@pytest.mark.parametrize("outsider", ["kader_meri", "kader_jepara", "opd_dinsos"])
def test_outsiders_cannot_record(client, request, child, outsider):
    response = post(client, request.getfixturevalue(outsider), body(child))
    assert response.status_code == 404 and Measurement.objects.count() == 0


def test_list_detail_and_access_log(client, kader_miji, bidan_kranggan, child):
    created = post(client, kader_miji, body(child)).json()
    listed = client.get(f"{URL}?person_id={child.pk}", **bearer(bidan_kranggan))
    assert listed.status_code == 200
    assert [m["id"] for m in listed.json()["items"]] == [created["id"]] and listed.json()["count"] == 1
    detail = client.get(f"{URL}/{created['id']}", **bearer(bidan_kranggan))
    assert detail.status_code == 200 and detail.json()["z"] == created["z"]
    assert AccessLog.objects.filter(object_type="health.measurement", actor=bidan_kranggan).count() == 2


@pytest.mark.parametrize("outsider", ["kader_meri", "kader_jepara", "opd_dinsos"])
def test_outsiders_cannot_read(client, request, kader_miji, child, outsider):
    created = post(client, kader_miji, body(child)).json()
    user = request.getfixturevalue(outsider)
    assert client.get(f"{URL}/{created['id']}", **bearer(user)).status_code == 404
    assert client.get(f"{URL}?person_id={child.pk}", **bearer(user)).json()["items"] == []


def test_correct_then_validate(client, kader_miji, bidan_kranggan, child):
    created = post(client, kader_miji, body(child, weight_kg=19.8)).json()
    assert "implausible_wfa" in created["flags"]
    fix = {k: v for k, v in body(child, weight_kg=9.8).items() if k != "person_id"}
    corrected = post(client, kader_miji, {**fix, "reason": "typo"},
                     url=f"{URL}/{created['id']}/correct")
    assert corrected.status_code == 201, corrected.content
    new = corrected.json()
    assert new["correction_reason"] == "typo" and new["flags"] == []
    old = client.get(f"{URL}/{created['id']}", **bearer(kader_miji)).json()
    assert old["superseded_by_id"] == new["id"]
    current = client.get(f"{URL}?person_id={child.pk}", **bearer(kader_miji)).json()["items"]
    assert [m["id"] for m in current] == [new["id"]]
    validated = client.post(f"{URL}/{new['id']}/validate", **bearer(bidan_kranggan))
    assert validated.status_code == 200 and validated.json()["validated_by"] == "bidan.kranggan"


def test_anonymous_is_401(client, child):
    assert client.get(URL).status_code == 401


def test_dinkes_reads_health_detail_and_the_lurah_and_other_agencies_do_not(client, kader_miji, lurah_miji,
                                                                          opd_dinsos, child):
    from conftest import MOJOKERTO, make_user

    assert post(client, kader_miji, body(child)).status_code == 201
    dinkes = make_user("opd.dinkes", "opd", region=MOJOKERTO, fields=["kesehatan"])
    listing = f"{URL}?person_id={child.pk}"
    assert client.get(listing, **bearer(dinkes)).json()["count"] == 1
    for outsider in (lurah_miji, opd_dinsos):
        assert client.get(listing, **bearer(outsider)).json()["count"] == 0
