"""Services of step 4. Reference: Kemenkes' vitamin A programme (bulan vitamin A in February and August;
blue capsule 100,000 IU for 6-11 months, red 200,000 IU for 12-59 months)."""

import datetime as dt

import pytest

from conftest import person_input, register_family
from simpul.accounts.scope import scope_for
from simpul.core.errors import DomainError
from simpul.serviceday.models import ServiceGiven
from simpul.serviceday.services import ServiceInput, attendance_record, service_record
from simpul.serviceday.tests.kit import at, open_day

pytestmark = pytest.mark.django_db
AUGUST = dt.date(2026, 8, 14)
SEPTEMBER = dt.date(2026, 9, 11)


@pytest.fixture
def people(kader_miji, posyandu_miji):
    household = register_family(kader_miji, posyandu_miji, head="Joko", members=[
        person_input("Joko", "M", dt.date(1980, 1, 1), "kepala"),
        person_input("Sri", "F", dt.date(1990, 1, 1), "istri"),
        person_input("Bayi Lima", "M", dt.date(2026, 3, 15), "anak"),  # 4 months 30 days on 14 Aug: not yet 5 months
        person_input("Bayi Enam", "F", dt.date(2026, 2, 14), "anak"),  # exactly 6 months on 14 Aug
        person_input("Anak Sebelas", "M", dt.date(2025, 8, 15), "anak"),  # 11 months on 14 Aug (12 the next day)
        person_input("Anak Setahun", "F", dt.date(2025, 8, 14), "anak"),  # exactly 12 months on 14 Aug
        person_input("Anak Lima", "M", dt.date(2021, 8, 15), "anak"),  # 59 months on 14 Aug
        person_input("Anak Limatahun", "F", dt.date(2021, 8, 14), "anak"),  # exactly 60 months on 14 Aug
        person_input("Nenek", "F", dt.date(1950, 1, 1), "orang_tua"),
    ])
    return {p.full_name: p for p in household.members.all()}


def _give(user, day, person, kind, **extra):
    scope = scope_for(user)
    attendance = attendance_record(actor=user, scope=scope, day=day, person=person, now=at(day.held_on))
    return service_record(actor=user, scope=scope, day=day, attendance=attendance,
                          data=ServiceInput(kind=kind, **extra), now=at(day.held_on, 3))


@pytest.mark.parametrize("name, capsule", [
    ("Bayi Enam", "blue_100000"), ("Anak Sebelas", "blue_100000"), ("Anak Setahun", "red_200000"),
    ("Anak Lima", "red_200000"),
])
def test_vitamin_a_capsule_follows_age_in_august(kader_miji, posyandu_miji, people, name, capsule):
    day = open_day(kader_miji, posyandu_miji, AUGUST)
    assert _give(kader_miji, day, people[name], "vitamin_a").detail == capsule


@pytest.mark.parametrize("name", ["Bayi Lima", "Anak Limatahun", "Joko"])
def test_vitamin_a_outside_6_to_59_months_is_refused(kader_miji, posyandu_miji, people, name):
    day = open_day(kader_miji, posyandu_miji, AUGUST)
    with pytest.raises(DomainError) as exc:
        _give(kader_miji, day, people[name], "vitamin_a")
    assert "kind" in exc.value.field_errors
    assert not ServiceGiven.objects.exists()


def test_vitamin_a_is_refused_outside_february_and_august(kader_miji, posyandu_miji, people):
    day = open_day(kader_miji, posyandu_miji, SEPTEMBER)
    with pytest.raises(DomainError):
        _give(kader_miji, day, people["Anak Setahun"], "vitamin_a")
    assert not ServiceGiven.objects.exists()


def test_the_same_service_twice_on_a_day_is_refused_and_a_replay_is_not(kader_miji, posyandu_miji, people):
    day = open_day(kader_miji, posyandu_miji, AUGUST)
    key = "0b3a0f3e-3333-4c4c-8d8d-000000000001"
    first = _give(kader_miji, day, people["Anak Setahun"], "vitamin_a", client_uuid=key)
    assert _give(kader_miji, day, people["Anak Setahun"], "vitamin_a", client_uuid=key).pk == first.pk
    with pytest.raises(DomainError) as exc:
        _give(kader_miji, day, people["Anak Setahun"], "vitamin_a")
    assert "kind" in exc.value.field_errors
    assert ServiceGiven.objects.count() == 1


def test_iron_tablets_need_a_count_and_a_woman_of_10_to_49(kader_miji, posyandu_miji, people):
    day = open_day(kader_miji, posyandu_miji, SEPTEMBER)
    assert _give(kader_miji, day, people["Sri"], "iron_tablets", quantity=30).quantity == 30
    for name, quantity, field in [("Joko", 30, "kind"), ("Nenek", 30, "kind")]:
        with pytest.raises(DomainError) as exc:
            _give(kader_miji, day, people[name], "iron_tablets", quantity=quantity)
        assert field in exc.value.field_errors
    assert ServiceGiven.objects.count() == 1


@pytest.mark.parametrize("quantity", [None, 0, 91])
def test_iron_tablet_count_out_of_range_is_refused(kader_miji, posyandu_miji, people, quantity):
    day = open_day(kader_miji, posyandu_miji, SEPTEMBER)
    with pytest.raises(DomainError) as exc:
        _give(kader_miji, day, people["Sri"], "iron_tablets", quantity=quantity)
    assert "quantity" in exc.value.field_errors


def test_family_planning_needs_a_method_and_an_age_of_15_to_49(kader_miji, posyandu_miji, people):
    day = open_day(kader_miji, posyandu_miji, SEPTEMBER)
    with pytest.raises(DomainError) as exc:
        _give(kader_miji, day, people["Sri"], "kb")
    assert "detail" in exc.value.field_errors
    assert _give(kader_miji, day, people["Sri"], "kb", detail="injection").detail == "injection"
    with pytest.raises(DomainError):
        _give(kader_miji, day, people["Nenek"], "kb", detail="pill")


def test_deworming_and_pmt_follow_the_child_ages(kader_miji, posyandu_miji, people):
    day = open_day(kader_miji, posyandu_miji, SEPTEMBER)
    assert _give(kader_miji, day, people["Anak Lima"], "deworming").kind == "deworming"
    assert _give(kader_miji, day, people["Bayi Enam"], "pmt").kind == "pmt"
    with pytest.raises(DomainError):
        _give(kader_miji, day, people["Bayi Enam"], "deworming")  # 7 months
    with pytest.raises(DomainError):
        _give(kader_miji, day, people["Joko"], "pmt")


def test_counselling_needs_a_note(kader_miji, posyandu_miji, people):
    day = open_day(kader_miji, posyandu_miji, SEPTEMBER)
    with pytest.raises(DomainError) as exc:
        _give(kader_miji, day, people["Joko"], "counselling")
    assert "note" in exc.value.field_errors
    assert _give(kader_miji, day, people["Joko"], "counselling", note="Berhenti merokok").note == "Berhenti merokok"
