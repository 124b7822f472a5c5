"""A round trip with a real Open311 client from PyPI, ``georeport`` (0.3.x), over HTTP to a running server.

georeport covers the four GET methods (JSON and XML) but has no POST; the report is posted the way the
specification describes (form-encoded, with api_key) with ``requests``, the HTTP library georeport itself
uses, to the same root address. The older ``open311`` package (1.1) is Python 2 only and does not import.
"""

import pytest
import requests
from django.db import connection
from georeport import GeoReport

from conftest import MIJI, make_posyandu, make_user
from simpul.accounts.roles import Role
from simpul.open311.services import api_client_create
from simpul.referrals.models import Referral
from simpul.referrals.tests.kit import record

REPORT = {
    "service_code": "pu_sarana_rt",
    "lat": "-7.470512",
    "long": "112.433701",
    "description": "Saluran air di RT 002 tersumbat sampah dan meluap saat hujan.",
    "first_name": "Siti",
    "last_name": "Rahayu",
    "phone": "081234567890",
    "attribute[rt]": "002",
}


@pytest.fixture(autouse=True)
def _server_connections_end_with_the_request(monkeypatch):
    """A response object still held here keeps its HTTP connection alive, and with it the live server's
    request thread and that thread's (persistent) database connection: PostgreSQL would then refuse to drop
    the test database. With no connection age, each request's connection is closed when the request ends."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)


def post(client: GeoReport, **changes) -> requests.Response:
    data = {**REPORT, "api_key": client.api_key, "jurisdiction_id": client.jurisdiction, **changes}
    return requests.post(f"{client.root_address}/requests.json", data=data, timeout=10)


def test_a_georeport_client_lists_posts_and_follows_a_report(browser_regions, live_server):
    posyandu = make_posyandu(MIJI, "Posyandu Melati Miji")
    kader = make_user("kader.miji", Role.KADER, posyandu=posyandu)
    raw, _client = api_client_create(user=kader, name="Aplikasi Lapor Warga")
    secret = record(kader, category="trb_ketertiban", rt="003", confidential=True)  # raised by the kader
    root = f"{live_server.url}/open311/v2"
    client = GeoReport(root, jurisdiction="3576", api_key=raw)

    services = {s["service_code"]: s for s in client.get_service_list()}
    assert services["pu_sarana_rt"]["metadata"] is True and services["prk_rtlh"]["metadata"] is False
    definition = client.get_service_definition("pu_sarana_rt")
    assert [a["code"] for a in definition["attributes"]] == ["rt", "rw"]

    posted = post(client)
    assert posted.status_code == 200, posted.text
    ticket = posted.json()[0]["service_request_id"]
    assert Referral.objects.get(ticket=ticket).citizen_name == "Siti Rahayu"

    fetched = client.get_service_request(ticket)
    assert (fetched["service_request_id"], fetched["status"], fetched["service_code"]) == (
        ticket, "open", "pu_sarana_rt")
    assert (fetched["lat"], fetched["long"]) == (-7.470512, 112.433701)
    assert "Siti" not in str(fetched) and "081234567890" not in str(fetched)
    listed = {r["service_request_id"] for r in client.get_service_requests()}
    assert ticket in listed and secret.ticket not in listed
    assert [r["service_request_id"] for r in client.get_service_requests(service_request_id=ticket)] == [ticket]
    assert client.get_service_requests(service_request_id=secret.ticket) == []
    with pytest.raises(requests.HTTPError) as refused:
        client.get_service_request(secret.ticket)
    assert refused.value.response.status_code == 404

    xml = GeoReport(root, jurisdiction="3576", output_format="xml")
    assert xml.get_service_request(ticket)["service_request_id"] == ticket
    assert "pu_sarana_rt" in {s["service_code"] for s in xml.get_service_list()}


def test_a_georeport_client_gets_spec_errors_and_nothing_is_written(browser_regions, live_server):
    posyandu = make_posyandu(MIJI, "Posyandu Melati Miji")
    kader = make_user("kader.miji", Role.KADER, posyandu=posyandu)
    raw, _client = api_client_create(user=kader, name="Aplikasi Lapor Warga")
    client = GeoReport(f"{live_server.url}/open311/v2", jurisdiction="3576", api_key=raw)
    wrong = GeoReport(client.root_address, jurisdiction="3576", api_key="o311_bukan-kunci-ini")
    for response, status in [
        (post(wrong), 403),
        (post(client, api_key=""), 403),
        (post(client, service_code="tidak_ada"), 400),
        (post(client, service_code="kes_rujukan"), 400),  # about a person: needs the registry
        (post(client, **{"attribute[rt]": ""}), 400),
    ]:
        assert response.status_code == status, response.text
        assert [e["code"] for e in response.json()] == [status]
    with pytest.raises(requests.HTTPError) as refused:
        client.get_service_requests(start_date="kemarin")
    assert refused.value.response.status_code == 400
    with pytest.raises(requests.HTTPError) as missing:
        client.get_service_definition("tidak_ada")
    assert missing.value.response.status_code == 404
    assert not Referral.objects.exists()
