"""/api/v1/screenings: 201 then 200 on a replayed client_uuid, 422 per-field errors with nothing written,
404 for outsiders, list filters, correction and the attendance list."""

import json
import uuid

import pytest

from simpul.api.auth import token_issue
from simpul.audit.models import AccessLog
from simpul.screening.models import Screening
from simpul.screening.tests.kit import D, adl, resident, screen

pytestmark = pytest.mark.django_db
URL = "/api/v1/screenings"
OUTSIDERS = ["kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan", "pembina_mojokerto", "opd_dinsos"]


def bearer(user):
    raw, _token = token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, user, body, url=URL):
    return client.post(url, data=json.dumps(body), content_type="application/json", **bearer(user))


@pytest.fixture
def budi(family_miji):
    return family_miji.members.get(full_name="Budi Santoso")


def body(person, **extra):
    data = {"person_id": person.pk, "screened_on": "2026-11-20", "weight_kg": 70, "height_cm": 170,
            "systolic": 150, "diastolic": 95, "glucose_mg_dl": 230}
    data.update(extra)
    return data


def test_it_records_and_replays(client, kader_miji, budi):
    key = str(uuid.uuid4())
    first = post(client, kader_miji, body(budi, client_uuid=key))
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["flags"] == ["hypertension", "hyperglycaemia"] and data["bmi"] == 24.2
    assert data["bmi_category"] == "normal" and data["class_bmifa"] is None and data["life_stage"] == "dewasa"
    assert data["age_years"] == 41 and data["client_uuid"] == key and data["recorded_by"] == "kader.miji"
    assert data["adl"] == {name: None for name in adl()} and data["smoking"] == "unknown"
    again = post(client, kader_miji, body(budi, client_uuid=key, systolic=120, diastolic=80))
    assert again.status_code == 200 and again.json()["id"] == data["id"] and again.json()["systolic"] == 150
    assert Screening.objects.count() == 1


def test_an_elder_with_barthel_items(client, kader_miji, posyandu_miji):
    elder = resident(kader_miji, posyandu_miji, "Mbah Sumini", "F", D(1955, 1, 10))
    response = post(client, kader_miji, {"person_id": elder.pk, "screened_on": "2026-11-20",
                                         **adl(adl_mobility=0, adl_stairs=0, adl_transfer=1)})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["adl_score"] == 13 and data["adl_category"] == "mild" and data["flags"] == ["functional_dependence"]


@pytest.mark.parametrize(("extra", "fields"), [
    ({"systolic": 300, "diastolic": 20}, {"diastolic"}),
    ({"weight_kg": 1, "height_cm": 300}, {"weight_kg", "height_cm"}),
    ({"systolic": 140.5}, {"systolic"}),  # not a whole number (schema)
    ({"glucose_mg_dl": 900, "haemoglobin_g_dl": 30}, {"glucose_mg_dl", "haemoglobin_g_dl"}),
    ({"screened_on": "2030-01-01"}, {"screened_on"}),
    ({"smoking": "kadang"}, {"smoking"}),
    ({"adl_feeding": 2}, {"adl_feeding"}),  # Budi is not elderly
    ({"wieght_kg": 70}, {"wieght_kg"}),  # misspelt: refused, not ignored
])
def test_bad_input_is_422_per_field_and_nothing_is_written(client, kader_miji, budi, extra, fields):
    response = post(client, kader_miji, body(budi, **extra))
    assert response.status_code == 422, response.content
    assert fields <= set(response.json()["errors"])
    assert Screening.objects.count() == 0


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_outsiders_cannot_record_nor_read(client, request, kader_miji, budi, outsider):
    s = screen(kader_miji, budi, weight_kg=70)
    user = request.getfixturevalue(outsider)
    assert post(client, user, body(budi)).status_code == 404
    assert client.get(f"{URL}/{s.pk}", **bearer(user)).status_code == 404
    assert client.get(f"{URL}?person_id={budi.pk}", **bearer(user)).json()["count"] == 0
    assert post(client, user, {"screened_on": "2026-11-20", "weight_kg": 71, "reason": "x"},
                url=f"{URL}/{s.pk}/correct").status_code == 404
    assert client.get(f"{URL}/targets?posyandu_id={budi.posyandu_id}", **bearer(user)).status_code == 404
    assert Screening.objects.count() == 1


def test_list_filters_detail_and_access_log(client, kader_miji, kader_meri, posyandu_meri, bidan_kranggan, budi):
    a = screen(kader_miji, budi, weight_kg=70, screened_on=D(2026, 5, 1))
    b = screen(kader_miji, budi, weight_kg=71)
    meri = resident(kader_meri, posyandu_meri, "Warga Meri", "M", D(1970, 1, 1))
    c = screen(kader_meri, meri, weight_kg=60)
    headers = bearer(bidan_kranggan)
    assert [s["id"] for s in client.get(f"{URL}?person_id={budi.pk}", **headers).json()["items"]] == [a.pk, b.pk]
    assert [s["id"] for s in client.get(f"{URL}?posyandu_id={posyandu_meri.pk}", **headers).json()["items"]] == [c.pk]
    assert client.get(URL, **headers).json()["count"] == 3  # the bidan covers the kecamatan
    assert client.get(URL, **bearer(kader_miji)).json()["count"] == 2
    detail = client.get(f"{URL}/{a.pk}", **headers)
    assert detail.status_code == 200 and detail.json()["weight_kg"] == 70.0
    assert AccessLog.objects.filter(object_type="screening.screening", actor=bidan_kranggan).count() == 4


def test_correct(client, kader_miji, budi):
    s = screen(kader_miji, budi, systolic=180, diastolic=80)
    key = str(uuid.uuid4())
    payload = {"screened_on": "2026-11-20", "systolic": 130, "diastolic": 80, "reason": "salah ketik",
               "client_uuid": key}
    response = post(client, kader_miji, payload, url=f"{URL}/{s.pk}/correct")
    assert response.status_code == 201 and response.json()["flags"] == []
    assert post(client, kader_miji, payload, url=f"{URL}/{s.pk}/correct").status_code == 200
    again = post(client, kader_miji, {**payload, "client_uuid": None}, url=f"{URL}/{s.pk}/correct")
    assert again.status_code == 409
    missing = post(client, kader_miji, {"screened_on": "2026-11-20", "systolic": 130, "diastolic": 80},
                   url=f"{URL}/{response.json()['id']}/correct")
    assert missing.status_code == 422 and "reason" in missing.json()["errors"]
    old = client.get(f"{URL}/{s.pk}", **bearer(kader_miji)).json()
    assert old["superseded_by_id"] == response.json()["id"]


def test_targets(client, kader_miji, bidan_kranggan, budi, posyandu_miji):
    s = screen(kader_miji, budi, systolic=150, diastolic=95)
    response = client.get(f"{URL}/targets?posyandu_id={posyandu_miji.pk}&on=2026-11-22", **bearer(bidan_kranggan))
    assert response.status_code == 200
    rows = response.json()
    assert [(r["full_name"], r["life_stage"]) for r in rows] == [("Budi Santoso", "dewasa"), ("Siti Aminah", "dewasa")]
    assert rows[0]["latest_screening_id"] == s.pk and rows[0]["latest_flags"] == ["hypertension"]
    assert rows[1]["latest_screening_id"] is None
