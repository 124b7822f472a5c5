import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.immunization import schedule


class ImmunizationRecord(models.Model):
    """One dose given to one person: at most one row per dose (the database refuses a second)."""

    class Place(models.TextChoices):
        POSYANDU = "posyandu", _("Posyandu")
        PUSTU = "pustu", _("Village health post (pustu)")
        PUSKESMAS = "puskesmas", _("Puskesmas")
        OTHER = "other", _("Elsewhere (clinic, hospital, private midwife)")

    # Made by the client, so a resent offline submission finds the stored record instead of a duplicate.
    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="immunizations")
    # Copied from the person when recorded, so scoping a list needs no join.
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.PROTECT, related_name="+")
    dose = models.CharField(max_length=16, choices=schedule.CHOICES)
    given_on = models.DateField()
    vaccine = models.CharField(max_length=120, blank=True)  # name or brand, e.g. "Pentabio"
    batch_number = models.CharField(max_length=40, blank=True)
    given_by = models.CharField(max_length=120, blank=True)  # the bidan or perawat, by name
    place = models.CharField(max_length=12, choices=Place.choices, default=Place.POSYANDU)
    place_note = models.CharField(max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # KIPI (kejadian ikutan pasca imunisasi): an adverse event after this dose.
    kipi_noted_on = models.DateField(null=True, blank=True)
    kipi_notes = models.TextField(blank=True)
    kipi_follow_up = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person_id", "given_on", "pk"]
        indexes = [models.Index(fields=["posyandu", "given_on"]), models.Index(fields=["desa", "given_on"])]
        constraints = [
            models.UniqueConstraint(fields=["person", "dose"], name="immunization_one_record_per_dose"),
            models.CheckConstraint(condition=models.Q(dose__in=schedule.CODES), name="immunization_dose_known"),
            models.CheckConstraint(
                condition=models.Q(kipi_noted_on__isnull=True) | models.Q(kipi_noted_on__gte=models.F("given_on")),
                name="immunization_kipi_after_dose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.dose} {self.given_on}"

    @property
    def dose_label(self) -> str:
        spec = schedule.get(self.dose)
        return str(spec.label) if spec else self.dose
