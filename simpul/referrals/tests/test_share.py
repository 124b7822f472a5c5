"""share.py: the status address, the public wording and the wa.me link — never a description or a name."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation

from simpul.referrals.share import (
    PUBLIC_STATES,
    public_category_label,
    public_state_label,
    public_status_url,
    referral_wa_link,
    share_text,
    wa_link,
)
from simpul.referrals.states import State

TICKET = "PRK-3576031002-202611-0007-K4QM"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def base(settings):
    settings.SIMPUL_BASE_URL = "https://simpul.mojokertokota.go.id"


def text_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["text"][0]


def test_the_status_url_is_the_base_and_the_public_route(base):
    assert public_status_url(TICKET) == f"https://simpul.mojokertokota.go.id/status/{TICKET}/"


def test_every_state_has_public_wording():
    assert set(PUBLIC_STATES) == set(State.values)
    assert public_state_label(State.IN_PROGRESS) == "Being handled by the agency"
    assert public_state_label(State.REJECTED) == "Closed without follow-up"
    assert public_state_label("nonsense") == ""


def test_a_confidential_category_is_not_named():
    assert public_category_label(label="Domestic violence", confidential=True) == "Confidential report"
    assert public_category_label(label="Uninhabitable house (RTLH)", confidential=False) == "Uninhabitable house (RTLH)"


def test_the_share_text_has_the_ticket_the_state_and_the_address(base):
    url = public_status_url(TICKET)
    assert share_text(ticket=TICKET, state=State.FORWARDED, status_url=url) == (
        f"Referral {TICKET}: Sent to the responsible agency. Check its status at "
        f"https://simpul.mojokertokota.go.id/status/{TICKET}/")


@pytest.mark.parametrize("phone", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890"])
def test_a_link_to_the_citizens_number(phone):
    link = wa_link(text="Rujukan PRK-1 & cek: https://x.go.id/status/PRK-1/?a=b", phone=phone)
    assert link.startswith("https://wa.me/6281234567890?text=")
    assert text_of(link) == "Rujukan PRK-1 & cek: https://x.go.id/status/PRK-1/?a=b"  # fully escaped, round-trips


@pytest.mark.parametrize("phone", ["", "0321 123456", "tidak punya HP"])
def test_without_a_usable_number_the_sender_picks_the_chat(phone):
    link = wa_link(text="Rujukan PRK-1", phone=phone)
    assert link == "https://wa.me/?text=Rujukan%20PRK-1"


def test_a_referrals_link_carries_no_description_or_name(base):
    referral = SimpleNamespace(ticket=TICKET, state=State.ACCEPTED, citizen_phone="0857 1234 5678",
                               citizen_name="Ibu Sumarni", description="Atap bocor, dinding retak.")
    link = referral_wa_link(referral)
    assert link.startswith("https://wa.me/6285712345678?text=")
    text = text_of(link)
    assert text == (f"Referral {TICKET}: Accepted by the responsible agency. Check its status at "
                    f"https://simpul.mojokertokota.go.id/status/{TICKET}/")
    assert "Sumarni" not in link and "Atap" not in link
    # A viewer who may not see the citizen's contact gets the same text without the number.
    hidden = referral_wa_link(referral, with_phone=False)
    assert hidden.startswith("https://wa.me/?text=") and "6285712345678" not in hidden
    assert text_of(hidden) == text
