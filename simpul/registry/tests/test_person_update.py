"""person_update: changes are versioned and audited field by field, never with the NIK itself."""

import dataclasses
import datetime as dt

import pytest

from conftest import person_input
from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.registry.models import Household, Person
from simpul.registry.selectors import person_history
from simpul.registry.services import person_update
from simpul.registry.tests.kit import NIK_AISYAH, NIK_SITI, audit_dump, counts


def as_input(person: Person, **changes):
    data = person_input(person.full_name, person.sex, person.birth_date, person.relationship,
                        mother_name=person.mother_name, phone=person.phone, nik=person.nik,
                        life_status=person.life_status, life_status_date=person.life_status_date)
    return dataclasses.replace(data, **changes)


def update(user, person, data, **kwargs):
    return person_update(actor=user, scope=scope_for(user), person=person, data=data, **kwargs)


@pytest.fixture
def siti(family_miji):
    return family_miji.members.get(full_name="Siti Aminah")


@pytest.fixture
def budi(family_miji):
    return family_miji.members.get(relationship="kepala")


def test_it_records_what_changed_from_what_to(kader_miji, siti):
    updated = update(kader_miji, siti, as_input(siti, full_name="Siti Aminah Rahayu", phone="081299990000"),
                     expected_version=1)
    assert (updated.full_name, updated.phone, updated.version, updated.updated_by) == (
        "Siti Aminah Rahayu", "081299990000", 2, kader_miji)
    entry = person_history(updated).get()
    assert (entry.action, entry.actor, entry.region_code) == ("registry.person.updated", kader_miji, siti.desa_id)
    assert entry.changes == {"full_name": ["Siti Aminah", "Siti Aminah Rahayu"], "phone": ["", "081299990000"]}


def test_dates_are_audited_as_iso_text(kader_miji, siti):
    update(kader_miji, siti, as_input(siti, birth_date=dt.date(1988, 7, 10)))
    assert AuditEntry.objects.get(action="registry.person.updated").changes == {
        "birth_date": ["1988-07-09", "1988-07-10"]}


def test_setting_a_nik_is_audited_as_changed_without_the_number(kader_miji, siti):
    update(kader_miji, siti, as_input(siti, nik=NIK_SITI))
    siti.refresh_from_db()
    assert (siti.nik, siti.nik_status, siti.nik_last4) == (NIK_SITI, "valid", "0003")
    entry = AuditEntry.objects.get(action="registry.person.updated")
    assert entry.changes == {"nik": "changed"}
    dump = audit_dump()
    assert NIK_SITI not in dump
    assert siti.nik_hash not in dump
    assert siti.nik_cipher not in dump


def test_changing_and_clearing_a_nik_never_puts_either_number_in_the_audit(kader_miji, siti):
    update(kader_miji, siti, as_input(siti, nik=NIK_SITI))
    siti.refresh_from_db()
    other = "3576034907880099"
    update(kader_miji, siti, as_input(siti, nik=other))
    siti.refresh_from_db()
    update(kader_miji, siti, as_input(siti, nik=""))
    siti.refresh_from_db()
    assert (siti.nik, siti.nik_hash, siti.nik_status, siti.version) == ("", None, "none", 4)
    assert [e.changes for e in person_history(siti)] == [{"nik": "changed"}] * 3
    dump = audit_dump()
    assert NIK_SITI not in dump and other not in dump and "0099" not in dump


def test_keeping_the_same_nik_is_no_change(kader_miji, siti):
    update(kader_miji, siti, as_input(siti, nik=NIK_SITI))
    siti.refresh_from_db()
    before = counts()
    same = update(kader_miji, siti, as_input(siti))
    assert same.version == 2
    assert counts() == before


def test_an_update_that_changes_nothing_writes_nothing(kader_miji, siti):
    before = counts()
    assert update(kader_miji, siti, as_input(siti)).version == 1
    assert counts() == before


def test_a_stale_version_is_a_conflict_and_changes_nothing(kader_miji, siti):
    update(kader_miji, siti, as_input(siti, phone="081211112222"), expected_version=1)
    before = counts()
    with pytest.raises(DomainError) as caught:
        update(kader_miji, siti, as_input(siti, phone="081233334444"), expected_version=1)
    assert caught.value.code == "conflict"
    assert Person.objects.get(pk=siti.pk).phone == "081211112222"
    assert counts() == before


def test_correcting_sex_against_the_nik_makes_it_unverified(kader_miji, family_miji):
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    update(kader_miji, aisyah, as_input(aisyah, nik=NIK_AISYAH))
    aisyah.refresh_from_db()
    assert aisyah.nik_status == "valid"
    update(kader_miji, aisyah, as_input(aisyah, sex="M"))
    aisyah.refresh_from_db()
    assert aisyah.nik_status == "unverified"
    assert len(aisyah.nik_warnings) == 1


def test_it_refuses_a_nik_of_another_resident(kader_miji, family_miji, siti):
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    update(kader_miji, aisyah, as_input(aisyah, nik=NIK_AISYAH))
    before = counts()
    with pytest.raises(DomainError) as caught:
        update(kader_miji, siti, as_input(siti, nik=NIK_AISYAH))
    assert set(caught.value.field_errors) == {"nik"}
    assert counts() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"life_status": "deceased", "life_status_date": dt.date(1980, 1, 1)}, "life_status_date"),
        ({"birth_date": dt.date(2999, 1, 1)}, "birth_date"),
        ({"full_name": "S" * 121}, "full_name"),
        ({"nik": "3576034907880000"}, "nik"),
        ({"relationship": "kepala"}, "relationship"),
    ],
)
def test_it_refuses_bad_changes(kader_miji, siti, changes, field):
    before = counts()
    with pytest.raises(DomainError) as caught:
        update(kader_miji, siti, as_input(siti, **changes))
    assert field in caught.value.field_errors
    assert Person.objects.get(pk=siti.pk).version == 1
    assert counts() == before


def test_recording_a_death_keeps_the_record(kader_miji, budi):
    update(kader_miji, budi, as_input(budi, life_status="deceased", life_status_date=dt.date(2025, 1, 5)))
    budi.refresh_from_db()
    assert (budi.life_status, budi.life_status_date) == ("deceased", dt.date(2025, 1, 5))
    assert AuditEntry.objects.get(action="registry.person.updated").changes == {
        "life_status": ["alive", "deceased"], "life_status_date": [None, "2025-01-05"]}


def test_renaming_the_head_renames_the_household(kader_miji, family_miji, budi):
    update(kader_miji, budi, as_input(budi, full_name="Budi Santoso Wijaya"))
    assert Household.objects.get(pk=family_miji.pk).head_name == "Budi Santoso Wijaya"


def test_a_head_stepping_down_is_no_longer_shown_as_head(kader_miji, family_miji, budi, siti):
    update(kader_miji, budi, as_input(budi, relationship="suami"))
    assert Household.objects.get(pk=family_miji.pk).head_name == ""
    update(kader_miji, siti, as_input(siti, relationship="kepala"))
    assert Household.objects.get(pk=family_miji.pk).head_name == "Siti Aminah"


def test_it_is_not_found_outside_the_scope(kader_meri, kader_jepara, siti):
    for outsider in (kader_meri, kader_jepara):
        with pytest.raises(NotInScope):
            update(outsider, siti, as_input(siti, full_name="Diubah Orang Lain"))
    assert Person.objects.get(pk=siti.pk).full_name == "Siti Aminah"


def test_a_lurah_may_view_but_not_edit(lurah_miji, siti):
    with pytest.raises(NotInScope):
        update(lurah_miji, siti, as_input(siti, phone="081200000000"))
