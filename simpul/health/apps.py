from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "simpul.health"
    label = "health"
