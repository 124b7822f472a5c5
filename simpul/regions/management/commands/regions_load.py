import time

from django.core.management.base import BaseCommand

from simpul.regions.services import DEFAULT_SOURCE, regions_load


class Command(BaseCommand):
    help = "Load the Kemendagri region tree (idn-area-data, ODbL) in bulk; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--prefix", default="", help="only regions under this undotted code, e.g. 3576")
        parser.add_argument("--source", default=str(DEFAULT_SOURCE))

    def handle(self, *args, prefix, source, **options):
        started = time.perf_counter()
        result = regions_load(prefix=prefix, source=source)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"regions: {result.total} in source, {result.created} created, {result.updated} updated "
            f"in {elapsed:.1f} s"
        )
