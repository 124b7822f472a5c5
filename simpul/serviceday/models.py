"""The posyandu day (hari buka): scheduled by the posyandu, run by its kader in five steps, closed with
the bidan's referral list and the absent list for home visits.

The day's own rows are small: who came (``Attendance``), what they were given (``ServiceGiven``), and
what the close produced (``DayReferral``, ``DayAbsence``). Measurements, immunisations, ANC visits and
screenings stay in their own apps, dated the day and placed at the posyandu; the close reads them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ServiceDay(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    # Who may move a day from one status to the next: the one table services consult.
    TRANSITIONS = {
        Status.SCHEDULED: {Status.OPEN, Status.CANCELLED},
        Status.OPEN: {Status.CLOSED},
        Status.CLOSED: set(),
        Status.CANCELLED: set(),
    }

    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.PROTECT, related_name="service_days")
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    starts_at = models.TimeField(null=True, blank=True)
    place = models.CharField(max_length=160, blank=True)
    note = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)

    # Step 5, penyuluhan: group counselling of the day.
    counselling_topics = models.JSONField(default=list, blank=True)  # CounsellingTopic codes
    counselling_notes = models.TextField(blank=True)
    counselling_participants = models.PositiveIntegerField(null=True, blank=True)

    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    scheduled_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=255, blank=True)
    # What the close counted (attendance by group, D/N/T/O/B of the day, referral and absent counts).
    close_summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-held_on", "posyandu_id"]
        indexes = [models.Index(fields=["desa", "held_on"]), models.Index(fields=["posyandu", "held_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=["scheduled", "open", "closed", "cancelled"]),
                                   name="serviceday_status_valid"),
            models.UniqueConstraint(fields=["posyandu", "held_on"], condition=~models.Q(status="cancelled"),
                                    name="serviceday_one_per_posyandu_and_date"),
            models.CheckConstraint(condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False),
                                   name="serviceday_closed_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.posyandu_id} {self.held_on}"


class Group(models.TextChoices):
    """Who a visitor is on the day: the ILP life-stage groups, with pregnancy and nifas taking precedence."""

    CHILD = "bayi_balita", _("Infant or toddler (0-59 months)")
    PRESCHOOL = "apras", _("Pre-school (60-71 months)")
    PREGNANT = "ibu_hamil", _("Pregnant woman")
    POSTPARTUM = "ibu_nifas", _("Mother after birth (nifas)")
    SCHOOL_AGE = "usia_sekolah", _("School age (6-9 years)")
    ADOLESCENT = "remaja", _("Adolescent (10-18 years)")
    ADULT = "dewasa", _("Adult (19-59 years)")
    ELDERLY = "lansia", _("Elderly (60 years and over)")


class Attendance(models.Model):
    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    day = models.ForeignKey(ServiceDay, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=16, choices=Group.choices)
    walk_in = models.BooleanField(default=False)  # not on the day's sasaran list, or registered on the spot
    arrived_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["arrived_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["day", "person"], name="attendance_once_per_day"),
            models.CheckConstraint(condition=models.Q(group__in=[g.value for g in Group]),
                                   name="attendance_group_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.day_id}:{self.person_id}"


class Service(models.TextChoices):
    VITAMIN_A = "vitamin_a", _("Vitamin A")
    IRON = "iron_tablets", _("Iron tablets (TTD)")
    PMT = "pmt", _("Supplementary food (PMT)")
    DEWORMING = "deworming", _("Deworming")
    KB = "kb", _("Family planning (KB)")
    COUNSELLING = "counselling", _("Individual counselling")


class KbMethod(models.TextChoices):
    PILL = "pill", _("Pill")
    INJECTION = "injection", _("Injection")
    IMPLANT = "implant", _("Implant")
    IUD = "iud", _("IUD")
    CONDOM = "condom", _("Condom")
    STERILISATION = "sterilisation", _("Sterilisation (MOW/MOP)")


class VitaminACapsule(models.TextChoices):
    BLUE = "blue_100000", _("Blue capsule, 100,000 IU")
    RED = "red_200000", _("Red capsule, 200,000 IU")


class ServiceGiven(models.Model):
    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    day = models.ForeignKey(ServiceDay, on_delete=models.CASCADE, related_name="services")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Service.choices)
    quantity = models.PositiveSmallIntegerField(null=True, blank=True)  # tablets
    # Computed or chosen detail: vitamin A capsule colour, KB method code.
    detail = models.CharField(max_length=32, blank=True)
    note = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day_id", "person_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["day", "person", "kind"], name="service_once_per_day_and_kind"),
            models.CheckConstraint(condition=models.Q(kind__in=[s.value for s in Service]), name="service_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.day_id}:{self.person_id}:{self.kind}"


class DayReferral(models.Model):
    """One person the bidan must see after the day, with every reason found at the close."""

    day = models.ForeignKey(ServiceDay, on_delete=models.CASCADE, related_name="referrals")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    # Copied from the day so the bidan's list is scoped without a join through the day.
    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    reasons = models.JSONField(default=list)  # [{"reason": Reason code, "detail": "..."}]
    created_at = models.DateTimeField(default=timezone.now)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    followed_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    follow_up_note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["day_id", "person__full_name", "id"]
        constraints = [models.UniqueConstraint(fields=["day", "person"], name="day_referral_once_per_person")]

    def __str__(self) -> str:
        return f"{self.day_id}:{self.person_id}"

    @property
    def reason_items(self) -> list[dict]:
        """The reasons with their translated labels, for pages."""
        from simpul.health.findings import Reason

        return [{**item, "label": str(Reason(item["reason"]).label)} for item in self.reasons]


class DayAbsence(models.Model):
    """Someone expected on the day who did not come: the kader's home-visit (DOFU) list."""

    day = models.ForeignKey(ServiceDay, on_delete=models.CASCADE, related_name="absences")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=16, choices=Group.choices)
    visited_on = models.DateField(null=True, blank=True)
    visit_note = models.CharField(max_length=255, blank=True)
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["day_id", "group", "person__full_name"]
        constraints = [models.UniqueConstraint(fields=["day", "person"], name="day_absence_once_per_person")]

    def __str__(self) -> str:
        return f"{self.day_id}:{self.person_id}"


class CounsellingTopic(models.TextChoices):
    """Step 5 topics (domain.md §3.2: breastfeeding, complementary feeding, parenting, group KIE)."""

    BREASTFEEDING = "breastfeeding", _("Exclusive breastfeeding")
    COMPLEMENTARY_FEEDING = "complementary_feeding", _("Complementary feeding (MP-ASI)")
    PARENTING = "parenting", _("Parenting and child development")
    STUNTING = "stunting", _("Stunting prevention")
    PREGNANCY = "pregnancy", _("Care in pregnancy and after birth")
    IMMUNIZATION = "immunization", _("Immunisation")
    HYGIENE = "hygiene", _("Clean and healthy living (PHBS, handwashing)")
    NCD = "ncd", _("Non-communicable diseases (blood pressure, diabetes)")
    FAMILY_PLANNING = "family_planning", _("Family planning")
    ELDERLY = "elderly", _("Healthy ageing")
    OTHER = "other", _("Other")
