from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "simpul.reports"
    label = "reports"

    def ready(self) -> None:
        from simpul.reports import sections, skdn

        sections.register("skdn", skdn.skdn_section, order=skdn.SKDN_ORDER)
        sections.register("nutrition", skdn.nutrition_section, order=skdn.NUTRITION_ORDER)
