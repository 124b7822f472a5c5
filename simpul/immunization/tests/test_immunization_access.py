"""Every immunisation route against every persona (the lines to add to core's access matrix)."""

import pytest

from conftest import MOJOKERTO, make_user
from simpul.accounts.roles import Role
from simpul.api.auth import token_issue

PERSONAS = ["kader_miji", "kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan", "bidan_kranggan",
            "pembina_mojokerto", "opd_dinsos", "admin_user", "opd_dinkes"]
# Health detail of Kelurahan Miji: the health kader of the posyandu, the nakes of Kranggan and the Dinkes
# officer; never the desa, the neighbouring or other-regency kader, another OPD, camat, pembina or admin.
READERS = {"kader_miji", "bidan_kranggan", "opd_dinkes"}

PAGES = {
    "immunization:due_list": lambda o: f"/imunisasi/posyandu/{o['posyandu'].pk}/jadwal/",
    "immunization:card": lambda o: f"/imunisasi/orang/{o['person'].pk}/",
}
API = {
    "immunization_list": lambda o: f"/api/v1/immunizations?person_id={o['person'].pk}",
    "immunization_status": lambda o: f"/api/v1/immunizations/status?person_id={o['person'].pk}",
    "immunization_due": lambda o: f"/api/v1/immunizations/due?posyandu_id={o['posyandu'].pk}",
}


@pytest.fixture
def opd_dinkes(db):
    return make_user("opd.dinkes", Role.OPD, region=MOJOKERTO, fields=["kesehatan"])


@pytest.fixture
def objects(family_miji, posyandu_miji, kader_meri, kader_jepara, lurah_miji, camat_kranggan, bidan_kranggan,
            pembina_mojokerto, opd_dinsos, admin_user):
    return {"person": family_miji.members.get(full_name="Aisyah Putri"), "posyandu": posyandu_miji}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_pages(client, request, objects, persona):
    client.force_login(request.getfixturevalue(persona))
    for name, url in PAGES.items():
        status = client.get(url(objects)).status_code
        assert status == (200 if persona in READERS else 404), (name, persona, status)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_api(client, request, objects, persona):
    raw, _token = token_issue(user=request.getfixturevalue(persona))
    for name, url in API.items():
        status = client.get(url(objects), HTTP_AUTHORIZATION=f"Bearer {raw}").status_code
        assert status == (200 if persona in READERS else 404), (name, persona, status)
