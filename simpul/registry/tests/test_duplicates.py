"""Double registrations: the same NIK is refused; a fuzzy match is proposed for a kader to decide."""

import datetime as dt

import pytest

from conftest import person_input, register_family
from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.registry.models import DuplicateCandidate, Person
from simpul.registry.selectors import duplicate_proposals, linked_records, persons_visible
from simpul.registry.services import duplicate_decide, duplicates_find
from simpul.registry.services.duplicates import match_score, normalise_name
from simpul.registry.tests.kit import NIK_SITI_AMINAH_1990, counts


def family(user, posyandu, head, *children):
    members = [person_input(head, "M", dt.date(1980, 1, 1), "kepala")] + [
        person_input(name, sex, birth, "anak", mother_name=mother) for name, sex, birth, mother in children]
    return register_family(user, posyandu, head=head, members=members)


def registered(capture, user, posyandu, head, *children):
    """Register a family and run what happens after commit (the duplicate search)."""
    with capture(execute=True):
        return family(user, posyandu, head, *children)


AISYAH = ("Aisyah Putri", "F", dt.date(2024, 1, 15), "Siti Aminah")


def test_the_same_nik_is_refused_outright(kader_miji, posyandu_miji, kader_meri, posyandu_meri):
    register_family(kader_miji, posyandu_miji, members=[
        person_input("Siti Aminah", "F", dt.date(1990, 5, 17), "kepala", nik=NIK_SITI_AMINAH_1990)])
    before = counts()
    with pytest.raises(DomainError) as caught:
        register_family(kader_meri, posyandu_meri, members=[
            person_input("Siti Aminah", "F", dt.date(1990, 5, 17), "kepala", nik=NIK_SITI_AMINAH_1990)])
    assert "members.0.nik" in caught.value.field_errors
    assert counts() == before


def test_a_similar_child_in_another_household_of_the_desa_is_proposed(
        kader_miji, posyandu_miji, django_capture_on_commit_callbacks):
    first = registered(django_capture_on_commit_callbacks, kader_miji, posyandu_miji, "Budi", AISYAH)
    # Registered again by another kader visit: one letter and one day differ, same mother.
    second = registered(django_capture_on_commit_callbacks, kader_miji, posyandu_miji, "Ahmad",
                        ("Aisyah Putry", "F", dt.date(2024, 1, 16), "Ibu Siti Aminah"))
    proposal = DuplicateCandidate.objects.get()
    older, newer = first.members.get(full_name="Aisyah Putri"), second.members.get(full_name="Aisyah Putry")
    assert (proposal.person, proposal.other, proposal.status) == (newer, older, "proposed")
    assert 0.85 <= proposal.score <= 1
    assert "birth_date_gap_days:1" in proposal.reasons
    assert list(duplicate_proposals(scope_for(kader_miji), person=older)) == [proposal]


def test_a_similar_child_in_another_desa_is_not_proposed(kader_miji, posyandu_miji, kader_meri, posyandu_meri,
                                                         django_capture_on_commit_callbacks):
    registered(django_capture_on_commit_callbacks, kader_miji, posyandu_miji, "Budi", AISYAH)
    registered(django_capture_on_commit_callbacks, kader_meri, posyandu_meri, "Ahmad", AISYAH)
    assert DuplicateCandidate.objects.count() == 0


@pytest.mark.parametrize(
    "other",
    [
        ("Aisyah Putri", "M", dt.date(2024, 1, 15), "Siti Aminah"),  # other sex
        ("Aisyah Putri", "F", dt.date(2024, 3, 20), "Siti Aminah"),  # born two months apart
        ("Aisyah Putri", "F", dt.date(2024, 1, 15), "Dewi Lestari"),  # other mother
        ("Nur Hidayah", "F", dt.date(2024, 1, 15), "Siti Aminah"),  # other name
    ],
)
def test_different_people_are_not_proposed(kader_miji, posyandu_miji, django_capture_on_commit_callbacks, other):
    registered(django_capture_on_commit_callbacks, kader_miji, posyandu_miji, "Budi", AISYAH)
    registered(django_capture_on_commit_callbacks, kader_miji, posyandu_miji, "Ahmad", other)
    assert DuplicateCandidate.objects.count() == 0


def test_twins_in_one_household_are_not_proposed(kader_miji, posyandu_miji, django_capture_on_commit_callbacks):
    twins = registered(django_capture_on_commit_callbacks, kader_miji, posyandu_miji, "Budi",
                       ("Muhammad Rizki", "M", dt.date(2024, 2, 2), "Siti Aminah"),
                       ("Muhammad Rizky", "M", dt.date(2024, 2, 2), "Siti Aminah"))
    rizki, rizky = twins.members.get(full_name="Muhammad Rizki"), twins.members.get(full_name="Muhammad Rizky")
    # Their records would match on their own; only living in one household keeps them apart.
    assert match_score(rizki, rizky) is not None
    assert DuplicateCandidate.objects.count() == 0
    assert duplicates_find(person=rizki) == []


def test_confirming_links_the_newer_record_to_the_older(kader_miji, posyandu_miji,
                                                        django_capture_on_commit_callbacks):
    first = registered(django_capture_on_commit_callbacks, kader_miji, posyandu_miji, "Budi", AISYAH)
    registered(django_capture_on_commit_callbacks, kader_miji, posyandu_miji, "Ahmad", AISYAH)
    proposal = DuplicateCandidate.objects.get()
    decided = duplicate_decide(actor=kader_miji, scope=scope_for(kader_miji), candidate=proposal, same_person=True)
    assert (decided.status, decided.decided_by) == ("confirmed", kader_miji)
    older = first.members.get(full_name="Aisyah Putri")
    newer = Person.objects.get(pk=proposal.person_id)
    assert (newer.duplicate_of, newer.version) == (older, 2)
    assert list(linked_records(older)) == [newer]
    # Both rows are kept, but lists show the resident once.
    visible = persons_visible(scope_for(kader_miji)).filter(full_name="Aisyah Putri")
    assert list(visible) == [older]
    assert Person.objects.filter(full_name="Aisyah Putri").count() == 2
    assert AuditEntry.objects.filter(action="registry.person.linked_as_duplicate", object_id=str(newer.pk)).exists()
    assert list(duplicate_proposals(scope_for(kader_miji))) == []
    with pytest.raises(DomainError):
        duplicate_decide(actor=kader_miji, scope=scope_for(kader_miji), candidate=proposal, same_person=False)


def test_dismissing_keeps_both_and_does_not_propose_again(kader_miji, posyandu_miji,
                                                          django_capture_on_commit_callbacks):
    registered(django_capture_on_commit_callbacks, kader_miji, posyandu_miji, "Budi", AISYAH)
    registered(django_capture_on_commit_callbacks, kader_miji, posyandu_miji, "Ahmad", AISYAH)
    proposal = DuplicateCandidate.objects.get()
    duplicate_decide(actor=kader_miji, scope=scope_for(kader_miji), candidate=proposal, same_person=False)
    assert DuplicateCandidate.objects.get().status == "dismissed"
    both = Person.objects.filter(full_name="Aisyah Putri")
    assert both.count() == 2 and not both.filter(duplicate_of__isnull=False).exists()
    assert persons_visible(scope_for(kader_miji)).filter(full_name="Aisyah Putri").count() == 2
    assert duplicates_find(person=proposal.person) == []
    assert DuplicateCandidate.objects.count() == 1
    assert list(duplicate_proposals(scope_for(kader_miji))) == []


def test_a_record_already_linked_cannot_be_linked_again(kader_miji, posyandu_miji,
                                                        django_capture_on_commit_callbacks):
    registered(django_capture_on_commit_callbacks, kader_miji, posyandu_miji, "Budi", AISYAH)
    registered(django_capture_on_commit_callbacks, kader_miji, posyandu_miji, "Ahmad", AISYAH)
    registered(django_capture_on_commit_callbacks, kader_miji, posyandu_miji, "Candra", AISYAH)
    proposals = list(DuplicateCandidate.objects.order_by("person_id", "other_id"))
    assert len(proposals) == 3  # every pair of the three
    duplicate_decide(actor=kader_miji, scope=scope_for(kader_miji), candidate=proposals[0], same_person=True)
    # proposals[0] linked the second to the first; linking the third to the second would make a chain.
    chained = next(p for p in proposals[1:] if p.other_id == proposals[0].person_id)
    with pytest.raises(DomainError):
        duplicate_decide(actor=kader_miji, scope=scope_for(kader_miji), candidate=chained, same_person=True)
    assert Person.objects.filter(duplicate_of__isnull=False).count() == 1


def test_deciding_outside_the_scope_is_not_found(kader_miji, posyandu_miji, kader_meri, lurah_miji,
                                                 django_capture_on_commit_callbacks):
    registered(django_capture_on_commit_callbacks, kader_miji, posyandu_miji, "Budi", AISYAH)
    registered(django_capture_on_commit_callbacks, kader_miji, posyandu_miji, "Ahmad", AISYAH)
    proposal = DuplicateCandidate.objects.get()
    assert list(duplicate_proposals(scope_for(kader_meri))) == []
    for outsider in (kader_meri, lurah_miji):
        with pytest.raises(NotInScope):
            duplicate_decide(actor=outsider, scope=scope_for(outsider), candidate=proposal, same_person=True)
    assert DuplicateCandidate.objects.get().status == "proposed"


def test_names_are_compared_without_titles_accents_or_case():
    assert normalise_name("Hj. Siti  AMINAH") == normalise_name("siti aminah")
    assert normalise_name("Ibu Sïti Aminah") == "siti aminah"
