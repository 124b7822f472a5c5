"""Who may see, count and work tasks: decided per grant, so a field held under one role never lends its
detail to another role's grant (a kader of education at a posyandu does not see its health tasks).

- Names (the list, the API, the attendance page): a grant with ``VIEW_PERSON`` over the place and the
  task's field; a health task also needs ``VIEW_HEALTH`` on that grant.
- Counts (the supervisor view): a grant with ``VIEW_AGGREGATES`` over the place and the task's field.
- Dismissing: a grant with ``REGISTER`` over the place and the field (health: ``VIEW_HEALTH`` too), because
  a dismissal may change the registry (moved, deceased).
"""

from __future__ import annotations

from functools import reduce

from django.db.models import Q

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Grant, Scope
from simpul.core.choices import SpmField


def _fields(grant: Grant, *, names: bool) -> set[str]:
    fields = set(grant.fields)
    if names and not grant.permits(Perm.VIEW_HEALTH):
        fields.discard(SpmField.HEALTH)
    return fields


def _place_q(grant: Grant) -> Q | None:
    if grant.posyandu_id is not None:
        return Q(posyandu_id=grant.posyandu_id)
    if grant.region_prefix:
        return Q(desa__code__startswith=grant.region_prefix)
    return None


def _q(scope: Scope, perm: str, *, names: bool) -> Q | None:
    parts = []
    for grant in scope.grants:
        place = _place_q(grant)
        fields = _fields(grant, names=names)
        if grant.permits(perm) and place is not None and fields:
            parts.append(place & Q(field__in=sorted(fields)))
    return reduce(lambda a, b: a | b, parts) if parts else None


def named_q(scope: Scope) -> Q | None:
    """Tasks whose names the user may see; None when none."""
    return _q(scope, Perm.VIEW_PERSON, names=True)


def counted_q(scope: Scope) -> Q | None:
    """Tasks the user may count (no names); None when none."""
    return _q(scope, Perm.VIEW_AGGREGATES, names=False)


def may_list(scope: Scope) -> bool:
    return named_q(scope) is not None


def may_count(scope: Scope) -> bool:
    return counted_q(scope) is not None


def names_at(scope: Scope, *, desa_code: str, posyandu_id: int) -> bool:
    """Whether the user sees any task names at this posyandu (the supervisor view links the list then)."""
    return any(grant.permits(Perm.VIEW_PERSON) and grant.covers(desa_code=desa_code, posyandu_id=posyandu_id)
               and _fields(grant, names=True) for grant in scope.grants)


def may_work(scope: Scope, task) -> bool:
    for grant in scope.grants:
        if not (grant.permits(Perm.REGISTER) and grant.covers(desa_code=task.desa_id, posyandu_id=task.posyandu_id)):
            continue
        if task.field in grant.fields and (task.field != SpmField.HEALTH or grant.permits(Perm.VIEW_HEALTH)):
            return True
    return False
