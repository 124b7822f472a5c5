"""Load the 2026 and 2027 holiday table (libur nasional and cuti bersama, SKB 3 Menteri) on every install.

Idempotent: a date already in the table (typed by an administrator, or loaded before) is left as it is.
The reverse removes only the rows this migration loaded and nobody changed the source of.
"""

from django.db import migrations

YEARS = (2026, 2027)


def _rows():
    from simpul.referrals.holiday_data import for_years

    return for_years(*YEARS)


def holidays_load(apps, schema_editor):
    Holiday = apps.get_model("referrals", "Holiday")
    for row in _rows():
        Holiday.objects.get_or_create(date=row.date, defaults={"name": row.name, "kind": row.kind,
                                                               "source": row.source})


def holidays_unload(apps, schema_editor):
    Holiday = apps.get_model("referrals", "Holiday")
    for row in _rows():
        Holiday.objects.filter(date=row.date, source=row.source).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("referrals", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(holidays_load, holidays_unload),
    ]
