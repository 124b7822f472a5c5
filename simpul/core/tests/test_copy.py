"""``core.copy``: the instance a batch builds is the one ``Model(**kwargs)`` would have built, and what it
inserts reads back as what ``save()`` stores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from simpul.core import copy
from simpul.health.models import Measurement
from simpul.registry.models import Person
from simpul.sync import changelog

pytestmark = pytest.mark.django_db


def test_an_unsaved_row_equals_one_built_by_keywords(kader_miji, posyandu_miji):
    person = Person.objects.create(full_name="Aisyah", sex="F", birth_date=dt.date(2025, 1, 5),
                                   desa_id=posyandu_miji.desa_id, posyandu=posyandu_miji, provisional_id="TMP-COPY-1")
    values = {"posyandu_id": posyandu_miji.pk, "desa_id": posyandu_miji.desa_id, "measured_on": dt.date(2026, 11, 2),
              "weight_kg": "9.40", "position": "", "oedema": False, "age_days": 666, "flags": [],
              "created_at": dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)}
    built = copy.unsaved(Measurement, values, related={"person": person, "recorded_by": kader_miji})
    by_keywords = Measurement(person=person, recorded_by=kader_miji, **values)
    assert built._state.adding and built.pk is None
    # Every field alike but the client UUID, a fresh uuid4 by default for each.
    assert {**model_to_dict(built), "client_uuid": None} == {**model_to_dict(by_keywords), "client_uuid": None}
    assert built.client_uuid and built.client_uuid != by_keywords.client_uuid
    # The related objects are the ones given, not read again.
    assert built.person is person and built.recorded_by is kader_miji and built.person_id == person.pk
    # ``post_init`` ran as for ``__init__``: the change feed knows the row's place.
    assert getattr(built, changelog._PLACE) == getattr(by_keywords, changelog._PLACE) == (
        posyandu_miji.pk, posyandu_miji.desa_id)


def test_callable_defaults_are_fresh_for_every_row():
    first, second = copy.unsaved(Measurement, {}), copy.unsaved(Measurement, {})
    assert first.client_uuid != second.client_uuid
    first.flags.append("weight_kg")  # a mutable default shared between rows would show up in the other
    assert second.flags == [] and Measurement().flags == []


def test_decimals_are_stored_as_django_stores_them(kader_miji, posyandu_miji):
    """A finite Decimal goes in as it is; a string or a float through the field's own conversion — the stored
    value is the one ``save()`` stores, whichever way it came."""
    person = Person.objects.create(full_name="Bagus", sex="M", birth_date=dt.date(2025, 3, 1),
                                   desa_id=posyandu_miji.desa_id, posyandu=posyandu_miji, provisional_id="TMP-COPY-2")
    given = [Decimal("9.4"), "9.45", 9.456, Decimal("10.0004")]
    common = {"person_id": person.pk, "posyandu_id": posyandu_miji.pk, "desa_id": posyandu_miji.desa_id,
              "recorded_by_id": kader_miji.pk, "measured_on": dt.date(2026, 11, 2), "age_days": 611}
    rows = [copy.unsaved(Measurement, {**common, "weight_kg": weight}) for weight in given]
    copy.insert(rows)
    saved = [Measurement.objects.create(**common, weight_kg=weight) for weight in given]
    stored = dict(Measurement.objects.values_list("pk", "weight_kg"))
    assert [stored[row.pk] for row in rows] == [stored[row.pk] for row in saved] == [
        Decimal("9.400"), Decimal("9.450"), Decimal("9.456"), Decimal("10.000")]


def test_a_value_that_is_no_number_is_refused_as_by_django():
    with pytest.raises(ValidationError):
        copy.insert([copy.unsaved(Measurement, {"weight_kg": "sembilan"})])


def test_an_unknown_field_is_refused():
    with pytest.raises(TypeError, match="weight"):
        copy.unsaved(Measurement, {"weight": 9})
