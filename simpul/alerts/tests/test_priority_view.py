"""/peringatan/: households ranked by open alerts with their reasons; names and health detail by role."""

from __future__ import annotations

import pytest

from simpul.alerts.models import Alert
from simpul.alerts.services import alerts_evaluate
from simpul.alerts.tests import kit
from simpul.alerts.tests.kit import months_ago, years_ago
from simpul.audit.models import AccessLog
from simpul.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def homes(kader_miji, posyandu_miji):
    """Budi's family: a stunted toddler, no aid, and a baby in an RTLH house (2 alerts); Agus's wife has KEK (1)."""
    budi = kit.family(kader_miji, posyandu_miji, ("Aisyah Putri", "F", months_ago(20), "anak"),
                      ("Bayi Ara", "F", months_ago(3), "anak"))
    kit.condition(budi, house="rtlh")
    kit.measure(kit.member(budi, "Aisyah Putri"), lhfa="severely_stunted")
    agus = kit.family(kader_miji, posyandu_miji, ("Wati Lestari", "F", years_ago(24), "istri"), head="Agus Salim")
    kit.anc(kit.pregnancy(kit.member(agus, "Wati Lestari")), lila="22.1")
    alerts_evaluate([posyandu_miji.pk], today=kit.today())
    return {"budi": budi, "agus": agus}


def page(client, user, posyandu=None):
    client.force_login(user)
    url = "/peringatan/" + (f"?posyandu={posyandu.pk}" if posyandu else "")
    return client.get(url)


def test_the_kader_sees_households_ranked_with_names_and_reasons(client, kader_miji, posyandu_miji, homes):
    response = page(client, kader_miji)
    html = response.content.decode()
    assert response.status_code == 200
    # Budi's household has 2 open alerts, Agus's 1: Budi first.
    assert html.index("Budi Santoso") < html.index("Agus Salim")
    assert "Aisyah Putri" in html and "Wati Lestari" in html
    assert "LiLA 22.1" in html  # the kader of the kesehatan field sees the health detail
    assert html.count('action="/peringatan/') == 2 * 3  # refer + dismiss on each of the 3 alerts
    assert AccessLog.objects.filter(action="alerts.priority", actor=kader_miji).exists()


def test_the_camat_sees_reasons_without_names(client, camat_kranggan, posyandu_miji, homes):
    html = page(client, camat_kranggan, posyandu_miji).content.decode()
    assert 'data-rule="rtlh_baby"' in html
    for name in ("Budi Santoso", "Agus Salim", "Aisyah Putri", "Wati Lestari", "Bayi Ara", "22.1"):
        assert name not in html
    assert 'action="/peringatan/' not in html


def test_the_village_office_sees_the_household_but_not_health_detail(client, lurah_miji, posyandu_miji, homes):
    html = page(client, lurah_miji, posyandu_miji).content.decode()
    assert "Budi Santoso" in html and "Bayi Ara" in html  # the baby in an RTLH house is not health detail
    assert "Aisyah Putri" not in html  # her growth problem is: the reason shows without her name
    assert 'data-rule="pregnant_at_risk"' not in html and "Wati Lestari" not in html


def test_an_opd_officer_sees_only_alerts_naming_the_agency_without_names(client, opd_dinsos, opd_perkim,
                                                                         posyandu_miji, homes):
    html = page(client, opd_dinsos, posyandu_miji).content.decode()
    assert 'data-rule="malnourished_child_no_aid"' in html
    assert 'data-rule="rtlh_baby"' not in html and 'data-rule="pregnant_at_risk"' not in html
    assert "Budi Santoso" not in html and "Aisyah Putri" not in html
    html = page(client, opd_perkim, posyandu_miji).content.decode()
    assert 'data-rule="rtlh_baby"' in html and 'data-rule="malnourished_child_no_aid"' not in html


def test_a_kader_of_another_regency_never_sees_them(client, kader_jepara, posyandu_miji, homes):
    assert page(client, kader_jepara, posyandu_miji).status_code == 404
    html = page(client, kader_jepara).content.decode()
    assert "Budi Santoso" not in html and "data-rule" not in html


def test_the_refer_button_makes_one_referral(client, kader_miji, homes):
    alert = Alert.objects.get(household=homes["budi"], rule="rtlh_baby")
    client.force_login(kader_miji)
    response = client.post(f"/peringatan/{alert.pk}/rujuk/", {"category": "prk_rtlh", "next": "/peringatan/"})
    assert response.status_code == 302 and response.url == "/peringatan/"
    alert.refresh_from_db()
    assert alert.status == Alert.Status.REFERRED
    assert list(Referral.objects.filter(household=homes["budi"]).values_list("category__code", flat=True)) == [
        "prk_rtlh"]


def test_others_cannot_post_on_the_page(client, camat_kranggan, kader_jepara, homes):
    alert = Alert.objects.get(household=homes["budi"], rule="rtlh_baby")
    for user in (camat_kranggan, kader_jepara):
        client.force_login(user)
        assert client.post(f"/peringatan/{alert.pk}/rujuk/").status_code == 404
        assert client.post(f"/peringatan/{alert.pk}/abaikan/", {"reason": "Sudah pindah."}).status_code == 404
    alert.refresh_from_db()
    assert alert.status == Alert.Status.OPEN


def test_dismiss_without_a_reason_keeps_the_alert_open(client, kader_miji, homes):
    alert = Alert.objects.get(household=homes["budi"], rule="rtlh_baby")
    client.force_login(kader_miji)
    client.post(f"/peringatan/{alert.pk}/abaikan/", {"reason": ""})
    alert.refresh_from_db()
    assert alert.status == Alert.Status.OPEN
    client.post(f"/peringatan/{alert.pk}/abaikan/", {"reason": "Rumah sudah diperbaiki swadaya."})
    alert.refresh_from_db()
    assert (alert.status, alert.close_note) == (Alert.Status.DISMISSED, "Rumah sudah diperbaiki swadaya.")


def test_the_admin_may_not_open_the_page(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/peringatan/").status_code == 403


def test_an_area_page_links_down_to_the_areas_below_it(client, lurah_miji, camat_kranggan, posyandu_miji,
                                                        posyandu_meri, homes):
    """Without a posyandu the page opens at the user's area and links one level down, inside their area only."""
    desa = page(client, lurah_miji)
    assert desa.status_code == 200
    html = desa.content.decode()
    assert f"?posyandu={posyandu_miji.pk}" in html and f"?posyandu={posyandu_meri.pk}" not in html
    kecamatan = page(client, camat_kranggan)
    assert kecamatan.status_code == 200 and "?wilayah=3576031002" in kecamatan.content.decode()
