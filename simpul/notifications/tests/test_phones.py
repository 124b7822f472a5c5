"""Phone numbers as kader type them, into the 62… form WhatsApp and SMS gateways accept."""

import pytest

from simpul.notifications.phones import phone_normalise


@pytest.mark.parametrize("typed, expected", [
    ("0812-3456-7890", "6281234567890"),
    ("0812 3456 7890", "6281234567890"),
    ("+62 812 3456 7890", "6281234567890"),
    ("62812-3456-7890", "6281234567890"),
    ("0062 812 3456 7890", "6281234567890"),
    ("812 3456 7890", "6281234567890"),
    ("(0857) 1234.5678", "6285712345678"),
    ("08123456789", "628123456789"),  # an 11-digit number (0 + 10)
])
def test_mobile_numbers_are_normalised(typed, expected):
    assert phone_normalise(typed) == expected


@pytest.mark.parametrize("typed", [
    "", "   ", "0321 123456",  # a Mojokerto landline: no WhatsApp
    "+1 415 555 0100",  # not Indonesian
    "0812", "0812 3456 7890 1234 5",  # too short, too long
    "0812-3456-789O",  # a letter O for a zero
    "hubungi pak RT",
])
def test_anything_else_is_refused(typed):
    assert phone_normalise(typed) == ""
