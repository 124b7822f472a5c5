"""Only a kader syncs; every other persona is refused in Bahasa Indonesia, and anonymous is 401."""

import pytest
from django.utils.translation import gettext as _

from simpul.sync.tests.kit import auth, push

NOT_KADER = ["lurah_miji", "camat_kranggan", "bidan_kranggan", "pembina_mojokerto", "opd_dinsos", "admin_user"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", NOT_KADER)
def test_other_roles_are_refused(client, request, persona, family_miji):
    headers = auth(request.getfixturevalue(persona))
    pull = client.get("/api/v1/sync/pull", **headers)
    assert pull.status_code == 403
    # The Bahasa text comes from the catalogue (msgid in /tmp/simpul_i18n/sync.json until the lead merges it).
    assert pull.json() == {"detail": _("Only a kader can sync the field app."), "code": "forbidden", "errors": {}}
    assert push(client, headers, []).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_asked_to_log_in(client):
    assert client.get("/api/v1/sync/pull").status_code == 401


@pytest.mark.django_db
def test_a_session_needs_the_csrf_token_to_push(kader_miji):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(kader_miji)
    assert push(strict, {}, []).status_code in {401, 403}
    assert strict.get("/api/v1/sync/pull").status_code == 200
