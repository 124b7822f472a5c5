import pytest
from django.urls import reverse

from conftest import make_user
from simpul.accounts.roles import Role


@pytest.mark.django_db
class TestLegalDataPage:
    def test_the_board_records_sk_and_registration_number(self, client, posyandu_miji):
        pengurus = make_user("ketua.melati", Role.PENGURUS, posyandu=posyandu_miji)
        client.force_login(pengurus)
        response = client.post(reverse("posyandu:legal_edit", args=[posyandu_miji.pk]), {
            "sk_number": "188/12/417.302.2/2025", "sk_date": "2025-03-01", "sk_board_number": "188/13/2025",
            "sk_board_date": "2025-03-02", "registration_number": "35.76.03.1002.001"})
        assert response.status_code == 302
        posyandu_miji.refresh_from_db()
        assert posyandu_miji.registration_number == "35.76.03.1002.001"
        assert posyandu_miji.sk_number == "188/12/417.302.2/2025"

    def test_a_registration_number_of_another_desa_is_refused_in_bahasa(self, client, lurah_miji, posyandu_miji):
        client.force_login(lurah_miji)
        response = client.post(reverse("posyandu:legal_edit", args=[posyandu_miji.pk]),
                               {"registration_number": "35.76.03.1003.001"})
        assert response.status_code == 200
        assert "kode desa" in response.content.decode()
        posyandu_miji.refresh_from_db()
        assert posyandu_miji.registration_number is None

    @pytest.mark.parametrize("persona", ["kader_miji", "camat_kranggan", "kader_jepara"])
    def test_others_cannot_edit(self, client, request, persona, posyandu_miji):
        client.force_login(request.getfixturevalue(persona))
        response = client.post(reverse("posyandu:legal_edit", args=[posyandu_miji.pk]), {"sk_number": "X"})
        assert response.status_code in {403, 404}
        posyandu_miji.refresh_from_db()
        assert posyandu_miji.sk_number == ""
