"""Evaluate the early-warning rules for every posyandu of an area: after a bulk load, a rule change, nightly."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from simpul.alerts.services import region_evaluate
from simpul.regions.models import Region, undotted


class Command(BaseCommand):
    help = "Evaluate the early-warning rules for the posyandu of a region (default: all), a desa at a time."

    def add_arguments(self, parser):
        parser.add_argument("--region", default="", help="Kemendagri code of the area (e.g. 35.76); default all")

    def handle(self, *args, region: str, **options):
        prefix = undotted(region) if region else ""
        if prefix and not Region.objects.filter(code=prefix).exists():
            raise CommandError(f"unknown region {region}")

        def progress(done: int) -> None:
            self.stdout.write(f"\r{prefix or 'all'}: {done} posyandu", ending="")
            self.stdout.flush()

        result = region_evaluate(prefix, today=timezone.localdate(), progress=progress)
        self.stdout.write(f"\r{prefix or 'all'}: {result.posyandu} posyandu, {result.raised} alerts raised, "
                          f"{result.resolved} closed")
