"""Notifications: what a user sees in the app, and the outbox of messages to send through other channels.

A notification is written in the same transaction as the change it tells about;
the outbox rows beside it are sent later by a worker through pluggable transports
(:mod:`simpul.notifications.transports`), so a slow gateway never holds a request
and a failed send is retried, not lost.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32)  # e.g. referral.forwarded, referral.escalated
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=255, blank=True)  # a path inside Simpul, never personal data in it
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class OutboxMessage(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        WHATSAPP = "whatsapp", _("WhatsApp")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed (will not retry)")

    notification = models.ForeignKey(Notification, null=True, on_delete=models.SET_NULL, related_name="messages")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=160)  # email address or phone number
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.status} #{self.pk}"


class Contact(models.Model):
    """How a user may be reached outside the app. Accounts carry no phone number; the channels that need one
    keep it here, with the user's consent per channel (WhatsApp, SMS). Email uses the account's address."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_contact")
    phone = models.CharField(_("mobile number"), max_length=16, blank=True)  # 62… (simpul.notifications.phones)
    whatsapp = models.BooleanField(_("send by WhatsApp"), default=False)
    sms = models.BooleanField(_("send by SMS"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(phone="") | models.Q(whatsapp=False, sms=False),
                                   name="contact_phone_when_channel_on"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.phone}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from simpul.notifications.phones import phone_normalise

        if self.phone:
            normal = phone_normalise(self.phone)
            if not normal:
                raise ValidationError({"phone": _("Type a mobile number, for example 0812 3456 7890.")})
            self.phone = normal
        if (self.whatsapp or self.sms) and not self.phone:
            raise ValidationError({"phone": _("A mobile number is needed to receive WhatsApp or SMS messages.")})
