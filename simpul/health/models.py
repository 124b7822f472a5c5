"""Anthropometric measurements taken at the posyandu, with the WHO results computed when recorded.

A row is never edited: a correction is a new row that supersedes the old one (``superseded_by``), so
the history of what was typed, by whom and why it changed is kept. Reads and counts use only the
current rows (``superseded_by IS NULL``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.health.development import DevelopmentResult
from simpul.health.growth.classify import BmiForAge, GrowthFlag, LengthForAge, WeightForAge, WeightForLength
from simpul.health.growth.zscores import INDICES, LAST_STANDARD_DAY


class Position(models.TextChoices):
    RECUMBENT = "recumbent", _("Lying down (length)")
    STANDING = "standing", _("Standing (height)")


class Measurement(models.Model):
    """One measurement of one person on one day, stored as measured (no position conversion)."""

    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="measurements")
    # Where the person belonged when measured: scoping and monthly counts use the place at that time.
    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    measured_on = models.DateField()

    weight_kg = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    length_height_cm = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    position = models.CharField(max_length=10, choices=Position.choices, blank=True)
    head_circumference_cm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    muac_cm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    oedema = models.BooleanField(default=False)

    # Computed when recorded (growth engine for ages up to 19 years; BMI for everyone with both values).
    age_days = models.PositiveIntegerField()
    bmi = models.FloatField(null=True, blank=True)  # from the values as measured
    z_wfa = models.FloatField(null=True, blank=True)
    z_lhfa = models.FloatField(null=True, blank=True)
    z_wflh = models.FloatField(null=True, blank=True)
    z_bmifa = models.FloatField(null=True, blank=True)
    z_hcfa = models.FloatField(null=True, blank=True)
    z_acfa = models.FloatField(null=True, blank=True)
    class_wfa = models.CharField(max_length=32, blank=True)
    class_lhfa = models.CharField(max_length=32, blank=True)
    class_wflh = models.CharField(max_length=32, blank=True)
    class_bmifa = models.CharField(max_length=32, blank=True)
    flags = models.JSONField(default=list, blank=True)  # GrowthFlag codes

    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    validated_at = models.DateTimeField(null=True, blank=True)

    superseded_by = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="supersedes")
    correction_reason = models.CharField(max_length=255, blank=True)  # on the new row: why the old one was wrong

    class Meta:
        ordering = ["person_id", "measured_on", "created_at", "id"]
        indexes = [
            models.Index(fields=["person", "measured_on"]),
            models.Index(fields=["posyandu", "measured_on"]),
            models.Index(fields=["desa", "measured_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(position__in=["", "recumbent", "standing"]),
                                   name="measurement_position_valid"),
            models.CheckConstraint(condition=~models.Q(superseded_by=models.F("id")),
                                   name="measurement_not_self_superseded"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.measured_on}"

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None

    @property
    def z(self) -> dict[str, float | None]:
        return {index: getattr(self, f"z_{index}") for index in INDICES}

    @property
    def classification(self) -> dict[str, str | None]:
        return {index: getattr(self, f"class_{index}") or None for index in ("wfa", "lhfa", "wflh", "bmifa")}

    def classification_labels(self) -> dict[str, str]:
        """Translated labels of the stored codes; an index without a code is left out."""
        choices = {"wfa": WeightForAge, "lhfa": LengthForAge, "wflh": WeightForLength,
                   "bmifa": WeightForLength if self.age_days <= LAST_STANDARD_DAY else BmiForAge}
        return {index: str(choices[index](code).label) for index, code in self.classification.items() if code}

    def flag_labels(self) -> list[str]:
        return [str(GrowthFlag(code).label) for code in self.flags]


class DevelopmentCheck(models.Model):
    """One Buku KIA development checklist asked for one child on one day (see ``health.development``).

    The band and the table version are stored with the answers, so a later version of the item list
    never changes what an old check meant. Never edited; a wrong check is followed by a new one.
    """

    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="development_checks")
    # Where the child belonged when checked, as for measurements.
    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    checked_on = models.DateField()
    age_months = models.PositiveSmallIntegerField()  # completed months on checked_on
    band = models.CharField(max_length=16)  # Band.code, e.g. "m12_18"
    table_version = models.CharField(max_length=40)
    answers = models.JSONField(default=dict)  # item code -> true (yes, can do it) / false (not yet)
    result = models.CharField(max_length=16, choices=DevelopmentResult.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person_id", "checked_on", "created_at", "id"]
        indexes = [
            models.Index(fields=["person", "checked_on"]),
            models.Index(fields=["posyandu", "checked_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(result__in=DevelopmentResult.values),
                                   name="development_check_result_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.checked_on} {self.band}"

    @property
    def no_count(self) -> int:
        return sum(1 for value in self.answers.values() if not value)
