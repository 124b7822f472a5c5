from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A Kemendagri administrative region, keyed by its code without dots.

    Codes: province ``35``, kab/kota ``3576``, kecamatan ``357603``, desa/kelurahan
    ``3576031002``. Because every row that belongs to a place carries its desa
    code, a region scope is a prefix match on that code.
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Province")
        REGENCY = 2, _("Regency/city")
        DISTRICT = 3, _("District (kecamatan)")
        VILLAGE = 4, _("Village (desa/kelurahan)")

    code = models.CharField(max_length=10, primary_key=True)
    name = models.CharField(max_length=120)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=[1, 2, 3, 4]), name="region_level_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dotted_code} {self.name}"

    @property
    def dotted_code(self) -> str:
        return dotted(self.code)

    @property
    def is_kelurahan(self) -> bool:
        # The 4-digit village part starts with 1 for a kelurahan and 2 for a desa.
        return self.level == self.Level.VILLAGE and self.code[6] == "1"

    @property
    def kind_label(self) -> str:
        if self.level == self.Level.VILLAGE:
            return str(_("Kelurahan") if self.is_kelurahan else _("Desa"))
        if self.level == self.Level.REGENCY:
            return str(_("City") if int(self.code[2:4]) >= 71 else _("Regency"))
        return str(self.get_level_display())


class Subdivision(models.Model):
    """Dusun, RW and RT: free subdivisions below a desa that the desa defines itself."""

    class Kind(models.TextChoices):
        DUSUN = "dusun", _("Hamlet (dusun)")
        RW = "rw", _("RW")
        RT = "rt", _("RT")

    desa = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="subdivisions")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=60)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["desa_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["desa", "kind", "name", "parent"], name="subdivision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


LEVEL_BY_LENGTH = {2: 1, 4: 2, 6: 3, 10: 4}


def undotted(code: str) -> str:
    return code.replace(".", "").strip()


def dotted(code: str) -> str:
    parts = [code[0:2], code[2:4], code[4:6], code[6:10]]
    return ".".join(p for p in parts if p)
