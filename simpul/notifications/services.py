"""Writing notifications. ``notify`` is the one entry point other apps call, inside their transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from simpul.notifications.models import Notification, OutboxMessage


def enabled_channels() -> list[str]:
    """Channels switched on by settings (SIMPUL_NOTIFY_CHANNELS); in-app notifications are always on."""
    return list(getattr(settings, "SIMPUL_NOTIFY_CHANNELS", []))


def notify(users: Iterable, *, kind: str, subject: str, body: str = "", link: str = "", now=None) -> list[Notification]:
    """Tell each user (once, even if listed twice) in the app, and queue a message per enabled channel."""
    now = now or timezone.now()
    channels = enabled_channels()
    seen: set[int] = set()
    made = []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        note = Notification.objects.create(user=user, kind=kind, subject=subject[:200], body=body, link=link,
                                           created_at=now)
        made.append(note)
        for channel in channels:
            recipient = _recipient(user, channel)
            if recipient:
                OutboxMessage.objects.create(notification=note, channel=channel, recipient=recipient,
                                             subject=subject[:200], body=_message_body(body, link),
                                             created_at=now, next_attempt_at=now)
    return made


def _recipient(user, channel: str) -> str:
    if channel == OutboxMessage.Channel.EMAIL:
        return user.email or ""
    return getattr(user, "phone", "") or ""


def _message_body(body: str, link: str) -> str:
    base = getattr(settings, "SIMPUL_BASE_URL", "").rstrip("/")
    return f"{body}\n\n{base}{link}" if link else body
