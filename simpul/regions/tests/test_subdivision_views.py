import pytest
from django.urls import reverse

from conftest import MERI, MIJI
from simpul.regions.models import Subdivision


@pytest.mark.django_db
class TestSubdivisionPage:
    def test_the_lurah_defines_rw_and_rt_of_her_kelurahan(self, client, lurah_miji):
        client.force_login(lurah_miji)
        url = reverse("regions:subdivision_add", args=[MIJI])
        client.post(url, {"kind": "rw", "name": "003"})
        rw = Subdivision.objects.get(desa_id=MIJI, kind="rw")
        client.post(url, {"kind": "rt", "name": "001", "parent": str(rw.pk)})
        assert Subdivision.objects.get(kind="rt").parent == rw
        page = client.get(reverse("regions:browse_code", args=[MIJI])).content.decode()
        assert "RT 001" in page

    def test_she_cannot_define_them_next_door(self, client, lurah_miji):
        client.force_login(lurah_miji)
        response = client.post(reverse("regions:subdivision_add", args=[MERI]), {"kind": "rw", "name": "001"})
        assert response.status_code == 404
        assert not Subdivision.objects.exists()

    @pytest.mark.parametrize("persona", ["kader_miji", "camat_kranggan", "pembina_mojokerto"])
    def test_other_roles_cannot_define_them(self, client, request, persona):
        client.force_login(request.getfixturevalue(persona))
        response = client.post(reverse("regions:subdivision_add", args=[MIJI]), {"kind": "rw", "name": "001"})
        assert response.status_code == 404
        assert not Subdivision.objects.exists()

    def test_an_rt_inside_another_rt_is_refused(self, client, lurah_miji):
        client.force_login(lurah_miji)
        url = reverse("regions:subdivision_add", args=[MIJI])
        client.post(url, {"kind": "rt", "name": "001"})
        rt = Subdivision.objects.get()
        client.post(url, {"kind": "rt", "name": "002", "parent": str(rt.pk)})
        assert Subdivision.objects.count() == 1
