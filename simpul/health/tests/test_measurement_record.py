"""measurement_record: WHO results stored with the values, impossible input refused, idempotent, scoped."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from conftest import make_user
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.health.growth.assessment import growth_assess
from simpul.health.models import Measurement
from simpul.health.services import MeasurementInput, measurement_record
from simpul.registry.models import Person

pytestmark = pytest.mark.django_db


def aisyah(family):
    return family.members.get(full_name="Aisyah Putri")


def record(user, person, **values):
    values.setdefault("measured_on", dt.date(2025, 1, 14))
    return measurement_record(actor=user, scope=scope_for(user), person=person, data=MeasurementInput(**values))


def counts():
    return Measurement.objects.count(), AuditEntry.objects.count()


def test_it_stores_the_z_scores_and_codes_the_growth_engine_gives(kader_miji, family_miji):
    child = aisyah(family_miji)
    m = record(kader_miji, child, weight_kg=8.9, length_height_cm=74.0, position="recumbent",
               head_circumference_cm=44.9, muac_cm=14.0)
    expected = growth_assess(sex="F", birth_date=dt.date(2024, 1, 15), measured_on=dt.date(2025, 1, 14),
                             weight_kg=8.9, length_height_cm=74.0, position="recumbent",
                             head_circumference_cm=44.9, muac_cm=14.0)
    m.refresh_from_db()
    assert m.age_days == 365 == expected.age_days
    assert m.z == expected.z
    assert m.classification == expected.classification
    assert m.flags == expected.flags == []
    # WHO girls at 12 months: median weight 8.9 kg (published SD table), so z is about 0.
    assert abs(m.z_wfa) < 0.05
    assert m.class_wfa == "normal" and m.class_lhfa == "normal"
    assert (m.posyandu_id, m.desa_id) == (child.posyandu_id, child.desa_id)
    assert m.weight_kg == Decimal("8.900") and m.recorded_by == kader_miji
    assert AuditEntry.objects.filter(action="health.measurement.recorded", object_id=str(m.pk)).exists()


def test_it_stores_the_length_as_measured_and_converts_only_for_the_lookup(kader_miji, family_miji):
    child = aisyah(family_miji)
    lying = record(kader_miji, child, length_height_cm=74.0, position="recumbent")
    standing = record(kader_miji, child, length_height_cm=74.0, position="standing")
    assert standing.length_height_cm == Decimal("74.0") and standing.position == "standing"
    # Standing under 731 days: +0.7 cm before the look-up, so a higher z than lying at the same value.
    assert standing.z_lhfa > lying.z_lhfa
    assert standing.z_lhfa == growth_assess(sex="F", birth_date=child.birth_date, measured_on=dt.date(2025, 1, 14),
                                            length_height_cm=74.7, position="recumbent").z["lhfa"]


def test_implausible_but_possible_values_are_kept_with_a_flag(kader_miji, family_miji):
    m = record(kader_miji, aisyah(family_miji), weight_kg=25)
    assert m.pk and m.weight_kg == Decimal("25.000")
    assert "implausible_wfa" in m.flags and m.z_wfa > 5


def test_oedema_leaves_weight_based_z_null(kader_miji, family_miji):
    m = record(kader_miji, aisyah(family_miji), weight_kg=8.0, length_height_cm=72, oedema=True)
    assert m.z_wfa is None and m.z_wflh is None and m.class_wfa == "" and m.z_lhfa is not None


def test_an_adult_gets_raw_values_and_bmi_only(kader_miji, family_miji):
    budi = family_miji.members.get(full_name="Budi Santoso")
    m = record(kader_miji, budi, weight_kg=70, length_height_cm=170, position="standing")
    assert m.bmi == pytest.approx(24.22, abs=0.005)  # 70 / 1.7²
    assert m.z == {k: None for k in ("wfa", "lhfa", "wflh", "bmifa", "hcfa", "acfa")}
    assert m.flags == [] and m.class_wfa == ""


@pytest.mark.parametrize(("values", "field"), [
    ({"weight_kg": 0}, "weight_kg"),
    ({"weight_kg": 90}, "weight_kg"),  # a baby of 90 kg
    ({"weight_kg": -3}, "weight_kg"),
    ({"weight_kg": float("nan")}, "weight_kg"),
    ({"length_height_cm": 300}, "length_height_cm"),
    ({"head_circumference_cm": 120}, "head_circumference_cm"),
    ({"weight_kg": 8, "measured_on": dt.date(2099, 1, 1)}, "measured_on"),
    ({"weight_kg": 8, "measured_on": dt.date(2023, 12, 31)}, "measured_on"),  # before birth
    ({"weight_kg": 8, "measured_on": None}, "measured_on"),
    ({}, "weight_kg"),  # nothing measured
    ({"weight_kg": 8, "position": "upside_down", "length_height_cm": 70}, "position"),
])
def test_impossible_input_is_refused_and_nothing_is_saved(kader_miji, family_miji, values, field):
    before = counts()
    with pytest.raises(DomainError) as exc:
        record(kader_miji, aisyah(family_miji), **values)
    assert field in exc.value.field_errors
    assert counts() == before


def test_an_adult_height_of_300_cm_is_refused(kader_miji, family_miji):
    budi = family_miji.members.get(full_name="Budi Santoso")
    with pytest.raises(DomainError) as exc:
        record(kader_miji, budi, weight_kg=70, length_height_cm=300)
    assert list(exc.value.field_errors) == ["length_height_cm"]
    assert Measurement.objects.count() == 0


def test_a_person_no_longer_living_here_cannot_be_measured(kader_miji, family_miji):
    child = aisyah(family_miji)
    Person.objects.filter(pk=child.pk).update(life_status="deceased", life_status_date=dt.date(2024, 6, 1))
    child.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        record(kader_miji, child, weight_kg=8)
    assert "measured_on" in exc.value.field_errors
    assert Measurement.objects.count() == 0


def test_the_same_client_uuid_returns_the_stored_measurement(kader_miji, family_miji):
    key = uuid.uuid4()
    audits = AuditEntry.objects.count()
    first = record(kader_miji, aisyah(family_miji), weight_kg=8.9, client_uuid=key)
    again = record(kader_miji, aisyah(family_miji), weight_kg=9.9, client_uuid=str(key))
    assert again.pk == first.pk and again.weight_kg == Decimal("8.900")
    assert counts() == (1, audits + 1)


def test_a_client_uuid_of_another_person_is_refused(kader_miji, family_miji):
    key = uuid.uuid4()
    record(kader_miji, aisyah(family_miji), weight_kg=8.9, client_uuid=key)
    with pytest.raises(DomainError) as exc:
        record(kader_miji, family_miji.members.get(full_name="Siti Aminah"), weight_kg=60, client_uuid=key)
    assert "client_uuid" in exc.value.field_errors
    assert Measurement.objects.count() == 1


def test_a_malformed_client_uuid_is_a_field_error(kader_miji, family_miji):
    with pytest.raises(DomainError) as exc:
        record(kader_miji, aisyah(family_miji), weight_kg=8.9, client_uuid="not-a-uuid")
    assert "client_uuid" in exc.value.field_errors


@pytest.mark.parametrize("outsider", ["kader_meri", "kader_jepara", "opd_dinsos",
                                      "camat_kranggan", "pembina_mojokerto"])
def test_users_without_health_register_rights_here_cannot_record(request, family_miji, outsider):
    user = request.getfixturevalue(outsider)
    with pytest.raises(NotInScope):
        record(user, aisyah(family_miji), weight_kg=8.9)
    assert counts()[0] == 0


def test_a_kader_of_another_field_cannot_record(family_miji, posyandu_miji):
    kader = make_user("kader.pendidikan", Role.KADER, posyandu=posyandu_miji, fields=["pendidikan"])
    with pytest.raises(NotInScope):
        record(kader, aisyah(family_miji), weight_kg=8.9)
    assert Measurement.objects.count() == 0


def test_the_bidan_of_the_area_records_too(bidan_kranggan, family_miji):
    m = record(bidan_kranggan, aisyah(family_miji), weight_kg=8.9)
    assert m.recorded_by == bidan_kranggan and Measurement.objects.count() == 1
