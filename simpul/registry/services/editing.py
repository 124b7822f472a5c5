"""The common opening of every edit: lock the row, check scope, refuse a stale version."""

from django.db.models import Model

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope
from simpul.core.errors import DomainError, NotInScope


def lock_for_edit(obj: Model, *, scope: Scope, expected_version: int | None, stale_message: str):
    """Reload ``obj`` with a row lock; raise NotInScope or a 'conflict' DomainError as needed."""
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    if not scope.allows(Perm.REGISTER, desa_code=locked.desa_id, posyandu_id=locked.posyandu_id):
        raise NotInScope()
    if expected_version is not None and expected_version != locked.version:
        raise DomainError(stale_message, code="conflict")
    return locked
