"""The posyandu-day section of the monthly report: ILP attendance by life stage and the services given.

Each person counts once per month and row (a child who came to two days of the month is one visitor),
split by sex; the "days held" row counts closed days.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from simpul.health.weightgain import next_month
from simpul.reports.sections import Row, Section
from simpul.serviceday.models import Attendance, Group, Service, ServiceDay, ServiceGiven, VitaminACapsule

BLUE, RED = VitaminACapsule.BLUE.value, VitaminACapsule.RED.value


def _by_sex(pairs) -> tuple[int, int, int]:
    """(male, female, total) of distinct (person, sex) pairs."""
    people = dict(pairs)
    male = sum(1 for sex in people.values() if sex == "M")
    return male, len(people) - male, len(people)


def build(posyandu, month: dt.date) -> Section:
    days = ServiceDay.objects.filter(posyandu=posyandu, held_on__gte=month, held_on__lt=next_month(month))
    attendances = Attendance.objects.filter(day__in=days)
    services = ServiceGiven.objects.filter(day__in=days)
    rows = [Row(key="days_held", label=_("Posyandu days held"),
                values=(0, 0, days.filter(status=ServiceDay.Status.CLOSED).count()))]
    for group in Group:
        pairs = attendances.filter(group=group).values_list("person_id", "person__sex")
        rows.append(Row(key=f"visitors_{group.value}", label=str(group.label), values=_by_sex(pairs)))
    rows.append(Row(key="walk_ins", label=_("Of them registered on the spot"),
                    values=_by_sex(attendances.filter(walk_in=True).values_list("person_id", "person__sex"))))
    given = [
        ("vitamin_a_blue", _("Vitamin A, blue capsule (6-11 months)"), services.filter(kind=Service.VITAMIN_A,
                                                                                          detail=BLUE)),
        ("vitamin_a_red", _("Vitamin A, red capsule (12-59 months)"), services.filter(kind=Service.VITAMIN_A,
                                                                                         detail=RED)),
        ("iron_tablets", _("Received iron tablets (TTD)"), services.filter(kind=Service.IRON)),
        ("pmt", _("Received supplementary food (PMT)"), services.filter(kind=Service.PMT)),
        ("deworming", _("Received deworming"), services.filter(kind=Service.DEWORMING)),
        ("kb", _("Family planning (KB) service"), services.filter(kind=Service.KB)),
        ("counselling", _("Individual counselling"), services.filter(kind=Service.COUNSELLING)),
    ]
    for key, label, qs in given:
        rows.append(Row(key=key, label=str(label), values=_by_sex(qs.values_list("person_id", "person__sex"))))
    return Section(key="serviceday", title=_("Posyandu days: visitors and services"),
                   columns=(_("Male"), _("Female"), _("Total")), rows=tuple(rows))
