"""Reads of referrals. Every function takes the scope first and returns nothing outside it."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from simpul.accounts.scope import Scope, require_scope
from simpul.core.errors import NotInScope
from simpul.referrals import access
from simpul.referrals.models import Agency, Category, Referral
from simpul.referrals.services.tickets import normalise_ticket
from simpul.referrals.states import AT_VILLAGE, CLOSED, State

BOXES = ("all", "mine", "to_verify", "to_forward", "overdue", "new", "working", "closed")


def referrals_visible(scope: Scope | None, *, box: str = "all", state: str = "", field: str = "",
                      category: str = "", agency_id: int | None = None, search: str = "",
                      today: dt.date | None = None) -> QuerySet[Referral]:
    scope = require_scope(scope)
    condition = access.visible_q(scope)
    if condition is None:
        return Referral.objects.none()
    today = today or timezone.localdate()
    qs = Referral.objects.filter(condition).select_related("category", "agency", "desa", "posyandu", "person",
                                                           "household")
    qs = _box(qs, box, scope, today)
    if state:
        qs = qs.filter(state=state)
    if field:
        qs = qs.filter(field=field)
    if category:
        qs = qs.filter(category__code=category)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    term = " ".join((search or "").split())
    if term:
        qs = qs.filter(Q(ticket__icontains=term) | Q(person__full_name__icontains=term)
                       | Q(household__head_name__icontains=term))
    return qs.order_by("due_on", "-recorded_at")


def _box(qs: QuerySet, box: str, scope: Scope, today: dt.date) -> QuerySet:
    if box == "mine":
        return qs.filter(reporter_id=scope.user_id)
    if box == "to_verify":
        return qs.filter(state__in=[State.RECORDED, State.REOPENED])
    if box == "to_forward":
        return qs.filter(state=State.VERIFIED)
    if box == "overdue":
        return qs.exclude(state__in=sorted(CLOSED)).filter(due_on__lt=today)
    if box == "new":
        return qs.filter(state__in=[State.FORWARDED, State.REDIRECTED])
    if box == "working":
        return qs.filter(state__in=[State.ACCEPTED, State.IN_PROGRESS])
    if box == "closed":
        return qs.filter(state__in=sorted(CLOSED))
    return qs


def referral_get(scope: Scope | None, pk) -> Referral:
    scope = require_scope(scope)
    condition = access.visible_q(scope)
    referral = None
    if condition is not None:
        referral = (
            Referral.objects.filter(condition).select_related("category", "agency", "desa", "posyandu", "person",
                                                              "household", "reporter").filter(pk=pk).first()
        )
    if referral is None:
        raise NotInScope()
    return referral


def referral_history(referral: Referral):
    return referral.transitions.select_related("actor", "agency").order_by("at", "pk")


def monitor_tickets(scope: Scope | None, *, box: str = "all", today: dt.date | None = None) -> QuerySet[Referral]:
    """Tickets a camat or Tim Pembina lists: no person, household, description or reporter (use .values)."""
    scope = require_scope(scope)
    condition = access.monitor_q(scope)
    if condition is None:
        return Referral.objects.none()
    today = today or timezone.localdate()
    qs = Referral.objects.filter(condition)
    if box == "overdue":
        qs = qs.exclude(state__in=sorted(CLOSED)).filter(due_on__lt=today)
    elif box == "escalated":
        qs = qs.filter(escalations__isnull=False).exclude(state__in=sorted(CLOSED)).distinct()
    return qs.order_by("due_on")


def referral_counts(scope: Scope | None, *, region_prefix: str) -> dict[str, int]:
    """Counts by state for a region (confidential included: a count names no one)."""
    scope = require_scope(scope)
    condition = access.count_q(scope)
    if condition is None:
        raise NotInScope()
    qs = Referral.objects.filter(condition, desa__code__startswith=region_prefix)
    counts = {state: 0 for state in State.values}
    for row in qs.values("state").order_by().annotate(n=_count()):
        counts[row["state"]] = row["n"]
    return counts


def _count():
    from django.db.models import Count

    return Count("id")


def public_status(ticket: str) -> Referral | None:
    """The public page's one read: by the full ticket code (its random suffix makes it unguessable)."""
    return Referral.objects.select_related("category").filter(ticket=normalise_ticket(ticket)).first()


def agencies_for(desa_code: str) -> QuerySet[Agency]:
    """Agencies a referral of this desa may go to (the forward/redirect choice list)."""
    return Agency.objects.filter(active=True, region_id=desa_code[:4]).filter(
        Q(area__isnull=True) | Q(area_id=desa_code[:6]) | Q(area_id=desa_code)
    ).order_by("short_name")


def categories_active() -> QuerySet[Category]:
    return Category.objects.filter(active=True).order_by("field", "sort", "code")


def at_village(referral: Referral) -> bool:
    return referral.state in AT_VILLAGE
