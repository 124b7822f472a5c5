"""The KIA pages: forms save through the services, errors per field, ?next= only to this site, 404 outside."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from simpul.audit.models import AccessLog
from simpul.maternal.models import AncVisit, NifasVisit, Pregnancy
from simpul.maternal.tests.kit import add_woman, close, register, siti, visit

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def ago(days: int) -> dt.date:
    return today() - dt.timedelta(days=days)


@pytest.fixture
def mother(family_miji):
    return siti(family_miji)


@pytest.fixture
def pregnancy(kader_miji, mother):
    return register(kader_miji, mother, hpht=ago(100), registered_on=ago(60), now=timezone.now())


def register_form(**extra):
    data = {"registered_on": ago(1).isoformat(), "hpht": ago(70).isoformat(), "estimated_weeks": "",
            "gravida": "2", "para": "1", "abortus": "0", "client_uuid": str(uuid.uuid4())}
    data.update(extra)
    return data


def anc_form(**extra):
    data = {"visited_on": ago(1).isoformat(), "examiner": "kader", "weight_kg": "58.5", "muac_cm": "22.5",
            "systolic": "145", "diastolic": "92", "iron_tablets": "30", "danger_signs": ["high_fever"],
            "notes": "", "client_uuid": str(uuid.uuid4())}
    data.update(extra)
    return data


def test_the_kader_registers_a_pregnancy_and_sees_it(client, kader_miji, mother):
    client.force_login(kader_miji)
    url = f"/kia/orang/{mother.pk}/hamil-baru/"
    assert client.get(url).status_code == 200
    response = client.post(url, register_form())
    assert response.status_code == 302 and response["Location"] == f"/kia/orang/{mother.pk}/"
    p = Pregnancy.objects.get()
    assert p.hpht == ago(70) and p.hpl == ago(70) + dt.timedelta(days=280)
    page = client.get(f"/kia/orang/{mother.pk}/")
    assert page.status_code == 200 and page.context["cards"][0]["p"] == p
    assert page.context["cards"][0]["age"].days == 70
    assert AccessLog.objects.filter(object_type="maternal.pregnancy", object_id=str(mother.pk)).exists()


def test_register_errors_are_shown_per_field_and_nothing_is_saved(client, kader_miji, mother):
    client.force_login(kader_miji)
    response = client.post(f"/kia/orang/{mother.pk}/hamil-baru/", register_form(gravida="1", para="1",
                                                                                hpht=(today() + dt.timedelta(days=3)).isoformat()))
    assert response.status_code == 200
    assert {"hpht", "para"} <= set(response.context["form"].errors)
    assert Pregnancy.objects.count() == 0


def test_a_double_submit_saves_once(client, kader_miji, mother):
    client.force_login(kader_miji)
    data = register_form()
    client.post(f"/kia/orang/{mother.pk}/hamil-baru/", data)
    client.post(f"/kia/orang/{mother.pk}/hamil-baru/", data)
    assert Pregnancy.objects.count() == 1


def test_an_anc_visit_is_saved_and_flagged_on_the_page(client, kader_miji, mother, pregnancy):
    client.force_login(kader_miji)
    url = f"/kia/kehamilan/{pregnancy.pk}/kunjungan/"
    assert client.get(url).status_code == 200
    assert client.post(url, anc_form()).status_code == 302
    v = AncVisit.objects.get()
    assert v.is_kek and v.is_hypertensive and v.danger_signs == ["high_fever"] and v.gestational_days == 99
    html = client.get(f"/kia/orang/{mother.pk}/").content.decode()
    assert html.count('class="badge warn"') >= 3  # KEK, high blood pressure, the danger sign


def test_anc_errors_are_per_field(client, kader_miji, pregnancy):
    client.force_login(kader_miji)
    response = client.post(f"/kia/kehamilan/{pregnancy.pk}/kunjungan/",
                           anc_form(weight_kg="300", muac_cm="5", systolic="80", diastolic="120"))
    assert response.status_code == 200
    assert {"weight_kg", "muac_cm", "systolic"} <= set(response.context["form"].errors)
    assert AncVisit.objects.count() == 0


def test_next_returns_to_the_posyandu_day_screen(client, kader_miji, pregnancy):
    client.force_login(kader_miji)
    back = "/hari-posyandu/7/ukur/?langkah=2"
    page = client.get(f"/kia/kehamilan/{pregnancy.pk}/kunjungan/", {"next": back})
    assert f'name="next" value="{back}"'.replace("&", "&amp;") in page.content.decode() or back in page.content.decode()
    response = client.post(f"/kia/kehamilan/{pregnancy.pk}/kunjungan/?next={back}", anc_form(next=back))
    assert response.status_code == 302 and response["Location"] == back


@pytest.mark.parametrize("evil", ["https://evil.example/x", "//evil.example/x", "javascript:alert(1)"])
def test_next_to_another_site_is_ignored(client, kader_miji, pregnancy, evil):
    client.force_login(kader_miji)
    response = client.post(f"/kia/kehamilan/{pregnancy.pk}/kunjungan/", anc_form(next=evil))
    assert response.status_code == 302 and response["Location"] == f"/kia/orang/{pregnancy.person_id}/"
    assert evil not in client.get(f"/kia/orang/{pregnancy.person_id}/", {"next": evil}).content.decode()


def test_close_then_nifas(client, kader_miji, posyandu_miji):
    woman = add_woman(kader_miji, posyandu_miji, "Dewi", dt.date(1994, 1, 1))
    pregnancy = register(kader_miji, woman, hpht=ago(275), registered_on=ago(200), now=timezone.now())
    client.force_login(kader_miji)
    nifas_url = f"/kia/kehamilan/{pregnancy.pk}/nifas/"
    assert client.get(nifas_url).context["delivered"] is False
    response = client.post(f"/kia/kehamilan/{pregnancy.pk}/selesai/",
                           {"status": "delivered", "on": ago(150).isoformat(), "outcome_note": ""})
    assert response.status_code == 200 and "on" in response.context["form"].errors  # day 125: not a delivery
    assert client.post(f"/kia/kehamilan/{pregnancy.pk}/selesai/",
                       {"status": "delivered", "on": ago(5).isoformat(), "outcome_note": "RS"}).status_code == 302
    response = client.post(nifas_url, {"visited_on": ago(2).isoformat(), "examiner": "bidan", "systolic": "",
                                       "diastolic": "", "vitamin_a": "on", "kb_method": "implant",
                                       "client_uuid": str(uuid.uuid4())})
    assert response.status_code == 302
    v = NifasVisit.objects.get()
    assert (v.days_after_delivery, v.vitamin_a, v.kb_method) == (3, True, "implant")


def test_the_kader_corrects_a_visit(client, kader_miji, pregnancy):
    old = visit(kader_miji, pregnancy, ago(10), muac_cm="21.0", now=timezone.now())
    client.force_login(kader_miji)
    url = f"/kia/kunjungan/{old.pk}/koreksi/"
    assert client.get(url).context["form"].initial["muac_cm"] == old.muac_cm
    response = client.post(url, anc_form(visited_on=ago(10).isoformat(), muac_cm="25.0", systolic="", diastolic="",
                                         danger_signs=[], reason="LiLA salah"))
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.superseded_by.muac_cm == 25 and old.superseded_by.correction_reason == "LiLA salah"


def test_the_posyandu_list_shows_pregnant_women_and_flags(client, kader_miji, bidan_kranggan, posyandu_miji, pregnancy):
    visit(kader_miji, pregnancy, ago(3), muac_cm="22.0", now=timezone.now())
    delivered = register(kader_miji, add_woman(kader_miji, posyandu_miji, "Dewi", dt.date(1994, 1, 1)),
                         hpht=ago(300), registered_on=ago(250), now=timezone.now())
    close(kader_miji, delivered, on=ago(10), now=timezone.now())
    client.force_login(bidan_kranggan)
    page = client.get(f"/kia/posyandu/{posyandu_miji.pk}/ibu-hamil/")
    assert page.status_code == 200
    assert [w.person.pk for w in page.context["women"]] == [pregnancy.person_id] and page.context["women"][0].kek
    assert [p.pk for p in page.context["nifas"]] == [delivered.pk]
    assert AccessLog.objects.filter(object_type="maternal.pregnant_women", actor=bidan_kranggan).exists()
    # A past posyandu day: Siti's pregnancy was not recorded yet, Dewi was still pregnant.
    past = client.get(f"/kia/posyandu/{posyandu_miji.pk}/ibu-hamil/", {"on": ago(70).isoformat()}).context
    assert [w.pregnancy.pk for w in past["women"]] == [delivered.pk] and past["nifas"] == []


@pytest.mark.parametrize("outsider", ["kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan",
                                      "pembina_mojokerto", "opd_dinsos"])
def test_outsiders_can_neither_read_nor_post(client, request, pregnancy, outsider):
    client.force_login(request.getfixturevalue(outsider))
    assert client.get(f"/kia/orang/{pregnancy.person_id}/").status_code in {403, 404}
    assert client.post(f"/kia/kehamilan/{pregnancy.pk}/kunjungan/", anc_form()).status_code in {403, 404}
    assert client.post(f"/kia/kehamilan/{pregnancy.pk}/selesai/",
                       {"status": "delivered", "on": ago(5).isoformat()}).status_code in {403, 404}
    assert AncVisit.objects.count() == 0 and Pregnancy.objects.get().status == "ongoing"


def test_a_man_has_no_kia_page(client, kader_miji, family_miji):
    client.force_login(kader_miji)
    budi = family_miji.members.get(full_name="Budi Santoso")
    assert client.get(f"/kia/orang/{budi.pk}/").status_code == 404


def test_anonymous_users_are_sent_to_login(client, pregnancy):
    response = client.get(f"/kia/orang/{pregnancy.person_id}/")
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")
