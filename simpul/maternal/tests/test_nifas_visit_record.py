"""nifas_visit_record: only after a delivery, day 0-42, blood pressure, vitamin A, KB, danger signs."""

import uuid

import pytest

from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.maternal.models import NifasVisit
from simpul.maternal.tests.kit import D, close, nifas, register, siti

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(kader_miji, family_miji):
    p = register(kader_miji, siti(family_miji), hpht=D(2026, 1, 1))
    return close(kader_miji, p, on=D(2026, 10, 5))


def test_it_records_a_nifas_visit(kader_miji, delivered):
    v = nifas(kader_miji, delivered, D(2026, 10, 8), systolic=145, diastolic=92, vitamin_a=True, kb_method="iud",
              danger_signs=["fever"])
    v.refresh_from_db()
    assert (v.days_after_delivery, v.vitamin_a, v.kb_method, v.danger_signs) == (3, True, "iud", ["fever"])
    assert v.is_hypertensive and v.posyandu_id == delivered.person.posyandu_id
    assert AuditEntry.objects.filter(action="maternal.nifas_visit.recorded").count() == 1


@pytest.mark.parametrize(("day", "ok"), [
    (D(2026, 10, 5), True),  # day 0, the birth
    (D(2026, 11, 16), True),  # day 42: 26 days to the end of October + 16
    (D(2026, 11, 17), False),  # day 43
    (D(2026, 10, 4), False),  # before the birth
])
def test_the_visit_is_within_42_days_of_the_birth(kader_miji, delivered, day, ok):
    if ok:
        assert nifas(kader_miji, delivered, day).days_after_delivery == (day - D(2026, 10, 5)).days
    else:
        with pytest.raises(DomainError) as exc:
            nifas(kader_miji, delivered, day)
        assert "visited_on" in exc.value.field_errors and NifasVisit.objects.count() == 0


@pytest.mark.parametrize(("values", "field"), [
    ({"systolic": 300, "diastolic": 90}, "systolic"),
    ({"systolic": 120}, "diastolic"),
    ({"kb_method": "herbal"}, "kb_method"),
    ({"danger_signs": ["bleeding", "sadness"]}, "danger_signs"),
    ({"examiner": ""}, "examiner"),
])
def test_bad_input_is_refused(kader_miji, delivered, values, field):
    with pytest.raises(DomainError) as exc:
        nifas(kader_miji, delivered, D(2026, 10, 8), **values)
    assert field in exc.value.field_errors and NifasVisit.objects.count() == 0


def test_an_ongoing_pregnancy_has_no_nifas_visit(kader_miji, family_miji):
    p = register(kader_miji, siti(family_miji), hpht=D(2026, 1, 1))
    with pytest.raises(DomainError) as exc:
        nifas(kader_miji, p, D(2026, 10, 8))
    assert exc.value.code == "conflict" and NifasVisit.objects.count() == 0


def test_an_ended_pregnancy_has_no_nifas_visit(kader_miji, family_miji):
    p = close(kader_miji, register(kader_miji, siti(family_miji), hpht=D(2026, 1, 1)), status="ended",
              on=D(2026, 3, 1))
    with pytest.raises(DomainError):
        nifas(kader_miji, p, D(2026, 3, 5))


def test_the_same_client_uuid_returns_the_stored_visit(kader_miji, delivered):
    key = uuid.uuid4()
    first = nifas(kader_miji, delivered, D(2026, 10, 8), client_uuid=key)
    assert nifas(kader_miji, delivered, D(2026, 10, 9), client_uuid=key).pk == first.pk
    assert NifasVisit.objects.count() == 1


@pytest.mark.parametrize("outsider", ["kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan",
                                      "pembina_mojokerto", "opd_dinsos"])
def test_outsiders_cannot_record(request, delivered, outsider):
    with pytest.raises(NotInScope):
        nifas(request.getfixturevalue(outsider), delivered, D(2026, 10, 8))
    assert NifasVisit.objects.count() == 0


def test_the_bidan_records(bidan_kranggan, delivered):
    assert nifas(bidan_kranggan, delivered, D(2026, 10, 8)).recorded_by == bidan_kranggan
