from django.apps import AppConfig


class MaternalConfig(AppConfig):
    name = "simpul.maternal"
    label = "maternal"
