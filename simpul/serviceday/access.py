"""Who may do what with a posyandu day; every service and selector of the app asks here.

* Schedule or cancel a day: whoever manages the posyandu (pengurus, desa, Tim Pembina: ``edit_posyandu``)
  or runs its health services (kader of the kesehatan field, nakes of the area: ``record_health``).
* Run the day (open, attendance, services, counselling, close): ``record_health`` with the kesehatan
  field at the posyandu.
* See who came and why they are referred: ``view_health`` with the kesehatan field (health data of named
  people, UU 27/2022). The schedule itself (dates, place, counts) is visible with ``view_posyandu``.
"""

from __future__ import annotations

from simpul.accounts.roles import Perm, Role
from simpul.accounts.scope import Scope, require_scope
from simpul.core.choices import SpmField
from simpul.core.errors import NotInScope

HEALTH = SpmField.HEALTH.value


def _health_at(scope: Scope, posyandu, perm: str) -> bool:
    return HEALTH in scope.fields_at(desa_code=posyandu.desa_id, posyandu_id=posyandu.pk, perm=perm)


def may_view_schedule(scope: Scope | None, posyandu) -> bool:
    return require_scope(scope).allows(Perm.VIEW_POSYANDU, desa_code=posyandu.desa_id, posyandu_id=posyandu.pk)


def may_manage(scope: Scope | None, posyandu) -> bool:
    scope = require_scope(scope)
    return (scope.allows(Perm.EDIT_POSYANDU, desa_code=posyandu.desa_id, posyandu_id=posyandu.pk)
            or _health_at(scope, posyandu, Perm.RECORD_HEALTH))


def may_run(scope: Scope | None, posyandu) -> bool:
    return _health_at(require_scope(scope), posyandu, Perm.RECORD_HEALTH)


def may_view_people(scope: Scope | None, posyandu) -> bool:
    return _health_at(require_scope(scope), posyandu, Perm.VIEW_HEALTH)


def may_validate(scope: Scope | None, posyandu) -> bool:
    """A nakes holding the kesehatan field over the posyandu."""
    return any(g.role == Role.NAKES and HEALTH in g.fields
               and g.covers(desa_code=posyandu.desa_id, posyandu_id=posyandu.pk) for g in require_scope(scope).grants)


def may_see_referrals(scope: Scope | None) -> bool:
    """Someone who sees health detail somewhere (kader of the kesehatan field, nakes, Dinkes)."""
    return any(g.permits(Perm.VIEW_HEALTH) and HEALTH in g.fields for g in require_scope(scope).grants)


def require(allowed: bool) -> None:
    if not allowed:
        raise NotInScope()
