"""person_register: adding one resident to an existing household."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from conftest import MIJI, person_input, register_family
from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.registry.models import DuplicateCandidate, Household, Person
from simpul.registry.selectors import person_residences
from simpul.registry.services import person_register
from simpul.registry.tests.kit import NIK_SITI_AMINAH_1990, audit_dump, counts


def add(user, household, data):
    return person_register(actor=user, scope=scope_for(user), household=household, data=data)


def newborn(**extra):
    return person_input("Bayu Pratama", "M", timezone.localdate() - dt.timedelta(days=10), "anak",
                        mother_name="Siti Aminah", **extra)


def test_it_adds_a_resident_with_a_first_residence_and_an_audit_entry(kader_miji, family_miji, posyandu_miji):
    person = add(kader_miji, family_miji, newborn())
    assert (person.household, person.posyandu, person.desa_id, person.version) == (family_miji, posyandu_miji, MIJI, 1)
    assert (person.created_by, person.updated_by) == (kader_miji, kader_miji)
    residence = person_residences(person).get()
    assert (residence.household_id, residence.start_date, residence.end_date) == (
        family_miji.pk, timezone.localdate(), None)
    entry = AuditEntry.objects.get(action="registry.person.registered")
    assert (entry.object_type, entry.object_id, entry.region_code) == ("registry.person", str(person.pk), MIJI)
    assert entry.changes == {"household": family_miji.pk, "full_name": "Bayu Pratama"}


def test_it_stores_a_valid_nik_encrypted(kader_miji, family_miji):
    person = add(kader_miji, family_miji, person_input("Siti Aminah", "F", dt.date(1990, 5, 17), "famili_lain",
                                                       nik="3576 0357 0590 0001"))
    assert (person.nik, person.nik_status, person.nik_last4) == (NIK_SITI_AMINAH_1990, "valid", "0001")
    assert NIK_SITI_AMINAH_1990 not in person.nik_cipher
    assert NIK_SITI_AMINAH_1990 not in audit_dump()


def test_it_refuses_a_second_living_head(kader_miji, family_miji):
    before = counts()
    with pytest.raises(DomainError) as caught:
        add(kader_miji, family_miji, person_input("Joko", "M", dt.date(1960, 1, 1), "kepala"))
    assert set(caught.value.field_errors) == {"relationship"}
    assert counts() == before


def test_a_new_head_is_allowed_after_the_old_one_died(kader_miji, family_miji):
    Person.objects.filter(household=family_miji, relationship="kepala").update(
        life_status="deceased", life_status_date=dt.date(2025, 1, 1))
    assert add(kader_miji, family_miji, person_input("Siti Kepala", "F", dt.date(1988, 7, 9), "kepala")).pk


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (newborn(nik="3576034005240001"), "nik"),  # day 40
        (person_input("Bayu", "M", dt.date(2999, 1, 1), "anak"), "birth_date"),
        (person_input("Bayu", "M", dt.date(1899, 12, 31), "anak"), "birth_date"),
        (person_input("Bayu", "M", dt.date(2020, 1, 1), "anak", life_status="deceased",
                      life_status_date=dt.date(2019, 12, 31)), "life_status_date"),
        (person_input("Bayu", "M", dt.date(2020, 1, 1), "anak", life_status="deceased",
                      life_status_date=dt.date(2999, 1, 1)), "life_status_date"),
        (person_input("B" * 121, "M", dt.date(2020, 1, 1), "anak"), "full_name"),
        (newborn(education_status="university"), "education_status"),
        (newborn(disability_type="other"), "disability_type"),
        (newborn(life_status="zombie"), "life_status"),
    ],
)
def test_it_refuses_bad_input_with_field_errors(kader_miji, family_miji, data, field):
    before = counts()
    with pytest.raises(DomainError) as caught:
        add(kader_miji, family_miji, data)
    assert field in caught.value.field_errors
    assert counts() == before


def test_it_refuses_a_nik_already_registered(kader_miji, family_miji, kader_jepara, family_jepara):
    add(kader_miji, family_miji, person_input("Siti Aminah", "F", dt.date(1990, 5, 17), "famili_lain",
                                              nik=NIK_SITI_AMINAH_1990))
    before = counts()
    with pytest.raises(DomainError) as caught:
        add(kader_jepara, family_jepara, person_input("Siti A", "F", dt.date(1990, 5, 17), "famili_lain",
                                                      nik=NIK_SITI_AMINAH_1990))
    assert set(caught.value.field_errors) == {"nik"}
    assert counts() == before


def test_it_refuses_a_household_outside_the_scope(kader_meri, family_miji):
    before = counts()
    with pytest.raises(NotInScope):
        add(kader_meri, family_miji, newborn())
    assert counts() == before


def test_it_refuses_a_household_that_moved_away(kader_miji, family_miji):
    Household.objects.filter(pk=family_miji.pk).update(status=Household.Status.MOVED_OUT)
    family_miji.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        add(kader_miji, family_miji, newborn())
    assert "household" in caught.value.field_errors


def test_resending_the_same_client_uuid_returns_the_same_resident(kader_miji, family_miji):
    key = uuid.uuid4()
    first = add(kader_miji, family_miji, newborn(client_uuid=key))
    before = counts()
    assert add(kader_miji, family_miji, newborn(client_uuid=key)).pk == first.pk
    assert counts() == before


def test_another_scopes_client_uuid_is_refused_without_revealing_the_resident(kader_miji, family_miji,
                                                                               kader_jepara, family_jepara):
    key = uuid.uuid4()
    add(kader_miji, family_miji, newborn(client_uuid=key))
    before = counts()
    with pytest.raises(DomainError) as caught:
        add(kader_jepara, family_jepara, newborn(client_uuid=key))
    assert set(caught.value.field_errors) == {"client_uuid"}
    assert "Bayu" not in str(caught.value.field_errors) + caught.value.message
    assert counts() == before


def test_an_invalid_client_uuid_is_a_field_error(kader_miji, family_miji):
    with pytest.raises(DomainError) as caught:
        add(kader_miji, family_miji, newborn(client_uuid="1234"))
    assert set(caught.value.field_errors) == {"client_uuid"}


def test_after_commit_it_looks_for_duplicates(kader_miji, family_miji, posyandu_miji,
                                              django_capture_on_commit_callbacks):
    other = register_family(kader_miji, posyandu_miji, head="Ahmad Yani", members=[
        person_input("Ahmad Yani", "M", dt.date(1980, 1, 1), "kepala")])
    with django_capture_on_commit_callbacks(execute=True):
        twin = add(kader_miji, other, person_input("Aisyah Putri", "F", dt.date(2024, 1, 15), "anak",
                                                   mother_name="Siti Aminah"))
    original = family_miji.members.get(full_name="Aisyah Putri")
    proposal = DuplicateCandidate.objects.get()
    assert (proposal.person, proposal.other, proposal.status) == (twin, original, "proposed")


def test_a_baby_born_today_in_papua_can_be_registered_before_midnight_in_jakarta(kader_miji, family_miji):
    # 00:30 WIT on the 24th is 22:30 WIB on the 23rd: the birth date is today where the baby was born.
    now = dt.datetime(2026, 11, 23, 15, 30, tzinfo=dt.UTC)
    baby = person_register(actor=kader_miji, scope=scope_for(kader_miji), household=family_miji, now=now,
                           data=person_input("Yohana Wenda", "F", dt.date(2026, 11, 24), "anak"))
    assert baby.birth_date == dt.date(2026, 11, 24)
    with pytest.raises(DomainError) as exc:
        person_register(actor=kader_miji, scope=scope_for(kader_miji), household=family_miji, now=now,
                        data=person_input("Besok Lahir", "F", dt.date(2026, 11, 25), "anak"))
    assert "birth_date" in exc.value.field_errors
