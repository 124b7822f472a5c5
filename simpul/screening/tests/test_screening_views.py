"""Screening pages: the form fits the life stage, errors per field with nothing saved, a safe ``next``,
flags shown in the history and the posyandu list, reads logged, outsiders 404."""

import pytest

from simpul.audit.models import AccessLog
from simpul.screening.models import Screening
from simpul.screening.tests.kit import D, adl, resident, screen

pytestmark = pytest.mark.django_db
OUTSIDERS = ["kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan", "pembina_mojokerto", "opd_dinsos"]


@pytest.fixture
def budi(family_miji):
    return family_miji.members.get(full_name="Budi Santoso")


def record_url(person):
    return f"/skrining/orang/{person.pk}/baru/"


def history_url(person):
    return f"/skrining/orang/{person.pk}/"


def form(**extra):
    data = {"screened_on": "2026-11-20", "weight_kg": "70", "height_cm": "170", "waist_cm": "85",
            "systolic": "150", "diastolic": "95", "glucose_mg_dl": "", "haemoglobin_g_dl": "", "smoking": "no"}
    data.update(extra)
    return data


def test_the_form_shows_the_fields_of_the_life_stage(client, kader_miji, posyandu_miji, budi):
    client.force_login(kader_miji)
    teen = resident(kader_miji, posyandu_miji, "Putri", "F", D(2012, 2, 2))
    elder = resident(kader_miji, posyandu_miji, "Mbah Sumini", "F", D(1955, 1, 10))
    fields = {name: set(client.get(record_url(p)).context["form"].fields) for name, p in
              {"teen": teen, "adult": budi, "elder": elder}.items()}
    assert {"weight_kg", "height_cm", "haemoglobin_g_dl", "systolic", "diastolic", "pregnant"} <= fields["teen"]
    assert not {"waist_cm", "glucose_mg_dl", "smoking", "adl_feeding"} & fields["teen"]
    assert {"waist_cm", "glucose_mg_dl", "smoking"} <= fields["adult"]
    assert "adl_feeding" not in fields["adult"] and "pregnant" not in fields["adult"]  # Budi is a man
    assert {"waist_cm", "glucose_mg_dl", "adl_feeding", "adl_stairs"} <= fields["elder"]
    html = client.get(record_url(elder)).content.decode()
    assert 'name="adl_stairs"' in html and "<fieldset" in html


def test_a_young_child_gets_a_notice_instead_of_a_form(client, kader_miji, family_miji):
    client.force_login(kader_miji)
    child = family_miji.members.get(full_name="Aisyah Putri")
    response = client.get(record_url(child))
    assert response.status_code == 200 and not response.context["screened_here"]
    assert 'name="weight_kg"' not in response.content.decode()
    assert client.post(record_url(child), {"screened_on": "2026-11-20", "weight_kg": "10"}).status_code == 400
    assert Screening.objects.count() == 0


def test_the_kader_records_and_sees_the_flags(client, kader_miji, budi):
    client.force_login(kader_miji)
    response = client.post(record_url(budi), form())
    assert response.status_code == 302 and response["Location"] == history_url(budi)
    s = Screening.objects.get()
    assert s.flags == ["hypertension"] and s.recorded_by == kader_miji
    page = client.get(history_url(budi))
    assert page.status_code == 200 and page.context["screenings"] == [s]
    assert 'class="chip missing"' in page.content.decode() and "150/95" in page.content.decode()
    assert AccessLog.objects.filter(object_type="screening.screening", object_id=str(budi.pk),
                                    actor=kader_miji).exists()


def test_the_elderly_barthel_items_are_saved(client, kader_miji, posyandu_miji):
    client.force_login(kader_miji)
    elder = resident(kader_miji, posyandu_miji, "Mbah Sumini", "F", D(1955, 1, 10))
    items = {name: str(score) for name, score in adl(adl_stairs=0).items()}
    response = client.post(record_url(elder), form(**items))
    assert response.status_code == 302, response.context["form"].errors
    s = Screening.objects.get()
    assert s.adl_score == 18 and s.adl_category == "mild" and "functional_dependence" in s.flags


def test_a_safe_next_is_followed_and_an_unsafe_one_is_not(client, kader_miji, budi, posyandu_miji):
    client.force_login(kader_miji)
    back = f"/skrining/posyandu/{posyandu_miji.pk}/"
    page = client.get(record_url(budi) + f"?next={back}")
    assert f'value="{back}"' in page.content.decode()  # carried in a hidden field
    response = client.post(record_url(budi) + f"?next={back}", form())
    assert response["Location"] == back
    response = client.post(record_url(budi), form(next="https://evil.example/steal"))
    assert response["Location"] == history_url(budi)
    response = client.post(record_url(budi), form(next="//evil.example/"))
    assert response["Location"] == history_url(budi)
    assert Screening.objects.count() == 3


def test_errors_are_shown_per_field_and_nothing_is_saved(client, kader_miji, budi):
    client.force_login(kader_miji)
    response = client.post(record_url(budi), form(systolic="300", diastolic="20", weight_kg="1", glucose_mg_dl="900"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"diastolic", "weight_kg", "glucose_mg_dl"} <= set(errors)
    assert Screening.objects.count() == 0


def test_a_double_submit_saves_once(client, kader_miji, budi):
    client.force_login(kader_miji)
    key = client.get(record_url(budi)).context["form"].initial["client_uuid"]
    client.post(record_url(budi), form(client_uuid=str(key)))
    client.post(record_url(budi), form(client_uuid=str(key)))
    assert Screening.objects.count() == 1


def test_the_correction_page(client, kader_miji, budi):
    s = screen(kader_miji, budi, systolic=180, diastolic=80)
    client.force_login(kader_miji)
    url = f"/skrining/{s.pk}/koreksi/"
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"].initial["systolic"] == 180
    response = client.post(url, {"screened_on": "2026-11-20", "systolic": "130", "diastolic": "80", "smoking": "unknown"})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    response = client.post(url, {"screened_on": "2026-11-20", "systolic": "130", "diastolic": "80",
                                 "smoking": "unknown", "reason": "salah ketik"})
    assert response.status_code == 302 and response["Location"] == history_url(budi)
    s.refresh_from_db()
    assert s.superseded_by.flags == [] and s.superseded_by.correction_reason == "salah ketik"


def test_the_posyandu_list_shows_latest_results_and_filters_by_flag(client, bidan_kranggan, kader_miji, budi,
                                                                     posyandu_miji):
    elder = resident(kader_miji, posyandu_miji, "Mbah Sumini", "F", D(1955, 1, 10))
    screen(kader_miji, budi, systolic=150, diastolic=95)
    screen(kader_miji, elder, systolic=120, diastolic=80)
    client.force_login(bidan_kranggan)
    url = f"/skrining/posyandu/{posyandu_miji.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and page.context["screened"] == 2
    listed = [t.person.full_name for _label, targets in page.context["groups"] for t in targets]
    assert listed == ["Budi Santoso", "Siti Aminah", "Mbah Sumini"]
    flagged = client.get(url + "?flag=hypertension")
    assert [t.person.full_name for _l, ts in flagged.context["groups"] for t in ts] == ["Budi Santoso"]
    assert client.get(url + "?flag=nonsense").context["flag"] == ""
    assert AccessLog.objects.filter(object_type="screening.posyandu", actor=bidan_kranggan).count() == 3
    assert f"{history_url(budi)}?next={url}" in page.content.decode()  # links come back here


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_outsiders_get_404_everywhere(client, request, kader_miji, budi, posyandu_miji, outsider):
    s = screen(kader_miji, budi, weight_kg=70)
    client.force_login(request.getfixturevalue(outsider))
    for url in (history_url(budi), f"/skrining/posyandu/{posyandu_miji.pk}/"):
        assert client.get(url).status_code in {403, 404}
    for url in (record_url(budi), f"/skrining/{s.pk}/koreksi/"):
        assert client.get(url).status_code in {403, 404}
        assert client.post(url, form(reason="x")).status_code in {403, 404}
    assert Screening.objects.count() == 1


def test_anonymous_users_are_sent_to_log_in(client, budi):
    assert client.get(history_url(budi)).status_code == 302
