"""GET services.{json,xml} and services/{code}.{json,xml}: the referral categories as GeoReport services."""


import pytest
from django.utils import translation

from simpul.open311.tests.kit import BASE, parse_xml, spec_errors
from simpul.referrals.models import Category
from simpul.referrals.taxonomy import CATEGORIES

pytestmark = pytest.mark.django_db

# Needs about a place that are not confidential (taxonomy: subject "place"; trb_narkoba is a confidential place).
CITIZEN_REPORTABLE = {"pu_sarana_rt", "trb_kebakaran", "trb_bencana", "trb_ketertiban", "asp_umum"}


def test_it_lists_every_active_category_with_the_spec_fields(client):
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    services = response.json()
    assert {s["service_code"] for s in services} == {seed.code for seed in CATEGORIES}
    for service in services:
        assert list(service) == ["service_code", "service_name", "description", "metadata", "type", "keywords",
                                 "group"]
        assert service["type"] == "realtime"
        assert service["service_name"] and service["description"]
    assert {s["service_code"] for s in services if s["metadata"]} == CITIZEN_REPORTABLE


def test_names_and_groups_are_the_bahasa_labels(client):
    services = {s["service_code"]: s for s in client.get(f"{BASE}/services.json").json()}
    rtlh = services["prk_rtlh"]
    assert rtlh["group"] == "Perumahan rakyat"  # the SPM field's Indonesian name
    with translation.override("id"):
        assert rtlh["service_name"] == str(Category.objects.get(code="prk_rtlh").label)
    assert rtlh["keywords"] == "perumahan, rtlh"
    assert services["pu_air_minum"]["keywords"] == "pekerjaan umum, air minum"
    # A pembina's own category keeps the name she typed.
    Category.objects.create(code="tani_pupuk", field="aspirasi", name="Kelangkaan pupuk", subject="place")
    services = {s["service_code"]: s for s in client.get(f"{BASE}/services.json").json()}
    assert services["tani_pupuk"]["service_name"] == "Kelangkaan pupuk"


def test_an_inactive_category_is_neither_listed_nor_defined(client):
    Category.objects.filter(code="asp_umum").update(active=False)
    codes = {s["service_code"] for s in client.get(f"{BASE}/services.json").json()}
    assert "asp_umum" not in codes and "pu_sarana_rt" in codes
    errors = spec_errors(client.get(f"{BASE}/services/asp_umum.json"), 404)
    assert len(errors) == 1


def test_the_definition_of_a_place_asks_for_rt_and_rw(client):
    response = client.get(f"{BASE}/services/pu_sarana_rt.json")
    assert response.status_code == 200
    definition = response.json()
    assert definition["service_code"] == "pu_sarana_rt"
    attributes = definition["attributes"]
    assert [(a["code"], a["required"], a["order"], a["datatype"]) for a in attributes] == [
        ("rt", True, 1, "string"), ("rw", False, 2, "string")]
    for attribute in attributes:
        assert attribute["variable"] is True and attribute["description"]


@pytest.mark.parametrize("code", ["prk_rtlh", "kes_rujukan", "sos_korban_bencana", "trb_narkoba", "trb_kdrt"])
def test_a_category_a_citizen_cannot_send_has_no_attributes(client, code):
    definition = client.get(f"{BASE}/services/{code}.json").json()
    assert definition == {"service_code": code, "attributes": []}


def test_unknown_service_code_is_a_404_in_the_spec_shape(client):
    spec_errors(client.get(f"{BASE}/services/tidak_ada.json"), 404)


def test_xml_has_the_spec_elements(client):
    response = client.get(f"{BASE}/services.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = parse_xml(response.content)
    assert root.tag == "services"
    sarana = next(s for s in root.findall("service") if s.findtext("service_code") == "pu_sarana_rt")
    assert (sarana.findtext("metadata"), sarana.findtext("type")) == ("true", "realtime")
    definition = parse_xml(client.get(f"{BASE}/services/pu_sarana_rt.xml").content)
    assert definition.tag == "service_definition"
    assert [a.findtext("code") for a in definition.find("attributes").findall("attribute")] == ["rt", "rw"]
    assert definition.find("attributes").find("attribute").findtext("required") == "true"


def test_another_format_is_refused_in_json(client):
    errors = spec_errors(client.get(f"{BASE}/services.csv"), 400)
    assert len(errors) == 1


def test_jurisdiction_must_be_a_kabkota_served_here(client):
    assert client.get(f"{BASE}/services.json?jurisdiction_id=3576").status_code == 200
    assert client.get(f"{BASE}/services.json?jurisdiction_id=35.76").status_code == 200
    spec_errors(client.get(f"{BASE}/services.json?jurisdiction_id=3578"), 400)  # Surabaya: not served by this instance
    spec_errors(client.get(f"{BASE}/services.json?jurisdiction_id=357603"), 400)  # a kecamatan
    spec_errors(client.get(f"{BASE}/services.json?jurisdiction_id=abc"), 400)


def test_a_post_to_services_is_not_allowed(client):
    response = client.post(f"{BASE}/services.json")
    spec_errors(response, 405)
    assert response["Allow"] == "GET, HEAD"
