"""measurement_correct and measurement_validate: history kept, reason required, nakes-only validation."""

import datetime as dt
from decimal import Decimal

import pytest

from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.health import selectors
from simpul.health.models import Measurement
from simpul.health.services import (
    MeasurementInput,
    measurement_correct,
    measurement_record,
    measurement_validate,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 1, 14)


@pytest.fixture
def weighed(kader_miji, family_miji):
    child = family_miji.members.get(full_name="Aisyah Putri")
    return measurement_record(actor=kader_miji, scope=scope_for(kader_miji), person=child,
                              data=MeasurementInput(measured_on=DAY, weight_kg="19.8", length_height_cm="74"))


def correct(user, m, reason="typed 19.8 for 9.8", **values):
    values.setdefault("measured_on", DAY)
    return measurement_correct(actor=user, scope=scope_for(user), measurement=m, data=MeasurementInput(**values),
                               reason=reason)


def test_a_flagged_value_is_kept_until_corrected(weighed):
    assert "implausible_wfa" in weighed.flags and weighed.superseded_by is None


def test_a_correction_supersedes_and_keeps_the_old_row(kader_miji, weighed):
    new = correct(kader_miji, weighed, weight_kg="9.8", length_height_cm="74")
    weighed.refresh_from_db()
    assert weighed.superseded_by == new and new.correction_reason == "typed 19.8 for 9.8"
    assert new.weight_kg == Decimal("9.800") and new.flags == [] and new.class_wfa == "normal"
    assert (new.posyandu_id, new.person_id) == (weighed.posyandu_id, weighed.person_id)
    scope = scope_for(kader_miji)
    assert list(selectors.measurements_for_person(scope, weighed.person)) == [new]
    assert len(selectors.measurements_for_person(scope, weighed.person, include_superseded=True)) == 2
    entry = AuditEntry.objects.get(action="health.measurement.corrected")
    assert entry.changes["weight_kg"] == ["19.800", "9.800"] and entry.changes["supersedes"] == weighed.pk


def test_a_correction_needs_a_reason(kader_miji, weighed):
    with pytest.raises(DomainError) as exc:
        correct(kader_miji, weighed, reason="  ", weight_kg="8.9")
    assert "reason" in exc.value.field_errors
    assert Measurement.objects.count() == 1


def test_an_impossible_correction_is_refused_and_nothing_changes(kader_miji, weighed):
    with pytest.raises(DomainError) as exc:
        correct(kader_miji, weighed, weight_kg="0")
    assert "weight_kg" in exc.value.field_errors
    weighed.refresh_from_db()
    assert weighed.superseded_by is None and Measurement.objects.count() == 1


def test_an_old_version_cannot_be_corrected_twice(kader_miji, weighed):
    correct(kader_miji, weighed, weight_kg="8.9")
    with pytest.raises(DomainError) as exc:
        correct(kader_miji, weighed, weight_kg="9.0")
    assert exc.value.code == "conflict" and Measurement.objects.count() == 2


@pytest.mark.parametrize("outsider", ["kader_meri", "kader_jepara", "opd_dinsos"])
def test_outsiders_cannot_correct(request, weighed, outsider):
    with pytest.raises(NotInScope):
        correct(request.getfixturevalue(outsider), weighed, weight_kg="8.9")
    assert Measurement.objects.count() == 1


def test_the_bidan_of_the_area_validates(bidan_kranggan, weighed):
    m = measurement_validate(actor=bidan_kranggan, scope=scope_for(bidan_kranggan), measurement=weighed)
    assert m.validated_by == bidan_kranggan and m.validated_at is not None
    assert AuditEntry.objects.filter(action="health.measurement.validated").count() == 1


def test_a_kader_cannot_validate(kader_miji, weighed):
    with pytest.raises(DomainError):
        measurement_validate(actor=kader_miji, scope=scope_for(kader_miji), measurement=weighed)
    weighed.refresh_from_db()
    assert weighed.validated_at is None
