"""A user's contact for WhatsApp/SMS: the number is checked and normalised, and no channel without a number."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from simpul.notifications.models import Contact

pytestmark = pytest.mark.django_db


def test_the_number_is_stored_in_62_form(lurah_miji):
    contact = Contact(user=lurah_miji, phone="0812-3456-7890", whatsapp=True)
    contact.full_clean()
    contact.save()
    assert Contact.objects.get(user=lurah_miji).phone == "6281234567890"


def test_a_number_that_is_not_a_mobile_is_refused(lurah_miji):
    with pytest.raises(ValidationError) as caught:
        Contact(user=lurah_miji, phone="0321 123456", sms=True).full_clean()
    assert "phone" in caught.value.message_dict


def test_a_channel_needs_a_number(lurah_miji):
    with pytest.raises(ValidationError) as caught:
        Contact(user=lurah_miji, whatsapp=True).full_clean()
    assert "phone" in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(user=lurah_miji, phone="", sms=True)
