"""The audit trail keeps who did what: an account that wrote or read personal data cannot be deleted (it is
deactivated instead); deleting it used to empty the ``actor`` of its every entry."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError

from simpul.audit.models import AccessLog, AuditEntry
from simpul.audit.services import access_record, audit_record

pytestmark = pytest.mark.django_db


def _user(name):
    return get_user_model().objects.create_user(username=name, password="x-kata-sandi-panjang")


def test_an_account_with_audit_entries_is_not_deleted(family_miji, kader_miji):
    assert AuditEntry.objects.filter(actor=kader_miji).exists()  # registering the family wrote entries
    with pytest.raises(ProtectedError):
        kader_miji.delete()
    assert AuditEntry.objects.filter(actor=kader_miji).exists()


def test_an_account_that_only_read_personal_data_is_not_deleted_either(family_miji):
    reader = _user("pembaca")
    access_record(actor=reader, action="view", object_type="registry.household", object_id=str(family_miji.pk))
    with pytest.raises(ProtectedError):
        reader.delete()
    assert AccessLog.objects.filter(actor=reader).count() == 1


def test_an_account_without_any_entry_can_still_be_removed(family_miji):
    mistaken = _user("salah-buat")
    mistaken.delete()
    assert not get_user_model().objects.filter(username="salah-buat").exists()
    # and an entry with no actor (the system's own) is unaffected
    entry = audit_record(actor=None, action="system.check", obj=family_miji)
    assert AuditEntry.objects.get(pk=entry.pk).actor_id is None
