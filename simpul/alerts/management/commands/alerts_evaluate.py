"""Evaluate the early-warning rules for every posyandu of an area: after a bulk load, a rule change, nightly."""

from __future__ import annotations

from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from simpul.alerts.services import alerts_evaluate
from simpul.posyandu.models import Posyandu
from simpul.regions.models import Region, undotted


class Command(BaseCommand):
    help = "Evaluate the early-warning rules for the posyandu of a region (default: all), a desa at a time."

    def add_arguments(self, parser):
        parser.add_argument("--region", default="", help="Kemendagri code of the area (e.g. 35.76); default all")

    def handle(self, *args, region: str, **options):
        prefix = undotted(region) if region else ""
        if prefix and not Region.objects.filter(code=prefix).exists():
            raise CommandError(f"unknown region {region}")
        today = timezone.localdate()
        by_desa: dict[str, list[int]] = defaultdict(list)
        for pk, desa in Posyandu.objects.filter(desa__code__startswith=prefix).values_list("pk", "desa_id"):
            by_desa[desa].append(pk)
        raised = resolved = done = 0
        for _desa, ids in sorted(by_desa.items()):
            result = alerts_evaluate(ids, today=today)
            raised, resolved, done = raised + result.raised, resolved + result.resolved, done + len(ids)
            self.stdout.write(f"\r{prefix or 'all'}: {done} posyandu", ending="")
            self.stdout.flush()
        self.stdout.write(f"\r{prefix or 'all'}: {done} posyandu, {raised} alerts raised, {resolved} closed")
