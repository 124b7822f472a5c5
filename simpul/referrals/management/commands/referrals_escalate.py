"""``manage.py referrals_escalate``: raise the escalations due today (run daily from cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from simpul.referrals.services.escalation import escalate_stalled


class Command(BaseCommand):
    help = ("Notify the village head of referrals whose stage has not moved for more than 3 working days, "
            "and the camat after more than 6; each level once per stage. Safe to run more than once a day.")

    def handle(self, *args, **options):
        raised = escalate_stalled()
        for item in raised:
            escalation = item.escalation
            self.stdout.write(f"{item.ticket}: {escalation.level} ({escalation.state}, "
                              f"{escalation.working_days_stalled} working days), {item.notified} notified")
        self.stdout.write(f"{len(raised)} escalation(s) raised.")
