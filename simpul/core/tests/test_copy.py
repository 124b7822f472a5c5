"""``core.copy.unsaved``: the instance a batch builds is the one ``Model(**kwargs)`` would have built."""

from __future__ import annotations

import datetime as dt

import pytest
from django.forms.models import model_to_dict

from simpul.core import copy
from simpul.health.models import Measurement
from simpul.registry.models import Person

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


def test_an_unknown_field_is_refused():
    with pytest.raises(TypeError, match="weight"):
        copy.unsaved(Measurement, {"weight": 9})
