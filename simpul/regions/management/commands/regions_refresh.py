from pathlib import Path

from django.core.management.base import BaseCommand

from simpul.regions.services import DEFAULT_SOURCE, regions_extract_from_tarball


class Command(BaseCommand):
    help = (
        "Rebuild the shipped region extract from a newer idn-area-data release: "
        "run `npm pack idn-area-data@<version>` and pass the .tgz it writes."
    )

    def add_arguments(self, parser):
        parser.add_argument("tarball")
        parser.add_argument("--output", default=str(DEFAULT_SOURCE))

    def handle(self, *args, tarball, output, **options):
        count = regions_extract_from_tarball(tarball=Path(tarball), output=Path(output))
        self.stdout.write(f"wrote {count} regions to {output}; rename it after the release and update DEFAULT_SOURCE")
