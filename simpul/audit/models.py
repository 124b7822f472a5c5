from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """One change made through a service: who, when, what, which fields (never secret values)."""

    # PROTECT: the trail must keep who did what; an account with entries is deactivated, never deleted.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=80)  # dotted: registry.person.updated
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    region_code = models.CharField(max_length=10, blank=True)
    changes = models.JSONField(default=dict)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class AccessLog(models.Model):
    """A read of personal data: a person's page, a household's page, a search, an export."""

    # PROTECT: the trail must keep who did what; an account with entries is deactivated, never deleted.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=40)  # view, search, export, api_read
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40, blank=True)
    region_code = models.CharField(max_length=10, blank=True)
    detail = models.CharField(max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"
