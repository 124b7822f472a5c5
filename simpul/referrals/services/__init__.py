"""Writes of the referral flow. Views and the API call these; each one is a single transaction."""

from simpul.referrals.services.attachments import FileInput, attachment_add, missing_documents
from simpul.referrals.services.moves import MoveInput, confidential_approve, referral_move
from simpul.referrals.services.record import NeedInput, referral_record
from simpul.referrals.services.routing import route_for

__all__ = [
    "FileInput",
    "MoveInput",
    "NeedInput",
    "attachment_add",
    "confidential_approve",
    "missing_documents",
    "referral_move",
    "referral_record",
    "route_for",
]
