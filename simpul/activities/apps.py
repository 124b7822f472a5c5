from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "simpul.activities"
    label = "activities"
    verbose_name = "activity log with photos, share cards and galleries"

    def ready(self):
        from simpul.activities import recap
        from simpul.reports.sections import register

        register(recap.SECTION_KEY, recap.section, order=recap.SECTION_ORDER)
