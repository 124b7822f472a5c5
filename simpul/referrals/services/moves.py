"""Moving a referral through its states. The table in simpul.referrals.states decides; this enforces it.

Every refused move raises a DomainError with a message in Bahasa Indonesia and
changes nothing (the row is locked and the whole move is one transaction).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.audit.services import audit_record
from simpul.core.errors import DomainError, NotInScope
from simpul.referrals import access
from simpul.referrals.models import Agency, Referral, Transition
from simpul.referrals.services.attachments import missing_documents
from simpul.referrals.services.routing import agency_serves
from simpul.referrals.states import CLOSED, Action, Move, State, move_for
from simpul.referrals.workdays import add_working_days, holidays_for_span

NOTE_MAX = 2000


@dataclass
class MoveInput:
    action: str
    note: str = ""
    agency_id: int | None = None
    outcome: str = ""
    outcome_detail: dict = field(default_factory=dict)
    version: int | None = None  # the version the user saw; a stale one is a conflict


def _invalid(field_name: str, message: str) -> DomainError:
    return DomainError(_("Please correct the marked fields."), field_errors={field_name: [message]})


@transaction.atomic
def referral_move(*, actor, scope, referral: Referral, data: MoveInput, now=None) -> Referral:
    now = now or timezone.now()
    # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of the outer join to agency.
    referral = Referral.objects.select_for_update(of=("self",)).select_related("category", "agency").get(pk=referral.pk)
    if not access.can_view(scope, referral):
        raise NotInScope()
    if data.action not in Action.values or data.action == Action.RECORD:
        raise _invalid("action", _("Unknown action."))
    move = move_for(data.action, referral.state)
    if move is None:
        raise DomainError(
            _("A referral that is “%(state)s” cannot be given the action “%(action)s”.")
            % {"state": referral.get_state_display(), "action": Action(data.action).label},
            code="conflict",
        )
    _check_actor(scope, referral, move)
    if data.version is not None and data.version != referral.version:
        raise DomainError(_("Someone changed this referral in the meantime. Reload the page and try again."),
                          code="conflict")
    note = (data.note or "").strip()
    if len(note) > NOTE_MAX:
        raise _invalid("note", _("The note can be at most %(n)s characters.") % {"n": NOTE_MAX})
    new_agency = _check_needs(scope, referral, move, data, note)

    source = referral.state
    referral.state = move.target
    referral.version += 1
    if new_agency is not None:
        referral.agency = new_agency
    # A new stage: another state, or the same state in another agency's hands (redirected again), whose clock
    # and escalations (once per stage_started_at) must not inherit the previous agency's stall.
    if move.target != source or new_agency is not None:
        referral.stage_started_at = now
        referral.stage_started_on = timezone.localtime(now).date()
    if move.target in CLOSED:
        referral.closed_at, referral.closed_on = now, timezone.localtime(now).date()
    if move.action == Action.RESOLVE:
        referral.outcome = data.outcome
        referral.outcome_note = note
    if move.action == Action.REOPEN:
        # A reopened need gets a fresh clock from the day it came back.
        reopened_on = timezone.localtime(now).date()
        days = referral.category.sla_working_days
        referral.due_on = add_working_days(reopened_on, days, holidays_for_span(reopened_on, days))
        referral.closed_at = referral.closed_on = None
        referral.outcome, referral.outcome_note = "", ""
        # The lurah approves each time a confidential need leaves the village, not once for ever.
        referral.confidential_approved_by, referral.confidential_approved_at = None, None
    if move.action == Action.FORWARD and referral.confidential and referral.confidential_approved_by_id is None:
        # Reaching here means the actor is the head (checked in _check_needs): forwarding is the approval.
        referral.confidential_approved_by, referral.confidential_approved_at = actor, now
    referral.save()
    Transition.objects.create(referral=referral, action=move.action, from_state=source, to_state=move.target,
                              actor=actor, at=now, note=note, agency=referral.agency if new_agency else None)
    if move.action == Action.RESOLVE:
        from simpul.referrals.writeback import apply_outcome

        apply_outcome(referral=referral, outcome=data.outcome, detail=data.outcome_detail, actor=actor, now=now)
    audit_record(actor=actor, action=f"referral.{move.action}", obj=referral, region_code=referral.desa_id,
                 changes={"state": [source, move.target], "agency": referral.agency_id})
    from simpul.referrals.notify import notify_move

    notify_move(referral, move.action, now)
    return referral


def _check_actor(scope, referral: Referral, move: Move) -> None:
    roles = set()
    if access.is_village_of(scope, referral):
        roles.add("desa")
    if access.is_agency_of(scope, referral):
        roles.add("opd")
    if not roles & set(move.roles):
        if "opd" in move.roles:
            raise DomainError(_("Only an officer of the agency this referral is routed to can do this."),
                              code="forbidden")
        raise DomainError(_("Only the village government (desa/kelurahan) can do this."), code="forbidden")


def _check_needs(scope, referral: Referral, move: Move, data: MoveInput, note: str) -> Agency | None:
    needs = set(move.needs)
    if "visit_note" in needs and len(note) < 10:
        raise _invalid("note", _("Write what the home visit found (at least 10 characters)."))
    if ("reason" in needs or "note" in needs) and len(note) < 5:
        raise _invalid("note", _("Give the reason (at least 5 characters)."))
    if "outcome" in needs:
        from simpul.referrals.writeback import check_outcome

        check_outcome(referral, data.outcome, data.outcome_detail)
        if len(note) < 5:
            raise _invalid("note", _("Write what was done (at least 5 characters)."))
    new_agency = None
    if "agency" in needs:
        if data.agency_id is None:
            raise _invalid("agency_id", _("Choose the agency to send this referral to."))
        new_agency = Agency.objects.filter(pk=data.agency_id).first()
        if new_agency is None or not agency_serves(new_agency, referral.desa_id):
            raise _invalid("agency_id", _("This agency does not serve this village."))
        if move.action == Action.REDIRECT and new_agency.pk == referral.agency_id:
            raise _invalid("agency_id", _("Choose a different agency to redirect to."))
    if "documents" in needs:
        missing = missing_documents(referral)
        if missing:
            listed = ", ".join(f"{m['label']} ({m['have']}/{m['needed']})" for m in missing)
            raise DomainError(_("Required documents are missing: %(list)s.") % {"list": listed},
                              field_errors={"documents": [listed]}, code="conflict")
    if "confidential_approval" in needs and referral.confidential and referral.confidential_approved_by_id is None \
            and not access.is_head_of(scope, referral):
        raise DomainError(_("A confidential referral leaves the village only with the approval of the lurah or "
                            "kepala desa."), code="forbidden")
    return new_agency


@transaction.atomic
def confidential_approve(*, actor, scope, referral: Referral, note: str = "", now=None) -> Referral:
    """The head approves forwarding a confidential referral (an operator then forwards it)."""
    now = now or timezone.now()
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not access.can_view(scope, referral):
        raise NotInScope()
    if not access.is_head_of(scope, referral):
        raise DomainError(_("Only the lurah or kepala desa can approve this."), code="forbidden")
    if not referral.confidential or referral.confidential_approved_by_id is not None:
        raise DomainError(_("There is nothing to approve on this referral."), code="conflict")
    if referral.state not in (State.RECORDED, State.VERIFIED, State.REOPENED):
        raise DomainError(_("There is nothing to approve on this referral."), code="conflict")
    referral.confidential_approved_by, referral.confidential_approved_at = actor, now
    referral.version += 1
    referral.save(update_fields=["confidential_approved_by", "confidential_approved_at", "version"])
    Transition.objects.create(referral=referral, action="approve", from_state=referral.state,
                              to_state=referral.state, actor=actor, at=now, note=(note or "").strip()[:NOTE_MAX])
    audit_record(actor=actor, action="referral.approve", obj=referral, region_code=referral.desa_id)
    return referral
