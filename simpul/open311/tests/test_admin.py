"""The admin can switch an Open311 client off (audited) but can neither make a key nor see one."""

import pytest

from simpul.audit.models import AuditEntry
from simpul.open311.models import ApiClient
from simpul.open311.services import api_client_authenticate
from simpul.open311.tests.kit import key_for

pytestmark = pytest.mark.django_db


def test_the_admin_switches_a_client_off(client, admin_user, kader_miji):
    key = key_for(kader_miji)
    pk = ApiClient.objects.get().pk
    client.force_login(admin_user)
    assert client.get("/admin/open311/apiclient/").status_code == 200
    page = client.get(f"/admin/open311/apiclient/{pk}/change/")
    assert page.status_code == 200
    assert ApiClient.objects.get().key_hash not in page.content.decode()
    assert client.post(f"/admin/open311/apiclient/{pk}/change/", {"name": "Lapor Warga", "active": ""}).status_code \
        == 302
    assert api_client_authenticate(key) is None
    assert AuditEntry.objects.filter(action="open311.api_client.change", object_id=str(pk)).exists()
    assert client.get("/admin/open311/apiclient/add/").status_code == 403


def test_a_kader_cannot_open_the_admin(client, kader_miji):
    key_for(kader_miji)
    client.force_login(kader_miji)
    assert client.get("/admin/open311/apiclient/").status_code == 302  # to the admin login
