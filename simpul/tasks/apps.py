from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "simpul.tasks"
    label = "tasks"
    verbose_name = "Kader tasks"

    def ready(self) -> None:
        # Tasks follow the SPM engine's verdicts: every counter refresh hands this month's verdicts to
        # ``sync``, so the records are evaluated once for the counters and the task list together.
        from simpul.spm.counters import LISTENERS, on_refreshed
        from simpul.tasks.services import tasks_sync

        if tasks_sync not in LISTENERS:
            on_refreshed(tasks_sync)
