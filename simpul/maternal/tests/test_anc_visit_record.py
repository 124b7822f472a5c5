"""anc_visit_record and anc_visit_correct: gestational age and trimester stored, bad input refused."""

import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.maternal.models import AncVisit
from simpul.maternal.services import AncVisitInput, anc_visit_correct
from simpul.maternal.tests.kit import NOW, D, close, register, siti, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def pregnancy(kader_miji, family_miji):
    return register(kader_miji, siti(family_miji), hpht=D(2026, 1, 1))  # HPHT 1 January 2026


def counts():
    return AncVisit.objects.count(), AuditEntry.objects.filter(action__startswith="maternal.anc").count()


def test_it_stores_the_values_gestational_age_and_trimester(kader_miji, pregnancy):
    v = visit(kader_miji, pregnancy, D(2026, 4, 2), examiner="bidan", weight_kg="58.25", muac_cm="22.04",
              systolic=150, diastolic=95, iron_tablets=30, pmt_given=True, danger_signs=["high_fever", "bleeding"],
              notes="  pusing  ")
    v.refresh_from_db()
    # 2 April 2026 = doy 92, 91 days after 1 January: 13 weeks 0 days, trimester II.
    assert (v.gestational_days, v.gestational_age.weeks, v.trimester) == (91, 13, 2)
    assert (v.weight_kg, v.muac_cm, v.systolic, v.diastolic) == (Decimal("58.25"), Decimal("22.0"), 150, 95)
    assert v.is_kek and v.is_hypertensive and v.pmt_given and v.iron_tablets == 30
    assert v.danger_signs == ["bleeding", "high_fever"]  # each once, in the order of the list
    assert v.notes == "pusing"
    assert (v.posyandu_id, v.desa_id, v.person_id) == (pregnancy.person.posyandu_id, pregnancy.person.desa_id,
                                                        pregnancy.person_id)
    assert AuditEntry.objects.filter(action="maternal.anc_visit.recorded", object_id=str(v.pk)).exists()


def test_a_visit_with_no_measurement_is_allowed(kader_miji, pregnancy):
    v = visit(kader_miji, pregnancy, D(2026, 3, 1), examiner="doctor")
    assert v.weight_kg is None and v.muac_cm is None and not v.is_kek and not v.is_hypertensive


@pytest.mark.parametrize(("values", "field"), [
    ({"weight_kg": 25}, "weight_kg"),  # 25 kg is not above 25
    ({"weight_kg": "200.01"}, "weight_kg"),
    ({"weight_kg": float("nan")}, "weight_kg"),
    ({"weight_kg": "abc"}, "weight_kg"),
    ({"muac_cm": "9.9"}, "muac_cm"),
    ({"muac_cm": 51}, "muac_cm"),
    ({"systolic": 59, "diastolic": 40}, "systolic"),
    ({"systolic": 261, "diastolic": 90}, "systolic"),
    ({"systolic": 120, "diastolic": 29}, "diastolic"),
    ({"systolic": 200, "diastolic": 161}, "diastolic"),
    ({"systolic": 90, "diastolic": 90}, "systolic"),  # systolic must be above diastolic
    ({"systolic": 80, "diastolic": 120}, "systolic"),
    ({"systolic": 120}, "diastolic"),  # half a blood pressure
    ({"diastolic": 80}, "systolic"),
    ({"systolic": "12.5", "diastolic": 80}, "systolic"),
    ({"iron_tablets": -1}, "iron_tablets"),
    ({"iron_tablets": 121}, "iron_tablets"),
    ({"examiner": "dukun"}, "examiner"),
    ({"danger_signs": ["headache", "bleeding"]}, "danger_signs"),
    ({"notes": "x" * 2001}, "notes"),
    ({"visited_on": D(2025, 12, 31)}, "visited_on"),  # before HPHT
    ({"visited_on": D(2026, 11, 23)}, "visited_on"),  # in the future (today 22 November)
    ({"visited_on": None}, "visited_on"),
])
def test_impossible_input_is_refused_and_nothing_is_saved(kader_miji, pregnancy, values, field):
    before = counts()
    day = values.pop("visited_on", D(2026, 3, 1))
    with pytest.raises(DomainError) as exc:
        visit(kader_miji, pregnancy, day, **values)
    assert field in exc.value.field_errors
    assert counts() == before


def test_all_errors_are_reported_at_once(kader_miji, pregnancy):
    with pytest.raises(DomainError) as exc:
        visit(kader_miji, pregnancy, D(2026, 3, 1), weight_kg=300, muac_cm=5, systolic=300, diastolic=20)
    assert set(exc.value.field_errors) == {"weight_kg", "muac_cm", "systolic", "diastolic"}


def test_limits_are_inclusive_where_the_brief_says(kader_miji, pregnancy):
    v = visit(kader_miji, pregnancy, D(2026, 3, 1), weight_kg="25.01", muac_cm=10, systolic=260, diastolic=159)
    w = visit(kader_miji, pregnancy, D(2026, 3, 2), weight_kg=200, muac_cm=50, systolic=61, diastolic=30)
    assert v.pk and w.pk


def test_a_visit_more_than_45_weeks_after_hpht_is_refused(kader_miji, family_miji):
    p = register(kader_miji, siti(family_miji), hpht=D(2025, 12, 1), registered_on=D(2026, 1, 15))
    with pytest.raises(DomainError) as exc:
        visit(kader_miji, p, D(2026, 10, 13))  # 316 days
    assert "visited_on" in exc.value.field_errors


def test_a_visit_after_the_delivery_is_refused_but_an_earlier_one_may_be_added(kader_miji, pregnancy):
    close(kader_miji, pregnancy, on=D(2026, 10, 1))
    with pytest.raises(DomainError) as exc:
        visit(kader_miji, pregnancy, D(2026, 10, 2))
    assert "visited_on" in exc.value.field_errors
    assert visit(kader_miji, pregnancy, D(2026, 9, 28)).trimester == 3  # entered late, from the Buku KIA


def test_the_same_client_uuid_returns_the_stored_visit(kader_miji, pregnancy):
    key = uuid.uuid4()
    first = visit(kader_miji, pregnancy, D(2026, 3, 1), weight_kg=55, client_uuid=key)
    again = visit(kader_miji, pregnancy, D(2026, 3, 2), weight_kg=60, client_uuid=str(key))
    assert again.pk == first.pk and again.weight_kg == Decimal("55.00") and counts() == (1, 1)


def test_a_client_uuid_of_another_pregnancy_is_refused(kader_miji, pregnancy, posyandu_miji):
    from simpul.maternal.tests.kit import add_woman

    key = uuid.uuid4()
    visit(kader_miji, pregnancy, D(2026, 3, 1), client_uuid=key)
    other = register(kader_miji, add_woman(kader_miji, posyandu_miji, "Dewi", D(1995, 1, 1)), hpht=D(2026, 2, 1))
    with pytest.raises(DomainError) as exc:
        visit(kader_miji, other, D(2026, 4, 1), client_uuid=key)
    assert "client_uuid" in exc.value.field_errors and AncVisit.objects.count() == 1


def test_the_database_refuses_half_a_blood_pressure(kader_miji, pregnancy):
    v = visit(kader_miji, pregnancy, D(2026, 3, 1), systolic=120, diastolic=80)
    with pytest.raises(IntegrityError), transaction.atomic():
        AncVisit.objects.filter(pk=v.pk).update(diastolic=None)


@pytest.mark.parametrize("outsider", ["kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan",
                                      "pembina_mojokerto", "opd_dinsos"])
def test_outsiders_cannot_record(request, pregnancy, outsider):
    with pytest.raises(NotInScope):
        visit(request.getfixturevalue(outsider), pregnancy, D(2026, 3, 1))
    assert counts() == (0, 0)


def test_the_bidan_records(bidan_kranggan, pregnancy):
    assert visit(bidan_kranggan, pregnancy, D(2026, 3, 1)).recorded_by == bidan_kranggan


# --- Correction ----------------------------------------------------------------------------------


def correct(user, old, reason="salah ketik", **values):
    values.setdefault("examiner", "bidan")
    day = values.pop("visited_on", old.visited_on)
    return anc_visit_correct(actor=user, scope=scope_for(user), visit=old, reason=reason,
                             data=AncVisitInput(visited_on=day, **values), now=NOW)


def test_a_correction_supersedes_the_old_visit_and_keeps_it(kader_miji, pregnancy):
    old = visit(kader_miji, pregnancy, D(2026, 3, 1), muac_cm="21.0")
    new = correct(kader_miji, old, muac_cm="25.0", reason="LiLA salah tulis")
    old.refresh_from_db()
    assert old.superseded_by == new and new.correction_reason == "LiLA salah tulis" and not new.is_kek
    assert list(AncVisit.objects.filter(superseded_by__isnull=True)) == [new]
    entry = AuditEntry.objects.get(action="maternal.anc_visit.corrected")
    assert entry.changes["supersedes"] == old.pk and entry.changes["muac_cm"] == ["21.0", "25.0"]


def test_a_correction_needs_a_reason_and_valid_values(kader_miji, pregnancy):
    old = visit(kader_miji, pregnancy, D(2026, 3, 1), muac_cm="21.0")
    with pytest.raises(DomainError) as exc:
        correct(kader_miji, old, reason="  ", muac_cm=5)
    assert set(exc.value.field_errors) == {"reason", "muac_cm"}
    assert AncVisit.objects.count() == 1


def test_an_old_version_cannot_be_corrected_twice(kader_miji, pregnancy):
    old = visit(kader_miji, pregnancy, D(2026, 3, 1))
    correct(kader_miji, old)
    with pytest.raises(DomainError) as exc:
        correct(kader_miji, old)
    assert exc.value.code == "conflict"


def test_outsiders_cannot_correct(kader_meri, kader_miji, pregnancy):
    old = visit(kader_miji, pregnancy, D(2026, 3, 1))
    with pytest.raises(NotInScope):
        correct(kader_meri, old)
