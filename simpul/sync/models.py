"""What the offline field app sent (receipts) and what changed on the server since (the change log).

See docs/decisions/0017-sync.md for why the feed is a log ordered by (transaction id, id).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SyncReceipt(models.Model):
    """One outbox item as the server answered it: a replay of the same client UUID gets this answer back.

    ``received_at`` is the server's clock beside the device's ``device_time``; ``skew`` flags a device
    clock far in the future or the past, so a report can tell a wrong phone clock from a late entry.
    """

    class Status(models.TextChoices):
        CREATED = "created", _("Created")
        CONFLICT = "conflict", _("Conflict")
        REJECTED = "rejected", _("Rejected")
        ALREADY_APPLIED = "already_applied", _("Already applied")

    class Skew(models.TextChoices):
        NONE = "", _("Plausible device time")
        FUTURE = "future", _("Device time more than 24 hours ahead")
        PAST = "past", _("Device time more than 30 days behind")

    client_uuid = models.UUIDField(unique=True)
    device_id = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32)
    status = models.CharField(max_length=16, choices=Status.choices)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    field_errors = models.JSONField(default=dict, blank=True)
    device_time = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    skew = models.CharField(max_length=8, choices=Skew.choices, blank=True, default="")
    form_version = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["user", "received_at"]), models.Index(fields=["device_id", "received_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=["created", "conflict", "rejected", "already_applied"]),
                                   name="sync_receipt_status_valid"),
            models.CheckConstraint(condition=models.Q(skew__in=["", "future", "past"]), name="sync_receipt_skew_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.client_uuid} {self.status}"

    @property
    def skew_flag(self) -> bool:
        return bool(self.skew)


class SyncChange(models.Model):
    """One write to a row the field app caches, with where the row was before and after it.

    ``txid`` is the PostgreSQL transaction id of the write (0 on SQLite, where writers are serialised):
    the feed reads in (txid, id) order and only transactions older than every running one, so a row
    committed late can never slip in behind a cursor (decision 0017).
    """

    class Kind(models.TextChoices):
        HOUSEHOLD = "household", _("Household")
        PERSON = "person", _("Resident")
        MEASUREMENT = "measurement", _("Measurement")
        IMMUNIZATION = "immunization", _("Immunisation")
        PREGNANCY = "pregnancy", _("Pregnancy")
        DAY = "day", _("Posyandu day")
        ATTENDANCE = "attendance", _("Attendance")
        SERVICE = "service", _("Service given")

    txid = models.BigIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.BigIntegerField()
    posyandu_id = models.BigIntegerField(null=True)
    desa_code = models.CharField(max_length=10, blank=True)
    # Set when the row moved: the place it left, so the device there is told to drop it.
    prev_posyandu_id = models.BigIntegerField(null=True)
    prev_desa_code = models.CharField(max_length=10, blank=True)
    deleted = models.BooleanField(default=False)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["posyandu_id", "txid", "id"]),
            models.Index(fields=["prev_posyandu_id", "txid", "id"]),
            models.Index(fields=["txid", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind}#{self.object_id} @{self.txid}/{self.pk}"


class SyncUpload(models.Model):
    """A photo sent ahead of the outbox item that uses it (a referral), keyed by the phone's own id.

    A push body is limited to about 1 MB, so photos travel one per request; the item names them by
    ``client_uuid`` and the referral is written with all of them in one transaction, or not at all.
    The bytes live here only until then: applying the item deletes them, so they are never kept twice.
    """

    client_uuid = models.UUIDField(unique=True)
    item_uuid = models.UUIDField(db_index=True)  # the outbox item (referral.create) that will use it
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=160)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.item_uuid}/{self.client_uuid} {self.size} B"
