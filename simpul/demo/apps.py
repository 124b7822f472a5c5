from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "simpul.demo"
    label = "demo"
