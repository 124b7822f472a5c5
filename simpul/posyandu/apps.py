from django.apps import AppConfig


class PosyanduConfig(AppConfig):
    name = "simpul.posyandu"
    label = "posyandu"
