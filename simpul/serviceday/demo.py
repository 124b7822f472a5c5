"""Posyandu days for the demo: last month's day held and closed (so the bidan has a referral list and
the kader an absent list), today's day scheduled for the kader to open, and next month's on the calendar.

Recorded through the real services as each demo kader. Last month's attendance is everyone who was
weighed at the posyandu on that day by the growth history (health_history weighs on the posyandu day).

For the whole city, :func:`vitamin_a_days` adds the February and August days (bulan vitamin A) in bulk.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from simpul.accounts.scope import scope_for
from simpul.core.clock import latest_today
from simpul.demo.health_history import DEMO_KADER
from simpul.health.models import Measurement
from simpul.posyandu.models import Posyandu
from simpul.serviceday.models import Attendance, Group, Service, ServiceDay, ServiceGiven, VitaminACapsule
from simpul.serviceday.services import attendance_record, day_close, day_open, day_schedule
from simpul.spm.data import age_in_months


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
    today = today or latest_today(now)
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


def vitamin_a_days(city, capsules: dict[int, list]) -> int:
    """The February and August posyandu days of every posyandu of the city, held and closed, with the
    children who came for their vitamin A capsule (``capsules``: month -> children, from
    ``simpul.demo.health_history.year_of_children``). Written in bulk; returns the capsules given.

    Blue capsule (100,000 IU) from 6 to 11 months, red (200,000 IU) from 12 months, as the service decides.
    """
    days: dict[tuple[int, int], ServiceDay] = {}
    new_days = []
    wanted = {(child.posyandu_id, month) for month, children in capsules.items() for child in children}
    existing = {(d.posyandu_id, d.held_on): d for d in ServiceDay.objects.filter(
        posyandu_id__in={p for p, _m in wanted}, held_on__in={city.weighing_day(m) for _p, m in wanted})}
    desa = dict(Posyandu.objects.filter(pk__in={p for p, _m in wanted}).values_list("pk", "desa_id"))
    for posyandu_id, month in sorted(wanted):
        held_on = city.weighing_day(month)
        day = existing.get((posyandu_id, held_on))
        if day is None:
            at = _at(held_on)
            day = ServiceDay(posyandu_id=posyandu_id, desa_id=desa[posyandu_id], held_on=held_on,
                             status=ServiceDay.Status.CLOSED, note="Bulan vitamin A", scheduled_by=city.recorder,
                             scheduled_at=at - dt.timedelta(days=7), opened_by=city.recorder, opened_at=at,
                             closed_by=city.recorder, closed_at=at + dt.timedelta(hours=4))
            new_days.append(day)
        days[(posyandu_id, month)] = day
    ServiceDay.objects.bulk_create(new_days)
    if new_days and new_days[0].pk is None:  # backends that return no ids from a bulk insert
        fetched = {(d.posyandu_id, d.held_on): d for d in ServiceDay.objects.filter(
            posyandu_id__in={p for p, _m in wanted}, held_on__in={city.weighing_day(m) for _p, m in wanted})}
        days = {key: fetched[(key[0], city.weighing_day(key[1]))] for key in days}
    attended = set(Attendance.objects.filter(day__in=[d.pk for d in days.values()]).values_list("day_id", "person_id"))
    attendance, given = [], []
    for month, children in capsules.items():
        for child in children:
            day = days[(child.posyandu_id, month)]
            if (day.pk, child.pk) in attended:
                continue
            at = _at(day.held_on)
            attendance.append(Attendance(day=day, person_id=child.pk, group=Group.CHILD, arrived_at=at,
                                         recorded_by=city.recorder))
            blue = age_in_months(child.birth_date, day.held_on) < 12
            given.append(ServiceGiven(day=day, person_id=child.pk, kind=Service.VITAMIN_A, recorded_by=city.recorder,
                                      detail=VitaminACapsule.BLUE if blue else VitaminACapsule.RED, created_at=at))
    Attendance.objects.bulk_create(attendance, batch_size=1000)
    ServiceGiven.objects.bulk_create(given, batch_size=1000)
    return len(given)
