from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaternalConfig(AppConfig):
    name = "simpul.maternal"
    label = "maternal"
    verbose_name = _("Mothers (KIA)")

    def ready(self) -> None:
        from simpul.health import fhir
        from simpul.maternal.report import KEY, maternal_section
        from simpul.maternal.selectors import bp_readings
        from simpul.reports.sections import register

        register(KEY, maternal_section, order=40)
        if bp_readings not in fhir.bp_readings:  # the FHIR export's blood pressures
            fhir.bp_readings.append(bp_readings)
