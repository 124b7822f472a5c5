"""Ticket codes: field, desa and month, a running number, and a check suffix.

``PRK-3576031002-202611-0007-K4QM``: the field abbreviation, the desa's
10-digit code, the month of recording, the running number of that field in
that desa and month, and four random characters. The suffix makes the public
status page impossible to walk by counting up.
"""

from __future__ import annotations

import datetime as dt
import secrets

from simpul.referrals.models import TicketCounter

FIELD_ABBREVIATIONS = {
    "kesehatan": "KES",
    "pendidikan": "DIK",
    "pekerjaan_umum": "PU",
    "perumahan": "PRK",
    "sosial": "SOS",
    "trantibumlinmas": "TRB",
    "aspirasi": "ASP",
}
SUFFIX_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud over the phone


def ticket_issue(*, field: str, desa_code: str, on: dt.date) -> str:
    """Next ticket of this field × desa × month. Call inside the recording transaction (the row is locked)."""
    month = on.strftime("%Y%m")
    TicketCounter.objects.get_or_create(field=field, desa_id=desa_code, month=month)
    counter = TicketCounter.objects.select_for_update().get(field=field, desa_id=desa_code, month=month)
    counter.last += 1
    counter.save(update_fields=["last"])
    suffix = "".join(secrets.choice(SUFFIX_ALPHABET) for _ in range(4))
    return f"{FIELD_ABBREVIATIONS[field]}-{desa_code}-{month}-{counter.last:04d}-{suffix}"


def normalise_ticket(text: str) -> str:
    return "".join((text or "").split()).upper()
