"""A screening's blood pressure reaches the person's FHIR export as an 85354-9 panel."""

import datetime as dt

import pytest

from conftest import person_input, register_family
from simpul.accounts.scope import scope_for
from simpul.health import fhir
from simpul.screening.selectors import bp_readings
from simpul.screening.services import ScreeningInput, screening_record

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 20)


def test_the_screening_blood_pressure_is_in_the_fhir_bundle(kader_miji, posyandu_miji):
    household = register_family(kader_miji, posyandu_miji, head="Pak Harjo", members=[
        person_input("Pak Harjo", "M", dt.date(1955, 4, 4), "kepala")])
    harjo = household.members.get()
    screening_record(actor=kader_miji, scope=scope_for(kader_miji), person=harjo, data=ScreeningInput(
        screened_on=DAY, systolic=150, diastolic=95), now=dt.datetime(2026, 11, 20, 3, tzinfo=dt.UTC))
    assert bp_readings in fhir.bp_readings  # registered by ScreeningConfig.ready
    assert bp_readings(harjo) == [(DAY, 150, 95)]
    bundle = fhir.person_bundle(harjo, harjo.measurements.all())
    fhir.validate(bundle)
    panels = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
              and e["resource"]["code"]["coding"][0]["code"] == "85354-9"]
    assert len(panels) == 1
    values = {c["code"]["coding"][0]["code"]: c["valueQuantity"]["value"] for c in panels[0]["component"]}
    assert values == {"8480-6": 150, "8462-4": 95}
