import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.core.choices import SpmField


class Posyandu(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="posyandu")
    name = models.CharField(max_length=120)
    address = models.CharField(max_length=255, blank=True)
    rw = models.CharField(max_length=8, blank=True)
    dusun = models.CharField(max_length=60, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # Legal data needed for national registration (Permendagri 13/2024).
    sk_number = models.CharField(_("establishment decree number"), max_length=80, blank=True)
    sk_date = models.DateField(_("establishment decree date"), null=True, blank=True)
    sk_board_number = models.CharField(_("board decree number"), max_length=80, blank=True)
    sk_board_date = models.DateField(_("board decree date"), null=True, blank=True)
    registration_number = models.CharField(max_length=20, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["desa_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["desa", "name"], name="posyandu_name_unique_in_desa"),
            models.CheckConstraint(condition=models.Q(status__in=["active", "inactive"]), name="posyandu_status_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def desa_code(self) -> str:
        return self.desa_id


class PosyanduStatusChange(models.Model):
    """Active/inactive history: when a posyandu stopped or restarted, and why."""

    posyandu = models.ForeignKey(Posyandu, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(max_length=10, choices=Posyandu.Status.choices)
    changed_on = models.DateField()
    reason = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.posyandu_id} {self.status} {self.changed_on}"


class BoardMember(models.Model):
    """A member of the posyandu board (pengurus): ketua, sekretaris, bendahara, or ketua bidang."""

    class Position(models.TextChoices):
        CHAIR = "ketua", _("Chair")
        SECRETARY = "sekretaris", _("Secretary")
        TREASURER = "bendahara", _("Treasurer")
        FIELD_CHAIR = "ketua_bidang", _("Field chair")

    posyandu = models.ForeignKey(Posyandu, on_delete=models.CASCADE, related_name="board")
    position = models.CharField(max_length=16, choices=Position.choices)
    field = models.CharField(max_length=20, choices=SpmField.choices, blank=True)
    name = models.CharField(max_length=120)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    active = models.BooleanField(default=True)
    since = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["posyandu_id", "position", "field"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(position="ketua_bidang") & ~models.Q(field=""))
                | (~models.Q(position="ketua_bidang") & models.Q(field="")),
                name="board_field_only_for_field_chair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()} {self.field} {self.name}".strip()


class Kader(models.Model):
    """A volunteer cadre with the SPM field(s) she is assigned to."""

    posyandu = models.ForeignKey(Posyandu, on_delete=models.CASCADE, related_name="kader")
    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=20, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    fields = models.JSONField(default=list)
    sk_number = models.CharField(max_length=80, blank=True)
    active = models.BooleanField(default=True)
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["posyandu_id", "name"]
        verbose_name_plural = "kader"

    def __str__(self) -> str:
        return self.name
