"""Community programmes (Jumat Berkah, women's skills trainings, aid for people with disability, ...).

A programme belongs to one owner (a posyandu, a desa, TP Posyandu of a region, or an OPD) and one SPM field;
its target group is a rule kept as data (``target_rule`` code + ``target_params``, evaluated by
``simpul.programmes.eligibility`` against the registry as of a date), so "who should have been reached" can be
recomputed for any day and the not-reached list never goes stale. Activities are the dated events of the
programme; participations say who came to which activity; follow-ups record outcomes over time (for a skills
training: trained, started a business, household income improved).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.core.choices import SpmField


class Programme(models.Model):
    class OwnerKind(models.TextChoices):
        POSYANDU = "posyandu", _("Posyandu")
        DESA = "desa", _("Village (desa/kelurahan)")
        TP_POSYANDU = "tp_posyandu", _("TP Posyandu")
        OPD = "opd", _("Regional agency (OPD)")

    class Kind(models.TextChoices):
        SOCIAL_AID = "social_aid", _("Social aid")
        EMPOWERMENT_TRAINING = "empowerment_training", _("Empowerment training")
        MENTORING = "mentoring", _("Mentoring")
        ELDERLY_EMPOWERMENT = "elderly_empowerment", _("Elderly empowerment")
        DISABILITY_AID = "disability_aid", _("Aid for persons with disability")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Running")
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")

    owner_kind = models.CharField(max_length=12, choices=OwnerKind.choices)
    # The area the programme covers (desa for a desa owner, the posyandu's desa for a posyandu, a kecamatan or
    # kab/kota for TP Posyandu and OPD): eligibility and reach are computed inside it.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    posyandu = models.ForeignKey(
        "posyandu.Posyandu", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "referrals.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organiser = models.CharField(
        max_length=160, blank=True
    )  # as it is said locally: "PKK Kel. Miji", "Baznas"
    field = models.CharField(max_length=20, choices=SpmField.choices)
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    skill = models.CharField(
        max_length=120, blank=True
    )  # empowerment trainings: menjahit, olahan pangan, ...
    target_rule = models.CharField(max_length=32, blank=True)  # simpul.programmes.eligibility.RULES code
    target_params = models.JSONField(default=dict, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_date", "name"]
        indexes = [models.Index(fields=["region", "field"]), models.Index(fields=["posyandu"])]

    def __str__(self) -> str:
        return self.name


class ProgrammeActivity(models.Model):
    class Kind(models.TextChoices):
        DISTRIBUTION = "distribution", _("Distribution")
        TRAINING = "training", _("Training")
        MENTORING = "mentoring", _("Mentoring session")
        HOME_VISIT = "home_visit", _("Home visit")
        GATHERING = "gathering", _("Gathering")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="activities")
    date = models.DateField()
    place = models.CharField(max_length=160, blank=True)
    posyandu = models.ForeignKey(
        "posyandu.Posyandu", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=14, choices=Kind.choices)
    given = models.CharField(max_length=255, blank=True)  # what was handed out or taught
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = _("programme activities")

    def __str__(self) -> str:
        return f"{self.programme} {self.date}"


class Participation(models.Model):
    class Status(models.TextChoices):
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")
        # Received at home (a lansia who cannot walk to the distribution): reached, not present.
        DELIVERED = "delivered", _("Delivered at home")

    REACHED = (Status.ATTENDED, Status.DELIVERED)

    activity = models.ForeignKey(ProgrammeActivity, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="programme_participations"
    )
    attended = models.BooleanField(default=True)  # kept in step with status, for simple counts
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ATTENDED)
    given = models.CharField(max_length=255, blank=True)  # what this person received, if it differs
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["activity_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="programmes_one_row_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}:{self.person_id} {self.status}"


class FollowUp(models.Model):
    class Outcome(models.TextChoices):
        TRAINED = "trained", _("Trained")
        BUSINESS_STARTED = "business_started", _("Started a business")
        INCOME_IMPROVED = "income_improved", _("Household income improved")
        EMPLOYED = "employed", _("Found work")
        NO_CHANGE = "no_change", _("No change yet")
        STOPPED = "stopped", _("Stopped the activity")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="follow_ups")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="programme_follow_ups"
    )
    date = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    monthly_income = models.PositiveIntegerField(
        null=True, blank=True
    )  # rupiah from the new activity, if said
    note = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["programme", "person"])]

    def __str__(self) -> str:
        return f"{self.programme_id}:{self.person_id} {self.outcome} {self.date}"
