"""``manage.py practice_prepare``: make the migrated practice template now (after ``migrate`` in a deployment),
so the first kader who switches practice on does not wait for it."""

import time

from django.core.management.base import BaseCommand

from simpul.practice import workspace


class Command(BaseCommand):
    help = "Make the practice-mode template database for the current migrations (decision 0028)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        path = workspace.template_ensure()
        self.stdout.write(f"practice template: {path} ({time.perf_counter() - started:.1f} s)")
