"""The posyandu-day section of the monthly report, against counts worked out by hand."""

import datetime as dt

import pytest

from conftest import person_input, register_family
from simpul.accounts.scope import scope_for
from simpul.reports.sections import registered
from simpul.serviceday import report
from simpul.serviceday.services import ServiceInput, attendance_record, day_close, service_record
from simpul.serviceday.tests.kit import at, open_day

pytestmark = pytest.mark.django_db
FIRST, SECOND = dt.date(2026, 8, 7), dt.date(2026, 8, 21)


def test_visitors_and_services_count_each_person_once_a_month(kader_miji, posyandu_miji):
    household = register_family(kader_miji, posyandu_miji, head="Joko", members=[
        person_input("Joko", "M", dt.date(1980, 1, 1), "kepala"),
        person_input("Sri", "F", dt.date(1990, 1, 1), "istri"),
        person_input("Bagus", "M", dt.date(2026, 1, 10), "anak"),  # 6 months on 7 Aug: blue capsule
        person_input("Ayu", "F", dt.date(2024, 3, 3), "anak"),  # 29 months: red capsule
    ])
    people = {p.full_name: p for p in household.members.all()}
    scope = scope_for(kader_miji)
    first = open_day(kader_miji, posyandu_miji, FIRST)
    for name in ("Bagus", "Ayu", "Sri"):
        attendance = attendance_record(actor=kader_miji, scope=scope, day=first, person=people[name], now=at(FIRST))
        if name != "Sri":
            service_record(actor=kader_miji, scope=scope, day=first, attendance=attendance,
                           data=ServiceInput(kind="vitamin_a"), now=at(FIRST))
    day_close(actor=kader_miji, scope=scope, day=first, now=at(FIRST, 6))
    second = open_day(kader_miji, posyandu_miji, SECOND)
    for name in ("Ayu", "Joko"):  # Ayu again: still one visitor in August
        attendance_record(actor=kader_miji, scope=scope, day=second, person=people[name], now=at(SECOND))
    # The second day is left open: only closed days count as held.

    section = report.build(posyandu_miji, dt.date(2026, 8, 1))
    rows = {row.key: row.values for row in section.rows}
    assert rows["days_held"] == (0, 0, 1)
    assert rows["visitors_bayi_balita"] == (1, 1, 2)  # Bagus (M), Ayu (F)
    assert rows["visitors_dewasa"] == (1, 1, 2)  # Joko, Sri
    assert rows["visitors_lansia"] == (0, 0, 0)
    assert rows["vitamin_a_blue"] == (1, 0, 1)
    assert rows["vitamin_a_red"] == (0, 1, 1)
    assert all(male + female == total for key, (male, female, total) in rows.items() if key != "days_held")
    assert report.build(posyandu_miji, dt.date(2026, 9, 1)).rows[1].values == (0, 0, 0)


def test_the_section_is_registered_for_every_monthly_report():
    assert "serviceday" in [item.key for item in registered()]
