"""Reads of notifications: a user only ever reads their own."""

from __future__ import annotations

from django.db.models import QuerySet

from simpul.core.errors import NotInScope
from simpul.notifications.models import Notification


def notifications_for(user) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")


def notification_get(user, pk) -> Notification:
    note = Notification.objects.filter(user_id=user.pk, pk=pk).first()
    if note is None:
        raise NotInScope()
    return note


def unread_count(user) -> int:
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()
