"""FHIR R4 export of one person and their measurements: a ``Bundle`` of type ``collection``.

* **Patient**: the NIK as an identifier with SATUSEHAT's system ``https://fhir.kemkes.go.id/id/nik``
  (only when the registry holds a NIK; decrypted through ``Person.nik``), the name as text, gender
  (``male``/``female``) and birth date.
* **Observation** per value of each current (not superseded) measurement, in the vital-signs category,
  coded with LOINC and valued in UCUM: body weight 29463-7 (kg), body height 8302-2 (cm; a recumbent
  length also carries 8306-3 "Body height --lying"), head circumference 9843-4 (cm).
* **Blood pressure** as a panel 85354-9 with components systolic 8480-6 and diastolic 8462-4 (mm[Hg]).
  Readings come from other apps (maternal, screening) through :data:`bp_readings`: each provider is a
  callable ``provider(person) -> iterable of (date, systolic, diastolic)``; an app registers one in its
  ``AppConfig.ready`` (``simpul.health.fhir.bp_readings.append(provider)``). Health does not import
  those apps. Providers are called only after the caller's scope allowed the read.

Every entry has a ``urn:uuid:`` fullUrl made deterministically (uuid5) from the record, so the same data
exports to the same bundle, and the Observations point at the Patient's fullUrl. The bundle is built
as plain JSON and validated by the ``fhir.resources`` R4B models before it is returned; see
docs/decisions/0011-fhir-export.md.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.utils import timezone

NIK_SYSTEM = "https://fhir.kemkes.go.id/id/nik"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# A fixed namespace for the export's uuid5 ids: the same record always gets the same urn:uuid.
NAMESPACE = uuid.UUID("6f0b8f2e-4c1d-5a43-9e51-3c1f6f7d2a10")

WEIGHT = ("29463-7", "Body weight")
HEIGHT = ("8302-2", "Body height")
LENGTH_LYING = ("8306-3", "Body height --lying")
HEAD = ("9843-4", "Head Occipital-frontal circumference")
BP_PANEL = ("85354-9", "Blood pressure panel with all children optional")
SYSTOLIC = ("8480-6", "Systolic blood pressure")
DIASTOLIC = ("8462-4", "Diastolic blood pressure")

BpReading = tuple[dt.date, int | float | Decimal, int | float | Decimal]
#: providers of blood pressure readings for a person, appended by other apps
bp_readings: list[Callable[[object], Iterable[BpReading]]] = []


def _urn(*parts) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, ':'.join(str(p) for p in parts))}"


def _number(value) -> float | int:
    number = float(value)
    return int(number) if number.is_integer() else number


def _coding(code: tuple[str, str]) -> dict:
    return {"system": LOINC, "code": code[0], "display": code[1]}


def _quantity(value, unit: str) -> dict:
    return {"value": _number(value), "unit": unit, "system": UCUM, "code": unit}


def _vital(full_url_patient: str, codes: list[tuple[str, str]], on: dt.date, **value) -> dict:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "vital-signs",
                                  "display": "Vital Signs"}]}],
        "code": {"coding": [_coding(c) for c in codes], "text": codes[0][1]},
        "subject": {"reference": full_url_patient},
        "effectiveDateTime": on.isoformat(),
        **value,
    }


def patient_resource(person) -> dict:
    resource: dict = {
        "resourceType": "Patient",
        "name": [{"use": "official", "text": person.full_name}],
        "gender": {"M": "male", "F": "female"}.get(person.sex, "unknown"),
        "birthDate": person.birth_date.isoformat(),
    }
    nik = person.nik
    if nik:
        resource["identifier"] = [{"use": "official", "system": NIK_SYSTEM, "value": nik}]
    if person.life_status == "deceased" and person.life_status_date:
        resource["deceasedDateTime"] = person.life_status_date.isoformat()
    return resource


def measurement_observations(patient_url: str, measurement) -> list[tuple[str, dict]]:
    """(fullUrl, Observation) for each value of one measurement."""
    m, out = measurement, []
    if m.weight_kg is not None:
        out.append((_urn(m.client_uuid, "weight"),
                    _vital(patient_url, [WEIGHT], m.measured_on, valueQuantity=_quantity(m.weight_kg, "kg"))))
    if m.length_height_cm is not None:
        codes = [HEIGHT, LENGTH_LYING] if m.position == "recumbent" else [HEIGHT]
        out.append((_urn(m.client_uuid, "height"),
                    _vital(patient_url, codes, m.measured_on, valueQuantity=_quantity(m.length_height_cm, "cm"))))
    if m.head_circumference_cm is not None:
        out.append((_urn(m.client_uuid, "head"),
                    _vital(patient_url, [HEAD], m.measured_on,
                           valueQuantity=_quantity(m.head_circumference_cm, "cm"))))
    return out


def bp_observations(patient_url: str, person_key, readings: Iterable[BpReading]) -> list[tuple[str, dict]]:
    """(fullUrl, Observation) per blood pressure reading: the 85354-9 panel with its two components."""
    out = []
    for on, systolic, diastolic in sorted(readings, key=lambda r: r[0]):
        components = [
            {"code": {"coding": [_coding(SYSTOLIC)]}, "valueQuantity": _quantity(systolic, "mm[Hg]")},
            {"code": {"coding": [_coding(DIASTOLIC)]}, "valueQuantity": _quantity(diastolic, "mm[Hg]")},
        ]
        url = _urn(person_key, "bp", on.isoformat(), _number(systolic), _number(diastolic))
        out.append((url, _vital(patient_url, [BP_PANEL], on, component=components)))
    return out


def person_bundle(person, measurements: Iterable, *, bp: Iterable[BpReading] | None = None,
                  now: dt.datetime | None = None) -> dict:
    """The Bundle as JSON-ready data, validated with the R4B models (raises on an invalid bundle).

    ``measurements``: the person's current measurements (from a selector that checked the scope);
    ``bp``: readings to use instead of asking the :data:`bp_readings` providers.
    """
    now = now or timezone.now()
    person_key = f"person:{person.pk}:{person.provisional_id}"
    patient_url = _urn(person_key)
    entries = [(patient_url, patient_resource(person))]
    for m in measurements:
        if getattr(m, "superseded_by_id", None) is None:
            entries.extend(measurement_observations(patient_url, m))
    if bp is None:
        bp = [reading for provider in bp_readings for reading in provider(person)]
    entries.extend(bp_observations(patient_url, person_key, bp))
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": now.isoformat(timespec="seconds"),
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries],
    }
    validate(bundle)
    return bundle


def validate(bundle: dict):
    """The bundle parsed by fhir.resources' R4B models; raises pydantic's ValidationError if invalid."""
    from fhir.resources.R4B.bundle import Bundle

    return Bundle.model_validate(bundle)
