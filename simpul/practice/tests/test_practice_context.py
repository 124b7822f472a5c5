"""The switch itself: inside practice_context every kind of write goes to the workspace file — the ORM, raw
SQL through django.db.connection, after-commit callbacks, uploads, the cache, background tasks — and
outbound messages are never sent; afterwards (also after an error) the real ones are back."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction

from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.notifications.models import Notification, OutboxMessage
from simpul.notifications.services import notify, outbox_dispatch
from simpul.notifications.transports import PracticeTransport, transport_for
from simpul.practice import state
from simpul.practice.services import practice_start
from simpul.practice.tests.kit import inside


@pytest.fixture
def practising(kader_miji, posyandu_miji, practice_dir):
    practice_start(user=kader_miji, scope=scope_for(kader_miji), posyandu=posyandu_miji)
    return posyandu_miji


def test_orm_raw_sql_and_on_commit_go_to_the_practice_file(practising, kader_miji):
    real = connections["default"]
    real_entries = AuditEntry.objects.count()
    with inside(practising):
        assert connections["default"] is not real and connection.vendor == "sqlite"
        assert str(connection.settings_dict["NAME"]).endswith(".sqlite3")
        before = AuditEntry.objects.count()
        AuditEntry.objects.create(action="practice.test.orm", object_type="x", object_id="1")
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO audit_auditentry (action, object_type, object_id, region_code, changes, at) "
                "VALUES ('practice.test.raw', 'x', '2', '', '{}', '2026-01-01')"
            )
        with transaction.atomic():
            transaction.on_commit(
                lambda: AuditEntry.objects.create(
                    action="practice.test.on_commit", object_type="x", object_id="3"
                )
            )
        inside_count = AuditEntry.objects.count()
    assert inside_count == before + 3
    assert connections["default"] is real
    assert AuditEntry.objects.count() == real_entries
    assert not AuditEntry.objects.filter(action__startswith="practice.test").exists()
    with inside(practising):  # the file keeps them for the next request
        assert AuditEntry.objects.filter(action__startswith="practice.test").count() == 3


def test_the_real_connection_is_back_after_an_error(practising):
    real = connections["default"]
    with pytest.raises(RuntimeError), inside(practising):
        assert state.active()
        raise RuntimeError("boom")
    assert connections["default"] is real and not state.active()


def test_uploads_go_to_the_workspace_folder(practising, settings, tmp_path, practice_dir):
    settings.MEDIA_ROOT = tmp_path / "real-media"
    with inside(practising):
        name = default_storage.save("referrals/test.txt", ContentFile(b"latihan"))
        assert default_storage.exists(name)
    assert not (tmp_path / "real-media").exists()
    assert not default_storage.exists(name)
    assert len(list(practice_dir.glob("posyandu-*-media/referrals/*.txt"))) == 1


def test_the_cache_has_its_own_keys(practising):
    cache.set("practice-test", "real")
    with inside(practising):
        assert cache.get("practice-test") is None
        cache.set("practice-test", "practice")
    assert cache.get("practice-test") == "real"


def test_no_message_leaves_in_practice(practising, kader_miji, settings):
    settings.SIMPUL_NOTIFY_CHANNELS = ["email", "whatsapp"]
    settings.SIMPUL_WHATSAPP_GATEWAY_URL = "http://127.0.0.1:9/never"
    settings.SIMPUL_WHATSAPP_GATEWAY_TOKEN = "t"
    real_notes = Notification.objects.count()
    with inside(practising):
        assert isinstance(transport_for("whatsapp"), PracticeTransport)
        user = type(kader_miji).objects.get(pk=kader_miji.pk)
        user.email = "kader@example.org"
        user.save()
        notify([user], kind="test", subject="Latihan", body="Tidak dikirim")  # queued, then sent inline
        message = OutboxMessage.objects.get()
        outbox_dispatch()
        message.refresh_from_db()
        assert Notification.objects.filter(user=user).count() == 1  # in-app, inside the practice file
    assert message.status == "failed" and "practice" in message.last_error
    assert mail.outbox == []
    assert Notification.objects.count() == real_notes
    assert not isinstance(transport_for("whatsapp"), PracticeTransport)


def test_spm_refresh_marks_of_either_side_stay_on_their_side(practising):
    from simpul.spm import feeds

    # Earlier tests' rolled-back transactions leave their marks in this thread (no commit ever flushes them).
    feeds._pending().clear()
    feeds._pending()[(999, 2026)] = [{"kes.balita"}, 1]  # a real transaction's mark, not committed yet
    with inside(practising):
        assert feeds._pending() == {}
        feeds._pending()[(practising.pk, 2026)] = [{"kes.balita"}, 1]  # left by a rolled-back practice write
    assert feeds._pending() == {(999, 2026): [{"kes.balita"}, 1]}
    feeds._pending().clear()
