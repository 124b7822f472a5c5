"""Counters of SPM achievement, and what Tim Pembina sets beside them (targets, official sasaran, external figures).

``Counter`` is the year-to-date denominator and numerator of one indicator for one posyandu at the end of one
month; ``RegionCounter`` the same summed over a desa, kecamatan or kab/kota. A dashboard reads a few rows per
region shown, never the records behind them. Both are rebuilt from the records by ``manage.py spm_recompute``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Counter(models.Model):
    # Derived data, rebuilt from the posyandu and their records (``fastpath.rebuild``): no database foreign key
    # (its per-row check at commit cost 1.6 s of a kabupaten's rebuild) and no index of its own (the unique
    # constraint below starts with it). Deleting a posyandu still deletes its counters (Django's CASCADE).
    posyandu = models.ForeignKey(
        "posyandu.Posyandu", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    desa_code = models.CharField(max_length=10)  # the posyandu's desa, for prefix roll-ups
    indicator = models.CharField(max_length=32)  # simpul.spm.catalogue code
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()  # year to date, up to the end of this month
    denominator = models.PositiveIntegerField(default=0)
    numerator = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(default=0)  # in the target group but not judged yet (not surveyed)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["posyandu", "indicator", "year", "month"], name="spm_counter_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="spm_counter_month_valid"),
            models.CheckConstraint(condition=Q(numerator__lte=F("denominator")), name="spm_counter_num_le_den"),
        ]
        indexes = [models.Index(fields=["year", "month", "indicator", "desa_code"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.posyandu_id} {self.year}-{self.month:02d}"


class RegionCounter(models.Model):
    region_code = models.CharField(max_length=10)  # desa, kecamatan, kab/kota or province
    level = models.PositiveSmallIntegerField()  # simpul.regions Region.Level
    indicator = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    denominator = models.BigIntegerField(default=0)
    numerator = models.BigIntegerField(default=0)
    pending = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region_code", "indicator", "year", "month"],
                                    name="spm_region_counter_unique"),
        ]
        indexes = [models.Index(fields=["year", "month", "level", "region_code"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.region_code} {self.year}-{self.month:02d}"


class Target(models.Model):
    """The target percent of an indicator in an area for a year, when it is not the default 100."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "indicator", "year"], name="spm_target_unique"),
            models.CheckConstraint(condition=Q(percent__gt=0, percent__lte=100), name="spm_target_range"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.region_id} {self.year}: {self.percent}%"


class OfficialSasaran(models.Model):
    """The official projected target population (e.g. the Dinkes estimate of pregnant women) of an area."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()
    source = models.CharField(max_length=160, blank=True)  # e.g. "Proyeksi Dinkes 2026"
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "indicator", "year"], name="spm_official_sasaran_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.region_id} {self.year}: {self.count}"


class ExternalFigure(models.Model):
    """Numerator and denominator of an indicator whose data lives in another system, for an area and period."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()  # year to date, like the counters
    denominator = models.PositiveIntegerField()
    numerator = models.PositiveIntegerField()
    source = models.CharField(max_length=160)  # e.g. "SIMPUS Puskesmas Kranggan", "laporan Dinkes"
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "indicator", "year", "month"], name="spm_external_unique"),
            models.CheckConstraint(condition=Q(numerator__lte=F("denominator")), name="spm_external_num_le_den"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="spm_external_month_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.region_id} {self.year}-{self.month:02d}: {self.numerator}/{self.denominator}"
