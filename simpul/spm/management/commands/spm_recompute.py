"""Rebuild every SPM counter from the records: after a rule change, a correction or a bulk load."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from simpul.regions.models import Region, undotted
from simpul.spm import fastpath
from simpul.spm.counters import rebuild
from simpul.spm.periods import FIRST_YEAR


class Command(BaseCommand):
    help = "Rebuild SPM counters of a region (default: every kab/kota) for one or more years from the records."

    def add_arguments(self, parser):
        parser.add_argument("--region", default="", help="Kemendagri code of the area (e.g. 35.76); default all")
        parser.add_argument("--year", type=int, action="append", help="year (repeatable); default this year")
        parser.add_argument("--fast", action="store_true",
                            help="columnar recompute of the counters only (simpul/spm/fastpath.py); kader tasks and "
                                 "alerts are left as they are — run tasks_refresh and alerts_evaluate after")

    def handle(self, *args, region: str, year: list[int] | None, fast: bool = False, **options):
        today = timezone.localdate()
        years = year or [today.year]
        for value in years:
            if value < FIRST_YEAR or value > today.year:
                raise CommandError(f"year {value} is outside {FIRST_YEAR}–{today.year}")
        prefix = undotted(region) if region else ""
        if prefix and not Region.objects.filter(code=prefix).exists():
            raise CommandError(f"unknown region {region}")
        areas = [prefix] if prefix else list(
            Region.objects.filter(level=Region.Level.REGENCY).values_list("code", flat=True))
        for value in years:
            for area in areas:
                started = time.monotonic()

                def show(done: int, total: int, area=area, value=value) -> None:
                    self.stdout.write(f"\r{area} {value}: {done}/{total} posyandu", ending="")
                    self.stdout.flush()

                if fast:
                    done = fastpath.rebuild(area, value, today=today).posyandu
                else:
                    done = rebuild(area, value, today=today, progress=show)
                if done:
                    self.stdout.write(f"\r{area} {value}: {done} posyandu in {time.monotonic() - started:.1f} s")
