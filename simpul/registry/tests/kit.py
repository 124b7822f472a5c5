"""Helpers shared by the registry service tests (not collected: the name does not start with test_)."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

from simpul.accounts.models import Membership
from simpul.accounts.roles import Role
from simpul.audit.models import AuditEntry
from simpul.registry.models import Consent, DuplicateCandidate, Household, Person, Residence

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")

# Hand-built from the Dukcapil rule (kecamatan 35.76.03, DDMMYY with +40 for women, serial).
NIK_BUDI = "3576030203850002"  # man, 02-03-1985
NIK_SITI = "3576034907880003"  # woman, 09-07-1988: day 9 + 40 = 49
NIK_AISYAH = "3576035501240004"  # girl, 15-01-2024: day 15 + 40 = 55
NIK_SITI_AMINAH_1990 = "3576035705900001"  # woman, 17-05-1990


def at(year: int, month: int, day: int) -> dt.datetime:
    """An aware datetime at noon in Jakarta: the ``now`` of a past registration."""
    return dt.datetime(year, month, day, 12, 0, tzinfo=JAKARTA)


def counts() -> dict[str, int]:
    """Row counts of everything a registry service may write."""
    return {
        "households": Household.objects.count(),
        "persons": Person.objects.count(),
        "residences": Residence.objects.count(),
        "audit": AuditEntry.objects.count(),
        "consents": Consent.objects.count(),
        "duplicates": DuplicateCandidate.objects.count(),
    }


def add_kader_membership(user, posyandu) -> None:
    """Give a user a second kader membership (a kader who serves two posyandu)."""
    Membership.objects.create(user=user, role=Role.KADER, posyandu=posyandu, fields=["kesehatan"])


def audit_dump() -> str:
    """Everything in the audit trail as one string, to search for leaked secrets."""
    rows = AuditEntry.objects.values("action", "object_type", "object_id", "region_code", "changes")
    return json.dumps(list(rows), default=str)
