"""Every SPM page against every persona, from this app's access rows alone (simpul/spm/tests/routes.py):
who may open it gets 200, everyone else 403 or 404. The whole-project matrix merges the same rows."""

import pytest

from simpul.spm.tests.routes import PAGES

PERSONAS = ["kader_miji", "kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan", "bidan_kranggan",
            "pembina_mojokerto", "opd_dinsos", "admin_user"]


@pytest.fixture
def objects(posyandu_miji, family_miji):
    return {"posyandu": posyandu_miji, "household": family_miji}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_page_opens_for_its_personas_only(client, request, objects, persona):
    client.force_login(request.getfixturevalue(persona))
    for name, (url, allowed) in PAGES.items():
        status = client.get(url(objects)).status_code
        if persona in allowed:
            assert status == 200, (name, persona, status)
        else:
            assert status in {403, 404}, (name, persona, status)
