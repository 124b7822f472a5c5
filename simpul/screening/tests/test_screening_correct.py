"""screening_correct: a new row supersedes the wrong one with the reason; the old one stays as history."""

import uuid
from decimal import Decimal

import pytest

from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.screening.models import Screening
from simpul.screening.services import ScreeningInput, screening_correct
from simpul.screening.tests.kit import DAY, NOW, counts, screen

pytestmark = pytest.mark.django_db


@pytest.fixture
def budi(family_miji):
    return family_miji.members.get(full_name="Budi Santoso")


@pytest.fixture
def wrong(kader_miji, budi):
    return screen(kader_miji, budi, systolic=180, diastolic=80, weight_kg=70, height_cm=170)  # typed 180 for 130


def correct(user, screening, reason="TD salah ketik", **values):
    values.setdefault("screened_on", DAY)
    return screening_correct(actor=user, scope=scope_for(user), screening=screening, data=ScreeningInput(**values),
                             reason=reason, now=NOW)


def test_the_correction_supersedes_and_recomputes(kader_miji, wrong):
    assert wrong.flags == ["hypertension"]
    new = correct(kader_miji, wrong, systolic=130, diastolic=80, weight_kg=70, height_cm=170)
    wrong.refresh_from_db()
    assert wrong.superseded_by == new and new.correction_reason == "TD salah ketik"
    assert new.flags == [] and new.bmi == Decimal("24.2") and new.posyandu_id == wrong.posyandu_id
    assert list(Screening.objects.filter(superseded_by__isnull=True)) == [new]
    entry = AuditEntry.objects.get(action="screening.screening.corrected")
    assert entry.changes["supersedes"] == wrong.pk and entry.changes["systolic"] == [180, 130]


def test_the_nakes_may_correct(bidan_kranggan, wrong):
    assert correct(bidan_kranggan, wrong, systolic=130, diastolic=80).recorded_by == bidan_kranggan


def test_a_reason_is_required_and_bad_values_are_refused_without_writing(kader_miji, wrong):
    before = counts()
    with pytest.raises(DomainError) as exc:
        correct(kader_miji, wrong, reason="  ", systolic=300, diastolic=20)
    assert {"reason", "diastolic"} <= set(exc.value.field_errors)
    assert counts() == before
    wrong.refresh_from_db()
    assert wrong.superseded_by_id is None


def test_an_old_version_cannot_be_corrected_again(kader_miji, wrong):
    correct(kader_miji, wrong, systolic=130, diastolic=80)
    with pytest.raises(DomainError) as exc:
        correct(kader_miji, wrong, systolic=125, diastolic=80)
    assert exc.value.code == "conflict"


def test_a_retried_correction_is_stored_once(kader_miji, wrong):
    key = uuid.uuid4()
    first = correct(kader_miji, wrong, systolic=130, diastolic=80, client_uuid=key)
    again = correct(kader_miji, wrong, systolic=130, diastolic=80, client_uuid=key)
    assert again.pk == first.pk and Screening.objects.count() == 2


@pytest.mark.parametrize("outsider", ["kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan",
                                      "pembina_mojokerto", "opd_dinsos"])
def test_outsiders_cannot_correct(request, wrong, outsider):
    before = counts()
    with pytest.raises(NotInScope):
        correct(request.getfixturevalue(outsider), wrong, systolic=130, diastolic=80)
    assert counts() == before
