from django.apps import AppConfig


class Open311Config(AppConfig):
    name = "simpul.open311"
    label = "open311"
