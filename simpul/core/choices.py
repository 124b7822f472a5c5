"""Codes shared by every module. Labels come from translation; code compares codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SpmField(models.TextChoices):
    HEALTH = "kesehatan", _("Health")
    EDUCATION = "pendidikan", _("Education")
    PUBLIC_WORKS = "pekerjaan_umum", _("Public works")
    HOUSING = "perumahan", _("Public housing")
    SOCIAL = "sosial", _("Social affairs")
    PUBLIC_ORDER = "trantibumlinmas", _("Public order and community protection")


ALL_FIELDS = frozenset(SpmField.values)


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
