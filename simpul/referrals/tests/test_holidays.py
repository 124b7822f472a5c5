"""The holiday table every install gets (migration 0002), and the administrator's page for it."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from simpul.audit.models import AuditEntry
from simpul.referrals.models import Holiday

D = dt.date
MIGRATION = importlib.import_module("simpul.referrals.migrations.0002_holidays_2026_2027")

# Typed from the SKB 3 Menteri of each year (see simpul/referrals/holiday_data.py for the decrees).
CUTI_BERSAMA_2026 = {D(2026, 2, 16), D(2026, 3, 18), D(2026, 3, 20), D(2026, 3, 23), D(2026, 3, 24), D(2026, 5, 15),
                     D(2026, 5, 28), D(2026, 12, 24)}
CUTI_BERSAMA_2027 = {D(2027, 2, 5), D(2027, 3, 9), D(2027, 3, 12), D(2027, 3, 15), D(2027, 3, 25), D(2027, 5, 18),
                     D(2027, 5, 19), D(2027, 12, 24)}


def _year(year: int, kind: str) -> set[dt.date]:
    return set(Holiday.objects.filter(date__year=year, kind=kind).values_list("date", flat=True))


@pytest.mark.django_db
def test_the_migration_loaded_2026_17_national_holidays_and_8_days_of_cuti_bersama():
    assert len(_year(2026, Holiday.Kind.NATIONAL)) == 17
    assert _year(2026, Holiday.Kind.COLLECTIVE) == CUTI_BERSAMA_2026
    idulfitri = Holiday.objects.get(date=D(2026, 3, 21))
    assert idulfitri.kind == Holiday.Kind.NATIONAL and "Idulfitri 1447" in idulfitri.name
    assert "1497" in idulfitri.source


@pytest.mark.django_db
def test_the_migration_loaded_2027_and_marks_the_days_that_wait_for_the_isbat():
    national = _year(2027, Holiday.Kind.NATIONAL)
    assert len(national) == 18  # Isra Mikraj falls twice: 5 January and 26 December
    assert {D(2027, 1, 5), D(2027, 12, 26), D(2027, 3, 10), D(2027, 3, 11), D(2027, 5, 17)} <= national
    assert _year(2027, Holiday.Kind.COLLECTIVE) == CUTI_BERSAMA_2027
    unsettled = set(Holiday.objects.filter(source__startswith="[U]").values_list("date", flat=True))
    assert unsettled == {D(2027, 3, 9), D(2027, 3, 10), D(2027, 3, 11), D(2027, 3, 12), D(2027, 3, 15),
                         D(2027, 5, 17), D(2027, 5, 18)}


@pytest.mark.django_db
def test_every_row_names_its_source_and_fits_the_columns():
    for holiday in Holiday.objects.filter(date__year__in=[2026, 2027]):
        assert holiday.source and len(holiday.source) <= 160 and 0 < len(holiday.name) <= 120


@pytest.mark.django_db
def test_the_migration_is_idempotent_and_its_reverse_removes_only_its_own_rows():
    edited = Holiday.objects.get(date=D(2026, 12, 24))
    edited.name, edited.source = "Cuti Bersama Natal (diubah Pemda)", "SK Bupati"
    edited.save()
    regional = Holiday.objects.create(date=D(2026, 10, 5), name="Hari Jadi Kota", kind=Holiday.Kind.REGIONAL,
                                      source="Perda")
    MIGRATION.holidays_load(apps, None)
    assert Holiday.objects.filter(date__year__in=[2026, 2027]).count() == 25 + 26 + 1
    assert Holiday.objects.get(date=D(2026, 12, 24)).source == "SK Bupati"  # an administrator's edit stays

    MIGRATION.holidays_unload(apps, None)
    assert set(Holiday.objects.values_list("pk", flat=True)) == {edited.pk, regional.pk}
    MIGRATION.holidays_load(apps, None)
    assert Holiday.objects.filter(date__year__in=[2026, 2027]).count() == 25 + 26 + 1


@pytest.mark.django_db
def test_the_holidays_package_agrees_where_it_is_installed():
    holidays = pytest.importorskip("holidays")
    for year in (2026, 2027):
        reference = holidays.Indonesia(years=year, categories=("public", "government"))
        ours = set(Holiday.objects.filter(date__year=year).values_list("date", flat=True))
        assert ours == set(reference), year


@pytest.mark.django_db
def test_the_administrator_edits_the_table_and_the_change_is_audited(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/referrals/holiday/").status_code == 200
    response = client.post("/admin/referrals/holiday/add/", {"date": "2026-10-05", "name": "Hari Jadi Kota",
                                                             "kind": "regional", "source": "Perda"})
    assert response.status_code == 302
    added = Holiday.objects.get(date=D(2026, 10, 5))
    entry = AuditEntry.objects.get(action="holiday.add", object_id=str(added.pk))
    assert entry.actor == admin_user and entry.changes["name"] == "Hari Jadi Kota"
    client.post(f"/admin/referrals/holiday/{added.pk}/delete/", {"post": "yes"})
    assert not Holiday.objects.filter(date=D(2026, 10, 5)).exists()
    assert AuditEntry.objects.filter(action="holiday.delete", object_id=str(added.pk)).exists()


@pytest.mark.django_db
def test_agencies_and_routing_are_shown_but_not_edited_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/referrals/agency/").status_code == 200
    assert client.get("/admin/referrals/routingrule/").status_code == 200
    assert client.get("/admin/referrals/category/add/").status_code == 403


@pytest.mark.django_db
def test_nobody_but_staff_opens_the_holiday_admin(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    assert client.get("/admin/referrals/holiday/").status_code == 302  # to the admin login
