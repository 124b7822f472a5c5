"""Referrals (rujukan) of needs in the six SPM fields, the agencies that act on them, and the working calendar.

Categories, agencies and routing rules are data a kabupaten edits; the taxonomy
in :mod:`simpul.referrals.taxonomy` seeds them. A referral's state lives in one
column constrained by the database; every move is a :class:`Transition` row.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.core.choices import SpmField
from simpul.referrals.states import WITH_AGENCY, State

ASPIRATION = "aspirasi"  # needs outside the six fields (e.g. agriculture): a field code of its own
FIELD_CHOICES = [*SpmField.choices, (ASPIRATION, _("Aspiration (outside the six fields)"))]


class Agency(models.Model):
    """A responsible unit of one kab/kota: a dinas, a kecamatan office, a puskesmas, UPTD PPA."""

    class Kind(models.TextChoices):
        DINAS = "dinas", _("Regional agency (dinas/badan)")
        KECAMATAN = "kecamatan", _("Sub-district office")
        PUSKESMAS = "puskesmas", _("Community health centre")
        UNIT = "unit", _("Technical unit (UPTD)")

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")  # its kab/kota
    # Where it works inside the kab/kota: a kecamatan office or puskesmas covers its kecamatan only.
    area = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=160)
    short_name = models.CharField(max_length=40)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DINAS)
    fields = models.JSONField(default=list)  # SPM field codes it handles
    email = models.EmailField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["region_id", "short_name"]
        verbose_name_plural = _("agencies")
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="agency_code_unique_per_region")]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def sees_health(self) -> bool:
        """Health detail goes only to a health agency (Dinkes, puskesmas)."""
        return SpmField.HEALTH in (self.fields or [])


class Category(models.Model):
    """A kind of need in one field, with what the village must collect and how long the agency has."""

    class Subject(models.TextChoices):
        PERSON = "person", _("A person")
        HOUSEHOLD = "household", _("A household")
        EITHER = "either", _("A person or a household")
        PLACE = "place", _("A place (RT/RW, facility)")

    code = models.SlugField(max_length=40, unique=True)
    field = models.CharField(max_length=16, choices=FIELD_CHOICES)
    name = models.CharField(max_length=160)  # the Indonesian name a kabupaten typed; built-ins translate by code
    subject = models.CharField(max_length=10, choices=Subject.choices, default=Subject.EITHER)
    # [{"type": <DocType code>, "count": n}] — what must be attached before the village may forward.
    required_documents = models.JSONField(default=list, blank=True)
    confidential = models.BooleanField(default=False)
    sla_working_days = models.PositiveSmallIntegerField(default=5)
    # What a resolution writes back to the registry (simpul.referrals.writeback), "" for nothing.
    writes_back = models.CharField(max_length=24, blank=True)
    sort = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["field", "sort", "code"]
        verbose_name_plural = _("categories")
        constraints = [
            models.CheckConstraint(condition=models.Q(sla_working_days__gte=1, sla_working_days__lte=60),
                                   name="category_sla_range"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        from simpul.referrals.taxonomy import category_label

        return category_label(self.code, self.name)


class RoutingRule(models.Model):
    """Field (+ category) (+ area) → agency. The most specific matching rule wins (see services.routing)."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")  # kab/kota
    field = models.CharField(max_length=16, choices=FIELD_CHOICES)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE)
    area = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="rules")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["region_id", "field", "category_id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "field", "category", "area"], name="routing_rule_unique",
                                    nulls_distinct=False),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.field} {self.category_id or '*'} -> {self.agency_id}"


class Holiday(models.Model):
    """A day off for government offices: a national holiday or a cuti bersama day (SKB 3 Menteri)."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National holiday")
        COLLECTIVE = "cuti_bersama", _("Collective leave (cuti bersama)")
        REGIONAL = "regional", _("Regional holiday")

    date = models.DateField(unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=14, choices=Kind.choices, default=Kind.NATIONAL)
    source = models.CharField(max_length=160, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Referral(models.Model):
    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    ticket = models.CharField(max_length=40, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="referrals")
    field = models.CharField(max_length=16, choices=FIELD_CHOICES)  # the category's, kept for scoping
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    posyandu = models.ForeignKey("posyandu.Posyandu", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="referrals")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="referrals")
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="referrals")
    description = models.TextField()
    rt = models.CharField(max_length=4, blank=True)
    rw = models.CharField(max_length=4, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    confidential = models.BooleanField(default=False)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # A need a citizen brought in (not seen by the kader herself): how to reach them back.
    citizen_name = models.CharField(max_length=120, blank=True)
    citizen_phone = models.CharField(max_length=20, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.RECORDED)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals")
    confidential_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                                 on_delete=models.PROTECT, related_name="+")
    confidential_approved_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_on = models.DateField()  # local date of recording: the SLA counts from the day after
    due_on = models.DateField()  # sla_working_days working days after recorded_on
    stage_started_at = models.DateTimeField(default=timezone.now)  # the last change of state
    stage_started_on = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=24, blank=True)  # simpul.referrals.writeback outcome code
    outcome_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [
            models.Index(fields=["desa", "state"]),
            models.Index(fields=["agency", "state"]),
            models.Index(fields=["posyandu", "state"]),
            models.Index(fields=["state", "due_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=State.values), name="referral_state_valid"),
            models.CheckConstraint(
                condition=~models.Q(state__in=sorted(WITH_AGENCY)) | models.Q(agency__isnull=False),
                name="referral_agency_when_forwarded",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=State.RESOLVED) | ~models.Q(outcome=""),
                name="referral_outcome_when_resolved",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=[State.RESOLVED, State.REJECTED], closed_at__isnull=False)
                | (~models.Q(state__in=[State.RESOLVED, State.REJECTED]) & models.Q(closed_at__isnull=True)),
                name="referral_closed_at_iff_closed",
            ),
            models.CheckConstraint(condition=models.Q(due_on__gt=models.F("recorded_on")),
                                   name="referral_due_after_recorded"),
            models.CheckConstraint(
                condition=models.Q(confidential=False) | models.Q(state__in=[State.RECORDED, State.VERIFIED,
                                                                            State.REJECTED, State.REOPENED])
                | models.Q(confidential_approved_by__isnull=False),
                name="referral_confidential_needs_approval",
            ),
        ]

    def __str__(self) -> str:
        return self.ticket

    @property
    def is_closed(self) -> bool:
        return self.state in (State.RESOLVED, State.REJECTED)


class Transition(models.Model):
    """One move of a referral: append-only, with actor, time and note."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=10)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, choices=State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.action} {self.to_state}"


class Attachment(models.Model):
    """A document or photo of a referral, stored through Django's default storage."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attachments")
    doc_type = models.CharField(max_length=24)  # simpul.referrals.taxonomy.DocType
    file = models.FileField(upload_to="referrals/%Y/%m/", max_length=255)
    original_name = models.CharField(max_length=160)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["doc_type", "uploaded_at"]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.doc_type}"


class Escalation(models.Model):
    """A stalled stage brought to a head's attention: the lurah first, then the camat. Logged once per level."""

    class Level(models.TextChoices):
        DESA = "desa", _("Village head")
        KECAMATAN = "kecamatan", _("Camat")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="escalations")
    level = models.CharField(max_length=10, choices=Level.choices)
    state = models.CharField(max_length=12, choices=State.choices)  # the stalled stage
    stage_started_at = models.DateTimeField()
    working_days_stalled = models.PositiveSmallIntegerField()
    at = models.DateTimeField(default=timezone.now)
    notified = models.JSONField(default=list)  # user ids notified

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "stage_started_at", "level"], name="escalation_once_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.level} {self.at:%Y-%m-%d}"


class TicketCounter(models.Model):
    """The running number of tickets per field × desa × month (locked while a ticket is issued)."""

    field = models.CharField(max_length=16)
    desa = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    month = models.CharField(max_length=6)  # YYYYMM
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["field", "desa", "month"], name="ticket_counter_unique")]

    def __str__(self) -> str:
        return f"{self.field} {self.desa_id} {self.month} {self.last}"
