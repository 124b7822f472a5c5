"""Kader pages for households: who can list, search, register and open — and who must not."""

import pytest
from django.urls import reverse

from simpul.audit.models import AccessLog
from simpul.registry.models import Household, Person


def login(client, user):
    client.force_login(user)  # the login form itself (with throttling) is tested in accounts
    return client


def member_rows(*rows):
    data = {"members-TOTAL_FORMS": str(len(rows)), "members-INITIAL_FORMS": "0",
            "members-MIN_NUM_FORMS": "1", "members-MAX_NUM_FORMS": "30"}
    for i, row in enumerate(rows):
        data.update({f"members-{i}-{k}": v for k, v in row.items()})
    return data


def household_post(posyandu, *rows, **extra):
    data = {"posyandu": str(posyandu.pk), "address": "Jl. Kenanga 5", "rt": "1", "rw": "2", "kk": ""}
    data.update(extra)
    data.update(member_rows(*rows))
    return data


HEAD = {"full_name": "Joko Widodo", "sex": "M", "birth_date": "1980-06-21", "relationship": "kepala",
        "nik": "3576032106800001"}
WIFE = {"full_name": "Sri Rahayu", "sex": "F", "birth_date": "1983-02-11", "relationship": "istri",
        "nik": "3576035102830002"}
CHILD = {"full_name": "Bima Saputra", "sex": "M", "birth_date": "2023-09-01", "relationship": "anak", "nik": "",
         "mother_name": "Sri Rahayu"}


@pytest.mark.django_db
class TestRegister:
    def test_it_registers_a_household_with_three_members_in_one_step(self, client, kader_miji, posyandu_miji):
        login(client, kader_miji)
        response = client.post(reverse("registry:household_register"), household_post(posyandu_miji, HEAD, WIFE, CHILD))
        household = Household.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("registry:household_detail", args=[household.pk])
        assert household.head_name == "Joko Widodo"
        assert household.rt == "001"
        assert sorted(household.members.values_list("full_name", flat=True)) == ["Bima Saputra", "Joko Widodo", "Sri Rahayu"]
        assert Person.objects.get(full_name="Bima Saputra").nik_status == "none"

    def test_it_shows_field_errors_in_bahasa_and_writes_nothing(self, client, kader_miji, posyandu_miji):
        login(client, kader_miji)
        bad_child = {**CHILD, "birth_date": "2099-01-01"}
        bad_head = {**HEAD, "nik": "35760321068"}
        response = client.post(reverse("registry:household_register"), household_post(posyandu_miji, bad_head, bad_child))
        assert response.status_code == 200
        html = response.content.decode()
        assert "NIK harus tepat 16 digit." in html
        assert "Tanggal lahir tidak boleh di masa depan." in html
        assert Household.objects.count() == 0 and Person.objects.count() == 0

    def test_it_refuses_a_posyandu_outside_the_kader_scope(self, client, kader_jepara, posyandu_miji):
        login(client, kader_jepara)
        response = client.post(reverse("registry:household_register"), household_post(posyandu_miji, HEAD))
        assert response.status_code == 200
        assert Household.objects.count() == 0

    def test_desa_officer_may_not_register(self, client, lurah_miji):
        login(client, lurah_miji)
        assert client.get(reverse("registry:household_register")).status_code == 403


@pytest.mark.django_db
class TestListAndSearch:
    def test_it_finds_a_household_by_member_name_and_by_nik_last_digits(self, client, kader_miji, family_miji):
        login(client, kader_miji)
        by_name = client.get(reverse("registry:household_list"), {"q": "aisyah"})
        assert "Budi Santoso" in by_name.content.decode()
        assert client.get(reverse("registry:household_list"), {"q": "zzzz"}).content.decode().count("Budi Santoso") == 0
        assert AccessLog.objects.filter(actor=kader_miji, action="search").exists()

    def test_it_filters_by_rt(self, client, kader_miji, family_miji):
        login(client, kader_miji)
        assert "Budi Santoso" in client.get(reverse("registry:household_list"), {"rt": "2"}).content.decode()
        assert "Budi Santoso" not in client.get(reverse("registry:household_list"), {"rt": "9"}).content.decode()

    def test_neighbouring_kader_does_not_see_it_in_list_or_search(self, client, kader_meri, family_miji):
        login(client, kader_meri)
        html = client.get(reverse("registry:household_list"), {"q": "Budi"}).content.decode()
        assert "Budi Santoso" not in html

    @pytest.mark.parametrize("persona", ["kader_meri", "kader_jepara", "camat_kranggan", "pembina_mojokerto",
                                         "opd_dinsos", "admin_user"])
    def test_outsiders_cannot_open_the_household_or_its_members_by_url(self, client, request, persona, family_miji):
        user = request.getfixturevalue(persona)
        login(client, user)
        member = family_miji.members.first()
        for url in (reverse("registry:household_detail", args=[family_miji.pk]),
                    reverse("registry:person_detail", args=[member.pk]),
                    reverse("registry:person_edit", args=[member.pk]),
                    reverse("registry:member_add", args=[family_miji.pk])):
            assert client.get(url).status_code in {403, 404}, url

    @pytest.mark.parametrize("persona", ["kader_miji", "lurah_miji", "bidan_kranggan"])
    def test_people_of_the_area_can_open_it(self, client, request, persona, family_miji):
        login(client, request.getfixturevalue(persona))
        assert client.get(reverse("registry:household_detail", args=[family_miji.pk])).status_code == 200

    def test_opening_a_person_is_logged(self, client, kader_miji, family_miji):
        login(client, kader_miji)
        person = family_miji.members.first()
        assert client.get(reverse("registry:person_detail", args=[person.pk])).status_code == 200
        assert AccessLog.objects.filter(actor=kader_miji, action="view", object_type="registry.person",
                                        object_id=str(person.pk)).count() == 1


@pytest.mark.django_db
class TestPersonPage:
    def test_lists_mask_nik_and_the_person_page_shows_it_to_the_kader(self, client, kader_miji, posyandu_miji):
        login(client, kader_miji)
        client.post(reverse("registry:household_register"), household_post(posyandu_miji, HEAD))
        household = Household.objects.get()
        detail = client.get(reverse("registry:household_detail", args=[household.pk])).content.decode()
        assert "3576032106800001" not in detail
        assert "3576" in detail and "01" in detail
        person_page = client.get(reverse("registry:person_detail", args=[household.members.get().pk])).content.decode()
        assert "3576032106800001" in person_page

    def test_desa_officer_sees_only_a_masked_nik(self, client, kader_miji, lurah_miji, posyandu_miji):
        login(client, kader_miji)
        client.post(reverse("registry:household_register"), household_post(posyandu_miji, HEAD))
        client.logout()
        login(client, lurah_miji)
        person = Person.objects.get()
        assert "3576032106800001" not in client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()

    def test_edit_keeps_a_history(self, client, kader_miji, family_miji):
        login(client, kader_miji)
        person = family_miji.members.get(full_name="Aisyah Putri")
        data = {"full_name": "Aisyah Putri Rahma", "sex": "F", "birth_date": "2024-01-15", "relationship": "anak",
                "nik": "", "mother_name": "Siti Aminah", "life_status": "alive", "version": str(person.version)}
        response = client.post(reverse("registry:person_edit", args=[person.pk]), data)
        assert response.status_code == 302
        page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
        assert "Aisyah Putri → Aisyah Putri Rahma" in page

    def test_a_stale_edit_is_refused_with_a_clear_message(self, client, kader_miji, family_miji):
        login(client, kader_miji)
        person = family_miji.members.get(full_name="Aisyah Putri")
        data = {"full_name": "Aisyah P", "sex": "F", "birth_date": "2024-01-15", "relationship": "anak",
                "life_status": "alive", "version": str(person.version - 1 if person.version > 1 else 99)}
        response = client.post(reverse("registry:person_edit", args=[person.pk]), data)
        assert response.status_code == 200
        assert "Muat ulang" in response.content.decode()
