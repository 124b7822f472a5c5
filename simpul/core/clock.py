"""Which calendar day it is, for checking the dates people enter.

Indonesia spans three zones — WIB (UTC+7), WITA (+8) and WIT (+9) — and the server does not know which one
the kader, the bidan or the lurah is in (the settings' zone is Jakarta's). A date entered is "in the future"
only once it has begun nowhere in Indonesia: checked against today in the easternmost zone, so a kader in
Jayapura at 00:30 may record a birth, a dose or a move "today" while Jakarta is still on yesterday. A date
is "in the past" (too late to schedule) only once it has ended everywhere: checked against today in the
westernmost zone. Dates the system assigns itself (a residence starting on registration, a counter's
month) stay on the settings' zone (``timezone.localdate``).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

EASTERNMOST = ZoneInfo("Asia/Jayapura")  # WIT: where a day begins first
WESTERNMOST = ZoneInfo("Asia/Jakarta")  # WIB: where a day ends last


def latest_today(now: dt.datetime | None = None) -> dt.date:
    """Today where it is latest (WIT): a date after this is in the future everywhere in Indonesia."""
    return (now or timezone.now()).astimezone(EASTERNMOST).date()


def earliest_today(now: dt.datetime | None = None) -> dt.date:
    """Today where it is earliest (WIB): a date before this is in the past everywhere in Indonesia."""
    return (now or timezone.now()).astimezone(WESTERNMOST).date()
