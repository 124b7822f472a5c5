"""Helpers for the Open311 tests: an api_key, a valid citizen's report, and the rows a refused one must not add."""

from __future__ import annotations

from xml.etree import ElementTree

from simpul.audit.models import AuditEntry
from simpul.open311.services import api_client_create
from simpul.referrals.models import Referral, TicketCounter, Transition

BASE = "/open311/v2"
# A report about a place in Kelurahan Miji (Kota Mojokerto lies around 7.47° S, 112.43° E).
PLACE_REPORT = {
    "service_code": "pu_sarana_rt",
    "lat": "-7.470512",
    "long": "112.433701",
    "address_string": "Gang Mawar, dekat musala",
    "description": "Saluran air di RT 002 tersumbat sampah dan meluap saat hujan.",
    "first_name": "Siti",
    "last_name": "Rahayu",
    "phone": "0812 3456 7890",
    "attribute[rt]": "2",
    "attribute[rw]": "4",
}


def key_for(user, *, posyandu=None, name="Aplikasi Lapor Warga") -> str:
    raw, _client = api_client_create(user=user, name=name, posyandu_id=posyandu.pk if posyandu else None)
    return raw


def rows() -> tuple[int, int, int, int]:
    """What recording a referral adds to: referrals, their moves, ticket counters, the audit trail."""
    return (Referral.objects.count(), Transition.objects.count(), TicketCounter.objects.count(),
            AuditEntry.objects.count())


def spec_errors(response, status: int) -> list[dict]:
    """The body of a GeoReport error: a list of {code, description}, every code the HTTP status."""
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body, list) and body
    for error in body:
        assert set(error) == {"code", "description"}
        assert error["code"] == status and error["description"].strip()
    return body


def parse_xml(content: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(content)  # noqa: S314 - our own server's answer, not outside input
