from django.apps import AppConfig


class ServiceDayConfig(AppConfig):
    name = "simpul.serviceday"
    label = "serviceday"

    def ready(self):
        from simpul.reports.sections import register
        from simpul.serviceday import report

        register("serviceday", report.build, order=30)
