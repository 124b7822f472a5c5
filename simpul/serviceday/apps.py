from django.apps import AppConfig


class ServiceDayConfig(AppConfig):
    name = "simpul.serviceday"
    label = "serviceday"
