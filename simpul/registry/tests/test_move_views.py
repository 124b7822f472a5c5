import datetime as dt

import pytest
from django.urls import reverse

from conftest import make_user, person_input, register_family
from simpul.accounts.roles import Role
from simpul.registry.models import Residence


def registered_earlier():
    # Residences start on the registration day; a move is dated after it.
    Residence.objects.update(start_date=dt.date.today() - dt.timedelta(days=90))


@pytest.fixture
def kader_both(posyandu_miji, posyandu_meri):
    """A kader who serves two posyandu (both memberships), so a move between them is in her scope."""
    from simpul.accounts.models import Membership

    user = make_user("kader.dua", Role.KADER, posyandu=posyandu_miji)
    Membership.objects.create(user=user, role=Role.KADER, posyandu=posyandu_meri, fields=["kesehatan"])
    return user


@pytest.mark.django_db
class TestMovePages:
    def test_a_resident_moves_into_another_household_and_history_stays(self, client, kader_miji, posyandu_miji,
                                                                       family_miji):
        other = register_family(kader_miji, posyandu_miji, head="Wahyu Hidayat", rt="007", members=[
            person_input("Wahyu Hidayat", "M", dt.date(1970, 2, 2), "kepala")])
        child = family_miji.members.get(full_name="Aisyah Putri")
        registered_earlier()
        client.force_login(kader_miji)
        today = dt.date.today()
        response = client.post(reverse("registry:person_move", args=[child.pk]), {
            "to_household": str(other.pk), "relationship": "cucu", "moved_on": today.isoformat()})
        assert response.status_code == 302
        child.refresh_from_db()
        assert child.household == other and child.relationship == "cucu"
        assert Residence.objects.filter(person=child).count() == 2

    def test_a_household_moves_to_another_posyandu(self, client, kader_both, posyandu_miji, posyandu_meri):
        family = register_family(kader_both, posyandu_miji, head="Eko Prasetyo")
        registered_earlier()
        client.force_login(kader_both)
        response = client.post(reverse("registry:household_move", args=[family.pk]), {
            "to_posyandu": str(posyandu_meri.pk), "moved_on": dt.date.today().isoformat(), "address": "Jl. Meri 1"})
        assert response.status_code == 302
        family.refresh_from_db()
        assert family.posyandu == posyandu_meri and family.desa_id == posyandu_meri.desa_id
        assert set(family.members.values_list("desa_id", flat=True)) == {posyandu_meri.desa_id}

    def test_a_future_date_is_refused_with_a_message(self, client, kader_both, posyandu_miji, posyandu_meri):
        family = register_family(kader_both, posyandu_miji, head="Eko Prasetyo")
        client.force_login(kader_both)
        response = client.post(reverse("registry:household_move", args=[family.pk]), {
            "to_posyandu": str(posyandu_meri.pk), "moved_on": "2099-01-01"})
        assert response.status_code == 200
        family.refresh_from_db()
        assert family.posyandu == posyandu_miji

    def test_the_neighbour_cannot_move_someone(self, client, kader_meri, family_miji):
        client.force_login(kader_meri)
        person = family_miji.members.first()
        assert client.get(reverse("registry:person_move", args=[person.pk])).status_code == 404
