from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImmunizationConfig(AppConfig):
    name = "simpul.immunization"
    label = "immunization"
    verbose_name = _("Immunisation")
