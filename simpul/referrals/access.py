"""Who sees which referral, and who sees the reporter. One place, used by selectors, services and views.

- kader/pengurus: referrals of their posyandu in the fields they cover, and every one they reported; a
  confidential one only if they reported it.
- desa: every referral of the desa (confidential ones too: the village must act on them); the reporter of a
  confidential one only if the user is the head (lurah/kepala desa).
- opd: referrals routed to their agency within their region, never before a confidential one is approved.
- everyone else: nothing named (kecamatan and pembina monitor tickets without personal data, see selectors).
"""

from __future__ import annotations

from functools import reduce

from django.db.models import Q

from simpul.accounts.roles import Perm, Role
from simpul.accounts.scope import Scope
from simpul.referrals.models import Referral
from simpul.referrals.states import AT_VILLAGE


def visible_q(scope: Scope) -> Q | None:
    """The referrals a user may open by name; None when there are none."""
    parts = []
    for grant in scope.grants:
        if not grant.permits(Perm.VIEW_REFERRALS):
            continue
        if grant.role in (Role.KADER, Role.PENGURUS) and grant.posyandu_id is not None:
            mine = Q(reporter_id=scope.user_id)
            ours = Q(posyandu_id=grant.posyandu_id, field__in=sorted(grant.fields | {"aspirasi"}), confidential=False)
            parts.append(mine | ours)
        elif grant.role == Role.DESA and grant.region_prefix:
            parts.append(Q(desa__code__startswith=grant.region_prefix))
        elif grant.role == Role.OPD and grant.agency_id is not None and grant.region_prefix:
            parts.append(
                Q(agency_id=grant.agency_id, desa__code__startswith=grant.region_prefix)
                & ~Q(state__in=sorted(AT_VILLAGE))
                & (Q(confidential=False) | Q(confidential_approved_by__isnull=False))
            )
    return reduce(lambda a, b: a | b, parts) if parts else None


def monitor_q(scope: Scope) -> Q | None:
    """Tickets (no personal data) a supervisor may list: their region, confidential ones never."""
    prefixes = scope.region_prefixes(Perm.MONITOR_REFERRALS)
    if not prefixes:
        return None
    area = reduce(lambda a, b: a | b, [Q(desa__code__startswith=p) for p in prefixes])
    return area & Q(confidential=False)


def count_q(scope: Scope) -> Q | None:
    """Referrals a supervisor may count (confidential ones included: counts reveal no one)."""
    prefixes = scope.region_prefixes(Perm.MONITOR_REFERRALS) + scope.region_prefixes(Perm.VIEW_AGGREGATES)
    if not prefixes:
        return None
    return reduce(lambda a, b: a | b, [Q(desa__code__startswith=p) for p in prefixes])


def can_view(scope: Scope, referral: Referral) -> bool:
    condition = visible_q(scope)
    return condition is not None and Referral.objects.filter(condition, pk=referral.pk).exists()


def is_village_of(scope: Scope, referral: Referral) -> bool:
    return any(g.role == Role.DESA and g.region_prefix and referral.desa_id.startswith(g.region_prefix)
               for g in scope.grants)


def is_head_of(scope: Scope, referral: Referral) -> bool:
    return any(g.role == Role.DESA and g.is_head and g.region_prefix and referral.desa_id.startswith(g.region_prefix)
               for g in scope.grants)


def is_agency_of(scope: Scope, referral: Referral) -> bool:
    return referral.agency_id is not None and any(
        g.role == Role.OPD and g.agency_id == referral.agency_id and g.region_prefix
        and referral.desa_id.startswith(g.region_prefix) for g in scope.grants)


def reporter_visible(scope: Scope, referral: Referral) -> bool:
    """The reporter and the citizen's contact: hidden on confidential referrals except to the reporter and the head."""
    if not referral.confidential:
        return True
    return referral.reporter_id == scope.user_id or is_head_of(scope, referral)


def can_edit_documents(scope: Scope, referral: Referral) -> bool:
    return referral.reporter_id == scope.user_id or is_village_of(scope, referral)


def shows_health_detail(scope: Scope, referral: Referral) -> bool:
    """Health detail of the person (findings, measurements) only to a health agency, the village never."""
    if referral.agency_id is None or not is_agency_of(scope, referral):
        return False
    return referral.agency.sees_health
