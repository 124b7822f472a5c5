"""Writes to the household and resident registry. Views and the API call only these."""

from simpul.registry.services.consent import consent_record, consent_withdraw
from simpul.registry.services.duplicates import duplicate_decide, duplicates_find
from simpul.registry.services.households import HouseholdInput, household_register, household_update
from simpul.registry.services.moves import household_move, person_move
from simpul.registry.services.people import PersonInput, person_register, person_update

__all__ = [
    "HouseholdInput",
    "PersonInput",
    "consent_record",
    "consent_withdraw",
    "duplicate_decide",
    "duplicates_find",
    "household_move",
    "household_register",
    "household_update",
    "person_move",
    "person_register",
    "person_update",
]
