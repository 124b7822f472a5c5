"""manage.py spm_recompute: the evaluator's rebuild and the columnar one leave the same counters."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from conftest import register_family
from simpul.spm.models import Counter, RegionCounter
from simpul.spm.tests.test_counters import screen, snapshot

pytestmark = pytest.mark.django_db


def test_both_ways_rebuild_the_same_counters(kader_miji, posyandu_miji):
    family = register_family(kader_miji, posyandu_miji)  # no on-commit refresh here: counters start empty
    screen(kader_miji, family.members.get(full_name="Siti Aminah"))
    assert not Counter.objects.exists()
    out = io.StringIO()
    call_command("spm_recompute", "--region", "35.76", stdout=out)
    evaluated = snapshot()
    today = timezone.localdate()
    # Budi and Siti are 15–59, Siti screened: 1 of 2 this month.
    assert RegionCounter.objects.get(region_code="3576", indicator="kes.usia_produktif", year=today.year,
                                     month=today.month).numerator == 1
    call_command("spm_recompute", "--region", "35.76", "--fast", stdout=out)
    assert snapshot() == evaluated
    assert "3576" in out.getvalue()


def test_bad_arguments_stop_with_a_message(db):
    with pytest.raises(CommandError):
        call_command("spm_recompute", "--region", "99.99", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("spm_recompute", "--year", "2019", stdout=io.StringIO())
