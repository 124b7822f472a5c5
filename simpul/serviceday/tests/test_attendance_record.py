import datetime as dt

import pytest

from conftest import person_input
from simpul.accounts.scope import scope_for
from simpul.core.errors import DomainError, NotInScope
from simpul.registry.models import Household, Person
from simpul.registry.services.households import HouseholdInput
from simpul.serviceday.models import Attendance
from simpul.serviceday.services import attendance_record, day_close, walk_in_register
from simpul.serviceday.tests.kit import DAY, at, family_with_children, open_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(kader_miji, posyandu_miji):
    return family_with_children(kader_miji, posyandu_miji)


def test_present_people_get_their_life_stage_group(kader_miji, posyandu_miji, family):
    day = open_day(kader_miji, posyandu_miji)
    scope = scope_for(kader_miji)
    groups = {name: attendance_record(actor=kader_miji, scope=scope, day=day, person=person, now=at(DAY)).group
              for name, person in family.items()}
    assert groups == {"agus": "dewasa", "rina": "dewasa", "aisyah": "bayi_balita", "bima": "bayi_balita",
                      "citra": "apras", "dimas": "bayi_balita"}


def test_marking_twice_keeps_one_row(kader_miji, posyandu_miji, family):
    day = open_day(kader_miji, posyandu_miji)
    scope = scope_for(kader_miji)
    first = attendance_record(actor=kader_miji, scope=scope, day=day, person=family["aisyah"],
                              client_uuid="5d1f7a52-2222-4b4b-9c9c-000000000001")
    second = attendance_record(actor=kader_miji, scope=scope, day=day, person=family["aisyah"])
    replay = attendance_record(actor=kader_miji, scope=scope, day=day, person=family["aisyah"],
                               client_uuid="5d1f7a52-2222-4b4b-9c9c-000000000001")
    assert first.pk == second.pk == replay.pk
    assert Attendance.objects.count() == 1


def test_nobody_is_marked_on_a_day_that_is_not_open(kader_miji, posyandu_miji, family):
    day = open_day(kader_miji, posyandu_miji)
    day_close(actor=kader_miji, scope=scope_for(kader_miji), day=day, now=at(DAY, 6))
    with pytest.raises(DomainError):
        attendance_record(actor=kader_miji, scope=scope_for(kader_miji), day=day, person=family["aisyah"])
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("persona", ["kader_meri", "kader_jepara", "lurah_miji", "opd_dinsos"])
def test_others_cannot_mark_attendance(request, persona, kader_miji, posyandu_miji, family):
    day = open_day(kader_miji, posyandu_miji)
    user = request.getfixturevalue(persona)
    with pytest.raises(NotInScope):
        attendance_record(actor=user, scope=scope_for(user), day=day, person=family["aisyah"])
    assert not Attendance.objects.exists()


def test_a_kader_of_another_field_cannot_run_the_day(posyandu_miji, kader_miji, family):
    from conftest import make_user

    teacher = make_user("kader.guru", "kader", posyandu=posyandu_miji, fields=["pendidikan"])
    day = open_day(kader_miji, posyandu_miji)
    with pytest.raises(NotInScope):
        attendance_record(actor=teacher, scope=scope_for(teacher), day=day, person=family["aisyah"])


def test_a_walk_in_joins_an_existing_family_and_is_present(kader_miji, posyandu_miji, family):
    day = open_day(kader_miji, posyandu_miji)
    household = family["agus"].household
    baby = person_input("Eka Putra", "M", dt.date(2026, 9, 1), "anak", mother_name="Rina Wati")
    attendance = walk_in_register(actor=kader_miji, scope=scope_for(kader_miji), day=day, person=baby,
                                  household=household, now=at(DAY))
    assert attendance.walk_in and attendance.group == "bayi_balita"
    assert attendance.person.household_id == household.pk


def test_a_walk_in_with_a_new_family_becomes_its_head(kader_miji, posyandu_miji):
    day = open_day(kader_miji, posyandu_miji)
    elder = person_input("Mbah Sumi", "F", dt.date(1950, 3, 3), "anak")
    attendance = walk_in_register(actor=kader_miji, scope=scope_for(kader_miji), day=day, person=elder,
                                  new_household=HouseholdInput(posyandu_id=None, address="Jl. Kenanga 3", rt="001",
                                                               rw="002"), now=at(DAY))
    assert attendance.group == "lansia"
    assert attendance.person.relationship == "kepala"
    assert attendance.person.household.posyandu_id == posyandu_miji.pk


def test_a_bad_walk_in_writes_nothing(kader_miji, posyandu_miji):
    day = open_day(kader_miji, posyandu_miji)
    people, households = Person.objects.count(), Household.objects.count()
    bad = person_input("", "X", dt.date(2030, 1, 1), "anak")
    with pytest.raises(DomainError) as exc:
        walk_in_register(actor=kader_miji, scope=scope_for(kader_miji), day=day, person=bad,
                         new_household=HouseholdInput(posyandu_id=None, address="Jl. Baru"), now=at(DAY))
    assert {"full_name", "sex", "birth_date"} <= set(exc.value.field_errors)
    assert (Person.objects.count(), Household.objects.count(), Attendance.objects.count()) == (people, households, 0)
