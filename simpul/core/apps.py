from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "simpul.core"
    label = "core"

    def ready(self) -> None:
        from simpul.core import lookups  # noqa: F401  (registers ``__any``)
