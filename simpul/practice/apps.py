from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "simpul.practice"
    label = "practice"
    verbose_name = "practice mode (simulasi) on a per-posyandu sandbox"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        user_logged_out.connect(_practice_ends_at_logout, dispatch_uid="simpul.practice.logout")


def _practice_ends_at_logout(sender, request, user, **kwargs):
    """Logging out ends practice too (the session that held the switch is gone), recorded like a switch-off."""
    from simpul.practice.services import practice_stop

    if user is not None:
        practice_stop(user=user)
