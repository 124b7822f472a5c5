"""/api/v1/pregnancies: 201 then 200 on a replayed client_uuid, 422 per field, 409 on state, 404 outside."""

import datetime as dt
import json
import uuid

import pytest
from django.utils import timezone

from simpul.api.auth import token_issue
from simpul.audit.models import AccessLog
from simpul.maternal.models import AncVisit, NifasVisit, Pregnancy
from simpul.maternal.tests.kit import siti

pytestmark = pytest.mark.django_db
URL = "/api/v1/pregnancies"


def bearer(user):
    raw, _token = token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, user, body, url=URL):
    return client.post(url, data=json.dumps(body), content_type="application/json", **bearer(user))


def ago(days: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


@pytest.fixture
def mother(family_miji):
    return siti(family_miji)


def body(mother, **extra):
    data = {"person_id": mother.pk, "registered_on": ago(30), "hpht": ago(100), "gravida": 2, "para": 1}
    data.update(extra)
    return data


@pytest.fixture
def pregnancy(client, kader_miji, mother):
    response = post(client, kader_miji, body(mother))
    assert response.status_code == 201, response.content
    return response.json()


def test_it_records_and_replays(client, kader_miji, mother):
    key = str(uuid.uuid4())
    first = post(client, kader_miji, body(mother, client_uuid=key))
    assert first.status_code == 201, first.content
    data = first.json()
    hpht = dt.date.fromisoformat(ago(100))
    assert data["hpl"] == (hpht + dt.timedelta(days=280)).isoformat() and data["hpht_source"] == "lmp"
    assert data["status"] == "ongoing" and data["recorded_by"] == "kader.miji"
    again = post(client, kader_miji, body(mother, client_uuid=key, hpht=ago(90)))
    assert again.status_code == 200 and again.json()["id"] == data["id"] and again.json()["hpht"] == hpht.isoformat()
    assert Pregnancy.objects.count() == 1


def test_an_estimated_hpht(client, kader_miji, mother):
    response = post(client, kader_miji, body(mother, hpht=None, estimated_weeks=12))
    assert response.status_code == 201
    assert response.json()["hpht_source"] == "estimated" and response.json()["hpht"] == ago(30 + 84)


def test_bad_input_is_422_per_field(client, kader_miji, mother):
    response = post(client, kader_miji, body(mother, hpht=ago(-3), gravida=1, para=1))
    assert response.status_code == 422
    assert {"hpht", "para"} <= set(response.json()["errors"])
    assert Pregnancy.objects.count() == 0


def test_a_misspelt_field_or_a_bad_date_is_refused(client, kader_miji, mother):
    assert post(client, kader_miji, {**body(mother), "hhpt": ago(100)}).status_code == 422
    response = post(client, kader_miji, body(mother, hpht="31-02-2026"))
    assert response.status_code == 422 and "hpht" in response.json()["errors"]
    assert Pregnancy.objects.count() == 0


def test_a_man_gets_a_message_not_a_404(client, kader_miji, family_miji):
    budi = family_miji.members.get(full_name="Budi Santoso")
    response = post(client, kader_miji, body(budi))
    assert response.status_code == 422 and "__all__" in response.json()["errors"]


def test_a_second_ongoing_pregnancy_is_409(client, kader_miji, mother, pregnancy):
    response = post(client, kader_miji, body(mother, hpht=ago(20), registered_on=ago(1)))
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert Pregnancy.objects.count() == 1


def test_anc_visit_create_replay_and_detail(client, kader_miji, bidan_kranggan, pregnancy):
    key = str(uuid.uuid4())
    visit = {"client_uuid": key, "visited_on": ago(10), "examiner": "bidan", "weight_kg": 60.2, "muac_cm": 22.5,
             "systolic": 145, "diastolic": 92, "iron_tablets": 30, "danger_signs": ["bleeding"]}
    first = post(client, kader_miji, visit, f"{URL}/{pregnancy['id']}/anc-visits")
    assert first.status_code == 201, first.content
    data = first.json()
    # HPHT 100 days ago, the visit 10 days ago: day 90 = 12 weeks 6 days, trimester I.
    assert (data["gestational_days"], data["gestational_weeks"], data["trimester"]) == (90, 12, 1)
    assert data["kek"] and data["hypertension"] and data["muac_cm"] == 22.5
    again = post(client, kader_miji, {**visit, "muac_cm": 30}, f"{URL}/{pregnancy['id']}/anc-visits")
    assert again.status_code == 200 and again.json()["id"] == data["id"] and AncVisit.objects.count() == 1
    detail = client.get(f"{URL}/{pregnancy['id']}", **bearer(bidan_kranggan))
    assert detail.status_code == 200
    d = detail.json()
    assert [v["id"] for v in d["anc_visits"]] == [data["id"]] and d["nifas_visits"] == []
    progress = d["anc_progress"]
    assert progress["contacts"] == {"tm1": 1, "tm2": 0, "tm3": 0} and progress["total_contacts"] == 1
    assert progress["met"] is False and progress["trimester_now"] == 2
    assert "contacts_tm2" in progress["missing"] and "doctor_tm1" in progress["missing"]
    states = {r["code"]: r["state"] for r in progress["requirements"]}
    assert states["contacts_tm1"] == "met" and states["doctor_tm1"] == "missed" and states["contacts_tm3"] == "open"
    assert AccessLog.objects.filter(object_type="maternal.pregnancy", actor=bidan_kranggan,
                                    action="api_read").exists()


def test_anc_visit_errors_are_422_per_field(client, kader_miji, pregnancy):
    response = post(client, kader_miji, {"visited_on": ago(10), "examiner": "bidan", "weight_kg": 300,
                                         "systolic": 80, "diastolic": 120, "danger_signs": ["x"]},
                    f"{URL}/{pregnancy['id']}/anc-visits")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"weight_kg", "systolic", "danger_signs"}
    assert post(client, kader_miji, {"visited_on": ago(10), "examiner": "dukun"},
                f"{URL}/{pregnancy['id']}/anc-visits").status_code == 422
    assert AncVisit.objects.count() == 0


def test_anc_visit_correct(client, kader_miji, pregnancy):
    created = post(client, kader_miji, {"visited_on": ago(10), "examiner": "bidan", "muac_cm": 21},
                   f"{URL}/{pregnancy['id']}/anc-visits").json()
    response = post(client, kader_miji, {"visited_on": ago(10), "examiner": "bidan", "muac_cm": 25,
                                         "reason": "salah tulis"}, f"{URL}/anc-visits/{created['id']}/correct")
    assert response.status_code == 201 and response.json()["kek"] is False
    old = AncVisit.objects.get(pk=created["id"])
    assert old.superseded_by_id == response.json()["id"]
    again = post(client, kader_miji, {"visited_on": ago(10), "examiner": "bidan", "reason": "lagi"},
                 f"{URL}/anc-visits/{created['id']}/correct")
    assert again.status_code == 409


def test_close_and_nifas(client, kader_miji, mother):
    created = post(client, kader_miji, body(mother, hpht=ago(280), registered_on=ago(200))).json()
    early = post(client, kader_miji, {"status": "delivered", "on": ago(200)}, f"{URL}/{created['id']}/close")
    assert early.status_code == 422 and "on" in early.json()["errors"]
    nifas_body = {"visited_on": ago(1), "examiner": "bidan", "vitamin_a": True, "kb_method": "pill"}
    assert post(client, kader_miji, nifas_body, f"{URL}/{created['id']}/nifas-visits").status_code == 409
    closed = post(client, kader_miji, {"status": "delivered", "on": ago(4)}, f"{URL}/{created['id']}/close")
    assert closed.status_code == 200 and closed.json()["delivered_on"] == ago(4)
    assert post(client, kader_miji, {"status": "ended", "on": ago(3)}, f"{URL}/{created['id']}/close").status_code == 409
    key = str(uuid.uuid4())
    first = post(client, kader_miji, {**nifas_body, "client_uuid": key}, f"{URL}/{created['id']}/nifas-visits")
    assert first.status_code == 201 and first.json()["days_after_delivery"] == 3
    again = post(client, kader_miji, {**nifas_body, "client_uuid": key}, f"{URL}/{created['id']}/nifas-visits")
    assert again.status_code == 200 and NifasVisit.objects.count() == 1
    bad = post(client, kader_miji, {**nifas_body, "kb_method": "herbal"}, f"{URL}/{created['id']}/nifas-visits")
    assert bad.status_code == 422 and "kb_method" in bad.json()["errors"]


def test_list_filters(client, kader_miji, bidan_kranggan, posyandu_miji, pregnancy, mother):
    listed = client.get(f"{URL}?posyandu_id={posyandu_miji.pk}&status=ongoing", **bearer(bidan_kranggan)).json()
    assert [p["id"] for p in listed["items"]] == [pregnancy["id"]] and listed["count"] == 1
    assert client.get(f"{URL}?status=delivered", **bearer(bidan_kranggan)).json()["count"] == 0
    assert client.get(f"{URL}?status=lost", **bearer(bidan_kranggan)).status_code == 422


def test_pregnant_women_list(client, bidan_kranggan, posyandu_miji, pregnancy, mother):
    response = client.get(f"{URL}/pregnant-women?posyandu_id={posyandu_miji.pk}", **bearer(bidan_kranggan))
    assert response.status_code == 200
    women = response.json()["pregnant"]
    assert [(w["person_id"], w["gestational_days"], w["trimester"]) for w in women] == [(mother.pk, 100, 2)]


@pytest.mark.parametrize("outsider", ["kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan",
                                      "pembina_mojokerto", "opd_dinsos"])
def test_outsiders_get_404_and_an_empty_list(client, request, mother, pregnancy, outsider):
    user = request.getfixturevalue(outsider)
    assert client.get(f"{URL}/{pregnancy['id']}", **bearer(user)).status_code == 404
    assert client.get(URL, **bearer(user)).json()["items"] == []
    assert post(client, user, body(mother, hpht=ago(20), registered_on=ago(1))).status_code == 404
    assert post(client, user, {"visited_on": ago(1), "examiner": "kader"},
                f"{URL}/{pregnancy['id']}/anc-visits").status_code == 404
    assert post(client, user, {"status": "ended", "on": ago(1)}, f"{URL}/{pregnancy['id']}/close").status_code == 404
    assert AncVisit.objects.count() == 0 and Pregnancy.objects.get().status == "ongoing"


def test_anonymous_is_401(client, pregnancy):
    assert client.get(f"{URL}/{pregnancy['id']}").status_code == 401
