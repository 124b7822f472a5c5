"""Indonesian mobile numbers in the one form WhatsApp (wa.me) and SMS gateways accept: ``62`` and the digits.

Pure: no database. Kader type numbers as they say them (``0812-3456-7890``, ``+62 812…``, ``812…``).
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-().]")


def phone_normalise(text: str) -> str:
    """``62812…`` for an Indonesian mobile number, or ``""`` when the text is not one.

    Only mobile numbers (``8…`` after the country code) are kept: a landline cannot receive WhatsApp and most
    SMS gateways refuse it.
    """
    digits = _SEPARATORS.sub("", text or "")
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("00"):
        digits = digits[2:]
    if not digits.isdigit():
        return ""
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    # 62 8xx and 8 to 11 more digits: the lengths Indonesian operators issue.
    if not digits.startswith("628") or not 11 <= len(digits) <= 15:
        return ""
    return digits
