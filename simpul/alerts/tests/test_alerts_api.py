"""/api/v1/alerts: scoped, masked lists; refer and dismiss with JSON field errors; never a 500."""

from __future__ import annotations

import pytest

from conftest import bearer as auth
from simpul.alerts.models import Alert
from simpul.alerts.services import alerts_evaluate
from simpul.alerts.tests import kit
from simpul.alerts.tests.kit import months_ago
from simpul.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(kader_miji, posyandu_miji):
    home = kit.family(kader_miji, posyandu_miji, ("Bayi Ara", "F", months_ago(5), "anak"))
    kit.condition(home, house="rtlh")
    alerts_evaluate([posyandu_miji.pk], today=kit.today())
    return Alert.objects.get(household=home, rule="rtlh_baby")


def test_the_kader_lists_named_alerts(client, kader_miji, alert):
    body = client.get("/api/v1/alerts", **auth(kader_miji)).json()
    [item] = body["items"]
    assert (item["id"], item["household_id"], item["household_name"]) == (alert.pk, alert.household_id,
                                                                            "Budi Santoso")
    assert item["agencies"] == ["perkim", "dinkes"] and item["can_act"] is True
    assert item["categories"] == ["prk_rtlh", "kes_rujukan"] and len(item["reasons"]) == 2


def test_the_camat_gets_masked_rows_and_jepara_nothing(client, camat_kranggan, kader_jepara, alert):
    [item] = client.get("/api/v1/alerts", **auth(camat_kranggan)).json()["items"]
    assert (item["household_id"], item["household_name"], item["can_act"]) == (None, "", False)
    assert item["rt"] == "002" and "Budi" not in str(item) and "Bayi Ara" not in str(item)
    assert client.get("/api/v1/alerts", **auth(kader_jepara)).json()["items"] == []
    assert client.get(f"/api/v1/alerts?posyandu={alert.posyandu_id}", **auth(kader_jepara)).status_code == 404


def test_refer_makes_one_referral_and_a_second_is_a_conflict(client, kader_miji, alert):
    response = client.post(f"/api/v1/alerts/{alert.pk}/refer", {"category": "kes_rujukan"},
                           content_type="application/json", **auth(kader_miji))
    assert response.status_code == 200
    body = response.json()
    referral = Referral.objects.get(pk=body["referral_id"])
    assert (body["status"], referral.category.code, referral.person.full_name) == ("referred", "kes_rujukan",
                                                                                   "Bayi Ara")
    again = client.post(f"/api/v1/alerts/{alert.pk}/refer", {}, content_type="application/json", **auth(kader_miji))
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert Referral.objects.count() == 1


def test_bad_input_is_a_json_field_error(client, kader_miji, alert):
    response = client.post(f"/api/v1/alerts/{alert.pk}/refer", {"category": "trb_narkoba"},
                           content_type="application/json", **auth(kader_miji))
    assert response.status_code == 422 and "category" in response.json()["errors"]
    response = client.post(f"/api/v1/alerts/{alert.pk}/dismiss", {"reason": "x"}, content_type="application/json",
                           **auth(kader_miji))
    assert response.status_code == 422 and "reason" in response.json()["errors"]
    response = client.post(f"/api/v1/alerts/{alert.pk}/dismiss", {"why": "x"}, content_type="application/json",
                           **auth(kader_miji))
    assert response.status_code == 422 and "reason" in response.json()["errors"]
    assert client.get("/api/v1/alerts?status=lost", **auth(kader_miji)).json()["errors"]["status"]
    alert.refresh_from_db()
    assert alert.status == Alert.Status.OPEN


def test_dismiss_closes_the_alert(client, kader_miji, alert):
    response = client.post(f"/api/v1/alerts/{alert.pk}/dismiss", {"reason": "Keluarga sudah pindah ke Surabaya."},
                           content_type="application/json", **auth(kader_miji))
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    assert client.get("/api/v1/alerts", **auth(kader_miji)).json()["items"] == []  # open ones only by default
    assert len(client.get("/api/v1/alerts?status=dismissed", **auth(kader_miji)).json()["items"]) == 1


def test_supervisors_and_outsiders_cannot_act(client, camat_kranggan, opd_perkim, kader_jepara, alert):
    for user in (camat_kranggan, opd_perkim, kader_jepara):
        for action, payload in (("refer", {}), ("dismiss", {"reason": "Sudah pindah rumah."})):
            response = client.post(f"/api/v1/alerts/{alert.pk}/{action}", payload, content_type="application/json",
                                   **auth(user))
            assert response.status_code == 404, (user.username, action)
    alert.refresh_from_db()
    assert alert.status == Alert.Status.OPEN
