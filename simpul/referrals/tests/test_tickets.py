"""Ticket codes: field, desa and month, a running number per field × desa × month, and an unguessable suffix."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import MERI, MIJI
from simpul.referrals.models import TicketCounter
from simpul.referrals.selectors import public_status
from simpul.referrals.services.tickets import normalise_ticket, ticket_issue
from simpul.referrals.tests.kit import record

TICKET_RE = re.compile(r"^(KES|DIK|PU|PRK|SOS|TRB|ASP)-\d{10}-\d{6}-\d{4}-[A-Z2-9]{4}$")
# Issue 4's fields and the abbreviations officials read on a receipt.
FIELDS = {"kesehatan": "KES", "pendidikan": "DIK", "pekerjaan_umum": "PU", "perumahan": "PRK", "sosial": "SOS",
          "trantibumlinmas": "TRB", "aspirasi": "ASP"}
NOV, DEC = dt.date(2026, 11, 2), dt.date(2026, 12, 1)
pytestmark = pytest.mark.django_db


def parts(ticket: str) -> tuple[str, str, str, str, str]:
    assert TICKET_RE.match(ticket), ticket
    field, desa, month, number, suffix = ticket.split("-")
    return field, desa, month, number, suffix


@pytest.mark.parametrize(("field", "abbreviation"), FIELDS.items())
def test_every_field_gets_its_abbreviation(field, abbreviation):
    assert parts(ticket_issue(field=field, desa_code=MIJI, on=NOV))[:4] == (abbreviation, MIJI, "202611", "0001")


def test_the_running_number_counts_per_field_desa_and_month():
    issued = [parts(ticket_issue(field="perumahan", desa_code=MIJI, on=NOV + dt.timedelta(days=i)))[3]
              for i in range(3)]
    assert issued == ["0001", "0002", "0003"]
    assert parts(ticket_issue(field="sosial", desa_code=MIJI, on=NOV))[3] == "0001"
    assert parts(ticket_issue(field="perumahan", desa_code=MERI, on=NOV))[3] == "0001"
    assert parts(ticket_issue(field="perumahan", desa_code=MIJI, on=DEC))[2:4] == ("202612", "0001")
    assert parts(ticket_issue(field="perumahan", desa_code=MIJI, on=dt.date(2027, 11, 2)))[2:4] == ("202711", "0001")
    assert parts(ticket_issue(field="perumahan", desa_code=MIJI, on=dt.date(2026, 11, 30)))[3] == "0004"
    assert TicketCounter.objects.get(field="perumahan", desa_id=MIJI, month="202611").last == 4


def test_the_suffix_avoids_characters_misread_over_the_phone():
    suffixes = "".join(parts(ticket_issue(field="sosial", desa_code=MIJI, on=NOV))[4] for _ in range(60))
    assert not set(suffixes) & set("01ILO")
    assert len(set(suffixes)) > 10  # random, not a constant


def test_tickets_are_unique():
    tickets = {ticket_issue(field="perumahan", desa_code=MIJI, on=NOV) for _ in range(50)}
    assert len(tickets) == 50


def test_a_ticket_typed_by_a_citizen_is_found(kader_miji, family_miji, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    referral = record(kader_miji, household=family_miji, documents=False)
    assert public_status(" - ".join(referral.ticket.lower().split("-"))) == referral  # spaces, lower case
    assert public_status(f"  {referral.ticket.lower()}\n") == referral
    # The suffix is part of the key: the right number with a wrong suffix finds nothing.
    field, desa, month, number, suffix = parts(referral.ticket)
    wrong = "AAAA" if suffix != "AAAA" else "BBBB"
    assert public_status(f"{field}-{desa}-{month}-{number}-{wrong}") is None
    assert public_status("") is None


def test_normalise_ticket():
    assert normalise_ticket(" prk-3576031002-202611-0007-k4qm \t") == "PRK-3576031002-202611-0007-K4QM"
    assert normalise_ticket(None) == ""
