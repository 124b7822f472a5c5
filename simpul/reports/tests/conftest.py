"""Fixtures of the report tests: the hand-built October 2026 (see test_skdn_section.py for the table)."""

import datetime as dt

import pytest

from conftest import person_input
from simpul.accounts.scope import scope_for
from simpul.registry.services import HouseholdInput, household_register, person_move
from simpul.registry.tests.kit import add_kader_membership
from simpul.reports.tests.kit import NOW, at, household_with_child, weigh


@pytest.fixture
def kader_both(kader_miji, posyandu_meri):
    add_kader_membership(kader_miji, posyandu_meri)
    return kader_miji


@pytest.fixture
def october(kader_both, posyandu_miji, posyandu_meri):
    k = kader_both
    d = dt.date
    child = {}
    for name, sex, born in [("Adi", "M", d(2026, 6, 10)), ("Bunga", "F", d(2025, 12, 1)), ("Citra", "F", d(2024, 11, 20)),
                            ("Dodi", "M", d(2024, 3, 3)), ("Eka", "M", d(2022, 5, 15)), ("Fajar", "M", d(2021, 10, 20)),
                            ("Gita", "F", d(2023, 1, 10)), ("Hana", "F", d(2025, 5, 5)), ("Irfan", "M", d(2024, 10, 31))]:
        child[name] = household_with_child(k, posyandu_miji, name, sex, born)
    weigh(k, child["Adi"], d(2026, 9, 12), "5.3")
    weigh(k, child["Adi"], d(2026, 10, 5), "5.6")
    weigh(k, child["Adi"], d(2026, 10, 12), "6.0")
    for day, kg in [(d(2026, 8, 15), "7.9"), (d(2026, 9, 15), "8.0"), (d(2026, 10, 15), "8.2")]:
        weigh(k, child["Bunga"], day, kg)
    weigh(k, child["Citra"], d(2026, 10, 20), "10.0")
    weigh(k, child["Dodi"], d(2026, 8, 10), "12.0")
    weigh(k, child["Dodi"], d(2026, 10, 3), "12.5", cm="92.0", position="standing")
    weigh(k, child["Eka"], d(2026, 7, 10), "15.0")
    weigh(k, child["Fajar"], d(2026, 9, 5), "16.0")
    weigh(k, child["Fajar"], d(2026, 10, 5), "16.1")
    weigh(k, child["Hana"], d(2026, 9, 10), "10.0")
    weigh(k, child["Hana"], d(2026, 10, 10), "10.3")
    weigh(k, child["Irfan"], d(2026, 9, 30), "7.0")
    weigh(k, child["Irfan"], d(2026, 10, 30), "7.2", cm="79.0", position="recumbent")
    meri_home = household_register(actor=k, scope=scope_for(k), now=at(2026, 7, 1), data=HouseholdInput(
        posyandu_id=posyandu_meri.pk, address="Jl. Meri 3", rt="3", rw="1",
        members=[person_input("Joko", "M", d(1980, 1, 1), "kepala")]))
    person_move(actor=k, scope=scope_for(k), person=child["Hana"], to_household=meri_home,
                moved_on=d(2026, 10, 20), now=NOW)
    return child
