"""api_client_create and ``manage.py open311_key_create``: a key is shown once, stored as a hash, and only for
an account that may record needs, over a posyandu in its area."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conftest import make_posyandu
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError
from simpul.open311.models import ApiClient
from simpul.open311.services import api_client_authenticate, api_client_create

pytestmark = pytest.mark.django_db


def test_the_key_is_returned_once_and_only_its_hash_is_kept(kader_miji):
    raw, client = api_client_create(user=kader_miji, name="  Lapor   Miji ")
    assert raw.startswith("o311_") and len(raw) > 40
    stored = ApiClient.objects.get()
    assert stored.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert stored.key_prefix == raw[:12]
    assert raw not in {stored.key_hash, stored.key_prefix, stored.name}
    assert (stored.name, stored.user, stored.posyandu, stored.active) == ("Lapor Miji", kader_miji, None, True)
    assert AuditEntry.objects.filter(action="open311.api_client.create", object_id=str(client.pk)).exists()
    assert raw not in str(AuditEntry.objects.get(action="open311.api_client.create").changes)
    assert api_client_authenticate(raw) == stored
    assert api_client_authenticate(raw[:-1]) is None
    assert api_client_authenticate("") is None


def test_a_village_account_must_name_a_posyandu_of_its_village(lurah_miji, posyandu_miji, posyandu_meri):
    with pytest.raises(DomainError):
        api_client_create(user=lurah_miji, name="Lapor Miji")
    with pytest.raises(DomainError):
        api_client_create(user=lurah_miji, name="Lapor Miji", posyandu_id=posyandu_meri.pk)
    with pytest.raises(DomainError):
        api_client_create(user=lurah_miji, name="Lapor Miji", posyandu_id=999999)
    _raw, client = api_client_create(user=lurah_miji, name="Lapor Miji", posyandu_id=posyandu_miji.pk)
    assert client.posyandu == posyandu_miji


def test_a_kader_cannot_take_the_neighbouring_posyandu(kader_miji, posyandu_meri):
    with pytest.raises(DomainError):
        api_client_create(user=kader_miji, name="Lapor", posyandu_id=posyandu_meri.pk)
    assert not ApiClient.objects.exists()


@pytest.mark.parametrize("persona", ["opd_dinsos", "camat_kranggan", "bidan_kranggan", "pembina_mojokerto",
                                     "admin_user"])
def test_accounts_that_do_not_record_needs_get_no_key(request, persona, posyandu_miji):
    user = request.getfixturevalue(persona)
    with pytest.raises(DomainError):
        api_client_create(user=user, name="Lapor", posyandu_id=posyandu_miji.pk)
    assert not ApiClient.objects.exists()


def test_a_disabled_account_or_a_bad_name_gets_no_key(kader_miji):
    with pytest.raises(DomainError):
        api_client_create(user=kader_miji, name="   ")
    with pytest.raises(DomainError):
        api_client_create(user=kader_miji, name="x" * 121)
    kader_miji.is_active = False
    kader_miji.save()
    with pytest.raises(DomainError):
        api_client_create(user=kader_miji, name="Lapor")
    assert not ApiClient.objects.exists()


def test_the_command_prints_the_key_once(lurah_miji, posyandu_miji):
    make_posyandu("3576031002", "Posyandu Kenanga Miji")
    out, err = StringIO(), StringIO()
    call_command("open311_key_create", "lurah.miji", "Aplikasi Lapor Miji", "--posyandu", str(posyandu_miji.pk),
                 stdout=out, stderr=err)
    raw = out.getvalue().strip()
    client = ApiClient.objects.get()
    assert client.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert client.posyandu == posyandu_miji and "lurah.miji" in err.getvalue()
    assert raw not in err.getvalue()


def test_the_command_refuses_clearly(lurah_miji, posyandu_miji):
    make_posyandu("3576031002", "Posyandu Kenanga Miji")
    with pytest.raises(CommandError, match="tidak-ada"):
        call_command("open311_key_create", "tidak-ada", "Lapor", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError):
        call_command("open311_key_create", "lurah.miji", "Lapor", stdout=StringIO(), stderr=StringIO())
    assert not ApiClient.objects.exists()
