"""End to end: recording the missing service through the ordinary services closes the task after commit.

Writes go through the registry, screening, measurement and immunisation services inside
``django_capture_on_commit_callbacks(execute=True)``, so the counter refresh and the task listener run as
they do after a real request.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import person_input
from simpul.accounts.scope import scope_for
from simpul.health.services import MeasurementInput, measurement_record
from simpul.immunization.services import ImmunizationInput, immunization_record
from simpul.spm.models import Counter
from simpul.spm.presenters import missing_text
from simpul.tasks.models import Task
from simpul.tasks.tests.kit import TODAY, family_with_tasks, open_tasks, screen

pytestmark = pytest.mark.django_db


def test_a_screening_closes_the_productive_age_task(kader_miji, posyandu_miji, django_capture_on_commit_callbacks):
    family = family_with_tasks(kader_miji, posyandu_miji, django_capture_on_commit_callbacks)
    budi = family.members.get(full_name="Budi Santoso")
    task = open_tasks(indicator="kes.usia_produktif", person=budi).get()
    assert [m.code for m in task.missing] == ["screening"]
    screen(kader_miji, budi, django_capture_on_commit_callbacks)
    task.refresh_from_db()
    assert (task.status, task.closed_because) == ("done", "served")
    row = Counter.objects.get(posyandu=posyandu_miji, indicator="kes.usia_produktif", year=2026, month=11)
    assert (row.denominator, row.numerator) == (2, 1)  # Budi and Siti are 15–59; Budi screened


def test_a_babys_missing_dose_and_weighing_close_the_under_five_task(kader_miji, posyandu_miji,
                                                                     django_capture_on_commit_callbacks):
    family = family_with_tasks(kader_miji, posyandu_miji, django_capture_on_commit_callbacks, head="Rina Wati",
                               members=[person_input("Rina Wati", "F", dt.date(1992, 6, 3), "kepala"),
                                        person_input("Bayu Aji", "M", dt.date(2026, 8, 1), "anak")])
    bayu = family.members.get(full_name="Bayu Aji")
    scope = scope_for(kader_miji)
    # Bayu, born 1 Aug, is 3 months old on 23 Nov. Given at birth: HB0, BCG, OPV 1; at 2 months: OPV 2, RV 1,
    # PCV 1. DPT-HB-Hib 1 (due at 2 months, 1 Oct; overdue from 3 months, 1 Nov) is not given.
    with django_capture_on_commit_callbacks(execute=True):
        for code, day in (("hb0", "2026-08-01"), ("bcg", "2026-08-01"), ("opv1", "2026-08-01"),
                          ("opv2", "2026-10-01"), ("rv1", "2026-10-01"), ("pcv1", "2026-10-01")):
            immunization_record(actor=kader_miji, scope=scope, person=bayu,
                                data=ImmunizationInput(dose=code, given_on=dt.date.fromisoformat(day)))
    task = open_tasks(indicator="kes.balita", person=bayu).get()
    # Registered today, Bayu has lived here one month of the year (November): he owes ceil(8 × 1/12) = 1
    # weighing and ceil(2 × 1/12) = 1 length measurement, and the overdue DPT-HB-Hib 1.
    assert [(m.code, m.detail) for m in task.missing] == [
        ("weighings", {"have": 0, "need": 1}), ("heights", {"have": 0, "need": 1}),
        ("dose", {"dose": "dpt_hb_hib1"})]
    assert task.due_on == dt.date(2026, 10, 1)  # the earliest due date: the dose, recommended at 2 months
    assert "DPT-HB-Hib 1" in missing_text(task.missing[2])
    with django_capture_on_commit_callbacks(execute=True):
        measurement_record(actor=kader_miji, scope=scope, person=bayu, data=MeasurementInput(
            measured_on=TODAY, weight_kg="6.1", length_height_cm="61.0", position="recumbent"))
    task.refresh_from_db()
    assert task.status == "open"
    assert [m.code for m in task.missing] == ["dose"]  # weighed and measured: only the dose is left
    with django_capture_on_commit_callbacks(execute=True):
        immunization_record(actor=kader_miji, scope=scope, person=bayu,
                            data=ImmunizationInput(dose="dpt_hb_hib1", given_on=timezone.localdate()))
    task.refresh_from_db()
    assert (task.status, task.closed_because) == ("done", "served")
    assert not Task.objects.filter(indicator="kes.balita", person=bayu, status="open").exists()
    row = Counter.objects.get(posyandu=posyandu_miji, indicator="kes.balita", year=2026, month=11)
    assert (row.denominator, row.numerator) == (1, 1)  # Bayu, the only child under five, now served
