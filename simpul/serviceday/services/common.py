"""Small helpers shared by the posyandu-day services."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from simpul.core.errors import DomainError
from simpul.health.growth.assessment import EASTERNMOST

WESTERNMOST = ZoneInfo("Asia/Jakarta")


def today_for(now: dt.datetime) -> dt.date:
    # The easternmost zone (WIT): a day that has begun anywhere in Indonesia is not "in the future".
    return now.astimezone(EASTERNMOST).date()


def earliest_today(now: dt.datetime) -> dt.date:
    # The westernmost zone (WIB): a day that has not ended everywhere in Indonesia is not "in the past" — at
    # 23:30 in Jakarta (01:30 the next day in Jayapura) a kader may still put today's posyandu day on the calendar.
    return now.astimezone(WESTERNMOST).date()


def invalid(field: str, message: str) -> DomainError:
    return DomainError(_("Please correct the marked fields."), field_errors={field: [message]})




def clean_text(value: str | None, limit: int) -> str:
    return " ".join((value or "").split())[:limit]
