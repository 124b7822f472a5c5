from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    name = "simpul.sync"
    label = "sync"
    verbose_name = _("Field app sync")

    def ready(self) -> None:
        # The change log is fed by model signals, so every write (pages, API, sync) lands in the feed.
        from simpul.sync import changelog

        changelog.connect()
