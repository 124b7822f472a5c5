"""Posyandu days for the demo: last month's day held and closed (so the bidan has a referral list and
the kader an absent list), today's day scheduled for the kader to open, and next month's on the calendar.

Recorded through the real services as each demo kader. Last month's attendance is everyone who was
weighed at the posyandu on that day by the growth history (health_history weighs on the posyandu day).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from simpul.accounts.scope import scope_for
from simpul.demo.health_history import DEMO_KADER
from simpul.health.models import Measurement
from simpul.posyandu.models import Posyandu
from simpul.serviceday.models import ServiceDay
from simpul.serviceday.services import attendance_record, day_close, day_open, day_schedule
from simpul.serviceday.services.common import today_for


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(2), tzinfo=dt.UTC)  # 09:00 WIB


def _held_last_month(kader, scope, posyandu, today: dt.date) -> int:
    """The latest weighing day of the posyandu before this month becomes a held, closed day."""
    month_start = today.replace(day=1)
    last = (Measurement.objects.filter(posyandu=posyandu, measured_on__lt=month_start)
            .order_by("-measured_on").values_list("measured_on", flat=True).first())
    if last is None or ServiceDay.objects.filter(posyandu=posyandu, held_on=last).exists():
        return 0
    day = day_schedule(actor=kader, scope=scope, posyandu=posyandu, held_on=last, now=_at(last - dt.timedelta(days=7)))
    day_open(actor=kader, scope=scope, day=day, now=_at(last))
    weighed = Measurement.objects.filter(posyandu=posyandu, measured_on=last, superseded_by__isnull=True)
    for m in weighed.select_related("person"):
        attendance_record(actor=kader, scope=scope, day=day, person=m.person, now=_at(last))
    day_close(actor=kader, scope=scope, day=day, now=_at(last) + dt.timedelta(hours=4))
    return 1


def seed_demo(*, today: dt.date | None = None) -> int:
    """Create the demo days once; returns how many days were created."""
    now = timezone.now()
    today = today or today_for(now)
    created = 0
    for username in DEMO_KADER:
        kader = get_user_model().objects.filter(username=username).first()
        if kader is None:
            continue
        scope = scope_for(kader)
        for posyandu in Posyandu.objects.filter(pk__in=scope.posyandu_ids("record_health")):
            created += _held_last_month(kader, scope, posyandu, today)
            for held_on in (today, today + dt.timedelta(days=28)):
                if not ServiceDay.objects.filter(posyandu=posyandu, held_on=held_on).exists():
                    day_schedule(actor=kader, scope=scope, posyandu=posyandu, held_on=held_on,
                                 place=posyandu.address, now=now)
                    created += 1
    return created
