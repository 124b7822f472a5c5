"""/peringatan/aturan/: Tim Pembina tunes the early-warning rules of their kab/kota; nobody else may."""

from __future__ import annotations

import pytest

from conftest import JEPARA, MOJOKERTO
from simpul.alerts.models import Alert, RuleSetting
from simpul.alerts.services import alerts_evaluate
from simpul.alerts.tests import kit
from simpul.alerts.tests.kit import months_ago, years_ago
from simpul.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
URL = "/peringatan/aturan/"


def post(client, user, rule: str, data: dict, *, region: str = MOJOKERTO):
    client.force_login(user)
    return client.post(URL, {"wilayah": region, "rule": rule, **{f"{rule}-{k}": v for k, v in data.items()}})


def test_the_pembina_sees_every_rule_with_its_explanation_and_defaults(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-rule="') == 7
    assert "desil DTSEN paling tinggi 4" in html  # the explanation with the default threshold, in Bahasa
    assert 'name="newly_poor_school_child-max_decile" value="4"' in html
    assert "Bawaan: 4" in html


def test_a_new_threshold_is_saved_audited_and_raises_the_alerts_it_now_finds(
        client, pembina_mojokerto, kader_miji, posyandu_miji, django_capture_on_commit_callbacks):
    home = kit.family(kader_miji, posyandu_miji, ("Rina", "F", years_ago(10), "anak"))
    kit.condition(home, decile=5)
    alerts_evaluate([posyandu_miji.pk], today=kit.today())
    assert not Alert.objects.filter(household=home).exists()  # decile 5 is above the default 4
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, pembina_mojokerto, "newly_poor_school_child",
                        {"active": "on", "max_decile": "5", "min_age": "7", "max_age": "15"})
    assert response.status_code == 302 and response["Location"].endswith("#rule-newly_poor_school_child")
    setting = RuleSetting.objects.get(region_id=MOJOKERTO, rule="newly_poor_school_child")
    assert setting.params == {"max_decile": 5, "min_age": 7, "max_age": 15} and setting.active
    assert AuditEntry.objects.filter(action="alerts.rule_setting.saved", actor=pembina_mojokerto).count() == 1
    # The job after commit evaluated Kota Mojokerto again with the new threshold.
    assert Alert.objects.filter(household=home, rule="newly_poor_school_child", status="open").count() == 1
    html = client.get(response["Location"]).content.decode()
    assert "desil DTSEN paling tinggi 5" in html and "Tersimpan." in html


def test_switching_a_rule_off_closes_its_open_alerts(client, pembina_mojokerto, kader_miji, posyandu_miji,
                                                      django_capture_on_commit_callbacks):
    home = kit.family(kader_miji, posyandu_miji, ("Bayi Ara", "F", months_ago(2), "anak"))
    kit.condition(home, house="rtlh")
    alerts_evaluate([posyandu_miji.pk], today=kit.today())
    assert Alert.objects.get(household=home, rule="rtlh_baby").status == Alert.Status.OPEN
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, pembina_mojokerto, "rtlh_baby", {"max_months": "12"})  # "active" unticked
    assert response.status_code == 302
    closed = Alert.objects.get(household=home, rule="rtlh_baby")
    # closed because the rule is off, not because the house was repaired: the record says which
    assert (closed.status, closed.close_note) == (Alert.Status.RESOLVED, "rule_off")
    client.force_login(pembina_mojokerto)
    html = client.get(URL).content.decode()
    section = html[html.index('data-rule="rtlh_baby"'):]
    assert "Nonaktif" in section[:600]
    # Switched back on: the same alert opens again, not a second one.
    with django_capture_on_commit_callbacks(execute=True):
        post(client, pembina_mojokerto, "rtlh_baby", {"active": "on", "max_months": "12"})
    assert Alert.objects.get(household=home, rule="rtlh_baby").status == Alert.Status.OPEN


@pytest.mark.parametrize(("rule", "data", "field", "message"), [
    ("newly_poor_school_child", {"max_decile": "empat", "min_age": "7", "max_age": "15"}, "max_decile",
     "Masukkan bilangan bulat."),
    ("newly_poor_school_child", {"max_decile": "11", "min_age": "7", "max_age": "15"}, "max_decile",
     "Pastikan nilai ini lebih kecil dari atau sama dengan 10."),
    ("pregnant_at_risk", {"lila_below_cm": "40", "systolic": "140", "diastolic": "90"}, "lila_below_cm",
     "Pastikan nilai ini lebih kecil dari atau sama dengan 35."),
    ("newly_poor_school_child", {"max_decile": "4", "min_age": "16", "max_age": "15"}, "min_age",
     "Usia terendah tidak boleh lebih tinggi dari usia tertinggi."),
    ("malnourished_child_no_aid", {"max_months": "60", "wflh": ["wasted"]}, "lhfa", "Pilih minimal satu."),
    ("malnourished_child_no_aid", {"max_months": "60", "lhfa": ["tall"], "wflh": ["wasted"]}, "lhfa",
     "Masukkan pilihan yang valid. tall bukan salah satu dari pilihan yang tersedia."),
    ("pregnant_at_risk", {"lila_below_cm": "dua puluh", "systolic": "140", "diastolic": "90"}, "lila_below_cm",
     "Masukkan angka."),
])
def test_bad_values_are_shown_on_the_rule_in_bahasa_and_nothing_is_saved(client, pembina_mojokerto, rule, data,
                                                                         field, message):
    response = post(client, pembina_mojokerto, rule, {"active": "on", **data})
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    section = html[html.index(f'data-rule="{rule}"'):]
    # Under that field, on that rule's card.
    assert section.index(f'id="id_{rule}-{field}') < section.index(message) < section.index("</section>")
    assert not RuleSetting.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="alerts.rule_setting").exists()


def test_back_to_the_defaults_removes_the_setting(client, pembina_mojokerto, django_capture_on_commit_callbacks):
    post(client, pembina_mojokerto, "pregnant_at_risk",
         {"active": "on", "lila_below_cm": "23.0", "systolic": "150", "diastolic": "95"})
    assert RuleSetting.objects.get(rule="pregnant_at_risk").params == {"lila_below_cm": "23.0", "systolic": 150,
                                                                       "diastolic": 95}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"wilayah": MOJOKERTO, "rule": "pregnant_at_risk", "reset": "1"})
    assert response.status_code == 302
    assert not RuleSetting.objects.exists()
    assert AuditEntry.objects.filter(action="alerts.rule_setting.cleared").count() == 1
    html = client.get(URL).content.decode()
    assert "kembali memakai nilai bawaan" in html
    assert 'name="pregnant_at_risk-systolic" value="140"' in html


def test_nobody_but_the_pembina_of_that_kabkota_reaches_the_page(client, pembina_mojokerto, kader_miji,
                                                                 camat_kranggan, lurah_miji, opd_dinsos):
    for user in (kader_miji, camat_kranggan, lurah_miji, opd_dinsos):
        client.force_login(user)
        assert client.get(URL).status_code == 403, user.username
        assert client.post(URL, {"wilayah": MOJOKERTO, "rule": "rtlh_baby"}).status_code == 403
    client.force_login(pembina_mojokerto)
    assert client.get(URL, {"wilayah": JEPARA}).status_code == 404
    assert post(client, pembina_mojokerto, "rtlh_baby", {"max_months": "6"}, region=JEPARA).status_code == 404
    assert not RuleSetting.objects.exists()


def test_an_unknown_rule_is_refused_without_a_change(client, pembina_mojokerto):
    response = post(client, pembina_mojokerto, "free_lunch", {"active": "on"})
    assert response.status_code == 302
    assert "Aturan tidak dikenal." in client.get(response["Location"]).content.decode()
    assert not RuleSetting.objects.exists()


def test_the_priority_page_links_the_pembina_to_the_rules(client, pembina_mojokerto, kader_miji):
    client.force_login(pembina_mojokerto)
    assert f'href="{URL}"' in client.get("/peringatan/").content.decode()
    client.force_login(kader_miji)
    assert f'href="{URL}"' not in client.get("/peringatan/").content.decode()


def test_the_referral_settings_page_lists_the_rules_among_the_kabkota_settings(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    html = client.get("/rujukan/pengaturan/").content.decode()
    assert f'href="{URL}?wilayah={MOJOKERTO}"' in html and "Aturan peringatan dini" in html
