"""Early warnings over a household, and the per-kab/kota tuning of the rules that raise them.

An :class:`Alert` is one rule found true of one household with one set of facts. The fingerprint (a hash of
the rule and its identifying facts) is unique per household and rule, so evaluating again never raises the
same facts twice — whatever became of the first alert (referred, dismissed) — while changed facts (another
child, a lower decile) raise a new one. Statuses move only through :mod:`simpul.alerts.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RuleSetting(models.Model):
    """A kab/kota's override of one rule: switched off, or other parameters (merged over the defaults)."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")  # a kab/kota
    rule = models.CharField(max_length=40)  # simpul.alerts.rules code
    active = models.BooleanField(default=True)
    params = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["region_id", "rule"]
        constraints = [models.UniqueConstraint(fields=["region", "rule"], name="alert_rule_setting_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.rule}{'' if self.active else ' (off)'}"


class Alert(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for action")
        REFERRED = "referred", _("Made into a referral")
        DISMISSED = "dismissed", _("Dismissed")
        RESOLVED = "resolved", _("No longer applies")

    # Allowed status changes; services are the only code that changes status.
    TRANSITIONS = {
        Status.OPEN: {Status.REFERRED, Status.DISMISSED, Status.RESOLVED},
        Status.REFERRED: set(),
        Status.DISMISSED: set(),
        # The evaluation closed it and finds the same facts again (a family poor again, a rule switched back
        # on): the problem is back, so the alert opens again. What a person closed stays closed.
        Status.RESOLVED: {Status.OPEN},
    }

    household = models.ForeignKey("registry.Household", on_delete=models.CASCADE, related_name="alerts")
    # Where the household belonged when the alert was raised: scoping uses these, like every other record.
    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=40)
    # [{"code", "person", "value", "detail"}]: code, person and value identify the fact (and are hashed);
    # detail holds what is shown beside it (the measured LiLA, the date) and may change without a new alert.
    facts = models.JSONField(default=list)
    fingerprint = models.CharField(max_length=64)
    agencies = models.JSONField(default=list)  # agency codes alerted when raised
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    referral = models.ForeignKey("referrals.Referral", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    raised_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    # Why it closed: the kader's reason for a dismissal, or "facts_changed" / "facts_gone" / "rule_off" (the
    # kab/kota switched the rule off) when the evaluation resolved it.
    close_note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["posyandu", "status"]),
            models.Index(fields=["desa", "status"]),
            models.Index(fields=["household", "rule", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["household", "rule", "fingerprint"], name="alert_facts_once"),
            models.CheckConstraint(condition=models.Q(status__in=["open", "referred", "dismissed", "resolved"]),
                                   name="alert_status_valid"),
            models.CheckConstraint(condition=~models.Q(status="referred") | models.Q(referral__isnull=False),
                                   name="alert_referral_when_referred"),
            models.CheckConstraint(condition=models.Q(status="open") | models.Q(closed_at__isnull=False),
                                   name="alert_closed_at_when_closed"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.rule} {self.status}"
