"""``__any``: the rows ``__in`` finds, with the list as one parameter on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from simpul.health.models import Measurement
from simpul.registry.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(posyandu_miji):
    return [Person.objects.create(full_name=f"Anak {n}", sex="F", birth_date=dt.date(2024, 1, 1 + n),
                                  desa_id=posyandu_miji.desa_id, posyandu=posyandu_miji, provisional_id=f"TMP-ANY-{n}")
            for n in range(6)]


def test_finds_what_in_finds_for_integers_strings_dates_and_uuids(people):
    ids = [p.pk for p in people[:4]]
    wanted = [ids, [*ids, None, ids[0]], (p.pk for p in people[:4])]  # a list, with None and a repeat, a generator
    for values in wanted:
        assert sorted(Person.objects.filter(pk__any=values).values_list("pk", flat=True)) == sorted(ids)
    names = ["Anak 1", "Anak 5", "Tidak ada"]
    assert set(Person.objects.filter(full_name__any=names).values_list("full_name", flat=True)) == {"Anak 1", "Anak 5"}
    days = [dt.date(2024, 1, 2), dt.date(2024, 1, 3)]
    assert Person.objects.filter(birth_date__any=days).count() == Person.objects.filter(birth_date__in=days).count() == 2
    assert not Measurement.objects.filter(client_uuid__any=[uuid.uuid4()]).exists()


def test_on_a_foreign_key_by_id_or_by_object(people, kader_miji):
    weighed = [Measurement.objects.create(person=p, posyandu_id=p.posyandu_id, desa_id=p.desa_id, recorded_by=kader_miji,
                                          measured_on=dt.date(2026, 1, 5), weight_kg="9.1", age_days=735)
               for p in people[:3]]
    chosen = [people[0].pk, people[2].pk, people[5].pk]
    expected = {weighed[0].pk, weighed[2].pk}
    assert set(Measurement.objects.filter(person_id__any=chosen).values_list("pk", flat=True)) == expected
    assert set(Measurement.objects.filter(person__any=[people[0], people[2]]).values_list("pk", flat=True)) == expected


def test_an_empty_list_finds_nothing_without_asking_the_database(people):
    with CaptureQueriesContext(connection) as queries:
        assert list(Person.objects.filter(pk__any=[])) == []
        assert list(Person.objects.filter(pk__any=[None])) == []
    assert len(queries) == 0


def test_a_subquery_stays_a_subquery(people):
    young = Person.objects.filter(birth_date__gte=dt.date(2024, 1, 4)).values("pk")
    assert Person.objects.filter(pk__any=young).count() == 3


def test_the_list_is_one_parameter_on_postgresql(people):
    with CaptureQueriesContext(connection) as queries:
        list(Person.objects.filter(pk__any=[p.pk for p in people]))
    sql = queries[-1]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql
