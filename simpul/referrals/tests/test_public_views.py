"""The public status page: anyone with the ticket sees the category, field, state and dates — and never a
name, address, description, phone, photo, reporter or officer. Unknown codes get a friendly 404; lookups
are rate-limited per client address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import translation

from conftest import MOJOKERTO, agency
from simpul.referrals.tests.kit import move, record

pytestmark = pytest.mark.django_db

# Monday 2 November 2026, 09:00 WIB. Five working days from the day after: Tue 3 .. Mon 9 November.
RECORDED_AT = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
DESCRIPTION = "Atap bocor di kamar anak, dinding bambu lapuk."


@pytest.fixture(autouse=True)
def english_and_fresh_limits():
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()


@pytest.fixture
def referral(kader_miji, family_miji):
    return record(kader_miji, household=family_miji, now=RECORDED_AT, description=DESCRIPTION, rt="002", rw="004",
                  citizen_name="Ibu Sumarni", citizen_phone="0812 3456 7890")


def test_the_lookup_form_needs_no_login(client):
    response = client.get("/status/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="kode"' in html
    assert "Log out" not in html and "topbar" in html and 'class="nav"' not in html  # no menu
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_typed_code_goes_to_its_page_in_its_proper_form(client, referral):
    typed = " " + referral.ticket.lower().replace("-", "- ", 1) + " "
    response = client.get("/status/", {"kode": typed})
    assert response.status_code == 302 and response["Location"] == f"/status/{referral.ticket}/"


@pytest.mark.parametrize("typed", ["", "   ", "<script>alert(1)</script>", "PRK/../../etc"])
def test_a_code_that_is_not_one_is_explained(client, typed):
    response = client.get("/status/", {"kode": typed})
    assert response.status_code == 400
    assert response.context["error"]
    assert "<script>alert" not in response.content.decode()


def test_the_page_shows_the_progress_and_nothing_personal(client, referral, family_miji, kader_miji, lurah_miji,
                                                           opd_perkim):
    perkim = agency(MOJOKERTO, "perkim")
    referral = move(lurah_miji, referral, "verify", note="Sudah dikunjungi, atap memang bocor.",
                    now=RECORDED_AT + dt.timedelta(days=1))
    referral = move(lurah_miji, referral, "forward", agency=perkim, now=RECORDED_AT + dt.timedelta(days=1, hours=2))
    referral = move(opd_perkim, referral, "accept", note="Diterima, dijadwalkan survei.",
                    now=dt.datetime(2026, 11, 4, 3, 0, tzinfo=dt.UTC))

    response = client.get(f"/status/{referral.ticket}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert referral.ticket in html
    assert "House unfit to live in (RTLH)" in html
    assert "Public housing" in html  # the field
    assert 'data-state="accepted"' in html and "Accepted by the responsible agency" in html
    assert "2 November 2026" in html  # recorded
    assert "9 November 2026" in html  # due: 5 working days from Tuesday 3 November
    assert "4 November 2026" in html  # last update: the agency accepted it
    assert "Closed on" not in html
    person = family_miji.members.first()
    for secret in (DESCRIPTION, "Atap bocor", "Sumarni", "81234567890", "Jl. Miji", family_miji.head_name,
                   person.full_name, kader_miji.username, lurah_miji.username, opd_perkim.username,
                   perkim.name, perkim.short_name, "dikunjungi", "survei", "/media/", "<img"):
        assert secret not in html, secret
    assert set(response.context["status"]) == {"ticket", "category", "field", "state", "state_label",
                                               "recorded_on", "due_on", "updated_at", "closed_on", "closed"}


def test_a_closed_referral_shows_its_closing_date(client, referral, lurah_miji):
    referral = move(lurah_miji, referral, "reject", note="Bukan warga Miji; sudah diarahkan ke desa asal.",
                    now=dt.datetime(2026, 11, 5, 4, 0, tzinfo=dt.UTC))
    html = client.get(f"/status/{referral.ticket}/").content.decode()
    assert "Closed without follow-up" in html
    assert "Closed on" in html and "5 November 2026" in html
    assert "Bukan warga" not in html  # the reason stays inside


def test_a_confidential_referral_does_not_name_its_category(client, kader_miji, family_miji):
    referral = record(kader_miji, category="trb_kdrt", household=family_miji, now=RECORDED_AT,
                      description="Suami memukul istri.")
    html = client.get(f"/status/{referral.ticket}/").content.decode()
    assert "Confidential report" in html
    assert "Domestic violence" not in html and "memukul" not in html


def test_a_lower_case_code_still_finds_it(client, referral):
    assert client.get(f"/status/{referral.ticket.lower()}/").status_code == 200


@pytest.mark.parametrize("code", ["PRK-3576031002-202611-0001-ZZZZ", "X", "a" * 300])
def test_an_unknown_code_gets_a_friendly_not_found_page(client, referral, code):
    wrong = referral.ticket[:-4] + ("ZZZZ" if not referral.ticket.endswith("ZZZZ") else "YYYY")
    for attempt in (code, wrong):
        response = client.get(f"/status/{attempt}/")
        assert response.status_code == 404
        assert [t.name for t in response.templates][0] == "referrals/public_not_found.html"
        assert 'href="/status/"' in response.content.decode()


def test_lookups_are_limited_per_address(client, settings, referral):
    settings.SIMPUL_STATUS_LOOKUPS_PER_MINUTE = 3
    url = f"/status/{referral.ticket}/"
    assert [client.get(url, REMOTE_ADDR="203.0.113.7").status_code for _ in range(3)] == [200, 200, 200]
    # Unknown codes count too: guessing is what the limit is for.
    blocked = client.get("/status/PRK-3576031002-202611-0001-ZZZZ/", REMOTE_ADDR="203.0.113.7")
    assert blocked.status_code == 429 and blocked["Retry-After"] == "60"
    assert referral.ticket not in blocked.content.decode()
    assert client.get(url, REMOTE_ADDR="198.51.100.20").status_code == 200  # another address is not affected


def test_a_signed_in_user_sees_the_same_public_page(client, referral, lurah_miji):
    client.force_login(lurah_miji)
    html = client.get(f"/status/{referral.ticket}/").content.decode()
    assert DESCRIPTION not in html and "Log out" not in html


def test_the_ticket_page_is_not_cached(client, referral):
    response = client.get(f"/status/{referral.ticket}/")
    assert "max-age=0" in response["Cache-Control"]
