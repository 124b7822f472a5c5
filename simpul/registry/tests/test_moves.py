"""Moves keep residence history, so counts for a past date use where people lived then."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import KRANGGAN, MERI, MIJI, person_input
from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.posyandu.models import Posyandu
from simpul.registry.models import Household, Person
from simpul.registry.selectors import person_residences, residents_on
from simpul.registry.services import HouseholdInput, household_move, household_register, person_move
from simpul.registry.tests.kit import add_kader_membership, at, counts

JAN, MAR, JUN_1, JUL = dt.date(2024, 1, 1), dt.date(2024, 3, 1), dt.date(2024, 6, 1), dt.date(2024, 7, 1)


def register_on(user, posyandu, head, *, members=None, when=JAN):
    members = members or [
        person_input(head, "M", dt.date(1985, 3, 2), "kepala"),
        person_input("Siti", "F", dt.date(1988, 7, 9), "istri"),
        person_input("Aisyah", "F", dt.date(2023, 1, 15), "anak", mother_name="Siti"),
    ]
    return household_register(actor=user, scope=scope_for(user), now=at(when.year, when.month, when.day),
                              data=HouseholdInput(posyandu_id=posyandu.pk, address="Jl. Lama 1", rt="1", rw="2",
                                                  members=members))


@pytest.fixture
def kader_both(kader_miji, posyandu_meri):
    """Kader Miji also serves Posyandu Meri, so she may move people between the two."""
    add_kader_membership(kader_miji, posyandu_meri)
    return kader_miji


@pytest.fixture
def old_home(kader_both, posyandu_miji):
    return register_on(kader_both, posyandu_miji, "Budi")


@pytest.fixture
def new_home(kader_both, posyandu_meri):
    return register_on(kader_both, posyandu_meri, "Joko", members=[person_input("Joko", "M", dt.date(1980, 1, 1))])


def names(residences):
    return sorted(residences.values_list("person__full_name", flat=True))


def test_person_move_closes_the_old_residence_and_opens_a_new_one(kader_both, old_home, new_home, posyandu_meri):
    aisyah = old_home.members.get(full_name="Aisyah")
    moved = person_move(actor=kader_both, scope=scope_for(kader_both), person=aisyah, to_household=new_home,
                        moved_on=JUN_1)
    assert (moved.household, moved.posyandu, moved.desa_id, moved.version) == (new_home, posyandu_meri, MERI, 2)
    history = list(person_residences(moved).values_list("desa_id", "start_date", "end_date", "reason"))
    assert history == [(MIJI, JAN, dt.date(2024, 5, 31), "registered"), (MERI, JUN_1, None, "moved")]
    entry = AuditEntry.objects.get(action="registry.person.moved")
    assert entry.changes["desa"] == [MIJI, MERI]
    assert entry.changes["moved_on"] == "2024-06-01"


def test_residents_on_a_past_date_counts_the_person_at_the_old_place(kader_both, old_home, new_home,
                                                                     camat_kranggan):
    aisyah = old_home.members.get(full_name="Aisyah")
    person_move(actor=kader_both, scope=scope_for(kader_both), person=aisyah, to_household=new_home, moved_on=JUN_1)
    camat = scope_for(camat_kranggan)
    assert names(residents_on(camat, region_prefix=MIJI, on=MAR)) == ["Aisyah", "Budi", "Siti"]
    assert names(residents_on(camat, region_prefix=MERI, on=MAR)) == ["Joko"]
    assert names(residents_on(camat, region_prefix=MIJI, on=dt.date(2024, 5, 31))) == ["Aisyah", "Budi", "Siti"]
    assert names(residents_on(camat, region_prefix=MIJI, on=JUN_1)) == ["Budi", "Siti"]
    assert names(residents_on(camat, region_prefix=MERI, on=JUL)) == ["Aisyah", "Joko"]
    # Across the kecamatan, every person once on every date.
    for day in (MAR, dt.date(2024, 5, 31), JUN_1, JUL):
        assert residents_on(camat, region_prefix=KRANGGAN, on=day).count() == 4
    # Before anyone was registered there is nobody.
    assert residents_on(camat, region_prefix=KRANGGAN, on=dt.date(2023, 12, 31)).count() == 0


def test_residents_on_leaves_out_the_dead_after_death_and_the_unborn(kader_both, old_home, camat_kranggan):
    Person.objects.filter(household=old_home, full_name="Budi").update(
        life_status="deceased", life_status_date=dt.date(2024, 4, 1))
    camat = scope_for(camat_kranggan)
    assert names(residents_on(camat, region_prefix=MIJI, on=MAR)) == ["Aisyah", "Budi", "Siti"]
    assert names(residents_on(camat, region_prefix=MIJI, on=dt.date(2024, 4, 1))) == ["Aisyah", "Siti"]


def test_residents_on_is_scoped(kader_both, old_home, kader_jepara, kader_meri):
    assert residents_on(scope_for(kader_jepara), region_prefix=MIJI, on=MAR).count() == 0
    assert residents_on(scope_for(kader_meri), region_prefix=MIJI, on=MAR).count() == 0


def test_household_move_moves_every_living_member_with_history(kader_both, old_home, posyandu_meri, camat_kranggan):
    Person.objects.filter(household=old_home, full_name="Siti").update(
        life_status="deceased", life_status_date=dt.date(2024, 2, 1))
    moved = household_move(actor=kader_both, scope=scope_for(kader_both), household=old_home,
                           to_posyandu=posyandu_meri, moved_on=JUN_1, address="Jl. Meri 5", rt="3")
    assert (moved.posyandu, moved.desa_id, moved.address, moved.rt, moved.rw, moved.version) == (
        posyandu_meri, MERI, "Jl. Meri 5", "003", "002", 2)
    for name in ("Budi", "Aisyah"):
        person = Person.objects.get(household=old_home, full_name=name)
        assert (person.posyandu_id, person.desa_id) == (posyandu_meri.pk, MERI)
        assert list(person_residences(person).values_list("desa_id", "end_date", "reason")) == [
            (MIJI, dt.date(2024, 5, 31), "registered"), (MERI, None, "household_moved")]
    # The member who died before the move keeps her record where she lived.
    siti = Person.objects.get(household=old_home, full_name="Siti")
    assert (siti.desa_id, person_residences(siti).count()) == (MIJI, 1)
    camat = scope_for(camat_kranggan)
    assert names(residents_on(camat, region_prefix=MIJI, on=MAR)) == ["Aisyah", "Budi"]
    assert names(residents_on(camat, region_prefix=MERI, on=JUL)) == ["Aisyah", "Budi"]
    assert AuditEntry.objects.get(action="registry.household.moved").changes["members"] == 2


def test_a_move_cannot_be_dated_in_the_future(kader_both, old_home, new_home, posyandu_meri):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    before = counts()
    with pytest.raises(DomainError) as caught:
        person_move(actor=kader_both, scope=scope_for(kader_both), person=old_home.members.first(),
                    to_household=new_home, moved_on=tomorrow)
    assert "moved_on" in caught.value.field_errors
    with pytest.raises(DomainError) as caught:
        household_move(actor=kader_both, scope=scope_for(kader_both), household=new_home,
                       to_posyandu=Posyandu.objects.get(desa_id=MIJI), moved_on=tomorrow)
    assert "moved_on" in caught.value.field_errors
    assert counts() == before


def test_a_move_must_come_after_the_current_residence_started(kader_both, old_home, new_home):
    before = counts()
    for day in (JAN, dt.date(2023, 12, 1)):
        with pytest.raises(DomainError) as caught:
            person_move(actor=kader_both, scope=scope_for(kader_both), person=old_home.members.get(full_name="Siti"),
                        to_household=new_home, moved_on=day)
        assert "moved_on" in caught.value.field_errors
    assert counts() == before


def test_a_move_into_the_same_household_or_of_the_dead_is_refused(kader_both, old_home, new_home):
    budi = old_home.members.get(full_name="Budi")
    with pytest.raises(DomainError):
        person_move(actor=kader_both, scope=scope_for(kader_both), person=budi, to_household=old_home, moved_on=JUN_1)
    Person.objects.filter(pk=budi.pk).update(life_status="deceased", life_status_date=MAR)
    with pytest.raises(DomainError):
        person_move(actor=kader_both, scope=scope_for(kader_both), person=budi, to_household=new_home, moved_on=JUN_1)


def test_a_head_cannot_join_a_household_with_a_head_unless_given_a_new_place(kader_both, old_home, new_home):
    budi = old_home.members.get(full_name="Budi")
    before = counts()
    with pytest.raises(DomainError) as caught:
        person_move(actor=kader_both, scope=scope_for(kader_both), person=budi, to_household=new_home, moved_on=JUN_1)
    assert "relationship" in caught.value.field_errors
    assert counts() == before
    moved = person_move(actor=kader_both, scope=scope_for(kader_both), person=budi, to_household=new_home,
                        moved_on=JUN_1, relationship="famili_lain")
    assert moved.relationship == "famili_lain"
    assert new_home.members.filter(relationship="kepala").count() == 1
    assert Household.objects.get(pk=old_home.pk).head_name == ""


def test_moving_outside_the_scope_is_not_found(kader_miji, kader_meri, posyandu_miji, posyandu_meri, kader_jepara,
                                               posyandu_jepara):
    home = register_on(kader_miji, posyandu_miji, "Budi")
    away = register_on(kader_meri, posyandu_meri, "Joko", members=[person_input("Joko", "M", dt.date(1980, 1, 1))])
    before = counts()
    # Kader Miji does not serve Meri: she may not move anyone there, nor may Meri's kader take Miji's people.
    with pytest.raises(NotInScope):
        person_move(actor=kader_miji, scope=scope_for(kader_miji), person=home.members.first(), to_household=away,
                    moved_on=JUN_1)
    with pytest.raises(NotInScope):
        person_move(actor=kader_meri, scope=scope_for(kader_meri), person=home.members.first(), to_household=away,
                    moved_on=JUN_1)
    with pytest.raises(NotInScope):
        household_move(actor=kader_miji, scope=scope_for(kader_miji), household=home, to_posyandu=posyandu_jepara,
                       moved_on=JUN_1)
    with pytest.raises(NotInScope):
        household_move(actor=kader_jepara, scope=scope_for(kader_jepara), household=home,
                       to_posyandu=posyandu_jepara, moved_on=JUN_1)
    assert counts() == before


@pytest.mark.parametrize(("changes", "field"), [({"rt": "12345"}, "rt"), ({"rw": "x"}, "rw"),
                                                ({"address": "a" * 256}, "address")])
def test_household_move_validates_the_new_address(kader_both, old_home, posyandu_meri, changes, field):
    before = counts()
    with pytest.raises(DomainError) as caught:
        household_move(actor=kader_both, scope=scope_for(kader_both), household=old_home, to_posyandu=posyandu_meri,
                       moved_on=JUN_1, **changes)
    assert field in caught.value.field_errors
    assert counts() == before
    assert Household.objects.get(pk=old_home.pk).posyandu_id != posyandu_meri.pk


def test_household_move_refuses_an_inactive_posyandu_or_the_same_one(kader_both, old_home, posyandu_miji,
                                                                     posyandu_meri):
    with pytest.raises(DomainError):
        household_move(actor=kader_both, scope=scope_for(kader_both), household=old_home, to_posyandu=posyandu_miji,
                       moved_on=JUN_1)
    Posyandu.objects.filter(pk=posyandu_meri.pk).update(status=Posyandu.Status.INACTIVE)
    posyandu_meri.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        household_move(actor=kader_both, scope=scope_for(kader_both), household=old_home, to_posyandu=posyandu_meri,
                       moved_on=JUN_1)
    assert "to_posyandu" in caught.value.field_errors
