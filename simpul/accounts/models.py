from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.accounts.roles import Role


class Membership(models.Model):
    """What one user may do where: a role × a region subtree (or one posyandu) × SPM fields."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT)
    posyandu = models.ForeignKey("posyandu.Posyandu", null=True, blank=True, on_delete=models.PROTECT)
    # SPM field codes (simpul.core.choices.SpmField); an OPD officer's come from the agency.
    fields = models.JSONField(default=list)
    agency_name = models.CharField(max_length=120, blank=True)
    # An OPD officer works for one agency; the referral inbox is that agency's only.
    agency = models.ForeignKey("referrals.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The head of the unit (lurah/kepala desa, camat): approves forwarding of confidential referrals and is the
    # one escalations go to. Operators of the same office are not.
    is_head = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_valid"),
            # Everyone but the administrator is anchored to exactly one place.
            models.CheckConstraint(
                condition=(
                    models.Q(role=Role.ADMIN, region__isnull=True, posyandu__isnull=True)
                    | (~models.Q(role=Role.ADMIN) & models.Q(region__isnull=False, posyandu__isnull=True))
                    | (~models.Q(role=Role.ADMIN) & models.Q(region__isnull=True, posyandu__isnull=False))
                ),
                name="membership_one_anchor",
            ),
        ]

    def __str__(self) -> str:
        where = self.posyandu_id and f"posyandu {self.posyandu_id}" or self.region_id or "-"
        return f"{self.user} {self.role} @ {where}"


class ApiToken(models.Model):
    """A bearer token for API clients. Only its SHA-256 is stored; it expires and can be revoked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
