"""POST /api/v1/growth/calculate: logged-in users only; z, codes and flags; 422 with field errors."""

import json

import pytest

from simpul.api.auth import token_issue

pytestmark = [pytest.mark.django_db]

URL = "/api/v1/growth/calculate"


def body(**extra):
    data = {"sex": "M", "birth_date": "2024-06-15", "measured_on": "2025-06-15", "weight_kg": 9.6,
            "length_height_cm": 75.0, "position": "recumbent", "head_circumference_cm": 46.0, "muac_cm": 14.5,
            "oedema": False}
    data.update(extra)
    return data


def post(client, data, **headers):
    return client.post(URL, data=json.dumps(data), content_type="application/json", **headers)


def test_it_calculates_for_a_logged_in_kader(client, kader_miji):
    client.force_login(kader_miji)
    response = post(client, body())
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["age_days"] == 365
    assert set(data["z"]) == {"wfa", "lhfa", "wflh", "bmifa", "hcfa", "acfa"}
    assert all(isinstance(z, float) and round(z, 2) == z for z in data["z"].values())
    assert data["classification"] == {"wfa": "normal", "lhfa": "normal", "wflh": "normal", "bmifa": "normal"}
    assert data["flags"] == []


def test_it_accepts_a_bearer_token(client, bidan_kranggan):
    raw, _token = token_issue(user=bidan_kranggan)
    response = post(client, body(weight_kg=16.0), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["z"]["wfa"] == 4.96  # restricted (unrestricted: 4.71)


def test_only_the_required_fields(client, kader_miji):
    client.force_login(kader_miji)
    response = post(client, {"sex": "F", "birth_date": "2023-01-01", "measured_on": "2025-01-01"})
    assert response.status_code == 200
    data = response.json()
    assert data["age_days"] == 731
    assert set(data["z"].values()) == {None} and set(data["classification"].values()) == {None}


def test_flags_and_nulls(client, kader_miji):
    client.force_login(kader_miji)
    data = post(client, body(length_height_cm=55.0, oedema=True)).json()
    assert "implausible_lhfa" in data["flags"]
    assert data["classification"]["lhfa"] == "severely_stunted"
    assert data["z"]["wfa"] is None and data["classification"]["wflh"] is None


def test_anonymous_gets_401(client):
    response = post(client, body())
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


@pytest.mark.parametrize(("change", "field"), [
    ({"measured_on": "2024-06-01"}, "measured_on"),
    ({"measured_on": "2099-01-01"}, "measured_on"),
    ({"birth_date": "2001-01-01"}, "birth_date"),
    ({"weight_kg": 0}, "weight_kg"),
    ({"weight_kg": 251}, "weight_kg"),
    ({"length_height_cm": -5}, "length_height_cm"),
    ({"length_height_cm": 300}, "length_height_cm"),
    ({"head_circumference_cm": 0}, "head_circumference_cm"),
    ({"muac_cm": 150}, "muac_cm"),
])
def test_bad_values_give_422_with_field_errors(client, kader_miji, change, field):
    client.force_login(kader_miji)
    response = post(client, body(**change))
    assert response.status_code == 422
    data = response.json()
    assert list(data["errors"]) == [field]
    assert data["detail"] and data["errors"][field][0]


@pytest.mark.parametrize(("change", "field"), [
    ({"sex": "L"}, "sex"),
    ({"position": "sitting"}, "position"),
    ({"birth_date": "15-06-2024"}, "birth_date"),
    ({"weight_kg": "berat"}, "weight_kg"),
    ({"weight": 9.6}, "weight"),  # a misspelt field is refused, not ignored
])
def test_schema_errors_give_422_with_field_errors(client, kader_miji, change, field):
    client.force_login(kader_miji)
    response = post(client, body(**change))
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_a_missing_required_field(client, kader_miji):
    client.force_login(kader_miji)
    data = body()
    del data["birth_date"]
    response = post(client, data)
    assert response.status_code == 422
    assert "birth_date" in response.json()["errors"]
