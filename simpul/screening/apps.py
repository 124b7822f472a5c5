from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "simpul.screening"
    label = "screening"
