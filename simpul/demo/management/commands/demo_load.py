"""``manage.py demo_load``: Kota Mojokerto with posyandu, households, residents, the demo accounts and a year
of records in every SPM field, with the SPM counters (and the kader tasks and alerts that follow them) rebuilt."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from simpul.activities import demo as activities_demo
from simpul.demo import spm_demo
from simpul.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_REGION, demo_accounts_ensure
from simpul.demo.health_history import load_health_history
from simpul.demo.seeding import households_split, region_seed, seeded_households, villages_under
from simpul.maternal import demo as maternal_demo
from simpul.programmes import demo as programmes_demo
from simpul.referrals import demo as referrals_demo
from simpul.regions.services import regions_load
from simpul.registry.models import Person
from simpul.screening import demo as screening_demo
from simpul.serviceday import demo as serviceday_demo
from simpul.spm import counters, feeds

DEFAULT_HOUSEHOLDS = 1400  # about 4,200 residents: realistic lists, and `make demo` stays fast
DEFAULT_SEED = 2026


class Command(BaseCommand):
    help = "Load the demo region (Kota Mojokerto) with synthetic data and the demo accounts; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=DEFAULT_HOUSEHOLDS,
                            help=f"households (KK) over the 18 kelurahan (default {DEFAULT_HOUSEHOLDS}, ~3 residents each)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed: same seed, same people")

    def handle(self, *args, households, seed, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("demo_load creates accounts with a published password: refused when SIMPUL_ENV=production.")
        if households < 1:
            raise CommandError("--households must be at least 1")
        started = time.perf_counter()
        regions = regions_load(prefix=DEMO_REGION)
        self.stdout.write(f"regions: {regions.total} under {DEMO_REGION}, {regions.created} created")
        existing = seeded_households(DEMO_REGION)
        if existing.exists():
            people = Person.objects.filter(household__in=existing).count()
            self.stdout.write(f"Demo data is already loaded ({existing.count()} households, {people} residents); "
                              "making sure the demo accounts exist.")
        else:
            villages = villages_under(DEMO_REGION)
            result = region_seed(region_code=DEMO_REGION, seed=seed,
                                 households=households_split(villages, total=households, seed=seed))
            self.stdout.write(
                f"demo data: {result.villages} kelurahan, {result.posyandu_created} posyandu, {result.kader} kader, "
                f"{result.households} households, {result.people} residents in {result.seconds['total']:.1f} s"
            )
        ensured = demo_accounts_ensure()
        today = timezone.localdate()
        # The SPM feeds stay quiet while the records below are written (all or nothing): the rebuild that
        # follows recounts every posyandu once, instead of a refresh after each service call.
        with feeds.suspended(), transaction.atomic():
            city = spm_demo.prepare(region=DEMO_REGION, seed=seed, today=today, now=timezone.now())
            self._demo_records(seed, today)
            year = spm_demo.seed_year(city)
        if year is not None:
            self.stdout.write(
                f"the year {today.year} in the whole city: {year.measurements} weighings, {year.doses} doses and "
                f"{year.capsules} vitamin A capsules for {year.children} under-fives; {year.pregnancies} births "
                f"with {year.anc_visits} antenatal visits; {year.screenings} screenings and checks; "
                f"{year.conditions} household surveys ({year.pending} households not surveyed yet); "
                f"{year.referrals} social and public-order referrals in Miji; {year.external} figures of "
                f"indicators from other systems (per kecamatan)")
            self.stdout.write(f"early warnings to find: {', '.join(year.facts) or 'none'}")
        mark = time.perf_counter()
        counters.rebuild(DEMO_REGION, today.year, today=today)
        self.stdout.write(f"SPM counters, kader tasks and alerts rebuilt for {today.year} in "
                          f"{time.perf_counter() - mark:.1f} s")
        self._print_accounts(ensured)
        self.stdout.write(f"demo_load finished in {time.perf_counter() - started:.1f} s")

    def _demo_records(self, seed, today):
        """The demo kader's records, through the real services."""
        measurements, doses = load_health_history(seed=seed)
        if measurements or doses:
            self.stdout.write(f"health history: {measurements} weighings and {doses} immunisations "
                              "for the under-fives of kader.miji's and kader.meri's posyandu")
        pregnancies = maternal_demo.seed_demo(seed=seed, today=today)
        screenings = screening_demo.seed_demo(seed=seed, today=today)
        days = serviceday_demo.seed_demo(today=today)
        if pregnancies or screenings or days:
            self.stdout.write(f"posyandu ILP: {pregnancies} pregnancy records, {screenings} screenings, "
                              f"{days} posyandu days (last month's closed, today's and next month's scheduled)")
        referrals = referrals_demo.seed_demo(today=today, seed=seed)
        if referrals:
            self.stdout.write(f"referrals: {referrals} needs in all six fields around kader.miji's posyandu, "
                              "in every state, with documents; house/water/toilet survey of its households")
        activities = programmes_demo.seed_demo(today=today, seed=seed)  # needs the household surveys above
        if activities:
            self.stdout.write(f"programmes: Jumat Berkah Kecamatan Kranggan and a sewing/food-processing training "
                              f"in Miji, {activities} activities with attendance and follow-ups")
        logged = activities_demo.seed_demo(today=today)  # links to the posyandu day and Jumat Berkah above
        if logged:
            self.stdout.write(f"activity log: {logged} activities with photos in Miji and Meri (one kept private)")

    def _print_accounts(self, ensured):
        width = max(len(a.username) for a in DEMO_ACCOUNTS)
        self.stdout.write("")
        self.stdout.write(f"{'username'.ljust(width)}  {'role'.ljust(9)}  scope")
        self.stdout.write(f"{'-' * width}  {'-' * 9}  {'-' * 40}")
        for item in ensured:
            self.stdout.write(f"{item.account.username.ljust(width)}  {item.account.role.ljust(9)}  {item.scope_label}")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Password for every demo account: {DEMO_PASSWORD}"))
