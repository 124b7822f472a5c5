"""Consent per purpose (UU PDP): a child's record needs a parent's or guardian's consent."""

import datetime as dt

import pytest
from django.utils import timezone

from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.registry.models import Consent, Person
from simpul.registry.selectors import person_consents
from simpul.registry.services import consent_record, consent_withdraw
from simpul.registry.tests.kit import counts


@pytest.fixture
def child(family_miji):
    return family_miji.members.get(full_name="Aisyah Putri")  # born 2024-01-15


@pytest.fixture
def adult(family_miji):
    return family_miji.members.get(full_name="Siti Aminah")


def record(user, person, **kwargs):
    kwargs = {"purpose": "pendataan", "method": "tertulis", "given_on": timezone.localdate(), **kwargs}
    return consent_record(actor=user, scope=scope_for(user), person=person, **kwargs)


def test_an_adult_consents_for_herself(kader_miji, adult):
    consent = record(kader_miji, adult, method="lisan")
    assert (consent.person, consent.purpose, consent.method, consent.witness, consent.guardian_name) == (
        adult, "pendataan", "lisan", kader_miji, "")
    assert list(person_consents(adult)) == [consent]
    entry = AuditEntry.objects.get(action="registry.consent.recorded")
    assert entry.changes == {"person": adult.pk, "purpose": "pendataan", "method": "lisan"}


def test_a_child_needs_a_guardian(kader_miji, child):
    before = counts()
    with pytest.raises(DomainError) as caught:
        record(kader_miji, child)
    assert set(caught.value.field_errors) == {"guardian_name"}
    assert counts() == before


def test_a_child_with_a_guardian_is_recorded(kader_miji, child):
    consent = record(kader_miji, child, guardian_name="  Siti   Aminah ", guardian_relationship="ibu kandung")
    assert (consent.guardian_name, consent.guardian_relationship) == ("Siti Aminah", "ibu kandung")


def test_the_guardian_rule_ends_on_the_eighteenth_birthday(kader_miji, family_miji):
    teen = Person.objects.create(household=family_miji, posyandu=family_miji.posyandu, desa=family_miji.desa,
                                 full_name="Rina", sex="F", birth_date=dt.date(2006, 5, 17), relationship="anak",
                                 provisional_id="TMP-TEST-RINA")
    with pytest.raises(DomainError):
        record(kader_miji, teen, given_on=dt.date(2024, 5, 16))
    assert record(kader_miji, teen, given_on=dt.date(2024, 5, 17)).guardian_name == ""


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"purpose": "marketing"}, "purpose"),
        ({"method": "telepati"}, "method"),
        ({"given_on": dt.date(2999, 1, 1)}, "given_on"),
        ({"given_on": dt.date(1987, 1, 1)}, "given_on"),  # before she was born
        ({"guardian_name": "G" * 121}, "guardian_name"),
        ({"guardian_relationship": "r" * 41}, "guardian_relationship"),
    ],
)
def test_it_refuses_bad_input_with_field_errors(kader_miji, adult, changes, field):
    before = counts()
    with pytest.raises(DomainError) as caught:
        record(kader_miji, adult, **changes)
    assert field in caught.value.field_errors
    assert counts() == before


def test_it_is_not_found_outside_the_scope(kader_jepara, lurah_miji, adult):
    for outsider in (kader_jepara, lurah_miji):
        with pytest.raises(NotInScope):
            record(outsider, adult)
    assert Consent.objects.count() == 0


def test_a_consent_can_be_withdrawn_once(kader_miji, adult):
    consent = record(kader_miji, adult, given_on=dt.date(2025, 1, 2))
    withdrawn = consent_withdraw(actor=kader_miji, scope=scope_for(kader_miji), consent=consent,
                                 withdrawn_on=dt.date(2025, 2, 1), reason=" pindah ")
    assert (withdrawn.withdrawn_on, withdrawn.withdrawal_reason) == (dt.date(2025, 2, 1), "pindah")
    assert AuditEntry.objects.filter(action="registry.consent.withdrawn").count() == 1
    with pytest.raises(DomainError):
        consent_withdraw(actor=kader_miji, scope=scope_for(kader_miji), consent=withdrawn,
                         withdrawn_on=dt.date(2025, 2, 2))


@pytest.mark.parametrize("withdrawn_on", [dt.date(2025, 1, 1), dt.date(2999, 1, 1)])
def test_a_withdrawal_date_must_lie_between_consent_and_today(kader_miji, adult, withdrawn_on):
    consent = record(kader_miji, adult, given_on=dt.date(2025, 1, 2))
    with pytest.raises(DomainError) as caught:
        consent_withdraw(actor=kader_miji, scope=scope_for(kader_miji), consent=consent, withdrawn_on=withdrawn_on)
    assert "withdrawn_on" in caught.value.field_errors
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is None


def test_withdrawal_outside_the_scope_is_not_found(kader_miji, kader_meri, adult):
    consent = record(kader_miji, adult)
    with pytest.raises(NotInScope):
        consent_withdraw(actor=kader_meri, scope=scope_for(kader_meri), consent=consent,
                         withdrawn_on=timezone.localdate())
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is None
