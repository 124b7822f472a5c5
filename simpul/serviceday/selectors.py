"""Reads of the posyandu day. Every function takes the caller's scope first and fails closed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope, require_scope
from simpul.core.errors import NotInScope
from simpul.health.models import Measurement
from simpul.health.selectors import health_scope
from simpul.posyandu.models import Posyandu
from simpul.registry.models import Household, Person
from simpul.serviceday import access
from simpul.serviceday.groups import group_on
from simpul.serviceday.models import Attendance, DayAbsence, DayReferral, Group, ServiceDay, ServiceGiven

GROUP_ORDER = {code: index for index, code in enumerate(Group.values)}


def posyandu_get(scope: Scope | None, pk) -> Posyandu:
    posyandu = Posyandu.objects.select_related("desa").filter(pk=pk).first()
    if posyandu is None or not access.may_view_schedule(scope, posyandu):
        raise NotInScope()
    return posyandu


def days_for_posyandu(scope: Scope | None, posyandu: Posyandu) -> QuerySet[ServiceDay]:
    access.require(access.may_view_schedule(scope, posyandu))
    return ServiceDay.objects.filter(posyandu=posyandu).order_by("-held_on")


def days_visible(scope: Scope | None) -> QuerySet[ServiceDay]:
    return require_scope(scope).filter(ServiceDay.objects.all(), Perm.VIEW_POSYANDU).select_related("posyandu")


def day_get(scope: Scope | None, pk, *, people: bool = False) -> ServiceDay:
    """A day the user may see; with ``people``, only if they may also see who came (health detail)."""
    day = ServiceDay.objects.select_related("posyandu", "desa").filter(pk=pk).first()
    if day is None or not access.may_view_schedule(scope, day.posyandu):
        raise NotInScope()
    if people and not access.may_view_people(scope, day.posyandu):
        raise NotInScope()
    return day


def _ids(items) -> set[int]:
    """Person ids from records that point at a person (a pregnancy, or a row wrapping one)."""
    return {item.person_id if hasattr(item, "person_id") else item.person.pk for item in items}


def maternal_ids(scope: Scope | None, *, posyandu_id: int, on: dt.date) -> tuple[set[int], set[int]]:
    """(pregnant, nifas) person ids of a posyandu on a date, from the maternal records."""
    from simpul.maternal.selectors import nifas_women, pregnant_women

    return (_ids(pregnant_women(scope, posyandu_id=posyandu_id, on=on)),
            _ids(nifas_women(scope, posyandu_id=posyandu_id, on=on)))


@dataclass(frozen=True)
class Expected:
    person: Person
    group: str
    attended: bool


def walk_in_households(scope: Scope | None, day: ServiceDay) -> QuerySet[Household]:
    """The posyandu's active households, for choosing a walk-in's family (the health team only)."""
    access.require(access.may_run(scope, day.posyandu))
    return Household.objects.filter(posyandu=day.posyandu, status=Household.Status.ACTIVE).order_by("rt", "head_name")


def sasaran(scope: Scope | None, day: ServiceDay) -> list[Expected]:
    """Everyone of the posyandu on the day with their group, and whether they came; by group, RT, name."""
    access.require(access.may_view_people(scope, day.posyandu))
    people = (Person.objects.filter(posyandu_id=day.posyandu_id, life_status=Person.LifeStatus.ALIVE,
                                    duplicate_of__isnull=True, birth_date__lte=day.held_on)
              .select_related("household"))
    pregnant, nifas = maternal_ids(scope, posyandu_id=day.posyandu_id, on=day.held_on)
    present = set(Attendance.objects.filter(day=day).values_list("person_id", flat=True))
    rows = []
    for person in people:
        group = group_on(person, day.held_on, pregnant_ids=pregnant, nifas_ids=nifas)
        if group:
            rows.append(Expected(person=person, group=group, attended=person.pk in present))

    def order(row: Expected):
        household = row.person.household
        return (GROUP_ORDER[row.group], household.rt if household else "", row.person.full_name, row.person.pk)

    return sorted(rows, key=order)


@dataclass(frozen=True)
class Visitor:
    attendance: Attendance
    measurement: Measurement | None  # the day's latest current measurement
    services: list[ServiceGiven]


def visitors(scope: Scope | None, day: ServiceDay) -> list[Visitor]:
    """Who came, in arrival order, with the day's measurement and services (steps 2–4)."""
    access.require(access.may_view_people(scope, day.posyandu))
    attendances = list(Attendance.objects.filter(day=day).select_related("person", "person__household"))
    ids = [a.person_id for a in attendances]
    measured = {}
    for m in Measurement.objects.filter(person_id__in=ids, measured_on=day.held_on, superseded_by__isnull=True,
                                        posyandu_id=day.posyandu_id).order_by("created_at", "id"):
        measured[m.person_id] = m
    services: dict[int, list[ServiceGiven]] = {}
    for given in ServiceGiven.objects.filter(day=day).order_by("kind"):
        services.setdefault(given.person_id, []).append(given)
    return [Visitor(attendance=a, measurement=measured.get(a.person_id), services=services.get(a.person_id, []))
            for a in attendances]


def attendance_get(scope: Scope | None, day: ServiceDay, person_id) -> Attendance:
    access.require(access.may_view_people(scope, day.posyandu))
    attendance = Attendance.objects.select_related("person").filter(day=day, person_id=person_id).first()
    if attendance is None:
        raise NotInScope()
    return attendance


def day_referrals(scope: Scope | None, day: ServiceDay) -> QuerySet[DayReferral]:
    access.require(access.may_view_people(scope, day.posyandu))
    return DayReferral.objects.filter(day=day).select_related("person", "person__household").order_by(
        "person__full_name", "id")


def day_absences(scope: Scope | None, day: ServiceDay) -> QuerySet[DayAbsence]:
    access.require(access.may_view_people(scope, day.posyandu))
    return DayAbsence.objects.filter(day=day).select_related("person", "person__household").order_by(
        "group", "person__household__rt", "person__full_name")


def referrals_visible(scope: Scope | None, *, open_only: bool = False) -> QuerySet[DayReferral]:
    """The bidan's list: referrals of closed days at the places where the user sees health detail."""
    condition = health_scope(scope).q(Perm.VIEW_HEALTH, region_field="desa__code", posyandu_field="posyandu_id")
    if condition is None:
        return DayReferral.objects.none()
    qs = DayReferral.objects.filter(condition).select_related("person", "posyandu", "day", "person__household")
    if open_only:
        qs = qs.filter(followed_up_at__isnull=True)
    return qs.order_by("-day__held_on", "posyandu__name", "person__full_name", "id")


def referral_get(scope: Scope | None, pk) -> DayReferral:
    referral = referrals_visible(scope).filter(pk=pk).first()
    if referral is None:
        raise NotInScope()
    return referral


def absence_get(scope: Scope | None, pk) -> DayAbsence:
    absence = DayAbsence.objects.select_related("day__posyandu", "person").filter(pk=pk).first()
    if absence is None or not access.may_view_people(scope, absence.day.posyandu):
        raise NotInScope()
    return absence


def unvalidated_measurements(scope: Scope | None, day: ServiceDay) -> QuerySet[Measurement]:
    """The day's measurements still waiting for a nakes (flagged ones first)."""
    access.require(access.may_view_people(scope, day.posyandu))
    return (Measurement.objects.filter(posyandu_id=day.posyandu_id, measured_on=day.held_on,
                                       superseded_by__isnull=True, validated_at__isnull=True)
            .select_related("person").order_by("person__full_name", "id"))

