"""The unserved list: every kind of unit named (or masked) the same way, with what is missing in words."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import MIJI
from simpul.accounts.scope import scope_for
from simpul.spm.periods import parse
from simpul.spm.selectors import place_for
from simpul.spm.tests.test_rules_health import d, mother, pregnant
from simpul.spm.unserved import mask_name, unserved

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def test_mask_name_keeps_initials_only():
    assert mask_name("Siti Aminah") == "S*** A***"
    assert mask_name("  Budi ") == "B***"
    assert mask_name("") == "***"


@pytest.fixture
def short_pregnancy(kader_miji, posyandu_miji):
    """Delivered 2026-05-02 after one doctor's visit in trimester I and nothing else: 1 of 6 visits."""
    woman = mother(kader_miji, posyandu_miji, "Rina Wati")
    return pregnant(kader_miji, woman, d("2025-08-01"), d("2025-09-15"), [(d("2025-09-15"), "doctor")],
                    delivered_on=d("2026-05-02"))


def test_a_pregnancy_is_listed_under_its_mothers_name(kader_miji, posyandu_miji, short_pregnancy):
    scope = scope_for(kader_miji)
    page = unserved(scope, place_for(scope, posyandu_id=posyandu_miji.pk), parse("2026", today=TODAY),
                    "kes.ibu_hamil", today=TODAY)
    assert page.names_visible and page.total == 1
    entry = page.entries[0]
    assert (entry.kind, entry.id, entry.name, entry.rt) == ("pregnancy", short_pregnancy.pk, "Rina Wati", "003")
    codes = [m["code"] for m in entry.missing]
    assert codes[0] == "anc_visits" and entry.missing[0]["detail"] == {"have": 1, "need": 6}
    assert all(m["text"] and m["text"] != m["code"] for m in entry.missing)


def test_the_camat_sees_the_same_row_masked(camat_kranggan, short_pregnancy):
    scope = scope_for(camat_kranggan)
    page = unserved(scope, place_for(scope, region=MIJI), parse("2026", today=TODAY), "kes.ibu_hamil", today=TODAY)
    assert not page.names_visible and page.total == 1
    assert (page.entries[0].id, page.entries[0].name) == (None, "R*** W***")
