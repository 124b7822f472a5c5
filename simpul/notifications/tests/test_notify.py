"""notify(): one in-app notification per user, and outbox rows only for channels that are switched on and
that the user can be reached on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from simpul.notifications.models import Contact, Notification, OutboxMessage
from simpul.notifications.services import notify

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 8, 30, tzinfo=dt.UTC)
LINK = "/rujukan/12/"


def test_each_user_is_told_once_even_when_listed_twice(lurah_miji, operator_miji):
    made = notify([lurah_miji, operator_miji, lurah_miji, None], kind="referral.recorded", subject="Rujukan baru",
                  link=LINK, now=NOW)
    assert len(made) == 2
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == ["lurah.miji", "operator.miji"]
    note = Notification.objects.get(user=lurah_miji)
    assert (note.kind, note.subject, note.link, note.created_at, note.read_at) == (
        "referral.recorded", "Rujukan baru", LINK, NOW, None)


def test_an_inactive_user_is_not_told(lurah_miji, operator_miji):
    operator_miji.is_active = False
    operator_miji.save()
    notify([lurah_miji, operator_miji], kind="referral.recorded", subject="Rujukan baru", now=NOW)
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["lurah.miji"]


def test_only_in_app_by_default(settings, lurah_miji):
    settings.SIMPUL_NOTIFY_CHANNELS = []
    lurah_miji.email = "lurah.miji@example.go.id"
    lurah_miji.save()
    Contact.objects.create(user=lurah_miji, phone="6281234567890", whatsapp=True, sms=True)
    notify([lurah_miji], kind="referral.recorded", subject="Rujukan baru", now=NOW)
    assert Notification.objects.count() == 1
    assert not OutboxMessage.objects.exists()


def test_each_enabled_channel_queues_a_message_the_user_agreed_to(gateways_on, lurah_miji, operator_miji):
    lurah_miji.email = "lurah.miji@example.go.id"
    lurah_miji.save()
    Contact.objects.create(user=lurah_miji, phone="6281234567890", whatsapp=True, sms=False)
    # The operator has a number but agreed to nothing, and no email address: in-app only.
    Contact.objects.create(user=operator_miji, phone="6285712345678")
    notify([lurah_miji, operator_miji], kind="referral.forward", subject="PRK-3576031002-202611-0007-K4QM: diteruskan",
           body="Rujukan diteruskan ke Dinas Perkim.", link=LINK, now=NOW)
    rows = {m.channel: m for m in OutboxMessage.objects.all()}
    assert set(rows) == {"email", "whatsapp"}
    assert rows["email"].recipient == "lurah.miji@example.go.id"
    assert rows["whatsapp"].recipient == "6281234567890"
    for message in rows.values():
        assert message.notification == Notification.objects.get(user=lurah_miji)
        assert (message.status, message.attempts, message.next_attempt_at) == ("pending", 0, NOW)
        assert message.subject == "PRK-3576031002-202611-0007-K4QM: diteruskan"
    assert rows["email"].body == "Rujukan diteruskan ke Dinas Perkim.\n\nhttps://simpul.example.go.id/rujukan/12/"
    assert rows["whatsapp"].body == ("*PRK-3576031002-202611-0007-K4QM: diteruskan*\n"
                                     "Rujukan diteruskan ke Dinas Perkim.\n"
                                     "https://simpul.example.go.id/rujukan/12/")
    assert Notification.objects.filter(user=operator_miji).count() == 1


def test_an_sms_is_short_and_always_keeps_the_link(gateways_on, lurah_miji):
    Contact.objects.create(user=lurah_miji, phone="6281234567890", sms=True)
    notify([lurah_miji], kind="referral.escalated", subject="Rujukan terlambat " * 40, body="ISIPESAN " * 60, link=LINK,
           now=NOW)
    sms = OutboxMessage.objects.get(channel="sms")
    assert len(sms.body) <= 306
    assert sms.body.endswith("... https://simpul.example.go.id/rujukan/12/")
    assert "ISIPESAN" not in sms.body  # the body stays out of an SMS


def test_a_queued_message_is_sent_after_the_commit(settings, django_capture_on_commit_callbacks, pembina_mojokerto):
    """The send task is enqueued on commit; tests run tasks inline, so the email leaves at once."""
    settings.SIMPUL_NOTIFY_CHANNELS = ["email"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    pembina_mojokerto.email = "pembina@example.go.id"
    pembina_mojokerto.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify([pembina_mojokerto], kind="referral.escalated", subject="Eskalasi", body="Tahap macet.", link=LINK)
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [["pembina@example.go.id"]]
    assert OutboxMessage.objects.get().status == "sent"


def test_nothing_is_enqueued_when_nothing_was_queued(settings, django_capture_on_commit_callbacks, kader_meri):
    settings.SIMPUL_NOTIFY_CHANNELS = ["email"]
    assert not kader_meri.email
    with django_capture_on_commit_callbacks() as callbacks:
        notify([kader_meri], kind="referral.resolve", subject="Selesai", now=NOW)
    assert callbacks == []
    assert Notification.objects.filter(user=kader_meri).count() == 1
