"""A woman's pregnancy (kehamilan), its antenatal visits (ANC) and the visits after birth (nifas).

Rows are written only by ``simpul.maternal.services``. Dates that follow from HPHT (HPL, gestational age,
trimester) are stored when recorded so lists need no arithmetic; KEK and hypertension are computed on
read from the stored values and the cut-offs in ``rules.py`` (decision 0008).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.maternal import rules
from simpul.maternal.rules import Examiner


class Pregnancy(models.Model):
    class Status(models.TextChoices):
        ONGOING = "ongoing", _("Pregnant")
        DELIVERED = "delivered", _("Delivered")
        ENDED = "ended", _("Ended without delivery")

    class HphtSource(models.TextChoices):
        LMP = "lmp", _("Known first day of the last period (HPHT)")
        ESTIMATED = "estimated", _("Estimated from the gestational age at the first visit")

    # Allowed status changes; services are the only code that changes status.
    TRANSITIONS = {Status.ONGOING: {Status.DELIVERED, Status.ENDED}, Status.DELIVERED: set(), Status.ENDED: set()}

    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="pregnancies")
    # Where she belonged when the pregnancy was recorded: scoping and monthly counts use that place.
    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    registered_on = models.DateField()  # the first contact, when the pregnancy became known
    hpht = models.DateField()  # first day of the last menstrual period, known or estimated
    hpht_source = models.CharField(max_length=10, choices=HphtSource.choices, default=HphtSource.LMP)
    estimated_weeks = models.PositiveSmallIntegerField(null=True, blank=True)  # when HPHT was estimated
    hpl = models.DateField()  # estimated due date, Naegele (rules.hpl_from_hpht)
    gravida = models.PositiveSmallIntegerField()  # pregnancies including this one
    para = models.PositiveSmallIntegerField()  # earlier births
    abortus = models.PositiveSmallIntegerField()  # earlier pregnancies ended before 20 weeks
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ONGOING)
    delivered_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    outcome_note = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person_id", "-hpht", "-id"]
        indexes = [
            models.Index(fields=["posyandu", "status"]),
            models.Index(fields=["desa", "registered_on"]),
            models.Index(fields=["posyandu", "delivered_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["ongoing", "delivered", "ended"]),
                                   name="pregnancy_status_valid"),
            models.CheckConstraint(condition=Q(hpht_source__in=["lmp", "estimated"]),
                                   name="pregnancy_hpht_source_valid"),
            # The closing date goes with the status: ongoing has none, delivered and ended their own.
            models.CheckConstraint(
                condition=(Q(status="ongoing", delivered_on__isnull=True, ended_on__isnull=True)
                           | Q(status="delivered", delivered_on__isnull=False, ended_on__isnull=True)
                           | Q(status="ended", delivered_on__isnull=True, ended_on__isnull=False)),
                name="pregnancy_close_date_matches_status",
            ),
            models.CheckConstraint(condition=Q(gravida__gte=1), name="pregnancy_gravida_at_least_one"),
            models.CheckConstraint(condition=Q(registered_on__gte=F("hpht")), name="pregnancy_registered_after_hpht"),
            models.CheckConstraint(condition=Q(delivered_on__isnull=True) | Q(delivered_on__gte=F("hpht")),
                                   name="pregnancy_delivered_after_hpht"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("hpht")),
                                   name="pregnancy_ended_after_hpht"),
            # At most one ongoing pregnancy per woman (the service says so in Bahasa first).
            models.UniqueConstraint(fields=["person"], condition=Q(status="ongoing"),
                                    name="pregnancy_one_ongoing_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} HPHT {self.hpht}"

    @property
    def closed_on(self):
        return self.delivered_on or self.ended_on

    def gestational_age(self, on) -> rules.GestationalAge | None:
        """Gestational age on ``on``; None before HPHT or after the pregnancy ended."""
        if self.closed_on is not None and on > self.closed_on:
            return None
        return rules.gestational_age(self.hpht, on)

    @property
    def obstetric_formula(self) -> str:
        return f"G{self.gravida}P{self.para}A{self.abortus}"


class AncVisit(models.Model):
    """One antenatal examination (*pemeriksaan kehamilan*) on one day.

    A row is never edited: a correction is a new row that supersedes the old one (``superseded_by``);
    reads and counts use only current rows.
    """

    class DangerSign(models.TextChoices):
        # Buku KIA: signs that send a pregnant woman to the health worker at once.
        BLEEDING = "bleeding", _("Bleeding from the birth canal")
        WATERS_BROKE = "waters_broke", _("Waters broke before labour")
        CONVULSIONS = "convulsions", _("Convulsions")
        HIGH_FEVER = "high_fever", _("High fever")
        SWELLING_HEADACHE = "swelling_headache", _("Swollen face, hands or feet, or severe headache")
        LESS_FETAL_MOVEMENT = "less_fetal_movement", _("Baby moves less than before")
        PERSISTENT_VOMITING = "persistent_vomiting", _("Vomiting all the time and cannot eat")

    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="anc_visits")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField()
    gestational_days = models.PositiveSmallIntegerField()  # from HPHT, when recorded
    trimester = models.PositiveSmallIntegerField()
    examiner = models.CharField(max_length=10, choices=Examiner.choices)
    weight_kg = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    muac_cm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)  # LiLA
    systolic = models.PositiveSmallIntegerField(null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(null=True, blank=True)
    iron_tablets = models.PositiveSmallIntegerField(default=0)  # TTD given at this visit
    pmt_given = models.BooleanField(default=False)  # supplementary food (PMT) for KEK
    tb_symptoms = models.BooleanField(default=False)  # cough of two weeks or more, screened at the visit
    referred = models.BooleanField(default=False)
    danger_signs = models.JSONField(default=list, blank=True)  # DangerSign codes
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    superseded_by = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="supersedes")
    correction_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["pregnancy_id", "visited_on", "created_at", "id"]
        indexes = [
            models.Index(fields=["posyandu", "visited_on"]),
            models.Index(fields=["desa", "visited_on"]),
            models.Index(fields=["pregnancy", "visited_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(examiner__in=["kader", "bidan", "doctor"]),
                                   name="anc_visit_examiner_valid"),
            models.CheckConstraint(condition=Q(trimester__in=[1, 2, 3]), name="anc_visit_trimester_valid"),
            models.CheckConstraint(condition=Q(systolic__isnull=True, diastolic__isnull=True)
                                   | Q(systolic__isnull=False, diastolic__isnull=False,
                                                        systolic__gt=F("diastolic")), name="anc_visit_bp_pair"),
            models.CheckConstraint(condition=~Q(superseded_by=F("id")), name="anc_visit_not_self_superseded"),
        ]

    def __str__(self) -> str:
        return f"{self.pregnancy_id} {self.visited_on}"

    @property
    def gestational_age(self) -> rules.GestationalAge:
        return rules.GestationalAge(self.gestational_days)

    @property
    def is_kek(self) -> bool:
        return rules.is_kek(self.muac_cm)

    @property
    def is_hypertensive(self) -> bool:
        return rules.is_hypertensive(self.systolic, self.diastolic)

    def danger_sign_labels(self) -> list[str]:
        return [str(self.DangerSign(code).label) for code in self.danger_signs if code in self.DangerSign.values]


class NifasVisit(models.Model):
    """One visit of a mother in the 42 days after birth (*kunjungan nifas*)."""

    class DangerSign(models.TextChoices):
        # Buku KIA: danger signs after birth.
        BLEEDING = "bleeding", _("Heavy bleeding from the birth canal")
        FOUL_DISCHARGE = "foul_discharge", _("Foul-smelling discharge")
        FEVER = "fever", _("Fever for more than two days")
        SWELLING_HEADACHE = "swelling_headache", _("Swollen face, hands or feet, headache or convulsions")
        BREAST_PAIN = "breast_pain", _("Swollen, red and painful breast")
        LOW_MOOD = "low_mood", _("Very sad, does not want to care for the baby")

    class KbMethod(models.TextChoices):
        # Post-partum family planning (KB pasca persalinan).
        NONE = "none", _("None yet")
        LAM = "lam", _("Lactational amenorrhoea (MAL)")
        PILL = "pill", _("Pill")
        INJECTABLE = "injectable", _("Injection")
        IMPLANT = "implant", _("Implant")
        IUD = "iud", _("IUD (AKDR)")
        CONDOM = "condom", _("Condom")
        TUBECTOMY = "tubectomy", _("Tubectomy (MOW)")
        VASECTOMY = "vasectomy", _("Vasectomy of the husband (MOP)")

    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="nifas_visits")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField()
    days_after_delivery = models.PositiveSmallIntegerField()
    examiner = models.CharField(max_length=10, choices=Examiner.choices)
    systolic = models.PositiveSmallIntegerField(null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(null=True, blank=True)
    vitamin_a = models.BooleanField(default=False)
    kb_method = models.CharField(max_length=12, choices=KbMethod.choices, default=KbMethod.NONE)
    danger_signs = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pregnancy_id", "visited_on", "created_at", "id"]
        indexes = [models.Index(fields=["posyandu", "visited_on"]), models.Index(fields=["desa", "visited_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(days_after_delivery__lte=rules.NIFAS_DAYS),
                                   name="nifas_visit_within_42_days"),
            models.CheckConstraint(condition=Q(examiner__in=["kader", "bidan", "doctor"]),
                                   name="nifas_visit_examiner_valid"),
            models.CheckConstraint(
                condition=Q(kb_method__in=["none", "lam", "pill", "injectable", "implant", "iud", "condom",
                                           "tubectomy", "vasectomy"]),
                name="nifas_visit_kb_method_valid"),
            models.CheckConstraint(condition=Q(systolic__isnull=True, diastolic__isnull=True)
                                   | Q(systolic__isnull=False, diastolic__isnull=False,
                                                        systolic__gt=F("diastolic")), name="nifas_visit_bp_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.pregnancy_id} nifas {self.visited_on}"

    @property
    def is_hypertensive(self) -> bool:
        return rules.is_hypertensive(self.systolic, self.diastolic)

    def danger_sign_labels(self) -> list[str]:
        return [str(self.DangerSign(code).label) for code in self.danger_signs if code in self.DangerSign.values]


# Querysets filters for the computed flags (the same cut-offs as rules.is_kek / rules.is_hypertensive).
KEK_Q = Q(muac_cm__lt=rules.KEK_LILA_CM)
HYPERTENSION_Q = Q(systolic__gte=rules.HYPERTENSION_SYSTOLIC) | Q(diastolic__gte=rules.HYPERTENSION_DIASTOLIC)
