"""GET requests.{json,xml} and requests/{id}.{json,xml}: referrals as public, citizen-facing service requests."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from conftest import MOJOKERTO, agency, make_user
from simpul.accounts.roles import Role
from simpul.open311.presenters import STATUS_NOTES
from simpul.open311.tests.kit import BASE, parse_xml, spec_errors
from simpul.referrals.states import State
from simpul.referrals.tests.kit import move, record

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
SPEC_FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "agency_responsible",
               "requested_datetime", "updated_datetime", "expected_datetime"]
PLACE = {"category": "pu_sarana_rt", "rt": "002", "latitude": "-7.470512", "longitude": "112.433701",
         "description": "Sumur umum RT 002 tercemar limbah pabrik tahu."}


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


def tickets(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["service_request_id"] for row in response.json()}


@pytest.fixture
def referrals(kader_miji, family_miji, kader_jepara, family_jepara):
    return {
        "place": record(kader_miji, **PLACE),
        "house": record(kader_miji, category="prk_rtlh", household=family_miji, latitude="-7.471000",
                        longitude="112.434000", citizen_name="Wati Lestari", citizen_phone="081298765432"),
        "kdrt": record(kader_miji, category="trb_kdrt", household=family_miji),  # confidential by category
        "raised": record(kader_miji, category="trb_ketertiban", rt="003", confidential=True),  # by the kader
        "jepara": record(kader_jepara, category="prk_rtlh", household=family_jepara),
    }


def test_it_lists_citizen_fields_only(client, referrals, family_miji):
    response = client.get(f"{BASE}/requests.json")
    assert tickets(response) == {referrals[k].ticket for k in ("place", "house", "jepara")}
    rows = {row["service_request_id"]: row for row in response.json()}
    place, house = rows[referrals["place"].ticket], rows[referrals["house"].ticket]
    assert list(place) == [*SPEC_FIELDS, "lat", "long"]
    assert (place["lat"], place["long"]) == (-7.470512, 112.433701)
    assert list(house) == SPEC_FIELDS  # a household's location is never published
    assert (place["status"], place["service_code"]) == ("open", "pu_sarana_rt")
    body = response.content.decode()
    for private in ("Sumur umum", "Atap bocor", "Wati Lestari", "081298765432", family_miji.head_name,
                    "Jl. Miji Baru", "kader.miji", "-7.471", "112.434"):
        assert private not in body, private


def test_confidential_referrals_are_never_listed_or_returned(client, referrals):
    secret = [referrals["kdrt"].ticket, referrals["raised"].ticket]
    assert not tickets(client.get(f"{BASE}/requests.json")) & set(secret)
    assert tickets(client.get(f"{BASE}/requests.json?service_request_id={','.join(secret)}")) == set()
    assert tickets(client.get(f"{BASE}/requests.json?service_code=trb_kdrt,trb_ketertiban")) == set()
    for ticket in secret:
        spec_errors(client.get(f"{BASE}/requests/{ticket}.json"), 404)
        assert ticket not in client.get(f"{BASE}/requests.xml").content.decode()


def test_a_place_referral_about_a_household_keeps_the_location_private(client, kader_miji, family_miji):
    referral = record(kader_miji, household=family_miji, **PLACE)
    row = client.get(f"{BASE}/requests/{referral.ticket}.json").json()[0]
    assert "lat" not in row and "long" not in row


def test_one_request_by_ticket_is_a_list_of_one(client, referrals):
    ticket = referrals["place"].ticket
    response = client.get(f"{BASE}/requests/{ticket}.json")
    assert response.status_code == 200
    assert [row["service_request_id"] for row in response.json()] == [ticket]
    assert client.get(f"{BASE}/requests/{ticket.lower()}.json").status_code == 200
    spec_errors(client.get(f"{BASE}/requests/PU-3576031002-202611-9999-AAAA.json"), 404)


def test_dates_follow_the_working_day_sla_and_the_last_move(client, kader_miji, lurah_miji):
    # Recorded Wednesday 4 Nov 2026, 10 working days from Thursday 5 Nov (no holiday in November 2026):
    # 5, 6, 9, 10, 11, 12, 13, 16, 17, 18 -> due Wednesday 18 Nov.
    referral = record(kader_miji, now=at(2026, 11, 4, 9, 0), **PLACE)
    url = f"{BASE}/requests/{referral.ticket}.json"
    row = client.get(url).json()[0]
    assert row["requested_datetime"] == "2026-11-04T09:00:00+07:00"
    assert row["updated_datetime"] == "2026-11-04T09:00:00+07:00"
    assert row["expected_datetime"] == "2026-11-18T23:59:59+07:00"
    assert "Miji" in row["agency_responsible"]  # still with the village government
    move(lurah_miji, referral, "verify", now=at(2026, 11, 5, 10, 30))
    row = client.get(url).json()[0]
    assert row["updated_datetime"] == "2026-11-05T10:30:00+07:00"
    assert row["status"] == "open"


def test_a_one_day_sla_skips_christmas_and_the_cuti_bersama(client, kader_miji):
    # Wednesday 23 Dec 2026; Thursday 24 Dec is cuti bersama, Friday 25 Dec Christmas: due Monday 28 Dec.
    referral = record(kader_miji, category="trb_kebakaran", rt="001", now=at(2026, 12, 23, 16, 0),
                      description="Gudang kayu di RT 001 terbakar, api sudah padam.")
    row = client.get(f"{BASE}/requests/{referral.ticket}.json").json()[0]
    assert row["expected_datetime"] == "2026-12-28T23:59:59+07:00"


def test_the_agency_appears_when_forwarded_and_closed_when_resolved(client, kader_miji, lurah_miji):
    referral = record(kader_miji, **PLACE)
    dpupr = agency(MOJOKERTO, "dpupr")
    officer = make_user("opd.pupr", Role.OPD, region=MOJOKERTO, fields=["pekerjaan_umum"], agency_code="dpupr")
    move(lurah_miji, referral, "verify")
    move(lurah_miji, referral, "forward", agency=dpupr)
    url = f"{BASE}/requests/{referral.ticket}.json"
    assert client.get(url).json()[0]["agency_responsible"] == \
        "Dinas Pekerjaan Umum dan Penataan Ruang Kota Mojokerto"
    move(officer, referral, "accept")
    move(officer, referral, "resolve", outcome="handled", note="Sumur dikuras, pipa limbah dipindah ke IPAL.")
    row = client.get(url).json()[0]
    assert row["status"] == "closed"
    assert "IPAL" not in client.get(url).content.decode()  # the officer's note is internal


def test_status_notes_are_public_wording_never_the_reason(client, kader_miji, lurah_miji):
    referral = record(kader_miji, **PLACE)
    open_notes = client.get(f"{BASE}/requests/{referral.ticket}.json").json()[0]["status_notes"]
    move(lurah_miji, referral, "reject", note="Pelapor sedang berselisih dengan pemilik pabrik.")
    response = client.get(f"{BASE}/requests/{referral.ticket}.json")
    row = response.json()[0]
    assert row["status"] == "closed"
    assert row["status_notes"] and row["status_notes"] != open_notes
    assert "berselisih" not in response.content.decode()


def test_filters_by_code_status_ticket_and_jurisdiction(client, referrals, lurah_miji):
    move(lurah_miji, referrals["house"], "reject", note="Rumah sudah direhab tahun lalu.")
    place, house, jepara = (referrals[k].ticket for k in ("place", "house", "jepara"))
    assert tickets(client.get(f"{BASE}/requests.json?service_code=prk_rtlh")) == {house, jepara}
    assert tickets(client.get(f"{BASE}/requests.json?service_code=prk_rtlh,pu_sarana_rt")) == {place, house, jepara}
    assert tickets(client.get(f"{BASE}/requests.json?status=closed")) == {house}
    assert tickets(client.get(f"{BASE}/requests.json?status=open")) == {place, jepara}
    assert tickets(client.get(f"{BASE}/requests.json?status=open,closed")) == {place, house, jepara}
    # service_request_id overrides the other filters.
    assert tickets(client.get(f"{BASE}/requests.json?service_request_id={place},{jepara}&status=closed")) == {
        place, jepara}
    assert tickets(client.get(f"{BASE}/requests.json?jurisdiction_id=3576")) == {place, house}
    assert tickets(client.get(f"{BASE}/requests.json?jurisdiction_id=33.20")) == {jepara}
    spec_errors(client.get(f"{BASE}/requests/{jepara}.json?jurisdiction_id=3576"), 404)
    assert client.get(f"{BASE}/requests/{jepara}.json?jurisdiction_id=3320").status_code == 200


def test_the_default_range_is_the_last_90_days(client, kader_miji):
    now = timezone.now()
    recent = record(kader_miji, now=now - dt.timedelta(days=10), **PLACE)
    old = record(kader_miji, now=now - dt.timedelta(days=100), **PLACE)
    assert tickets(client.get(f"{BASE}/requests.json")) == {recent.ticket}
    start = (now - dt.timedelta(days=120)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (now - dt.timedelta(days=95)).astimezone(WIB).strftime("%Y-%m-%dT%H:%M:%S")
    # An unencoded "+07:00" arrives as " 07:00"; it is read as the offset it was meant to be.
    assert tickets(client.get(f"{BASE}/requests.json?start_date={start}&end_date={end} 07:00")) == {old.ticket}
    assert tickets(client.get(f"{BASE}/requests.json", {"start_date": start})) == {old.ticket}
    assert tickets(client.get(f"{BASE}/requests.json", {"end_date": end + "+07:00"})) == {old.ticket}


def test_a_bare_date_covers_the_whole_day(client, kader_miji):
    evening = record(kader_miji, now=at(2026, 11, 4, 21, 0), **PLACE)
    assert tickets(client.get(f"{BASE}/requests.json?start_date=2026-11-04&end_date=2026-11-04")) == {
        evening.ticket}
    assert tickets(client.get(f"{BASE}/requests.json?start_date=2026-11-05&end_date=2026-11-06")) == set()


@pytest.mark.parametrize("query", [
    "start_date=kemarin",
    "end_date=2026-13-01",
    "start_date=2026-02-30T00:00:00Z",
    "start_date=2026-11-10T00:00:00Z&end_date=2026-11-01T00:00:00Z",
    "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
    "start_date=2026-11-04T25:00:00Z",
    "start_date=2026-11-04T00:00:00+25:00",
    "start_date=9999-12-31T00:00:00Z",
    "end_date=0001-01-01",
    "status=pending",
    "service_request_id=%00",  # PostgreSQL cannot compare text holding a NUL
    "service_code=a%00",
    "service_code=tidak_ada",
    "jurisdiction_id=9999",
])
def test_bad_filters_are_a_400(client, query):
    errors = spec_errors(client.get(f"{BASE}/requests.json?{query}"), 400)
    assert len(errors) == 1


def test_xml_lists_requests_under_service_requests(client, referrals):
    response = client.get(f"{BASE}/requests.xml")
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"  # citizens' apps may read it from a browser
    root = parse_xml(response.content)
    assert root.tag == "service_requests"
    found = {item.findtext("service_request_id"): item for item in root.findall("request")}
    assert set(found) == {referrals[k].ticket for k in ("place", "house", "jepara")}
    assert found[referrals["place"].ticket].findtext("lat") == "-7.470512"
    assert found[referrals["house"].ticket].find("lat") is None
    error = parse_xml(client.get(f"{BASE}/requests/{referrals['kdrt'].ticket}.xml").content)
    assert error.tag == "errors" and error.find("error").findtext("code") == "404"


def test_every_state_has_its_own_public_wording():
    assert set(STATUS_NOTES) == set(State.values)
    assert len({str(note) for note in STATUS_NOTES.values()}) == len(State.values)
