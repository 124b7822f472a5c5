"""Immunisation pages: the posyandu's due list and a child's card with the record form."""

import pytest

from conftest import make_user
from simpul.accounts.roles import Role
from simpul.immunization.models import ImmunizationRecord
from simpul.immunization.tests.kit import D, aisyah, give


def login(client, user):
    client.force_login(user)
    return client


def due_url(posyandu, on="2024-03-20"):
    return f"/imunisasi/posyandu/{posyandu.pk}/jadwal/?on={on}"


def card_url(person):
    return f"/imunisasi/orang/{person.pk}/"


@pytest.mark.django_db
class TestDueListPage:
    def test_the_kader_sees_who_is_due(self, client, kader_miji, family_miji, posyandu_miji):
        give(kader_miji, aisyah(family_miji), {"hb0": D(2024, 1, 15), "bcg": D(2024, 2, 10), "opv1": D(2024, 2, 10)})
        response = login(client, kader_miji).get(due_url(posyandu_miji))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Aisyah Putri" in html and "DPT-HB-Hib 1" in html and card_url(aisyah(family_miji)) in html

    def test_the_bidan_sees_it_too(self, client, bidan_kranggan, family_miji, posyandu_miji):
        assert login(client, bidan_kranggan).get(due_url(posyandu_miji)).status_code == 200

    @pytest.mark.parametrize("who", ["kader_meri", "kader_jepara", "opd_dinsos"])
    def test_others_get_404(self, client, request, who, family_miji, posyandu_miji):
        assert login(client, request.getfixturevalue(who)).get(due_url(posyandu_miji)).status_code == 404

    def test_a_kader_without_the_health_field_gets_404(self, client, posyandu_miji, family_miji):
        kader = make_user("kader.pendidikan", Role.KADER, posyandu=posyandu_miji, fields=["pendidikan"])
        assert login(client, kader).get(due_url(posyandu_miji)).status_code == 404

    def test_anonymous_users_are_sent_to_log_in(self, client, posyandu_miji):
        assert client.get(due_url(posyandu_miji)).status_code == 302


@pytest.mark.django_db
class TestCard:
    def test_the_card_shows_the_schedule_and_the_form(self, client, kader_miji, family_miji):
        give(kader_miji, aisyah(family_miji), {"hb0": D(2024, 1, 15)})
        response = login(client, kader_miji).get(card_url(aisyah(family_miji)))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Aisyah Putri" in html and 'name="given_on"' in html and "HB0" in html

    def test_the_form_records_a_dose(self, client, kader_miji, family_miji):
        child = aisyah(family_miji)
        response = login(client, kader_miji).post(card_url(child), {
            "dose": "bcg", "given_on": "2024-02-10", "vaccine": "BCG Bio Farma", "batch_number": "0123",
            "given_by": "Bidan Endang", "place": "posyandu"})
        assert response.status_code == 302
        assert ImmunizationRecord.objects.get(person=child).batch_number == "0123"

    def test_a_double_dose_shows_the_message_and_saves_nothing(self, client, kader_miji, family_miji):
        child = aisyah(family_miji)
        give(kader_miji, child, {"bcg": D(2024, 2, 10)})
        response = login(client, kader_miji).post(card_url(child), {
            "dose": "bcg", "given_on": "2024-03-01", "place": "posyandu"})
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
        assert ImmunizationRecord.objects.filter(person=child).count() == 1

    def test_the_bidan_reads_and_records_the_dose_she_gives(self, client, bidan_kranggan, family_miji):
        response = login(client, bidan_kranggan).get(card_url(aisyah(family_miji)))
        assert response.status_code == 200 and 'name="given_on"' in response.content.decode()

    @pytest.mark.parametrize("who", ["kader_meri", "kader_jepara", "opd_dinsos"])
    def test_others_get_404(self, client, request, who, family_miji):
        c = login(client, request.getfixturevalue(who))
        child = aisyah(family_miji)
        assert c.get(card_url(child)).status_code == 404
        assert c.post(card_url(child), {"dose": "bcg", "given_on": "2024-02-10", "place": "posyandu"}).status_code == 404
        assert ImmunizationRecord.objects.count() == 0

    def test_the_kipi_form_saves_a_note(self, client, kader_miji, family_miji):
        record = give(kader_miji, aisyah(family_miji), {"bcg": D(2024, 2, 10)})[0]
        response = login(client, kader_miji).post(f"/imunisasi/dosis/{record.pk}/kipi/", {
            "noted_on": "2024-02-11", "notes": "Bengkak", "follow_up": ""})
        assert response.status_code == 302
        record.refresh_from_db()
        assert record.kipi_notes == "Bengkak"
