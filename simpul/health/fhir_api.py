"""/api/v1/fhir: FHIR R4 export (JSON) of one person and their measurements.

Read access is the health rule (``may_see_health``: the kesehatan field with health rights over the
person's place — kader and nakes of the place, the Dinkes officer); anyone else gets 404 as if the
person did not exist. Every export is written to the access log.
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from ninja import Router

from simpul.accounts.context_processors import request_scope
from simpul.audit.services import access_record
from simpul.health import fhir, selectors

router = Router(tags=["fhir"])

FHIR_JSON = "application/fhir+json"


@router.get("/persons/{int:person_id}", response={200: dict},
            openapi_extra={"responses": {200: {"content": {FHIR_JSON: {}}}}})
def fhir_person(request, person_id: int):
    """A FHIR R4 ``Bundle`` (type ``collection``): the Patient (NIK identifier when known) and one
    vital-signs Observation per measured value (LOINC 29463-7 weight, 8302-2 height, 9843-4 head
    circumference, 85354-9 blood pressure panel); validated with the R4B models."""
    scope = request_scope(request)
    person = selectors.person_for_health(scope, person_id)
    bundle = fhir.person_bundle(person, selectors.measurements_for_person(scope, person))
    access_record(actor=request.user, action="export", object_type="health.measurement", object_id=person.pk,
                  region_code=person.desa_id, detail="fhir", request=request)
    response = HttpResponse(json.dumps(bundle, ensure_ascii=False), content_type=f"{FHIR_JSON}; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="fhir-person-{person.pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response
