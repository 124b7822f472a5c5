"""A submitted (locked) monthly posyandu report, one row per version.

The live draft is never stored: it is computed from the current records whenever it is read. Submitting
stores a snapshot of every section as it was shown (version 1); a later correction stores a new
snapshot as the next version with a reason, and the earlier one is kept, readable, as superseded.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MonthlyReport(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SUPERSEDED = "superseded", _("Replaced by a correction")

    # The only change a stored version ever goes through; services are the only code that changes it.
    TRANSITIONS = {Status.SUBMITTED: {Status.SUPERSEDED}, Status.SUPERSEDED: set()}

    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    month = models.DateField()  # the first day of the month
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    snapshot = models.JSONField()  # {"sections": [{"key", "title", "columns", "rows": [{"key", "label", "values"}]}]}
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=255, blank=True)  # why this version corrects the one before

    class Meta:
        ordering = ["posyandu_id", "month", "version"]
        indexes = [models.Index(fields=["desa", "month"])]
        constraints = [
            models.UniqueConstraint(fields=["posyandu", "month", "version"], name="monthly_report_version_unique"),
            models.UniqueConstraint(fields=["posyandu", "month"], condition=models.Q(status="submitted"),
                                    name="monthly_report_one_current"),
            models.CheckConstraint(condition=models.Q(status__in=["submitted", "superseded"]),
                                   name="monthly_report_status_valid"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="monthly_report_version_positive"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="monthly_report_month_first_day"),
            models.CheckConstraint(condition=models.Q(version=1) | ~models.Q(reason=""),
                                   name="monthly_report_correction_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.posyandu_id} {self.month:%Y-%m} v{self.version}"
