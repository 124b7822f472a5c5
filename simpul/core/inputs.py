"""Parsing of loosely typed input (forms, JSON, offline batches) shared by every service.

Each raises a domain error or ``InvalidOperation`` the caller turns into a field message — never a
ValidationError or a 500.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from simpul.core.errors import DomainError

# The dates anything entered may carry. Python's run from year 1 to 9999, and the services compute with them
# (five years back for a child's doses, a month on for a report): outside these years no posyandu record
# lies, and inside them no such step leaves Python's range (decision 0031).
FIRST_DAY = dt.date(1800, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)


def parse_client_uuid(value, field: str = "client_uuid") -> uuid.UUID | None:
    """A client-made record id as a UUID; anything else is a field error."""
    if value is None or value == "":
        return None
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        message = _("This record id is not a valid UUID.")
        raise DomainError(message, field_errors={field: [message]}) from exc


def parse_decimal(value) -> Decimal | None:
    """A finite number as a Decimal, None when empty; ``InvalidOperation`` for anything else (True, NaN, "abc")."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidOperation
    number = Decimal(str(value).strip())
    if not number.is_finite():
        raise InvalidOperation
    return number
