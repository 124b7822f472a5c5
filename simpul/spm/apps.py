from django.apps import AppConfig


class SpmConfig(AppConfig):
    name = "simpul.spm"
    label = "spm"
    verbose_name = "SPM"

    def ready(self) -> None:
        # Writes of the records an indicator reads mark their posyandu-year for a refresh after commit.
        from simpul.spm import feeds

        feeds.connect()
