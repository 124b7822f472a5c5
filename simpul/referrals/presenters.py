"""What the referral pages show, shaped once: masking of confidential parts happens here, not in templates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from simpul.accounts.scope import Scope
from simpul.referrals import access
from simpul.referrals.models import FIELD_CHOICES, Referral
from simpul.referrals.sla import clock
from simpul.referrals.states import CLOSED, actions_from

FIELD_LABELS = dict(FIELD_CHOICES)


@dataclass(frozen=True)
class Row:
    pk: int
    ticket: str
    category: str
    field: str
    field_label: str
    desa: str
    rt_rw: str
    subject: str
    state: str
    state_label: str
    recorded_on: dt.date
    due_on: dt.date
    overdue: bool
    agency: str
    confidential: bool
    outcome: str


def subject_label(referral: Referral) -> str:
    if referral.person_id:
        return referral.person.full_name
    if referral.household_id:
        return _("Household of %(name)s") % {"name": referral.household.head_name or "—"}
    return _("RT %(rt)s / RW %(rw)s") % {"rt": referral.rt or "—", "rw": referral.rw or "—"}


def row(referral: Referral, scope: Scope, today: dt.date) -> Row:
    # Lists never name the subject of a confidential referral; the detail page does, and logs the view.
    subject = _("(confidential)") if referral.confidential else subject_label(referral)
    return Row(
        pk=referral.pk, ticket=referral.ticket, category=referral.category.label, field=referral.field,
        field_label=str(FIELD_LABELS.get(referral.field, referral.field)), desa=referral.desa.name,
        rt_rw=f"{referral.rt or '—'}/{referral.rw or '—'}", subject=subject, state=referral.state,
        state_label=referral.get_state_display(), recorded_on=referral.recorded_on, due_on=referral.due_on,
        overdue=referral.state not in CLOSED and referral.due_on < today,
        agency=str(referral.agency) if referral.agency_id else "", confidential=referral.confidential,
        outcome=referral.outcome,
    )


def detail(referral: Referral, scope: Scope, today: dt.date) -> dict:
    return {
        "row": row(referral, scope, today),
        "subject": subject_label(referral),
        "clock": clock(referral, today=today),
        "field_label": str(FIELD_LABELS.get(referral.field, referral.field)),
        "health_detail": access.shows_health_detail(scope, referral),
    }


def actions_for(scope: Scope, referral: Referral) -> list[str]:
    """The actions this user can take on this referral now (the table, then the object check)."""
    roles = set()
    if access.is_village_of(scope, referral):
        roles.add("desa")
    if access.is_agency_of(scope, referral):
        roles.add("opd")
    return [move.action for move in actions_from(referral.state, frozenset(roles))]


def can_approve(scope: Scope, referral: Referral) -> bool:
    return (referral.confidential and referral.confidential_approved_by_id is None
            and referral.state not in CLOSED and access.is_head_of(scope, referral))


def categories_by_field(categories) -> list[tuple[str, str, list]]:
    groups: dict[str, list] = {}
    for category in categories:
        groups.setdefault(category.field, []).append(category)
    return [(code, str(FIELD_LABELS.get(code, code)), items) for code, items in groups.items()]

