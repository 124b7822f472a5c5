"""The FHIR R4 bundle of a person: R4B-valid, LOINC codes and UCUM units, NIK only when known, BP hook."""

import datetime as dt

import pytest
from pydantic import ValidationError

from simpul.accounts.scope import scope_for
from simpul.health import fhir
from simpul.health.services import MeasurementInput, measurement_correct
from simpul.health.tests.kit import D, add_child, at, measure
from simpul.registry.tests.kit import NIK_AISYAH

pytestmark = [pytest.mark.django_db]

NOW = dt.datetime(2025, 3, 1, 5, 0, tzinfo=dt.UTC)


@pytest.fixture
def aisyah(kader_miji, posyandu_miji):
    return add_child(kader_miji, posyandu_miji, "Aisyah Putri", D(2024, 1, 15), sex="F", nik=NIK_AISYAH)


def resources(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def codes(observation):
    return [c["code"] for c in observation["code"]["coding"]]


def test_a_child_with_measurements_exports_a_valid_collection(kader_miji, aisyah):
    measure(kader_miji, aisyah, D(2025, 1, 14), weight_kg="8.9", length_height_cm="74", position="recumbent",
            head_circumference_cm="45.5", muac_cm="14")
    measure(kader_miji, aisyah, D(2025, 2, 14), weight_kg="9.25", length_height_cm="76", position="standing")
    bundle = fhir.person_bundle(aisyah, aisyah.measurements.all(), bp=[], now=NOW)
    parsed = fhir.validate(bundle)  # the R4B models accept it
    assert parsed.type == "collection" and bundle["resourceType"] == "Bundle"

    patient_entry = bundle["entry"][0]
    assert patient_entry["fullUrl"].startswith("urn:uuid:")
    patient = patient_entry["resource"]
    assert patient["resourceType"] == "Patient" and patient["gender"] == "female"
    assert patient["birthDate"] == "2024-01-15" and patient["name"][0]["text"] == "Aisyah Putri"
    assert patient["identifier"] == [{"use": "official", "system": "https://fhir.kemkes.go.id/id/nik",
                                      "value": NIK_AISYAH}]

    observations = resources(bundle, "Observation")
    # 8.9 kg, 74 cm lying, 45.5 cm head; then 9.25 kg, 76 cm standing. LiLA is not exported.
    assert [(codes(o), o["valueQuantity"]["value"], o["valueQuantity"]["code"], o["effectiveDateTime"])
            for o in observations] == [
        (["29463-7"], 8.9, "kg", "2025-01-14"),
        (["8302-2", "8306-3"], 74, "cm", "2025-01-14"),
        (["9843-4"], 45.5, "cm", "2025-01-14"),
        (["29463-7"], 9.25, "kg", "2025-02-14"),
        (["8302-2"], 76, "cm", "2025-02-14"),
    ]
    for o in observations:
        assert o["status"] == "final" and o["subject"] == {"reference": patient_entry["fullUrl"]}
        assert o["category"][0]["coding"][0]["code"] == "vital-signs"
        assert o["valueQuantity"]["system"] == "http://unitsofmeasure.org"
        assert o["code"]["coding"][0]["system"] == "http://loinc.org"
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(urls)) == len(urls)


def test_the_export_is_the_same_every_time(kader_miji, aisyah):
    measure(kader_miji, aisyah, D(2025, 1, 14), weight_kg="8.9")
    assert fhir.person_bundle(aisyah, aisyah.measurements.all(), bp=[], now=NOW) == \
        fhir.person_bundle(aisyah, aisyah.measurements.all(), bp=[], now=NOW)


def test_no_nik_no_identifier(kader_miji, posyandu_miji):
    child = add_child(kader_miji, posyandu_miji, "Bima Saputra", D(2024, 6, 1))
    bundle = fhir.person_bundle(child, [], bp=[], now=NOW)
    patient = resources(bundle, "Patient")[0]
    assert "identifier" not in patient and patient["gender"] == "male"
    assert resources(bundle, "Observation") == []


def test_a_corrected_measurement_exports_only_the_correction(kader_miji, aisyah):
    old = measure(kader_miji, aisyah, D(2025, 1, 14), weight_kg="18.9")
    measurement_correct(actor=kader_miji, scope=scope_for(kader_miji), measurement=old, reason="typo",
                        data=MeasurementInput(measured_on=D(2025, 1, 14), weight_kg="8.9"), now=at(D(2025, 1, 14)))
    bundle = fhir.person_bundle(aisyah, aisyah.measurements.all(), bp=[], now=NOW)
    assert [o["valueQuantity"]["value"] for o in resources(bundle, "Observation")] == [8.9]


def test_blood_pressure_is_a_panel_with_systolic_and_diastolic(kader_miji, family_miji, monkeypatch):
    mother = family_miji.members.get(full_name="Siti Aminah")
    monkeypatch.setattr(fhir, "bp_readings", [lambda person: [(D(2025, 2, 3), 142, 91)] if person == mother else []])
    bundle = fhir.person_bundle(mother, [], now=NOW)
    fhir.validate(bundle)
    (bp,) = resources(bundle, "Observation")
    assert codes(bp) == ["85354-9"] and bp["effectiveDateTime"] == "2025-02-03" and "valueQuantity" not in bp
    assert [(c["code"]["coding"][0]["code"], c["valueQuantity"]["value"], c["valueQuantity"]["code"])
            for c in bp["component"]] == [("8480-6", 142, "mm[Hg]"), ("8462-4", 91, "mm[Hg]")]


def test_bp_observations_take_plain_tuples():
    rows = fhir.bp_observations("urn:uuid:00000000-0000-0000-0000-000000000001", "p1",
                                [(D(2025, 3, 1), 120.5, 80), (D(2025, 1, 1), 118, 76)])
    assert [o["effectiveDateTime"] for _url, o in rows] == ["2025-01-01", "2025-03-01"]
    assert rows[1][1]["component"][0]["valueQuantity"]["value"] == 120.5


def test_an_invalid_bundle_is_refused():
    with pytest.raises(ValidationError):
        fhir.validate({"resourceType": "Bundle", "type": "collection",
                       "entry": [{"fullUrl": "urn:uuid:x", "resource": {"resourceType": "Patient", "sex": "F"}}]})
