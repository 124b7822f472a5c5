from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "simpul.practice"
    label = "practice"
    verbose_name = "practice mode (simulasi) on a per-posyandu sandbox"
