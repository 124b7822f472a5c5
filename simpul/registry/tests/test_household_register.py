"""household_register and household_update: all of a household or none of it, with per-field errors."""

import dataclasses
import datetime as dt
import uuid

import pytest
from django.utils import timezone

from conftest import MIJI, person_input, register_family
from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.lib.nik import warning_message
from simpul.posyandu.models import Posyandu
from simpul.registry.models import Household, Person, Residence
from simpul.registry.selectors import households_visible, persons_visible
from simpul.registry.services import HouseholdInput, household_register, household_update
from simpul.registry.services import households as households_module
from simpul.registry.tests.kit import NIK_AISYAH, NIK_BUDI, NIK_SITI, audit_dump, counts

KK = "3576030101200001"


def family_members(overrides=None):
    """Head, wife and a baby girl with hand-built NIKs; ``overrides`` maps a member index to field changes."""
    members = [
        person_input("Budi Santoso", "M", dt.date(1985, 3, 2), "kepala", nik=NIK_BUDI),
        person_input("Siti Aminah", "F", dt.date(1988, 7, 9), "istri", nik=NIK_SITI, phone="0812 3456 7890"),
        person_input("Aisyah Putri", "F", dt.date(2024, 1, 15), "anak", nik=NIK_AISYAH, mother_name="Siti Aminah"),
    ]
    for index, changes in (overrides or {}).items():
        members[index] = dataclasses.replace(members[index], **changes)
    return members


def household_input(posyandu, **changes):
    data = HouseholdInput(posyandu_id=posyandu.pk, address="Jl. Miji Baru 12", rt="2", rw="04", kk=KK,
                          members=family_members())
    return dataclasses.replace(data, **changes)


def register(user, data):
    return household_register(actor=user, scope=scope_for(user), data=data)


def test_it_registers_a_household_with_all_members(kader_miji, posyandu_miji):
    household = register(kader_miji, household_input(posyandu_miji))
    assert (household.desa_id, household.posyandu_id) == (MIJI, posyandu_miji.pk)
    assert (household.head_name, household.rt, household.rw, household.version) == ("Budi Santoso", "002", "004", 1)
    members = list(household.members.order_by("birth_date"))
    assert [m.full_name for m in members] == ["Budi Santoso", "Siti Aminah", "Aisyah Putri"]
    assert {m.desa_id for m in members} == {MIJI}
    assert members[1].phone == "081234567890"
    assert all(m.provisional_id.startswith(f"TMP-{MIJI}-") for m in members)
    assert len({m.provisional_id for m in members}) == 3
    # Each member starts a residence at the household on the day of registration.
    residences = Residence.objects.filter(person__household=household)
    assert residences.count() == 3
    assert {(r.desa_id, r.posyandu_id, r.end_date, r.start_date) for r in residences} == {
        (MIJI, posyandu_miji.pk, None, timezone.localdate())}
    entry = AuditEntry.objects.get(action="registry.household.registered")
    assert (entry.actor, entry.object_id, entry.region_code) == (kader_miji, str(household.pk), MIJI)
    assert entry.changes["members"] == 3


def test_it_encrypts_nik_and_kk_and_keeps_only_the_last_four_digits_in_clear(kader_miji, posyandu_miji):
    household = register(kader_miji, household_input(posyandu_miji))
    budi = household.members.get(full_name="Budi Santoso")
    assert (budi.nik, budi.nik_last4, budi.nik_status, budi.nik_warnings) == (NIK_BUDI, "0002", "valid", [])
    assert NIK_BUDI not in budi.nik_cipher and NIK_BUDI not in budi.nik_hash
    assert household.kk == KK
    assert KK not in household.kk_cipher and KK not in household.kk_hash
    assert KK not in audit_dump() and NIK_BUDI not in audit_dump()
    # Digits search the clear last four digits.
    assert list(households_visible(scope_for(kader_miji), search="0004")) == [household]


def test_a_member_without_nik_gets_status_none(kader_miji, posyandu_miji):
    household = register(kader_miji, household_input(posyandu_miji, kk="", members=family_members({2: {"nik": ""}})))
    aisyah = household.members.get(full_name="Aisyah Putri")
    assert (aisyah.nik_status, aisyah.nik_hash, aisyah.nik_cipher, aisyah.nik_last4) == ("none", None, "", "")
    assert (household.kk_hash, household.kk_cipher) == (None, "")


def test_a_nik_that_disagrees_with_sex_and_birth_date_is_kept_but_unverified(kader_miji, posyandu_miji):
    # Budi's NIK says a man born 02-03-1985; the kader records a woman born 03-02-1985.
    members = family_members({0: {"sex": "F", "birth_date": dt.date(1985, 2, 3)}})
    household = register(kader_miji, household_input(posyandu_miji, members=members))
    head = household.members.get(relationship="kepala")
    assert head.nik_status == Person.NikStatus.UNVERIFIED
    assert len(head.nik_warnings) == 2
    assert head.nik == NIK_BUDI


def test_a_nik_from_an_unknown_kecamatan_is_kept_with_a_warning(kader_miji, posyandu_miji):
    members = family_members({0: {"nik": "3576990203850002"}})  # kecamatan 35.76.99 does not exist
    household = register(kader_miji, household_input(posyandu_miji, members=members))
    head = household.members.get(relationship="kepala")
    assert head.nik_status == Person.NikStatus.UNVERIFIED
    assert head.nik_warnings == ["kecamatan_unknown"]  # stored as a code, shown in the reader's language
    assert "35.76.99" in warning_message(head.nik_warnings[0], head.nik)


TOO_LONG = "A" + "a" * 120  # 121 characters


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"members": family_members({0: {"nik": "357603020385000"}})}, "members.0.nik"),  # 15 digits
        ({"members": family_members({0: {"nik": "35760302038500AB"}})}, "members.0.nik"),  # letters
        ({"members": family_members({0: {"nik": "3576033203850002"}})}, "members.0.nik"),  # day 32
        ({"members": family_members({0: {"nik": "3576030213850002"}})}, "members.0.nik"),  # month 13
        ({"members": family_members({0: {"nik": "3576030203850000"}})}, "members.0.nik"),  # serial 0000
        ({"members": family_members({2: {"birth_date": dt.date(2999, 1, 1)}})}, "members.2.birth_date"),
        ({"members": family_members({2: {"birth_date": None}})}, "members.2.birth_date"),
        ({"members": family_members({1: {"life_status": "deceased", "life_status_date": dt.date(1980, 1, 1)}})},
         "members.1.life_status_date"),
        ({"members": family_members({1: {"life_status": "deceased"}})}, "members.1.life_status_date"),
        ({"members": family_members({0: {"full_name": TOO_LONG}})}, "members.0.full_name"),
        ({"members": family_members({0: {"full_name": "   "}})}, "members.0.full_name"),
        ({"members": family_members({0: {"full_name": "<script>"}})}, "members.0.full_name"),
        ({"members": family_members({2: {"mother_name": TOO_LONG}})}, "members.2.mother_name"),
        ({"members": family_members({0: {"sex": "X"}})}, "members.0.sex"),
        ({"members": family_members({0: {"relationship": "boss"}})}, "members.0.relationship"),
        ({"members": family_members({1: {"phone": "12ab"}})}, "members.1.phone"),
        ({"members": family_members({1: {"phone": "٠٨١٢٣٤٥٦٧٨٩٠"}})}, "members.1.phone"),  # Arabic-Indic digits
        ({"members": family_members({2: {"school_name": "SDN 1"}})}, "members.2.school_name"),
        ({"members": family_members({2: {"client_uuid": "not-a-uuid"}})}, "members.2.client_uuid"),
        ({"members": []}, "members"),
        ({"members": family_members({1: {"relationship": "kepala"}})}, "members"),
        ({"members": family_members({0: {"relationship": "suami"}})}, "members"),
        ({"members": family_members({1: {"nik": NIK_BUDI, "sex": "M", "birth_date": dt.date(1985, 3, 2)}})},
         "members.1.nik"),
        ({"kk": "357603010120000"}, "kk"),
        ({"kk": "35760301012000AB"}, "kk"),
        ({"address": "  "}, "address"),
        ({"address": "x" * 256}, "address"),
        ({"rt": "1234"}, "rt"),
        ({"rw": "٠٤"}, "rw"),
        ({"latitude": "NaN", "longitude": "112.4"}, "latitude"),
        ({"latitude": "-7.47", "longitude": None}, "latitude"),
        ({"latitude": "51.5", "longitude": "-0.12"}, "latitude"),  # London
        ({"posyandu_id": None}, "posyandu"),
        ({"posyandu_id": 999_999}, "posyandu"),
    ],
)
def test_it_refuses_bad_input_with_field_errors_and_writes_nothing(kader_miji, posyandu_miji, changes, field):
    before = counts()
    with pytest.raises(DomainError) as caught:
        register(kader_miji, household_input(posyandu_miji, **changes))
    assert field in caught.value.field_errors, caught.value.field_errors
    assert all(caught.value.field_errors[field])
    assert counts() == before


def test_it_reports_every_problem_of_a_submission_at_once(kader_miji, posyandu_miji):
    members = family_members({0: {"nik": "123"}, 2: {"birth_date": dt.date(2999, 1, 1)}})
    with pytest.raises(DomainError) as caught:
        register(kader_miji, household_input(posyandu_miji, members=members, kk="1", rt="abcd"))
    assert {"members.0.nik", "members.2.birth_date", "kk", "rt"} <= set(caught.value.field_errors)


def test_two_members_with_the_same_record_id_are_refused(kader_miji, posyandu_miji):
    same = uuid.uuid4()
    members = family_members({1: {"client_uuid": same}, 2: {"client_uuid": same}})
    before = counts()
    with pytest.raises(DomainError) as caught:
        register(kader_miji, household_input(posyandu_miji, members=members))
    assert "members.2.client_uuid" in caught.value.field_errors
    assert counts() == before


def test_it_refuses_a_kk_already_registered(kader_miji, posyandu_miji):
    register(kader_miji, household_input(posyandu_miji))
    before = counts()
    with pytest.raises(DomainError) as caught:
        register(kader_miji, household_input(posyandu_miji, members=[person_input("Joko", "M", dt.date(1970, 1, 1))]))
    assert set(caught.value.field_errors) == {"kk"}
    assert counts() == before


def test_it_refuses_a_nik_already_registered_in_another_household(kader_miji, posyandu_miji, kader_jepara,
                                                                   posyandu_jepara):
    register(kader_miji, household_input(posyandu_miji))
    before = counts()
    data = household_input(posyandu_jepara, kk="", members=[
        person_input("Budi S", "M", dt.date(1985, 3, 2), "kepala", nik=NIK_BUDI)])
    with pytest.raises(DomainError) as caught:
        register(kader_jepara, data)
    assert set(caught.value.field_errors) == {"members.0.nik"}
    assert counts() == before


def test_a_kader_cannot_register_into_another_scopes_posyandu(kader_jepara, posyandu_miji):
    before = counts()
    with pytest.raises(DomainError) as caught:
        register(kader_jepara, household_input(posyandu_miji))
    assert set(caught.value.field_errors) == {"posyandu"}
    assert "Miji" not in str(caught.value.field_errors)
    assert counts() == before


def test_a_lurah_oversees_but_cannot_register(lurah_miji, posyandu_miji):
    before = counts()
    with pytest.raises(DomainError) as caught:
        register(lurah_miji, household_input(posyandu_miji))
    assert "posyandu" in caught.value.field_errors
    assert counts() == before


def test_it_refuses_an_inactive_posyandu(kader_miji, posyandu_miji):
    Posyandu.objects.filter(pk=posyandu_miji.pk).update(status=Posyandu.Status.INACTIVE)
    before = counts()
    with pytest.raises(DomainError) as caught:
        register(kader_miji, household_input(posyandu_miji))
    assert "posyandu" in caught.value.field_errors
    assert counts() == before


def test_resending_the_same_client_uuid_returns_the_same_household(kader_miji, posyandu_miji):
    key = uuid.uuid4()
    first = register(kader_miji, household_input(posyandu_miji, client_uuid=key))
    assert first.client_uuid == key
    before = counts()
    again = register(kader_miji, household_input(posyandu_miji, client_uuid=key))
    assert again.pk == first.pk
    assert counts() == before
    # The same id as a string (as JSON sends it) is the same record.
    assert register(kader_miji, household_input(posyandu_miji, client_uuid=str(key))).pk == first.pk


def test_another_scopes_client_uuid_is_refused_without_revealing_the_household(kader_miji, posyandu_miji,
                                                                                kader_jepara, posyandu_jepara):
    key = uuid.uuid4()
    stored = register(kader_miji, household_input(posyandu_miji, client_uuid=key))
    before = counts()
    data = household_input(posyandu_jepara, client_uuid=key, kk="", members=[
        person_input("Slamet", "M", dt.date(1970, 1, 1), "kepala")])
    with pytest.raises(DomainError) as caught:
        register(kader_jepara, data)
    error = caught.value
    assert set(error.field_errors) == {"client_uuid"}
    shown = f"{error.message} {error.field_errors}"
    for secret in (stored.head_name, str(stored.pk), posyandu_miji.name, MIJI, "Miji"):
        assert secret not in shown
    assert counts() == before


def test_a_member_record_id_already_used_is_refused(kader_miji, posyandu_miji, family_miji):
    used = family_miji.members.first().client_uuid
    before = counts()
    with pytest.raises(DomainError) as caught:
        register(kader_miji, household_input(posyandu_miji, members=family_members({0: {"client_uuid": used}})))
    assert "members.0.client_uuid" in caught.value.field_errors
    assert counts() == before


def test_a_kk_registered_at_the_same_moment_gives_a_domain_error_not_an_integrity_error(
        kader_miji, posyandu_miji, monkeypatch):
    """Another kader commits the same KK between our check and our insert: the unique index decides."""
    original = households_module.person_values
    competitor = []

    def person_values_then_competitor_commits(*args, **kwargs):
        if not competitor:
            competitor.append(Household.objects.create(
                posyandu=posyandu_miji, desa_id=MIJI, address="Jl. Lain 1", kk_hash=households_module.v.kk_hash(KK)))
        return original(*args, **kwargs)

    monkeypatch.setattr(households_module, "person_values", person_values_then_competitor_commits)
    before = counts()
    with pytest.raises(DomainError):
        register(kader_miji, household_input(posyandu_miji))
    assert counts() == {**before, "households": before["households"] + 1}  # only the competitor's row
    assert Person.objects.count() == before["persons"]


# --- household_update -------------------------------------------------------------------------

def test_update_changes_fields_bumps_the_version_and_audits_without_the_kk(kader_miji, posyandu_miji):
    household = register(kader_miji, household_input(posyandu_miji))
    new_kk = "3576030202200009"
    updated = household_update(actor=kader_miji, scope=scope_for(kader_miji), household=household,
                               expected_version=1, data=household_input(posyandu_miji, address="Jl. Baru 1",
                                                                        rt="7", kk=new_kk))
    assert (updated.version, updated.address, updated.rt, updated.kk) == (2, "Jl. Baru 1", "007", new_kk)
    entry = AuditEntry.objects.get(action="registry.household.updated")
    assert entry.changes["address"] == ["Jl. Miji Baru 12", "Jl. Baru 1"]
    assert entry.changes["rt"] == ["002", "007"]
    assert entry.changes["kk"] == "changed"
    assert new_kk not in audit_dump() and KK not in audit_dump()


def test_update_without_changes_keeps_the_version(kader_miji, posyandu_miji):
    household = register(kader_miji, household_input(posyandu_miji))
    before = counts()
    same = household_update(actor=kader_miji, scope=scope_for(kader_miji), household=household,
                            data=household_input(posyandu_miji))
    assert same.version == 1
    assert counts() == before


def test_update_refuses_a_stale_version(kader_miji, posyandu_miji):
    household = register(kader_miji, household_input(posyandu_miji))
    household_update(actor=kader_miji, scope=scope_for(kader_miji), household=household, expected_version=1,
                     data=household_input(posyandu_miji, address="Jl. Satu"))
    with pytest.raises(DomainError) as caught:
        household_update(actor=kader_miji, scope=scope_for(kader_miji), household=household, expected_version=1,
                         data=household_input(posyandu_miji, address="Jl. Dua"))
    assert caught.value.code == "conflict"
    assert Household.objects.get(pk=household.pk).address == "Jl. Satu"


def test_update_refuses_a_kk_of_another_household(kader_miji, posyandu_miji):
    register(kader_miji, household_input(posyandu_miji))
    other = register_family(kader_miji, posyandu_miji, kk="3576030303200003", head="Joko Susilo")
    with pytest.raises(DomainError) as caught:
        household_update(actor=kader_miji, scope=scope_for(kader_miji), household=other,
                         data=household_input(posyandu_miji, kk=KK))
    assert set(caught.value.field_errors) == {"kk"}
    assert Household.objects.get(pk=other.pk).kk == "3576030303200003"


def test_update_outside_the_scope_is_not_found(kader_meri, family_miji, posyandu_miji):
    with pytest.raises(NotInScope):
        household_update(actor=kader_meri, scope=scope_for(kader_meri), household=family_miji,
                         data=household_input(posyandu_miji, address="Jl. Curian"))
    assert Household.objects.get(pk=family_miji.pk).address == "Jl. Miji Baru 12"


def test_a_whole_nik_or_kk_finds_exactly_its_owner_not_everyone_with_the_same_last_digits(kader_miji,
                                                                                         posyandu_miji):
    household = register(kader_miji, household_input(posyandu_miji))
    # Another family whose head's NIK ends in the same four digits as Budi's (0002).
    other = register(kader_miji, household_input(posyandu_miji, kk="", members=[
        person_input("Joko Susilo", "M", dt.date(1979, 8, 17), "kepala", nik="3576031708790002")]))
    scope = scope_for(kader_miji)
    assert set(households_visible(scope, search="0002")) == {household, other}
    assert list(households_visible(scope, search=NIK_BUDI)) == [household]
    assert list(households_visible(scope, search="3576 0302 0385 0002")) == [household]
    assert list(households_visible(scope, search=KK)) == [household]
    assert list(persons_visible(scope, search=NIK_BUDI).values_list("full_name", flat=True)) == ["Budi Santoso"]
    assert persons_visible(scope, search="0002").count() == 2
    assert persons_visible(scope, search="3576039999999999").count() == 0
