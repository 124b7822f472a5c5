"""POST requests.{json,xml} with an api_key: a citizen's report about a place becomes a referral."""

import json
from urllib.parse import urlencode

import pytest
from django.test import Client

from conftest import MERI, make_posyandu
from simpul.accounts.models import Membership
from simpul.audit.models import AuditEntry
from simpul.open311.models import ApiClient
from simpul.open311.tests.kit import BASE, PLACE_REPORT, key_for, parse_xml, rows, spec_errors
from simpul.referrals.models import Referral

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"


def post(client, data, *, fmt="json", query=""):
    return client.post(f"{BASE}/requests.{fmt}{query}", urlencode(data), content_type=FORM)


def report(key, **changes):
    data = {**PLACE_REPORT, "api_key": key, **changes}
    return {name: value for name, value in data.items() if value is not None}


def test_a_citizen_report_becomes_a_recorded_referral(client, kader_miji, posyandu_miji):
    key = key_for(kader_miji)
    response = post(client, report(key))
    assert response.status_code == 200, response.content
    [answer] = response.json()
    assert list(answer) == ["service_request_id", "service_notice", "account_id"]
    assert answer["account_id"] is None and answer["service_notice"]
    referral = Referral.objects.get(ticket=answer["service_request_id"])
    assert answer["service_request_id"].startswith("PU-3576031002-")
    assert answer["service_request_id"] in answer["service_notice"]
    assert (referral.category.code, referral.state, referral.reporter, referral.posyandu, referral.desa_id) == (
        "pu_sarana_rt", "recorded", kader_miji, posyandu_miji, "3576031002")
    assert (referral.citizen_name, referral.citizen_phone) == ("Siti Rahayu", "081234567890")
    assert (referral.rt, referral.rw) == ("002", "004")
    assert (str(referral.latitude), str(referral.longitude)) == ("-7.470512", "112.433701")
    assert referral.description.startswith("Saluran air di RT 002 tersumbat sampah")
    assert "Gang Mawar, dekat musala" in referral.description
    assert not referral.confidential and referral.person_id is None and referral.household_id is None
    assert AuditEntry.objects.filter(action="open311.request.submit", object_id=str(referral.pk)).exists()
    assert AuditEntry.objects.filter(action="referral.record", object_id=str(referral.pk)).exists()
    assert ApiClient.objects.get().last_used_at is not None
    assert "Access-Control-Allow-Origin" not in response  # only the public reads are open to other origins


def test_a_json_body_and_xml_answer_work_too(client, kader_miji):
    key = key_for(kader_miji)
    body = {k: v for k, v in PLACE_REPORT.items() if not k.startswith("attribute")}
    body.update({"api_key": key, "attribute": {"rt": "7"}, "lat": -7.470512, "long": 112.433701})
    response = client.post(f"{BASE}/requests.xml", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    root = parse_xml(response.content)
    assert root.tag == "service_requests"
    ticket = root.find("request").findtext("service_request_id")
    assert Referral.objects.get(ticket=ticket).rt == "007"
    assert root.find("request").find("account_id").text is None


def test_a_village_account_records_for_its_named_posyandu(client, lurah_miji, posyandu_miji):
    make_posyandu("3576031002", "Posyandu Kenanga Miji")  # the village holds two posyandu
    key = key_for(lurah_miji, posyandu=posyandu_miji)
    response = post(client, report(key))
    assert response.status_code == 200, response.content
    referral = Referral.objects.get(ticket=response.json()[0]["service_request_id"])
    assert (referral.reporter, referral.posyandu) == (lurah_miji, posyandu_miji)


def test_the_api_key_is_given_in_the_query_by_some_clients(client, kader_miji):
    key = key_for(kader_miji)
    data = report(key)
    data.pop("api_key")
    assert post(client, data, query=f"?api_key={key}&jurisdiction_id=3576").status_code == 200


def test_the_post_needs_no_csrf_token(kader_miji):
    strict = Client(enforce_csrf_checks=True)
    assert post(strict, report(key_for(kader_miji))).status_code == 200


@pytest.mark.parametrize("key", [None, "", "o311_tebakan-saja", "kunci-salah"])
def test_without_a_valid_key_nothing_is_written(client, kader_miji, key):
    key_for(kader_miji)
    before = rows()
    spec_errors(post(client, report(key)), 403)
    assert rows() == before


def test_a_deactivated_client_or_account_is_refused(client, kader_miji):
    key = key_for(kader_miji)
    ApiClient.objects.update(active=False)
    spec_errors(post(client, report(key)), 403)
    ApiClient.objects.update(active=True)
    kader_miji.is_active = False
    kader_miji.save()
    before = rows()
    spec_errors(post(client, report(key)), 403)
    assert rows() == before


def test_a_kader_who_left_her_posyandu_records_nothing(client, kader_miji):
    key = key_for(kader_miji)
    Membership.objects.filter(user=kader_miji).update(active=False)
    before = rows()
    spec_errors(post(client, report(key)), 403)
    assert rows() == before


def test_a_village_key_whose_posyandu_is_now_outside_its_area_is_refused(client, lurah_miji, posyandu_miji):
    key = key_for(lurah_miji, posyandu=posyandu_miji)
    Membership.objects.filter(user=lurah_miji).update(region_id=MERI)  # the account now serves Meri
    before = rows()
    spec_errors(post(client, report(key)), 403)
    assert rows() == before


@pytest.mark.parametrize(("changes", "parameter"), [
    ({"service_code": None}, "service_code"),
    ({"service_code": "tidak_ada"}, "service_code"),
    ({"service_code": "prk_rtlh"}, "service_code"),  # about a household
    ({"service_code": "kes_rujukan"}, "service_code"),  # about a person
    ({"service_code": "sos_korban_bencana"}, "service_code"),  # a person or a household
    ({"service_code": "trb_narkoba"}, "service_code"),  # a confidential place
    ({"attribute[rt]": None}, "attribute[rt]"),
    ({"attribute[rt]": "12a"}, "attribute[rt]"),
    ({"attribute[rw]": "1234"}, "attribute[rw]"),
    ({"attribute[warna]": "merah"}, "attribute[warna]"),
    ({"lat": None, "long": None, "address_string": None}, "lat"),
    ({"long": None}, "lat"),
    ({"lat": "51.5", "long": "-0.12"}, "lat"),  # London is outside Indonesia
    ({"lat": "utara"}, "lat"),
    ({"description": "Banjir"}, "description"),
    ({"description": "Saluran\x00tersumbat sampah"}, "description"),
    ({"description": "x" * 2100}, "description"),
    ({"phone": "12"}, "phone"),
    ({"first_name": "<b>Siti</b>"}, "first_name"),
    ({"jurisdiction_id": "3320"}, "jurisdiction_id"),  # the key records in Kota Mojokerto
])
def test_bad_input_is_a_400_naming_the_parameter_and_writes_nothing(client, kader_miji, changes, parameter):
    key = key_for(kader_miji)
    before = rows()
    errors = spec_errors(post(client, report(key, **changes)), 400)
    assert any(error["description"].startswith(f"{parameter}:") for error in errors), errors
    assert rows() == before


def test_an_unknown_jurisdiction_is_a_400(client, kader_miji):
    key = key_for(kader_miji)
    before = rows()
    spec_errors(post(client, report(key, jurisdiction_id="9999")), 400)
    assert rows() == before


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '{"service_code": {"a": 1}}', b"\xff\xfe"])
def test_a_bad_json_body_is_a_400(client, kader_miji, body):
    key_for(kader_miji)
    before = rows()
    spec_errors(client.post(f"{BASE}/requests.json", body, content_type="application/json"), 400)
    assert rows() == before


def test_a_body_over_the_size_limit_is_a_400(client, kader_miji, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    key = key_for(kader_miji)
    before = rows()
    spec_errors(post(client, report(key, description="Saluran tersumbat. " * 200)), 400)
    assert rows() == before


def test_another_format_writes_nothing(client, kader_miji):
    key = key_for(kader_miji)
    before = rows()
    response = client.post(f"{BASE}/requests.csv", urlencode(report(key)), content_type=FORM)
    spec_errors(response, 400)
    assert rows() == before


def test_a_kader_key_cannot_record_in_the_neighbouring_village(client, kader_miji, kader_meri, posyandu_meri):
    # Even if the client's posyandu were changed by hand, the account's scope decides.
    key = key_for(kader_miji)
    ApiClient.objects.update(posyandu=posyandu_meri)
    before = rows()
    spec_errors(post(client, report(key)), 403)
    assert rows() == before
    assert not Referral.objects.filter(posyandu=posyandu_meri).exists()
