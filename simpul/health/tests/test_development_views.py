"""The development page: the checklist of the child's band, saving with a safe ?next=, history, access."""

import pytest

from conftest import make_user
from simpul.audit.models import AccessLog
from simpul.health.development import CURRENT
from simpul.health.models import DevelopmentCheck
from simpul.health.tests.kit import D, add_child, check

pytestmark = [pytest.mark.django_db]

ITEMS = CURRENT.band("m12_18").item_codes


@pytest.fixture
def child(family_miji):
    return family_miji.members.get(full_name="Aisyah Putri")  # born 15 Jan 2024


def url(child, query=""):
    return f"/kesehatan/orang/{child.pk}/perkembangan/{query}"


def post_data(no=0, **extra):
    data = {"checked_on": "2025-03-01", "band": "m12_18"}
    data.update({code: "yes" if i >= no else "no" for i, code in enumerate(ITEMS)})
    data.update(extra)
    return data


def test_the_kader_gets_the_questions_of_the_band_of_the_chosen_date(client, kader_miji, child):
    client.force_login(kader_miji)
    response = client.get(url(child, "?on=2025-03-01"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.band_obj.code == "m12_18" and [f.name for f in form.item_fields] == list(ITEMS)
    assert form.initial["checked_on"] == D(2025, 3, 1)
    assert response.context["band"].code == "m12_18"
    assert AccessLog.objects.filter(object_type="health.development_check", object_id=str(child.pk)).exists()


def test_saving_goes_back_to_the_page_and_shows_the_result(client, kader_miji, child):
    client.force_login(kader_miji)
    response = client.post(url(child), post_data(no=1))
    assert response.status_code == 302 and response["Location"] == url(child)
    stored = DevelopmentCheck.objects.get()
    assert stored.result == "doubtful" and stored.answers[ITEMS[0]] is False
    rows = client.get(url(child)).context["rows"]
    assert [r["check"] for r in rows] == [stored] and len(rows[0]["not_yet"]) == 1


def test_a_local_next_is_followed_and_a_foreign_one_is_not(client, kader_miji, child):
    client.force_login(kader_miji)
    growth = f"/kesehatan/orang/{child.pk}/pertumbuhan/"
    response = client.post(url(child), post_data(next=growth))
    assert response["Location"] == growth
    response = client.post(url(child), post_data(next="https://evil.example/steal"))
    assert response["Location"] == url(child)
    # The GET carries a safe next into the form, and drops a foreign one.
    assert client.get(url(child, f"?on=2025-03-01&next={growth}")).context["form"].initial["next"] == growth
    assert client.get(url(child, "?on=2025-03-01&next=//evil.example/")).context["form"].initial["next"] == ""


def test_an_unanswered_question_is_shown_on_its_field_and_nothing_is_saved(client, kader_miji, child):
    client.force_login(kader_miji)
    data = post_data()
    del data[ITEMS[2]]
    response = client.post(url(child), data)
    assert response.status_code == 200 and ITEMS[2] in response.context["form"].errors
    assert DevelopmentCheck.objects.count() == 0


def test_a_date_in_another_band_is_refused_on_the_date(client, kader_miji, child):
    client.force_login(kader_miji)
    response = client.post(url(child), post_data(checked_on="2025-01-14"))  # 11 months: band 9–12
    assert response.status_code == 200 and "checked_on" in response.context["form"].errors
    assert DevelopmentCheck.objects.count() == 0


def test_a_double_submit_saves_once(client, kader_miji, child):
    client.force_login(kader_miji)
    key = client.get(url(child, "?on=2025-03-01")).context["form"].initial["client_uuid"]
    client.post(url(child), post_data(client_uuid=str(key)))
    client.post(url(child), post_data(client_uuid=str(key)))
    assert DevelopmentCheck.objects.count() == 1


def test_the_growth_page_links_the_checklist_and_shows_the_last_result(client, kader_miji, child):
    check(kader_miji, child, D(2025, 3, 1), no=3)
    client.force_login(kader_miji)
    response = client.get(f"/kesehatan/orang/{child.pk}/pertumbuhan/")
    assert url(child) in response.content.decode()
    assert response.context["latest_check"].result == "possible_delay"


def test_a_child_past_72_months_has_history_but_no_form(client, kader_miji, posyandu_miji):
    older = add_child(kader_miji, posyandu_miji, "Rudi Tua", D(2019, 1, 1))
    client.force_login(kader_miji)
    response = client.get(url(older, "?on=2026-11-01"))
    assert response.status_code == 200 and response.context["form"] is None and response.context["band"] is None


def test_the_bidan_records_and_reads(client, bidan_kranggan, child):
    client.force_login(bidan_kranggan)
    assert client.get(url(child)).status_code == 200
    assert client.post(url(child), post_data()).status_code == 302


@pytest.mark.parametrize("persona", ["kader_meri", "kader_jepara", "lurah_miji"])
def test_outsiders_get_404_and_cannot_post(client, request, child, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(child)).status_code == 404
    assert client.post(url(child), post_data()).status_code == 404
    assert DevelopmentCheck.objects.count() == 0


@pytest.mark.parametrize("persona", ["camat_kranggan", "pembina_mojokerto", "opd_dinsos", "admin_user"])
def test_roles_without_person_access_are_refused(client, request, child, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(child)).status_code in {403, 404}
    assert client.post(url(child), post_data()).status_code in {403, 404}


def test_a_kader_of_another_field_gets_404(client, posyandu_miji, child):
    client.force_login(make_user("kader.guru", "kader", posyandu=posyandu_miji, fields=["pendidikan"]))
    assert client.get(url(child)).status_code == 404


def test_jepara_child_is_jeparas(client, kader_jepara, kader_miji, posyandu_jepara):
    joko = add_child(kader_jepara, posyandu_jepara, "Joko Jepara", D(2025, 3, 1))
    client.force_login(kader_jepara)
    assert client.get(url(joko)).status_code == 200
    client.force_login(kader_miji)
    assert client.get(url(joko)).status_code == 404
