"""django-ninja names an OpenAPI component after its class: two classes of one name are documented as one,
and a client that follows the documentation sends the other's fields (found by fuzzing: the service day's
attendance was documented with the programmes' attendance, an alert's dismissal with a task's)."""

from collections import defaultdict

from ninja import Schema

from simpul.api.api import api


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_schema_of_the_api_has_its_own_name():
    api.get_openapi_schema()  # every router imported, every schema class defined
    modules = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("simpul.") and ".tests." not in cls.__module__:
            modules[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: places for name, places in modules.items() if len(places) > 1} == {}


def test_the_service_day_attendance_is_documented_with_its_own_fields():
    schema = api.get_openapi_schema()
    operation = schema["paths"]["/api/v1/service-days/{day_id}/attendance"]["post"]
    reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    fields = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]["properties"]
    assert {"client_uuid", "person_id"} <= set(fields) and "attendance" not in fields
