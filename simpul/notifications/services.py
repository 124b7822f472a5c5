"""Writing notifications and sending the outbox.

``notify`` is the one entry point other apps call, inside their transaction: the in-app notification and
one outbox row per enabled channel are written with the change they tell about. ``outbox_dispatch`` sends
the rows later (worker task or ``manage.py notifications_send``), retrying with backoff, so a slow or
broken gateway never holds a request and a failed send is retried, not lost.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from simpul.notifications.models import Contact, Notification, OutboxMessage
from simpul.notifications.transports import TransportError, transport_for

logger = logging.getLogger(__name__)

# A message is tried at most this many times; the waits after the 1st, 2nd, 3rd and 4th failure.
MAX_ATTEMPTS = 5
RETRY_DELAYS = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30), dt.timedelta(hours=2))
# A claimed message is not picked up by another worker for this long (a worker that dies mid-send
# leaves it to be retried after the lease).
CLAIM_LEASE = dt.timedelta(minutes=10)
SMS_MAX_CHARS = 306  # two concatenated SMS


def enabled_channels() -> list[str]:
    """Channels switched on by settings (SIMPUL_NOTIFY_CHANNELS); in-app notifications are always on."""
    return list(getattr(settings, "SIMPUL_NOTIFY_CHANNELS", []))


def notify(users: Iterable, *, kind: str, subject: str, body: str = "", link: str = "", now=None) -> list[Notification]:
    """Tell each active user (once, even if listed twice) in the app, and queue a message per enabled channel
    the user can be reached on: email to the account's address, WhatsApp/SMS to a number they agreed to."""
    now = now or timezone.now()
    channels = enabled_channels()
    people = _unique_active(users)
    contacts = ({c.user_id: c for c in Contact.objects.filter(user_id__in=[u.pk for u in people])}
                if {"whatsapp", "sms"} & set(channels) else {})
    made, queued = [], 0
    for user in people:
        note = Notification.objects.create(user=user, kind=kind, subject=subject[:200], body=body, link=link,
                                           created_at=now)
        made.append(note)
        for channel in channels:
            recipient = _recipient(user, contacts.get(user.pk), channel)
            if recipient:
                OutboxMessage.objects.create(notification=note, channel=channel, recipient=recipient,
                                             subject=subject[:200], body=_message_text(channel, subject, body, link),
                                             created_at=now, next_attempt_at=now)
                queued += 1
    if queued:
        transaction.on_commit(_enqueue_send, robust=True)
    return made


def _unique_active(users: Iterable) -> list:
    seen: set[int] = set()
    people = []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        people.append(user)
    return people


def _recipient(user, contact: Contact | None, channel: str) -> str:
    if channel == OutboxMessage.Channel.EMAIL:
        return user.email or ""
    if contact is None or not contact.phone:
        return ""
    if channel == OutboxMessage.Channel.WHATSAPP and contact.whatsapp:
        return contact.phone
    if channel == OutboxMessage.Channel.SMS and contact.sms:
        return contact.phone
    return ""


def _message_text(channel: str, subject: str, body: str, link: str) -> str:
    url = f"{getattr(settings, 'SIMPUL_BASE_URL', '').rstrip('/')}{link}" if link else ""
    if channel == OutboxMessage.Channel.SMS:
        # An SMS is short: the subject and the link; the link always survives the cut.
        room = SMS_MAX_CHARS - len(url) - 1
        # "..." not "…": one character outside the GSM alphabet would halve what an SMS holds.
        text = subject if len(subject) <= room else subject[: max(room - 3, 0)] + "..."
        return f"{text} {url}".strip()
    if channel == OutboxMessage.Channel.WHATSAPP:
        return "\n".join(part for part in (f"*{subject}*", body, url) if part)
    return "\n\n".join(part for part in (body or subject, url) if part)


def _enqueue_send() -> None:
    from simpul.notifications.tasks import outbox_send

    outbox_send.enqueue()


def notification_read(*, notification: Notification, now=None) -> Notification:
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_read_all(*, user, now=None) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now or timezone.now())


@dataclass
class DispatchResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def outbox_dispatch(*, now=None, limit: int = 100) -> DispatchResult:
    """Send up to ``limit`` pending messages that are due, each through the transport of its channel.

    A failure is retried after the next delay of RETRY_DELAYS; after MAX_ATTEMPTS tries (or a permanent
    refusal, or a channel that has been switched off) the message is marked failed with the error.
    Never raises: a worker loop or a cron job must keep running whatever a gateway does.
    """
    now = now or timezone.now()
    result = DispatchResult()
    try:
        batch = _claim(now, limit)
    except Exception:
        logger.exception("outbox: could not claim messages")
        return result
    for message in batch:
        try:
            _send_one(message, now, result)
        except Exception:
            logger.exception("outbox: could not record the outcome of message %s", message.pk)
    return result


def _claim(now, limit: int) -> list[OutboxMessage]:
    with transaction.atomic():
        due = (OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
               .order_by("next_attempt_at", "pk").select_for_update(skip_locked=True))
        ids = list(due.values_list("pk", flat=True)[:limit])
        OutboxMessage.objects.filter(pk__in=ids).update(next_attempt_at=now + CLAIM_LEASE)
    return list(OutboxMessage.objects.filter(pk__in=ids).order_by("pk"))


def _send_one(message: OutboxMessage, now, result: DispatchResult) -> None:
    attempt = message.attempts + 1
    transport = transport_for(message.channel)
    try:
        if transport is None:
            raise TransportError(f"channel {message.channel} is switched off", permanent=True)
        transport.send(recipient=message.recipient, subject=message.subject, body=message.body,
                       reference=f"simpul-outbox-{message.pk}")
    except TransportError as exc:
        error, permanent = str(exc), exc.permanent
    except Exception as exc:  # a bug in a transport must not stop the batch
        logger.exception("outbox: transport %s crashed on message %s", message.channel, message.pk)
        error, permanent = f"{type(exc).__name__}", False
    else:
        OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.SENT, attempts=attempt,
                                                           sent_at=now, last_error="")
        result.sent += 1
        return
    changes = {"attempts": attempt, "last_error": error[:255]}
    if permanent or attempt >= MAX_ATTEMPTS:
        changes["status"] = OutboxMessage.Status.FAILED
        result.failed += 1
        logger.warning("outbox: message %s failed for good after %s attempt(s): %s", message.pk, attempt, error)
    else:
        changes["next_attempt_at"] = now + RETRY_DELAYS[attempt - 1]
        result.retrying += 1
    OutboxMessage.objects.filter(pk=message.pk).update(**changes)
