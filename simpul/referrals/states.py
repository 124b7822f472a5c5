"""The referral's states and the one table of allowed moves (issue 4).

Every move a service makes is looked up here: who (role) may move a referral
from which state to which, under which action name. Nothing else in the code
decides whether a move is allowed; the database constrains the state values and
what each state requires (agency, outcome).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.accounts.roles import Role


class State(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    VERIFIED = "verified", _("Verified by the village")
    FORWARDED = "forwarded", _("Forwarded to the agency")
    ACCEPTED = "accepted", _("Accepted by the agency")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    REJECTED = "rejected", _("Rejected")
    REDIRECTED = "redirected", _("Redirected to another agency")
    REOPENED = "reopened", _("Reopened")


class Action(models.TextChoices):
    RECORD = "record", _("Record")
    VERIFY = "verify", _("Verify")
    FORWARD = "forward", _("Forward")
    ACCEPT = "accept", _("Accept")
    START = "start", _("Start work")
    UPDATE = "update", _("Progress update")
    RESOLVE = "resolve", _("Resolve")
    REDIRECT = "redirect", _("Redirect")
    REJECT = "reject", _("Reject")
    REOPEN = "reopen", _("Reopen")


# States in which an agency holds the referral (and the referral must name it).
WITH_AGENCY = frozenset({State.FORWARDED, State.ACCEPTED, State.IN_PROGRESS, State.RESOLVED, State.REDIRECTED})
# States that end the SLA clock.
CLOSED = frozenset({State.RESOLVED, State.REJECTED})
# States the village still holds (nobody outside the desa sees a confidential referral here).
AT_VILLAGE = frozenset({State.RECORDED, State.VERIFIED, State.REOPENED})


@dataclass(frozen=True)
class Move:
    action: str
    source: str
    target: str
    roles: frozenset[str]
    # What the move needs besides the role (checked by the service, named here so the table says it all).
    needs: tuple[str, ...] = ()


def _m(action, source, target, roles, *needs) -> Move:
    return Move(action, source, target, frozenset(roles), tuple(needs))


VILLAGE = {Role.DESA}
AGENCY = {Role.OPD}

MOVES: tuple[Move, ...] = (
    _m(Action.VERIFY, State.RECORDED, State.VERIFIED, VILLAGE, "visit_note"),
    _m(Action.REJECT, State.RECORDED, State.REJECTED, VILLAGE, "reason"),
    _m(Action.FORWARD, State.VERIFIED, State.FORWARDED, VILLAGE, "agency", "documents", "confidential_approval"),
    _m(Action.REJECT, State.VERIFIED, State.REJECTED, VILLAGE, "reason"),
    _m(Action.ACCEPT, State.FORWARDED, State.ACCEPTED, AGENCY, "own_agency"),
    _m(Action.REDIRECT, State.FORWARDED, State.REDIRECTED, AGENCY, "own_agency", "agency", "reason"),
    _m(Action.REJECT, State.FORWARDED, State.REJECTED, AGENCY, "own_agency", "reason"),
    _m(Action.ACCEPT, State.REDIRECTED, State.ACCEPTED, AGENCY, "own_agency"),
    _m(Action.REDIRECT, State.REDIRECTED, State.REDIRECTED, AGENCY, "own_agency", "agency", "reason"),
    _m(Action.REJECT, State.REDIRECTED, State.REJECTED, AGENCY, "own_agency", "reason"),
    _m(Action.START, State.ACCEPTED, State.IN_PROGRESS, AGENCY, "own_agency"),
    _m(Action.RESOLVE, State.ACCEPTED, State.RESOLVED, AGENCY, "own_agency", "outcome"),
    _m(Action.REDIRECT, State.ACCEPTED, State.REDIRECTED, AGENCY, "own_agency", "agency", "reason"),
    _m(Action.REJECT, State.ACCEPTED, State.REJECTED, AGENCY, "own_agency", "reason"),
    _m(Action.UPDATE, State.IN_PROGRESS, State.IN_PROGRESS, AGENCY, "own_agency", "note"),
    _m(Action.RESOLVE, State.IN_PROGRESS, State.RESOLVED, AGENCY, "own_agency", "outcome"),
    _m(Action.REDIRECT, State.IN_PROGRESS, State.REDIRECTED, AGENCY, "own_agency", "agency", "reason"),
    _m(Action.REJECT, State.IN_PROGRESS, State.REJECTED, AGENCY, "own_agency", "reason"),
    # The village reopens a closed referral when the family says the need is still there.
    _m(Action.REOPEN, State.RESOLVED, State.REOPENED, VILLAGE, "reason"),
    _m(Action.REOPEN, State.REJECTED, State.REOPENED, VILLAGE, "reason"),
    # A reopened need is visited and verified again before it goes out (and a confidential one approved again).
    _m(Action.VERIFY, State.REOPENED, State.VERIFIED, VILLAGE, "visit_note"),
    _m(Action.REJECT, State.REOPENED, State.REJECTED, VILLAGE, "reason"),
)

# Who may record a new referral (the move into ``recorded``): the kader in the household, the posyandu
# board, and the village office when a citizen comes to it.
RECORDERS = frozenset({Role.KADER, Role.PENGURUS, Role.DESA})


def move_for(action: str, source: str) -> Move | None:
    for move in MOVES:
        if move.action == action and move.source == source:
            return move
    return None


def actions_from(source: str, roles: frozenset[str]) -> list[Move]:
    """The moves a user holding ``roles`` could make from ``source`` (before object checks)."""
    return [m for m in MOVES if m.source == source and m.roles & roles]
