"""``manage.py tasks_refresh --region 35.76``: bring the tasks of an area up to the records.

``spm_recompute`` rebuilds counters set-based and does not call the refresh listeners, so after a bulk load
(the demo, the seeding command) the task list is filled by this command: the current month's verdicts are
judged a desa at a time and handed to the same listener a refresh calls.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.management.base import BaseCommand
from django.utils import timezone

from simpul.posyandu.models import Posyandu
from simpul.spm import engine
from simpul.tasks.services import kader_indicators, tasks_sync


class Command(BaseCommand):
    help = "Open, update and close kader tasks of an area from the current month's verdicts."

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="region code prefix, dotted or not (35.76)")

    def handle(self, *args, region: str, **options):
        today = timezone.localdate()
        prefix = region.replace(".", "").strip()
        by_desa: dict[str, list[int]] = defaultdict(list)
        for pk, desa in Posyandu.objects.filter(desa__code__startswith=prefix).values_list("pk", "desa_id"):
            by_desa[desa].append(pk)
        codes = list(kader_indicators())
        for done, (_desa, ids) in enumerate(sorted(by_desa.items()), start=1):
            judged = list(engine.judge(ids, today.year, today=today, months=[today.month], codes=codes))
            tasks_sync(ids, today.year, judged, today, codes=codes)
            self.stdout.write(f"{done}/{len(by_desa)} desa", ending="\r")
        self.stdout.write(self.style.SUCCESS(f"Tasks refreshed for {len(by_desa)} desa under {prefix}."))
