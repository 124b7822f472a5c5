"""Screening of adolescents, adults and elderly at the posyandu, with categories and flags computed when
recorded (cut-offs in ``rules``; sources in docs/decisions/0009-adult-and-elderly-screening.md).

As with measurements, a row is never edited: a correction is a new row that supersedes the old one
(``superseded_by``) with the reason. Reads and counts use only the current rows (``superseded_by IS NULL``),
one row per person and date screened, so "screened at least once in the year" is a simple distinct count.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from simpul.health.growth.classify import BmiForAge
from simpul.screening import rules
from simpul.screening.rules import AdlCategory, AdultBmi, ScreeningFlag, Smoking


def _score() -> models.PositiveSmallIntegerField:
    # One Barthel item; its allowed scores are checked by the service (rules.BARTHEL_ITEMS).
    return models.PositiveSmallIntegerField(null=True, blank=True)


class Screening(models.Model):
    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="screenings")
    # Where the person belonged when screened: scoping and monthly counts use the place at that time.
    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    screened_on = models.DateField()
    age_years = models.PositiveSmallIntegerField()  # completed years on screened_on
    life_stage = models.CharField(max_length=16)  # simpul.registry.lifestage code on screened_on
    pregnant = models.BooleanField(default=False)  # changes the Hb cut-off; no adult BMI category

    weight_kg = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    height_cm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    waist_cm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    systolic = models.PositiveSmallIntegerField(null=True, blank=True)  # mmHg
    diastolic = models.PositiveSmallIntegerField(null=True, blank=True)
    glucose_mg_dl = models.PositiveSmallIntegerField(null=True, blank=True)  # random (sewaktu)
    haemoglobin_g_dl = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    smoking = models.CharField(max_length=8, choices=Smoking.choices, default=Smoking.UNKNOWN)

    adl_feeding = _score()
    adl_bathing = _score()
    adl_grooming = _score()
    adl_dressing = _score()
    adl_bowels = _score()
    adl_bladder = _score()
    adl_toilet = _score()
    adl_transfer = _score()
    adl_mobility = _score()
    adl_stairs = _score()

    # Computed when recorded.
    bmi = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)  # one decimal, as classified
    bmi_category = models.CharField(max_length=16, choices=AdultBmi.choices, blank=True)  # adults (dewasa, lansia)
    z_bmifa = models.FloatField(null=True, blank=True)  # WHO 2007 BMI-for-age, adolescents
    class_bmifa = models.CharField(max_length=16, choices=BmiForAge.choices, blank=True)
    anaemia_cutoff = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)  # the one applied
    adl_score = models.PositiveSmallIntegerField(null=True, blank=True)
    adl_category = models.CharField(max_length=12, choices=AdlCategory.choices, blank=True)
    flags = models.JSONField(default=list, blank=True)  # ScreeningFlag codes

    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    superseded_by = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="supersedes")
    correction_reason = models.CharField(max_length=255, blank=True)  # on the new row: why the old one was wrong

    class Meta:
        ordering = ["person_id", "screened_on", "created_at", "id"]
        indexes = [
            models.Index(fields=["person", "screened_on"]),
            models.Index(fields=["posyandu", "screened_on"]),
            models.Index(fields=["desa", "screened_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(superseded_by=models.F("id")),
                                   name="screening_not_self_superseded"),
            models.CheckConstraint(condition=models.Q(smoking__in=Smoking.values), name="screening_smoking_valid"),
            models.CheckConstraint(
                condition=models.Q(systolic__isnull=True, diastolic__isnull=True)
                | models.Q(systolic__gt=models.F("diastolic")),
                name="screening_bp_pair",
            ),
            models.CheckConstraint(condition=models.Q(adl_score__isnull=True) | models.Q(adl_score__lte=20),
                                   name="screening_adl_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.screened_on}"

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None

    @property
    def adl_items(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in rules.BARTHEL_FIELDS}

    @property
    def blood_pressure(self) -> str:
        return f"{self.systolic}/{self.diastolic}" if self.systolic is not None else ""

    def has_flag(self, code: str) -> bool:
        return code in self.flags

    def flag_labels(self) -> list[str]:
        return [str(ScreeningFlag(code).label) for code in self.flags]

    def bmi_label(self) -> str:
        if self.bmi_category:
            return str(AdultBmi(self.bmi_category).label)
        if self.class_bmifa:
            return str(BmiForAge(self.class_bmifa).label)
        return ""
