from django.core.management.base import BaseCommand

from simpul.fieldapp.growth_tables import OUTPUT, growth_tables_json


class Command(BaseCommand):
    help = "Write the WHO LMS tables the field app grades weighings with (static/fieldapp/who-lms.json)."

    def handle(self, *args, **options):
        OUTPUT.write_text(growth_tables_json(), encoding="ascii")
        self.stdout.write(f"{OUTPUT} ({OUTPUT.stat().st_size} bytes)")
