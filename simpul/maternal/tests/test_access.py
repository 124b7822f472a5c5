"""The KIA rows of the access matrix, run on their own (the central matrix merges routes.py too)."""

import pytest

from simpul.api.auth import token_issue
from simpul.maternal.tests import routes

PERSONAS = sorted(routes.ALL)


@pytest.fixture
def objects(family_miji, posyandu_miji, kader_meri, kader_jepara, lurah_miji, camat_kranggan, bidan_kranggan,
            pembina_mojokerto, opd_dinsos, admin_user):
    objects = {"household": family_miji, "person": family_miji.members.first(), "posyandu": posyandu_miji}
    routes.extend(objects)
    return objects


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_pages(client, request, objects, persona):
    client.force_login(request.getfixturevalue(persona))
    for name, (url, allowed) in routes.PAGES.items():
        status = client.get(url(objects)).status_code
        assert status == 200 if persona in allowed else status in {403, 404}, (name, persona, status)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_api(client, request, objects, persona):
    raw, _token = token_issue(user=request.getfixturevalue(persona))
    header = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for name, (url, allowed) in routes.API.items():
        response = client.get(url(objects), **header)
        expected = {200} if persona in allowed else {403, 404}
        assert response.status_code in expected, (name, persona, response.status_code)
    # The list answers everyone, with only what they may see.
    items = client.get(f"/api/v1/pregnancies?person_id={objects['mother'].pk}", **header).json()["items"]
    assert bool(items) == (persona in routes.HEALTH)
