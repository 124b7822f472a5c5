"""The printable receipt: only for those who may open the referral; the status address, its QR code (read
back module by module and compared with segno's own code of the expected address) and the wa.me link
carry the ticket and state, never the description or a name."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import segno
from django.utils import translation

from conftest import MOJOKERTO, agency
from simpul.audit.models import AccessLog
from simpul.referrals.tests.kit import move, record

pytestmark = pytest.mark.django_db

RECORDED_AT = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)  # Monday 2 November 2026, 09:00 WIB
DESCRIPTION = "Atap bocor di kamar anak, dinding bambu lapuk."
BASE = "https://simpul.mojokertokota.go.id"


@pytest.fixture(autouse=True)
def english_and_base(settings):
    settings.SIMPUL_BASE_URL = BASE
    with translation.override("en"):
        yield


@pytest.fixture
def referral(kader_miji, family_miji):
    return record(kader_miji, household=family_miji, now=RECORDED_AT, description=DESCRIPTION,
                  citizen_name="Ibu Sumarni", citizen_phone="0812 3456 7890")


def receipt(client, user, referral):
    client.force_login(user)
    return client.get(f"/rujukan/{referral.pk}/tanda-terima/")


def svg_matrix(html: str) -> list[list[int]]:
    """Read the QR code back out of segno's inline SVG: one path of horizontal runs ("M x y", "m dx dy",
    "h n") over a square of modules, drawn at half-module height (the ".5" in y), inside a 4-module border."""
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    size = int(re.search(r'width="(\d+)"', svg).group(1)) // 4  # scale 4
    path = re.search(r' d="([^"]+)"', svg).group(1)
    grid = [[0] * size for _ in range(size)]
    x = y = 0.0
    for op, args in re.findall(r"([MmHh])([-\d. ]+)", path):
        numbers = [float(n) for n in args.split()]
        if op == "M":
            x, y = numbers
        elif op == "m":
            x, y = x + numbers[0], y + numbers[1]
        elif op == "h":
            for column in range(int(x), int(x + numbers[0])):
                grid[int(y)][column] = 1
            x += numbers[0]
    return [row[4:-4] for row in grid[4:-4]]


def test_the_reporting_kader_prints_the_receipt(client, kader_miji, referral):
    response = receipt(client, kader_miji, referral)
    assert response.status_code == 200
    html = response.content.decode()
    url = f"{BASE}/status/{referral.ticket}/"
    assert referral.ticket in html
    assert "House unfit to live in (RTLH)" in html
    assert "2 November 2026" in html and "9 November 2026" in html  # recorded; due 5 working days later
    assert f'href="{url}"' in html
    # The QR code in the page is exactly segno's code of the expected address.
    expected = [list(row) for row in segno.make(url, error="m", micro=False).matrix]
    assert svg_matrix(html) == [[int(bool(v)) for v in row] for row in expected]
    for secret in (DESCRIPTION, "Sumarni", referral.household.head_name):
        assert secret not in html


def test_the_share_link_goes_to_the_citizens_number_with_ticket_state_and_address(client, kader_miji, referral):
    html = receipt(client, kader_miji, referral).content.decode()
    link = re.search(r'href="(https://wa\.me/[^"]+)" [^>]*data-wa-link', html).group(1).replace("&amp;", "&")
    assert link.startswith("https://wa.me/6281234567890?text=")
    text = parse_qs(urlsplit(link).query)["text"][0]
    assert text == (f"Referral {referral.ticket}: Received, waiting for the village office to check it. "
                    f"Check its status at {BASE}/status/{referral.ticket}/")


def test_without_a_citizen_number_the_sender_picks_the_chat(client, kader_miji, family_miji):
    referral = record(kader_miji, household=family_miji, now=RECORDED_AT)
    html = receipt(client, kader_miji, referral).content.decode()
    assert 'href="https://wa.me/?text=Referral%20' in html


def test_the_village_and_the_agency_holding_it_may_print(client, referral, lurah_miji, operator_miji, opd_perkim):
    for user in (lurah_miji, operator_miji):
        assert receipt(client, user, referral).status_code == 200
    assert receipt(client, opd_perkim, referral).status_code == 404  # not forwarded yet
    referral = move(lurah_miji, referral, "verify", note="Sudah dikunjungi.", now=RECORDED_AT + dt.timedelta(hours=2))
    referral = move(lurah_miji, referral, "forward", agency=agency(MOJOKERTO, "perkim"),
                    now=RECORDED_AT + dt.timedelta(hours=3))
    assert receipt(client, opd_perkim, referral).status_code == 200


@pytest.mark.parametrize("outsider", ["kader_meri", "kader_jepara", "opd_dinsos", "opd_perkim_jepara",
                                      "camat_kranggan", "bidan_kranggan", "pembina_mojokerto", "admin_user"])
def test_no_one_else_may(client, request, referral, outsider):
    assert receipt(client, request.getfixturevalue(outsider), referral).status_code == 404


def test_a_visitor_must_log_in(client, referral):
    response = client.get(f"/rujukan/{referral.pk}/tanda-terima/")
    assert response.status_code == 302 and "/akun/" in response["Location"]


def test_a_confidential_receipt_hides_the_category_and_the_number_from_an_operator(
        client, kader_miji, family_miji, lurah_miji, operator_miji):
    referral = record(kader_miji, category="trb_kdrt", household=family_miji, now=RECORDED_AT,
                      description="Suami memukul istri.", citizen_phone="0857 1234 5678")
    for user, sees_number in ((kader_miji, True), (lurah_miji, True), (operator_miji, False)):
        html = receipt(client, user, referral).content.decode()
        assert "Confidential report" in html and "Domestic violence" not in html and "memukul" not in html
        assert ("https://wa.me/6285712345678?text=" in html) is sees_number, user.username


def test_each_opening_is_logged(client, kader_miji, referral):
    receipt(client, kader_miji, referral)
    log = AccessLog.objects.get(object_type="referrals.receipt")
    assert (log.actor, log.object_id, log.region_code) == (kader_miji, str(referral.pk), "3576031002")


def test_it_prints_on_a_small_page(client, kader_miji, referral):
    html = receipt(client, kader_miji, referral).content.decode()
    assert "@page { size:A6" in html and "@media print" in html
    assert re.search(r"\.topbar, \.foot[^{]*\{ display:none", html)  # the menu is not printed
