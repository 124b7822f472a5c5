"""/api/v1/alerts/rules: the rules as a kab/kota tuned them; Tim Pembina of that kab/kota changes them."""

from __future__ import annotations

import json

import pytest

from conftest import JEPARA, MOJOKERTO, bearer
from simpul.alerts.models import Alert, RuleSetting
from simpul.alerts.services import alerts_evaluate
from simpul.alerts.tests import kit
from simpul.alerts.tests.kit import years_ago
from simpul.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
URL = "/api/v1/alerts/rules"


def put(client, user, code: str, body: dict, region: str = MOJOKERTO):
    return client.put(f"{URL}/{code}?region={region}", data=json.dumps(body), content_type="application/json",
                      **bearer(user))


def test_the_list_gives_every_rule_with_values_defaults_and_options(client, pembina_mojokerto):
    response = client.get(URL, {"region": "35.76"}, **bearer(pembina_mojokerto))
    assert response.status_code == 200
    body = {rule["code"]: rule for rule in response.json()}
    assert len(body) == 7
    poor = body["newly_poor_school_child"]
    assert poor["active"] and not poor["own"] and poor["agencies"] == ["disdik", "dinsos"]
    assert {p["key"]: (p["kind"], p["value"], p["default"]) for p in poor["params"]} == {
        "max_decile": ("whole", 4, 4), "min_age": ("whole", 7, 7), "max_age": ("whole", 15, 15)}
    lhfa = next(p for p in body["malnourished_child_no_aid"]["params"] if p["key"] == "lhfa")
    assert lhfa["kind"] == "choices" and lhfa["options"] == ["severely_stunted", "stunted"]
    assert body["disaster_prone_disabled"]["params"] == []


def test_put_saves_audits_and_evaluates_the_kabkota_again(client, pembina_mojokerto, kader_miji, posyandu_miji,
                                                          django_capture_on_commit_callbacks):
    home = kit.family(kader_miji, posyandu_miji, ("Rina", "F", years_ago(10), "anak"))
    kit.condition(home, decile=5)
    alerts_evaluate([posyandu_miji.pk], today=kit.today())
    with django_capture_on_commit_callbacks(execute=True):
        response = put(client, pembina_mojokerto, "newly_poor_school_child", {"params": {"max_decile": 5}})
    assert response.status_code == 200
    body = response.json()
    assert body["own"] and body["updated_by"] == pembina_mojokerto.username
    assert next(p for p in body["params"] if p["key"] == "max_decile")["value"] == 5
    assert "paling tinggi 5" in body["explanation"]
    assert Alert.objects.filter(household=home, rule="newly_poor_school_child", status="open").count() == 1
    assert AuditEntry.objects.filter(action="alerts.rule_setting.saved").count() == 1


def test_delete_goes_back_to_the_defaults(client, pembina_mojokerto):
    put(client, pembina_mojokerto, "rtlh_baby", {"active": False})
    response = client.delete(f"{URL}/rtlh_baby?region={MOJOKERTO}", **bearer(pembina_mojokerto))
    assert response.status_code == 200
    assert response.json()["active"] and not response.json()["own"]
    assert not RuleSetting.objects.exists()
    assert AuditEntry.objects.filter(action="alerts.rule_setting.cleared").count() == 1


@pytest.mark.parametrize(("code", "body", "field"), [
    ("newly_poor_school_child", {"params": {"max_decile": "empat"}}, "params.max_decile"),
    ("newly_poor_school_child", {"params": {"colour": 1}}, "params.colour"),
    ("malnourished_child_no_aid", {"params": {"lhfa": ["tall"]}}, "params.lhfa"),
    ("pregnant_at_risk", {"params": {"lila_below_cm": "abc"}}, "params.lila_below_cm"),
    ("free_lunch", {"active": True}, "rule"),
])
def test_bad_input_is_a_422_with_field_errors_in_bahasa(client, pembina_mojokerto, code, body, field):
    response = put(client, pembina_mojokerto, code, body)
    assert response.status_code == 422
    errors = response.json()
    assert field in json.dumps(errors)
    assert "Mohon perbaiki isian yang ditandai." in json.dumps(errors, ensure_ascii=False)
    assert not RuleSetting.objects.exists()


def test_an_unknown_body_field_is_refused(client, pembina_mojokerto):
    assert put(client, pembina_mojokerto, "rtlh_baby", {"active": True, "colour": "red"}).status_code == 422
    assert not RuleSetting.objects.exists()


def test_nobody_else_reads_or_changes_the_rules(client, pembina_mojokerto, kader_miji, camat_kranggan,
                                                opd_dinsos):
    for user in (kader_miji, camat_kranggan, opd_dinsos):
        assert client.get(URL, {"region": MOJOKERTO}, **bearer(user)).status_code == 404, user.username
        assert put(client, user, "rtlh_baby", {"active": False}).status_code == 404
    assert client.get(URL, {"region": JEPARA}, **bearer(pembina_mojokerto)).status_code == 404
    assert put(client, pembina_mojokerto, "rtlh_baby", {"active": False}, region=JEPARA).status_code == 404
    assert client.get(URL, {"region": MOJOKERTO}).status_code == 401
    assert not RuleSetting.objects.exists()
