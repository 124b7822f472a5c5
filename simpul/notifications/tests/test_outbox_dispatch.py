"""outbox_dispatch: pending messages go out through their channel's transport (a real HTTP gateway on
127.0.0.1, Django's locmem mail), failures wait 1, 5, 30 and 120 minutes, the fifth failure is final, and
nothing ever raises to the worker."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command

from simpul.notifications.models import OutboxMessage
from simpul.notifications.services import outbox_dispatch
from simpul.notifications.tasks import outbox_send

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


def queue(channel="whatsapp", recipient="6281234567890", at=T0, **extra) -> OutboxMessage:
    return OutboxMessage.objects.create(channel=channel, recipient=recipient, subject="PRK-0001: diterima",
                                        body="PRK-0001: diterima\nhttps://simpul.example.go.id/rujukan/1/",
                                        created_at=at, next_attempt_at=at, **extra)


def fresh(message: OutboxMessage) -> OutboxMessage:
    return OutboxMessage.objects.get(pk=message.pk)


def test_a_due_message_is_sent_through_its_gateway(gateways_on):
    message = queue()
    result = outbox_dispatch(now=T0)
    assert (result.sent, result.retrying, result.failed) == (1, 0, 0)
    row = fresh(message)
    assert (row.status, row.attempts, row.sent_at, row.last_error) == ("sent", 1, T0, "")
    [request] = gateways_on.received
    assert request["path"] == "/wa"
    assert request["headers"]["Authorization"] == "Bearer wa-token-123"
    assert request["json"]["reference"] == f"simpul-outbox-{message.pk}"
    assert request["json"]["to"] == "6281234567890"
    # Sent is sent: the next run does not send it again.
    assert outbox_dispatch(now=T0 + MINUTE).sent == 0
    assert len(gateways_on.received) == 1


def test_each_channel_uses_its_own_transport(gateways_on, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    queue("sms")
    queue("email", recipient="lurah.miji@example.go.id")
    assert outbox_dispatch(now=T0).sent == 2
    assert [r["path"] for r in gateways_on.received] == ["/sms"]
    assert gateways_on.received[0]["headers"]["Authorization"] == "Bearer sms-token-456"
    assert [m.to for m in mail.outbox] == [["lurah.miji@example.go.id"]]


def test_failures_are_retried_with_backoff_then_marked_failed(gateways_on):
    gateways_on.answers = [503] * 5
    message = queue()
    # (when the worker runs, the wait the 1st..4th failure sets before the next try): 1, 5, 30, 120 minutes.
    schedule = [(T0, 1), (T0 + 1 * MINUTE, 5), (T0 + 6 * MINUTE, 30), (T0 + 36 * MINUTE, 120)]
    for attempt, (when, wait_minutes) in enumerate(schedule, start=1):
        # Not due a moment earlier: nothing is sent.
        if attempt > 1:
            assert outbox_dispatch(now=when - dt.timedelta(seconds=1)).retrying == 0
        result = outbox_dispatch(now=when)
        assert (result.sent, result.retrying, result.failed) == (0, 1, 0)
        row = fresh(message)
        assert (row.status, row.attempts) == ("pending", attempt)
        assert row.next_attempt_at == when + wait_minutes * MINUTE
        assert row.last_error == "gateway answered HTTP 503"
    final = outbox_dispatch(now=T0 + 156 * MINUTE)
    assert (final.sent, final.retrying, final.failed) == (0, 0, 1)
    row = fresh(message)
    assert (row.status, row.attempts, row.last_error, row.sent_at) == ("failed", 5, "gateway answered HTTP 503", None)
    assert len(gateways_on.received) == 5
    assert outbox_dispatch(now=T0 + dt.timedelta(days=1)).failed == 0  # a failed message stays failed


def test_a_message_that_succeeds_on_a_retry_is_sent(gateways_on):
    gateways_on.answers = [500]
    message = queue()
    outbox_dispatch(now=T0)
    assert outbox_dispatch(now=T0 + MINUTE).sent == 1
    row = fresh(message)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, "")


def test_a_refused_message_fails_at_once(gateways_on):
    gateways_on.answers = [400]
    message = queue("sms")
    assert outbox_dispatch(now=T0).failed == 1
    assert (fresh(message).status, fresh(message).attempts) == ("failed", 1)


def test_a_channel_switched_off_after_queueing_fails_with_a_reason(gateways_on, settings):
    message = queue("whatsapp")
    settings.SIMPUL_NOTIFY_CHANNELS = ["email"]
    assert outbox_dispatch(now=T0).failed == 1
    row = fresh(message)
    assert row.status == "failed" and "switched off" in row.last_error
    assert gateways_on.received == []


def test_only_due_messages_up_to_the_limit_are_taken(gateways_on):
    first, second, third = queue(), queue(), queue()
    later = queue(at=T0 + 10 * MINUTE)
    assert outbox_dispatch(now=T0, limit=2).sent == 2
    assert [fresh(m).status for m in (first, second, third, later)] == ["sent", "sent", "pending", "pending"]
    assert outbox_dispatch(now=T0, limit=10).sent == 1
    assert fresh(later).status == "pending"


class ExplodingBackend(BaseEmailBackend):
    """A broken mail backend plugged in through settings: the dispatcher must survive it."""

    def send_messages(self, email_messages):
        raise RuntimeError("backend bug")


def test_a_crashing_transport_never_reaches_the_caller(gateways_on, settings):
    settings.EMAIL_BACKEND = "simpul.notifications.tests.test_outbox_dispatch.ExplodingBackend"
    broken = queue("email", recipient="lurah.miji@example.go.id")
    fine = queue("whatsapp")
    result = outbox_dispatch(now=T0)
    assert (result.sent, result.retrying) == (1, 1)
    assert (fresh(broken).status, fresh(broken).attempts, fresh(broken).last_error) == ("pending", 1, "RuntimeError")
    assert fresh(fine).status == "sent"


def test_an_unreachable_gateway_is_retried(gateways_on, settings):
    settings.SIMPUL_WHATSAPP_GATEWAY_URL = f"http://127.0.0.1:{gateways_on.port}/wa"
    gateways_on.close()  # nothing listens any more
    message = queue()
    assert outbox_dispatch(now=T0).retrying == 1
    assert fresh(message).last_error.startswith("gateway unreachable")


def test_the_management_command_sends_what_is_due(settings):
    settings.SIMPUL_NOTIFY_CHANNELS = ["email"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    queue("email", recipient="camat.kranggan@example.go.id", at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    out = io.StringIO()
    call_command("notifications_send", stdout=out)
    assert out.getvalue().strip() == "sent 1, to retry 0, failed 0"
    assert [m.to for m in mail.outbox] == [["camat.kranggan@example.go.id"]]


def test_the_task_sends_what_is_due(settings):
    settings.SIMPUL_NOTIFY_CHANNELS = ["email"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    queue("email", recipient="camat.kranggan@example.go.id", at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert outbox_send.enqueue().return_value == 1
    assert OutboxMessage.objects.get().status == "sent"
