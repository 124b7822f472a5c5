"""Counters follow the records: a write refreshes its posyandu after commit, region sums follow, a rebuild agrees."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import register_family
from simpul.accounts.scope import scope_for
from simpul.core.errors import DomainError
from simpul.screening.services import ScreeningInput, screening_record
from simpul.spm import engine
from simpul.spm.counters import rebuild
from simpul.spm.models import Counter, RegionCounter

pytestmark = pytest.mark.django_db


def screen(user, person):
    return screening_record(actor=user, scope=scope_for(user), person=person,
                            data=ScreeningInput(screened_on=timezone.localdate(), weight_kg="60", height_cm="160",
                                                systolic=120, diastolic=80))


def cell(code, *, posyandu=None, region=None):
    today = timezone.localdate()
    if posyandu is not None:
        row = Counter.objects.filter(posyandu=posyandu, indicator=code, year=today.year, month=today.month).first()
    else:
        row = RegionCounter.objects.filter(region_code=region, indicator=code, year=today.year,
                                           month=today.month).first()
    return (row.denominator, row.numerator) if row else (0, 0)


def snapshot():
    return (sorted(Counter.objects.values_list("posyandu_id", "indicator", "year", "month", "denominator",
                                               "numerator", "pending")),
            sorted(RegionCounter.objects.exclude(denominator=0, numerator=0, pending=0).values_list(
                "region_code", "level", "indicator", "year", "month", "denominator", "numerator", "pending")))


def test_a_screening_moves_the_posyandu_and_every_region_above(kader_miji, posyandu_miji,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        family = register_family(kader_miji, posyandu_miji)
    # Budi (b. 1985) and Siti (b. 1988) are 15–59; Aisyah (b. 2024) is not: 2 in the sasaran, none screened.
    assert cell("kes.usia_produktif", posyandu=posyandu_miji) == (2, 0)
    siti = family.members.get(full_name="Siti Aminah")
    with django_capture_on_commit_callbacks(execute=True):
        screen(kader_miji, siti)
    assert cell("kes.usia_produktif", posyandu=posyandu_miji) == (2, 1)
    for region in ("3576031002", "357603", "3576", "35"):
        assert cell("kes.usia_produktif", region=region) == (2, 1)
    assert cell("kes.usia_lanjut", posyandu=posyandu_miji) == (0, 0)


def test_writes_in_another_region_leave_these_counters_alone(kader_miji, posyandu_miji, kader_jepara,
                                                              posyandu_jepara, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register_family(kader_miji, posyandu_miji)
        jepara = register_family(kader_jepara, posyandu_jepara, head="Slamet Riyadi")
        screen(kader_jepara, jepara.members.get(full_name="Slamet Riyadi"))
    assert cell("kes.usia_produktif", posyandu=posyandu_miji) == (2, 0)
    assert cell("kes.usia_produktif", posyandu=posyandu_jepara) == (2, 1)
    assert cell("kes.usia_produktif", region="3576") == (2, 0)
    assert cell("kes.usia_produktif", region="3320") == (2, 1)


def test_a_rolled_back_write_changes_no_counter(kader_miji, posyandu_miji, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        family = register_family(kader_miji, posyandu_miji)
    with pytest.raises(DomainError), django_capture_on_commit_callbacks(execute=True):
        screening_record(actor=kader_miji, scope=scope_for(kader_miji), person=family.members.first(),
                         data=ScreeningInput(screened_on=timezone.localdate(), systolic=400, diastolic=80))
    assert cell("kes.usia_produktif", posyandu=posyandu_miji) == (2, 0)


def test_incremental_counters_equal_a_rebuild_and_the_records(kader_miji, posyandu_miji, kader_jepara,
                                                               posyandu_jepara, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        family = register_family(kader_miji, posyandu_miji)
        register_family(kader_miji, posyandu_miji, head="Joko Susilo", rt="003")
        for person in family.members.exclude(full_name="Aisyah Putri"):
            screen(kader_miji, person)
        register_family(kader_jepara, posyandu_jepara, head="Slamet Riyadi")
    incremental = snapshot()
    today = timezone.localdate()
    straight = engine.count([posyandu_miji.pk], today.year, today=today, months=[today.month])
    # Two families of 2 adults: 4 aged 15–59, Budi and Siti screened.
    assert straight[("kes.usia_produktif", posyandu_miji.pk, today.month)] == [4, 2, 0]
    for prefix in ("3576", "3320"):
        rebuild(prefix, today.year, today=today)
    assert snapshot() == incremental
    assert cell("kes.usia_produktif", region="3576") == (4, 2)
    assert Decimal(2 * 100) / Decimal(4) == Decimal(50)


def test_a_late_entry_moves_the_months_from_its_date_on(kader_miji, posyandu_miji,
                                                         django_capture_on_commit_callbacks):
    from simpul.registry.models import Residence

    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        family = register_family(kader_miji, posyandu_miji)
        # The family has lived here since January (registration day is today; backdated on purpose).
        Residence.objects.filter(person__household=family).update(start_date=dt.date(today.year, 1, 1))
        family.members.first().save()  # a person's save refreshes the whole year
    siti = family.members.get(full_name="Siti Aminah")
    march = dt.date(today.year, 3, 10)
    with django_capture_on_commit_callbacks(execute=True):
        screening_record(actor=kader_miji, scope=scope_for(kader_miji), person=siti,
                         data=ScreeningInput(screened_on=march, systolic=118, diastolic=76))
    by_month = dict(Counter.objects.filter(posyandu=posyandu_miji, indicator="kes.usia_produktif", year=today.year)
                    .values_list("month", "numerator"))
    # Screened on 10 March: January and February stay at 0 of 2, March onwards 1 of 2.
    assert [by_month[m] for m in range(1, today.month + 1)] == [0, 0] + [1] * (today.month - 2)
    incremental = snapshot()
    rebuild("3576", today.year, today=today)
    assert snapshot() == incremental
