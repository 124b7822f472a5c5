from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "simpul.reports"
    label = "reports"
