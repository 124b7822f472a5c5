"""The publikasi rule: a photo showing a child (< 18) leaves the posyandu (gallery, share card) only when
every tagged child has an active publication consent from a parent or guardian and no untagged child is
visible. Decided on the day it is read: a withdrawn consent takes the photo back at once."""

import datetime as dt

import pytest

from conftest import person_input, register_family
from simpul.accounts.scope import scope_for
from simpul.activities import selectors
from simpul.activities.models import ActivityPhoto
from simpul.activities.services import TagInput, photo_tags_set
from simpul.activities.tests.kit import phone_photo, record
from simpul.registry.models import Consent
from simpul.registry.services.consent import consent_record, consent_withdraw

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def family(kader_miji, posyandu_miji):
    # Budi (1985) and Siti (1988) are adults; Aisyah (2024) is a child; Rina turns 18 on 20 November 2026.
    return register_family(
        kader_miji,
        posyandu_miji,
        members=[
            person_input("Budi Santoso", "M", dt.date(1985, 3, 2), "kepala"),
            person_input("Siti Aminah", "F", dt.date(1988, 7, 9), "istri"),
            person_input("Aisyah Putri", "F", dt.date(2024, 1, 15), "anak", mother_name="Siti Aminah"),
            person_input("Rina Lestari", "F", dt.date(2008, 11, 20), "anak", mother_name="Siti Aminah"),
            person_input("Dewi Anjani", "F", dt.date(2008, 11, 21), "anak", mother_name="Siti Aminah"),
        ],
    )


def member(family, name):
    return family.members.get(full_name=name)


def photo_tagged(kader, posyandu, people, **flags):
    tags = TagInput(person_ids=[p.pk for p in people], **{"share_requested": True, **flags})
    return record(kader, posyandu, photos=[phone_photo(64, 48)], tags=tags).photos.get()


def shareable(photo, today=TODAY) -> bool:
    return ActivityPhoto.objects.filter(pk=photo.pk).filter(selectors.shareable_q(today)).exists()


def consent(kader, person, given_on=dt.date(2026, 10, 1)):
    return consent_record(
        actor=kader,
        scope=scope_for(kader),
        person=person,
        purpose=Consent.Purpose.PUBLICATION,
        method=Consent.Method.WRITTEN,
        given_on=given_on,
        guardian_name="Siti Aminah",
        guardian_relationship="ibu",
        now=dt.datetime(2026, 11, 1, 3, tzinfo=dt.UTC),
    )


def test_a_photo_of_adults_marked_for_sharing_is_shareable(kader_miji, posyandu_miji, family):
    photo = photo_tagged(
        kader_miji, posyandu_miji, [member(family, "Budi Santoso"), member(family, "Siti Aminah")]
    )
    assert shareable(photo)
    assert selectors.share_block_reasons(photo, today=TODAY) == []


def test_a_child_without_consent_keeps_the_photo_private_and_the_kader_is_told_why(
    kader_miji, posyandu_miji, family
):
    photo = photo_tagged(
        kader_miji, posyandu_miji, [member(family, "Siti Aminah"), member(family, "Aisyah Putri")]
    )
    assert not shareable(photo)
    reasons = selectors.share_block_reasons(photo, today=TODAY)
    assert len(reasons) == 1 and "Aisyah Putri" in reasons[0] and "Siti Aminah" not in reasons[0]
    assert selectors.card_photo(photo.activity, today=TODAY) is None
    assert not selectors.gallery(scope_for(kader_miji), today=TODAY).exists()


def test_consent_makes_it_shareable_and_withdrawal_takes_it_back(kader_miji, posyandu_miji, family):
    aisyah = member(family, "Aisyah Putri")
    photo = photo_tagged(kader_miji, posyandu_miji, [aisyah])
    given = consent(kader_miji, aisyah)
    assert shareable(photo)
    assert selectors.card_photo(photo.activity, today=TODAY) == photo
    assert list(selectors.gallery(scope_for(kader_miji), today=TODAY)) == [photo]
    consent_withdraw(
        actor=kader_miji,
        scope=scope_for(kader_miji),
        consent=given,
        withdrawn_on=dt.date(2026, 11, 18),
        reason="Ibu tidak berkenan",
        now=dt.datetime(2026, 11, 18, 3, tzinfo=dt.UTC),
    )
    assert not shareable(photo)
    assert shareable(photo, today=dt.date(2026, 11, 17))  # it was shareable before the withdrawal
    assert not selectors.gallery(scope_for(kader_miji), today=TODAY).exists()


def test_another_purpose_or_a_future_consent_does_not_count(kader_miji, posyandu_miji, family):
    aisyah = member(family, "Aisyah Putri")
    consent_record(
        actor=kader_miji,
        scope=scope_for(kader_miji),
        person=aisyah,
        purpose=Consent.Purpose.HEALTH_SERVICE,
        method=Consent.Method.ORAL,
        given_on=dt.date(2026, 10, 1),
        guardian_name="Siti Aminah",
        now=dt.datetime(2026, 11, 1, 3, tzinfo=dt.UTC),
    )
    photo = photo_tagged(kader_miji, posyandu_miji, [aisyah])
    assert not shareable(photo)
    consent(kader_miji, aisyah, given_on=dt.date(2026, 11, 1))
    assert not shareable(photo, today=dt.date(2026, 10, 31)) and shareable(photo, today=TODAY)


def test_the_child_rule_ends_on_the_eighteenth_birthday(kader_miji, posyandu_miji, family):
    rina = photo_tagged(kader_miji, posyandu_miji, [member(family, "Rina Lestari")])  # 18 today
    dewi = photo_tagged(kader_miji, posyandu_miji, [member(family, "Dewi Anjani")])  # 18 tomorrow
    assert shareable(rina) and not shareable(rina, today=dt.date(2026, 11, 19))
    assert not shareable(dewi)


def test_an_untagged_child_or_no_request_keeps_it_private(kader_miji, posyandu_miji, family):
    adults = [member(family, "Budi Santoso")]
    untagged = photo_tagged(kader_miji, posyandu_miji, adults, untagged_children=True)
    unasked = photo_tagged(kader_miji, posyandu_miji, adults, share_requested=False)
    assert not shareable(untagged) and not shareable(unasked)
    assert len(selectors.share_block_reasons(untagged, today=TODAY)) == 1
    photo_tags_set(
        actor=kader_miji,
        scope=scope_for(kader_miji),
        photo=untagged,
        tags=TagInput(person_ids=[p.pk for p in adults], share_requested=True),
    )
    assert shareable(untagged)


def test_the_lurah_may_not_retag_a_photo(kader_miji, lurah_miji, posyandu_miji, family):
    from simpul.core.errors import NotInScope

    photo = photo_tagged(kader_miji, posyandu_miji, [member(family, "Aisyah Putri")])
    with pytest.raises(NotInScope):
        photo_tags_set(
            actor=lurah_miji, scope=scope_for(lurah_miji), photo=photo, tags=TagInput(share_requested=True)
        )
