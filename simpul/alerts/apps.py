from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "simpul.alerts"
    label = "alerts"
    verbose_name = "Early warning"

    def ready(self) -> None:
        # Alerts follow the records the same way the SPM counters do: after every counter refresh (which runs
        # after commit, once per transaction) the refreshed posyandu are evaluated again.
        from simpul.alerts import hooks
        from simpul.spm.counters import on_refreshed

        on_refreshed(hooks.after_spm_refresh)
