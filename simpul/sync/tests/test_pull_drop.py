"""When a household or resident leaves her posyandu, her phone is told to drop it; the new one receives it."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import person_input
from simpul.accounts.scope import scope_for
from simpul.registry.services import HouseholdInput, household_move, household_register, person_move
from simpul.sync.tests.kit import auth, item, pull_all, push

A_YEAR_AGO = timezone.now() - dt.timedelta(days=365)


def family(user, posyandu, head: str, *, members=None):
    """A family registered a year ago, so it can move today (a move must follow the start of residence)."""
    return household_register(actor=user, scope=scope_for(user), now=A_YEAR_AGO, data=HouseholdInput(
        posyandu_id=posyandu.pk, address="Jl. Lama 1", members=members or [
            person_input(head, "M", dt.date(1985, 3, 2), "kepala"),
            person_input(f"Istri {head}", "F", dt.date(1988, 7, 9), "istri"),
            person_input("Aisyah Putri", "F", dt.date(2024, 1, 15), "anak")]))


@pytest.fixture
def miji_home(kader_miji, posyandu_miji):
    return family(kader_miji, posyandu_miji, "Budi Santoso")


@pytest.fixture
def miji_and_meri_kader(kader_miji, kader_meri, posyandu_meri):
    """One kader who works in both posyandu may move between them (moves need scope at both ends)."""
    from conftest import make_user
    from simpul.accounts.models import Membership
    from simpul.accounts.roles import Role
    from simpul.core.choices import ALL_FIELDS

    mover = make_user("kader.dua", Role.KADER, posyandu=posyandu_meri)
    Membership.objects.create(user=mover, role=Role.KADER, posyandu=kader_miji.memberships.get().posyandu,
                              fields=sorted(ALL_FIELDS))
    return mover


@pytest.mark.django_db
def test_a_household_moving_out_is_dropped_and_arrives_next_door(client, miji_home, kader_miji, kader_meri,
                                                                 posyandu_meri, miji_and_meri_kader):
    aisyah = miji_home.members.get(full_name="Aisyah Putri")
    push(client, auth(kader_miji), [item("measurement.create", {"person_id": aisyah.pk, "measured_on": "2025-02-01",
                                                                "weight_kg": 8.4})])
    _r, _d, miji_cursor, _ = pull_all(client, auth(kader_miji))
    _r, _d, meri_cursor, _ = pull_all(client, auth(kader_meri))

    household_move(actor=miji_and_meri_kader, scope=scope_for(miji_and_meri_kader), household=miji_home,
                   to_posyandu=posyandu_meri, moved_on=timezone.localdate())

    rows, drops, _, _ = pull_all(client, auth(kader_miji), miji_cursor)
    member_ids = set(miji_home.members.values_list("pk", flat=True))
    assert {(d["kind"], d["id"]) for d in drops} == {("household", miji_home.pk)} | {
        ("person", pk) for pk in member_ids}
    assert rows == {}

    rows, drops, _, _ = pull_all(client, auth(kader_meri), meri_cursor)
    assert drops == []
    assert set(rows["household"]) == {miji_home.pk} and set(rows["person"]) == member_ids
    # Aisyah's growth history comes with her.
    assert [m["weight_kg"] for m in rows["measurement"].values()] == [8.4]


@pytest.mark.django_db
def test_a_resident_moving_out_is_dropped(client, miji_home, kader_miji, kader_meri, posyandu_meri,
                                          miji_and_meri_kader):
    meri_home = family(kader_meri, posyandu_meri, "Wahyu Meri")
    _r, _d, cursor, _ = pull_all(client, auth(kader_miji))
    siti = miji_home.members.get(full_name="Istri Budi Santoso")
    person_move(actor=miji_and_meri_kader, scope=scope_for(miji_and_meri_kader), person=siti,
                to_household=meri_home, moved_on=timezone.localdate(), relationship="famili_lain")
    rows, drops, _, _ = pull_all(client, auth(kader_miji), cursor)
    assert drops == [{"kind": "person", "id": siti.pk}]
    assert "person" not in rows
