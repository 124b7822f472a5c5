"""Small helpers shared by the posyandu-day services."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from simpul.core.clock import latest_today
from simpul.core.errors import DomainError


def today_for(now: dt.datetime) -> dt.date:
    # A day that has begun anywhere in Indonesia is not "in the future" (``core.clock``).
    return latest_today(now)


def invalid(field: str, message: str) -> DomainError:
    return DomainError(_("Please correct the marked fields."), field_errors={field: [message]})




def clean_text(value: str | None, limit: int) -> str:
    return " ".join((value or "").split())[:limit]
