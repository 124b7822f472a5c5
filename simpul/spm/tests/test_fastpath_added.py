"""Records folded into an area's reads (``fastpath_health.records_added``) count as the tables read again.

A batch's tally (``spm.incremental``) counts its children before the insert and, instead of reading the record
tables a second time, folds the batch's own records into what it read. The reference here is a fresh
``people_load`` of the same children after the records are stored: the cells must be equal, and different
from the cells before (the records must matter for the comparison to mean anything).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from simpul.accounts.scope import scope_for
from simpul.health.services import MeasurementInput, measurement_record
from simpul.immunization.services import ImmunizationInput, immunization_record
from simpul.registry.models import Person
from simpul.spm import engine, fastpath, fastpath_health
from simpul.spm.periods import months_through
from simpul.spm.tests.test_fastpath_health import children
from simpul.spm.tests.test_incremental import due_doses

pytestmark = pytest.mark.django_db


def counted(area, today):
    return fastpath.cells(area, engine.computed(["kes.balita"]), months_through(today.year, today)).as_counts()


def test_records_folded_in_give_the_cells_of_the_tables_read_again(kader, posyandu_miji, posyandu_meri):
    today = timezone.localdate()
    children(kader, posyandu_miji, posyandu_meri)
    people = list(Person.objects.filter(posyandu__in=[posyandu_miji, posyandu_meri], relationship="anak",
                                        life_status=Person.LifeStatus.ALIVE).order_by("pk"))
    ids = [child.pk for child in people]
    area = fastpath.people_load(ids, today.year, today=today)
    before = counted(area, today)
    scope = scope_for(kader)
    measured, doses = [], []
    for n, child in enumerate(people):
        # Today's weighing (a length for every other child), and for every third child a weighing of last
        # year, which this year's reads never see.
        days = [(today, "80.0" if n % 2 else None)]
        if n % 3 == 0 and child.birth_date.year < today.year:
            days.append((dt.date(today.year - 1, 12, 15), None))
        for day, length in days:
            record = measurement_record(actor=kader, scope=scope, person=child, data=MeasurementInput(
                measured_on=day, weight_kg="10.5", length_height_cm=length, position="recumbent" if length else ""))
            measured.append((child.pk, record.measured_on, True, record.length_height_cm is not None))
        for code in due_doses(child, today):
            record = immunization_record(actor=kader, scope=scope, person=Person.objects.get(pk=child.pk),
                                         data=ImmunizationInput(dose=code, given_on=today))
            doses.append((child.pk, record.dose, record.given_on))
    assert doses and any(day.year < today.year for _pk, day, _w, _h in measured)

    assert fastpath_health.records_added(area, fastpath.Added(measured=tuple(measured), doses=tuple(doses)))
    folded = counted(area, today)
    assert folded == counted(fastpath.people_load(ids, today.year, today=today), today)
    assert folded != before


def test_an_area_that_read_other_records_is_not_folded_into(kader, posyandu_miji, posyandu_meri):
    today = timezone.localdate()
    children(kader, posyandu_miji, posyandu_meri)
    ids = list(Person.objects.filter(posyandu=posyandu_miji).values_list("pk", flat=True))
    area = fastpath.people_load(ids, today.year, today=today)
    fastpath.cells(area, engine.computed(["kes.balita", "kes.ibu_hamil"]), [today.month])
    # The pregnancies read for kes.ibu_hamil would not see the batch: the caller must read again.
    assert not fastpath_health.records_added(area, fastpath.Added())
