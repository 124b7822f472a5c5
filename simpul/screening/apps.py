from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "simpul.screening"
    label = "screening"

    def ready(self) -> None:
        from simpul.reports import sections
        from simpul.screening.report import screening_section

        sections.register("screening", screening_section, order=50)

        from simpul.health import fhir
        from simpul.screening.selectors import bp_readings

        if bp_readings not in fhir.bp_readings:  # the FHIR export's blood pressures
            fhir.bp_readings.append(bp_readings)
