"""Send the outbox messages that are due. Run it from cron or a systemd timer (e.g. every minute) so
retries happen even when no new notification wakes the worker."""

from django.core.management.base import BaseCommand

from simpul.notifications.services import outbox_dispatch


class Command(BaseCommand):
    help = "Send pending email/WhatsApp/SMS notifications that are due, retrying failures with backoff."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="most messages to send in this run")

    def handle(self, *args, limit: int, **options):
        result = outbox_dispatch(limit=max(limit, 1))
        self.stdout.write(f"sent {result.sent}, to retry {result.retrying}, failed {result.failed}")
