from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "simpul.activities"
    label = "activities"
    verbose_name = "activity log with photos, share cards and galleries"
