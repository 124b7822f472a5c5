import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.core.choices import Sex
from simpul.lib import crypto


class Tracked(models.Model):
    """History fields for registry rows: who made and last changed it, and a version for conflicts."""

    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class Household(Tracked):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        MOVED_OUT = "moved_out", _("Moved out of the area")
        DISSOLVED = "dissolved", _("Dissolved")

    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.PROTECT, related_name="households")
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    kk_cipher = models.TextField(blank=True)
    kk_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    address = models.CharField(max_length=255)
    rt = models.CharField(max_length=4, blank=True)
    rw = models.CharField(max_length=4, blank=True)
    dusun = models.CharField(max_length=60, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    # Denormalised name of the head, for lists and search without decrypting or joining.
    head_name = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["desa_id", "rw", "rt", "head_name"]
        indexes = [models.Index(fields=["posyandu", "status"]), models.Index(fields=["desa", "rt"])]

    def __str__(self) -> str:
        return self.head_name or f"KK #{self.pk}"

    @property
    def kk(self) -> str:
        return crypto.decrypt(self.kk_cipher) if self.kk_cipher else ""


class Person(Tracked):
    class Relationship(models.TextChoices):
        # Dukcapil's "status hubungan dalam keluarga" (SHDK).
        HEAD = "kepala", _("Head of family")
        HUSBAND = "suami", _("Husband")
        WIFE = "istri", _("Wife")
        CHILD = "anak", _("Child")
        CHILD_IN_LAW = "menantu", _("Son/daughter-in-law")
        GRANDCHILD = "cucu", _("Grandchild")
        PARENT = "orang_tua", _("Parent")
        PARENT_IN_LAW = "mertua", _("Parent-in-law")
        OTHER_RELATIVE = "famili_lain", _("Other relative")
        OTHER = "lainnya", _("Other")

    class Education(models.TextChoices):
        NOT_IN_SCHOOL = "not_in_school", _("Not in school")
        PAUD = "paud", _("Early childhood (PAUD)")
        SD = "sd", _("Primary school (SD/MI)")
        SMP = "smp", _("Junior secondary (SMP/MTs)")
        SMA = "sma", _("Senior secondary (SMA/SMK/MA)")
        EQUIVALENCY = "kesetaraan", _("Equivalency programme (Paket A/B/C)")
        FINISHED = "finished", _("Finished school")

    class Disability(models.TextChoices):
        # UU 8/2016 on persons with disabilities.
        PHYSICAL = "physical", _("Physical")
        INTELLECTUAL = "intellectual", _("Intellectual")
        MENTAL = "mental", _("Mental")
        VISUAL = "sensory_visual", _("Sensory: visual")
        HEARING = "sensory_hearing", _("Sensory: hearing")
        SPEECH = "sensory_speech", _("Sensory: speech")
        MULTIPLE = "multiple", _("Multiple")

    class LifeStatus(models.TextChoices):
        ALIVE = "alive", _("Living here")
        DECEASED = "deceased", _("Deceased")
        MOVED = "moved", _("Moved away")

    class NikStatus(models.TextChoices):
        NONE = "none", _("No NIK yet")
        VALID = "valid", _("Valid")
        UNVERIFIED = "unverified", _("Unverified (check the warnings)")

    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.PROTECT, related_name="people")
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(max_length=120)
    sex = models.CharField(max_length=1, choices=Sex.choices)
    birth_date = models.DateField()
    birth_date_estimated = models.BooleanField(default=False)
    nik_cipher = models.TextField(blank=True)
    nik_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    nik_last4 = models.CharField(max_length=4, blank=True, db_index=True)
    nik_status = models.CharField(max_length=12, choices=NikStatus.choices, default=NikStatus.NONE)
    nik_warnings = models.JSONField(default=list, blank=True)
    provisional_id = models.CharField(max_length=24, unique=True)
    relationship = models.CharField(max_length=12, choices=Relationship.choices)
    phone = models.CharField(max_length=20, blank=True)
    mother_name = models.CharField(max_length=120, blank=True)
    education_status = models.CharField(max_length=16, choices=Education.choices, blank=True)
    school_name = models.CharField(max_length=120, blank=True)
    disability_type = models.CharField(max_length=16, choices=Disability.choices, blank=True)
    life_status = models.CharField(max_length=10, choices=LifeStatus.choices, default=LifeStatus.ALIVE)
    life_status_date = models.DateField(null=True, blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["full_name"]
        indexes = [
            models.Index(fields=["posyandu", "life_status"]),
            models.Index(fields=["desa", "birth_date"]),
            models.Index(fields=["full_name"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(sex__in=["M", "F"]), name="person_sex_valid"),
            models.CheckConstraint(
                condition=models.Q(life_status="alive") | models.Q(life_status_date__isnull=False),
                name="person_status_date_required",
            ),
            models.CheckConstraint(
                condition=models.Q(life_status_date__isnull=True) | models.Q(life_status_date__gte=models.F("birth_date")),
                name="person_status_after_birth",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def nik(self) -> str:
        return crypto.decrypt(self.nik_cipher) if self.nik_cipher else ""


class Residence(models.Model):
    """Where a person lived from when to when: counts for a past period use where they lived then."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="residences")
    household = models.ForeignKey(Household, null=True, on_delete=models.PROTECT, related_name="+")
    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=20, default="registered")

    class Meta:
        ordering = ["person_id", "start_date"]
        indexes = [models.Index(fields=["desa", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="residence_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.desa_id} {self.start_date}–{self.end_date or ''}"


class Consent(models.Model):
    class Purpose(models.TextChoices):
        REGISTRATION = "pendataan", _("Registration (pendataan)")
        HEALTH_SERVICE = "layanan_kesehatan", _("Health services")
        CROSS_FIELD_REFERRAL = "rujukan_lintas_bidang", _("Referral to other fields")
        PUBLICATION = "publikasi", _("Publication (photos, stories)")

    class Method(models.TextChoices):
        WRITTEN = "tertulis", _("Written")
        ORAL = "lisan", _("Oral")
        DIGITAL = "digital", _("Digital")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=24, choices=Purpose.choices)
    method = models.CharField(max_length=10, choices=Method.choices)
    given_on = models.DateField()
    witness = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # For a child (or a person who cannot consent), the parent or guardian who consented.
    guardian_name = models.CharField(max_length=120, blank=True)
    guardian_relationship = models.CharField(max_length=40, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.CharField(max_length=255, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person_id", "purpose", "-given_on"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.purpose} {self.given_on}"


class DuplicateCandidate(models.Model):
    """A possible double registration found by fuzzy matching, for the kader to confirm or dismiss."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed: same person")
        DISMISSED = "dismissed", _("Dismissed: different people")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "other"], name="duplicate_pair_unique")]

    def __str__(self) -> str:
        return f"{self.person_id}~{self.other_id} {self.status}"


class HouseholdCondition(models.Model):
    """What was observed about a household's house, water, sanitation and social aid on one day.

    Append-only: each observation carries the full picture (unchanged parts copied
    from the previous one), so "the condition as of a date" is the latest row on or
    before it — what the SPM engine counts for a period. Observations come from the
    kader's survey or from a resolved referral (which names itself in ``referral``).
    """

    class House(models.TextChoices):
        LIVABLE = "layak", _("Livable")
        UNFIT = "rtlh", _("Unfit to live in (RTLH)")
        DISASTER_DAMAGED = "rusak_bencana", _("Damaged by a disaster")
        RELOCATED = "relokasi", _("Relocated")

    class Water(models.TextChoices):
        # Safe ("layak") sources per the SDG 6.1 / BPS definition; unprotected sources are not.
        PIPED = "perpipaan", _("Piped water (PDAM/village network)")
        BOREHOLE = "sumur_bor", _("Borehole or pump")
        PROTECTED_WELL = "sumur_terlindung", _("Protected dug well")
        PROTECTED_SPRING = "mata_air_terlindung", _("Protected spring")
        RAINWATER = "air_hujan", _("Rainwater")
        BOTTLED = "kemasan", _("Bottled or refill water")
        UNPROTECTED_WELL = "sumur_tak_terlindung", _("Unprotected dug well")
        UNPROTECTED_SPRING = "mata_air_tak_terlindung", _("Unprotected spring")
        SURFACE = "air_permukaan", _("River, lake or pond")

    class Sanitation(models.TextChoices):
        OWN_SEPTIC = "sendiri_septik", _("Own toilet with septic tank or sewer")
        SHARED_SEPTIC = "bersama_septik", _("Shared toilet with septic tank")
        OWN_NO_SEPTIC = "sendiri_tanpa_septik", _("Own toilet without septic tank")
        NONE = "tidak_ada", _("No toilet (open defecation)")

    class Source(models.TextChoices):
        SURVEY = "survey", _("Kader survey")
        REFERRAL = "referral", _("Resolved referral")

    class Earners(models.TextChoices):
        # Who brings income home (issue 7): a family living on one earner is one illness away from poverty,
        # so programmes target it and the early-warning rule watches for "the only earner can no longer work".
        SEVERAL = "beberapa", _("Two or more members earn an income")
        ONE = "tunggal", _("One member earns the income")
        ONE_CANNOT_WORK = "tunggal_tak_mampu", _("The only earner can no longer work")
        NONE = "tidak_ada", _("No member earns an income")

    SAFE_WATER = frozenset({"perpipaan", "sumur_bor", "sumur_terlindung", "mata_air_terlindung", "air_hujan",
                            "kemasan"})
    PROPER_SANITATION = frozenset({"sendiri_septik", "bersama_septik"})

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="conditions")
    observed_on = models.DateField()
    house = models.CharField(max_length=14, choices=House.choices, blank=True)
    water_source = models.CharField(max_length=24, choices=Water.choices, blank=True)
    sanitation = models.CharField(max_length=24, choices=Sanitation.choices, blank=True)
    # Social assistance programmes the household receives (codes: pkh, bpnt, pbi_jkn, blt_dd, other).
    aid_programmes = models.JSONField(default=list, blank=True)
    dtsen_decile = models.PositiveSmallIntegerField(null=True, blank=True)  # external (DTSEN), never computed
    earners = models.CharField(max_length=18, choices=Earners.choices, blank=True,
                               db_default="")  # blank: not asked yet; db_default: bulk COPY loads leave it out
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SURVEY)
    referral = models.ForeignKey("referrals.Referral", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    note = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["household_id", "observed_on", "pk"]
        indexes = [models.Index(fields=["household", "observed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dtsen_decile__isnull=True) | models.Q(dtsen_decile__gte=1, dtsen_decile__lte=10),
                name="condition_decile_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.observed_on}"

    @property
    def water_safe(self) -> bool | None:
        return None if not self.water_source else self.water_source in self.SAFE_WATER

    @property
    def sanitation_proper(self) -> bool | None:
        return None if not self.sanitation else self.sanitation in self.PROPER_SANITATION
