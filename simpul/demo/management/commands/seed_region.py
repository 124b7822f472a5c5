"""``manage.py seed_region --region 3522 --scale 1 --seed 42``: synthetic residents for any region.

Scale 1 means about 3,000 residents per desa/kelurahan on average (desa sizes
vary log-normally): Kab. Bojonegoro (3522, 430 desa) gets about 1.3 million,
close to its real population. ``--scale 0.01`` makes a quick sample.
"""

import datetime as dt
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from simpul.core.errors import DomainError
from simpul.demo.seeding import RESIDENTS_PER_DESA, households_by_scale, region_seed
from simpul.regions.models import undotted
from simpul.regions.services import regions_load


class Command(BaseCommand):
    help = "Seed a kab/kota (or kecamatan, or desa) with synthetic posyandu, households and residents."

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="region code, e.g. 3522 or 35.22")
        parser.add_argument("--scale", type=float, default=1.0,
                            help=f"1 = about {RESIDENTS_PER_DESA:,} residents per desa (default 1)")
        parser.add_argument("--seed", type=int, default=42, help="random seed: same seed, same people")
        parser.add_argument("--replace", action="store_true", help="delete an earlier seed of this region first")
        parser.add_argument("--as-of", help="generate as if today were this date (YYYY-MM-DD), for repeatable runs")
        parser.add_argument("--no-audit", action="store_true", help="skip the audit entries of the registrations")
        parser.add_argument("--workers", type=int, help="processes generating residents (default: all cores for "
                            "big seeds, one for small ones)")
        parser.add_argument("--ilp", action="store_true", help="also a year of posyandu records (weighings, "
                            "immunisations, ANC, screenings, household conditions) up to --as-of, then the SPM counters")

    def handle(self, *args, region, scale, seed, replace, as_of, no_audit, workers, ilp=False, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("seed_region writes synthetic people: refused when SIMPUL_ENV=production.")
        code = undotted(region)
        if len(code) not in (4, 6, 10) or not code.isdigit():
            raise CommandError("--region takes a kab/kota, kecamatan or desa code, e.g. 3522")
        if scale <= 0:
            raise CommandError("--scale must be positive")
        now = timezone.now()
        if as_of:
            now = dt.datetime.combine(dt.date.fromisoformat(as_of), dt.time(12), timezone.get_current_timezone())
        started = time.perf_counter()
        loaded = regions_load(prefix=code)
        self.stdout.write(f"regions: {loaded.total} under {code} ({loaded.created} created) "
                          f"in {time.perf_counter() - started:.1f} s; writing to {connection.vendor}")

        def progress(done, total, people, seconds):
            rate = people / seconds if seconds else 0
            self.stdout.write(f"  {done}/{total} desa, {people:,} residents, {seconds:.1f} s, {rate:,.0f} residents/s")

        try:
            result = region_seed(
                region_code=code, seed=seed, replace=replace, now=now, audit=not no_audit, workers=workers, progress=progress,
                households=lambda villages: households_by_scale(villages, scale=scale, seed=seed),
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        total = result.seconds["total"]
        if result.replaced_households:
            self.stdout.write(f"replaced: {result.replaced_households:,} earlier seeded households deleted "
                              f"in {result.seconds['delete']:.1f} s")
        self.stdout.write(
            f"seeded {code}: {result.villages} desa, {result.posyandu_created} new posyandu, {result.households:,} "
            f"households, {result.people:,} residents, {result.residences:,} residences, {result.audit:,} audit entries"
        )
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.seconds.items() if name != "total")
        self.stdout.write(
            f"time: {total:.1f} s ({phases}); {result.people / total:,.0f} residents/s, {result.rows / total:,.0f} rows/s"
        )
        if ilp:
            self._ilp(code, seed, timezone.localdate(now))

    def _ilp(self, code: str, seed: int, today: dt.date) -> None:
        from simpul.demo.ilp_seed import ilp_seed
        from simpul.spm.counters import rebuild

        try:
            records = ilp_seed(region_code=code, seed=seed, today=today)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        rows = ", ".join(f"{count:,} {name}" for name, count in records.rows.items())
        self.stdout.write(f"posyandu records {today.year}: {rows}, {records.referrals} referrals "
                          f"in {records.seconds['total']:.1f} s")
        started = time.perf_counter()
        rebuild(code, today.year, today=today)
        self.stdout.write(f"SPM counters rebuilt in {time.perf_counter() - started:.1f} s")
