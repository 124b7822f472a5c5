"""Switching practice on and off, and resetting a workspace: real actions, audited in the real database.

Making a workspace file is not part of a database transaction; it happens first, under a lock per
posyandu, and only a file that was completely made is put in place. The rows that point to it follow in
one transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.scope import Scope
from simpul.audit.services import audit_record
from simpul.core.errors import DomainError, NotInScope
from simpul.posyandu.models import Posyandu
from simpul.practice import seed, selectors, workspace
from simpul.practice.models import Practising, Workspace


class PracticeError(DomainError):
    pass


def _seed_number(posyandu_id: int, generation: int) -> int:
    return posyandu_id * 1000 + generation


def _workspace_make(*, posyandu: Posyandu, actor, users, now, previous: Workspace | None) -> Workspace:
    """A new generation of the posyandu's workspace file, with ``users`` copied in."""
    generation = previous.generation + 1 if previous else 1
    snap = seed.snapshot(posyandu, users)
    today = timezone.localdate(now)
    workspace.file_create(
        workspace.active_workspace(posyandu.pk, generation),
        lambda: seed.fill(snap, seed=_seed_number(posyandu.pk, generation), today=today),
    )
    fields = {
        "generation": generation,
        "template_key": workspace.template_key(),
        "created_at": now,
        "created_by": actor,
    }
    if previous is None:
        return Workspace.objects.create(posyandu=posyandu, **fields)
    Workspace.objects.filter(pk=previous.pk).update(**fields)
    previous.refresh_from_db()
    return previous


def practice_start(*, user, scope: Scope, posyandu: Posyandu, now=None) -> Workspace:
    """Switch ``user`` into the practice workspace of ``posyandu``, making (or renewing) it when needed."""
    now = now or timezone.now()
    if posyandu.pk not in selectors.practice_posyandu_ids(scope):
        raise NotInScope()
    with workspace.locked(f"posyandu-{posyandu.pk}"):
        current = selectors.workspace_of(posyandu.pk)
        path = workspace.database_path(posyandu.pk, current.generation) if current else None
        if current and current.template_key == workspace.template_key() and path.exists():
            copy = seed.user_copy(user, posyandu.pk)
            with workspace.practice_context(workspace.active_workspace(posyandu.pk, current.generation)):
                seed.users_sync(copy)
            made = False
        else:
            others = (
                [
                    p.user
                    for p in Practising.objects.filter(workspace=current)
                    .select_related("user")
                    .exclude(user=user)
                ]
                if current
                else []
            )
            current = _workspace_make(
                posyandu=posyandu, actor=user, users=[user, *others], now=now, previous=current
            )
            workspace.files_remove(posyandu.pk, keep_generation=current.generation)
            made = True
    with transaction.atomic():
        Practising.objects.update_or_create(user=user, defaults={"workspace": current, "since": now})
        audit_record(
            actor=user,
            action="practice.mode.started",
            obj=current,
            region_code=posyandu.desa_id,
            changes={"generation": current.generation, "made": made},
        )
    return current


@transaction.atomic
def practice_stop(*, user, now=None) -> Workspace | None:
    """Switch ``user`` back to the real records. Harmless when she was not practising."""
    row = Practising.objects.filter(user=user).select_related("workspace__posyandu").first()
    if row is None:
        return None
    row.delete()
    audit_record(
        actor=user,
        action="practice.mode.stopped",
        obj=row.workspace,
        region_code=row.workspace.posyandu.desa_id,
        changes={"since": row.since.isoformat(), "until": (now or timezone.now()).isoformat()},
    )
    return row.workspace


def workspace_reset(*, actor, scope: Scope, posyandu: Posyandu, now=None) -> Workspace:
    """Start the posyandu's workspace afresh (pengurus only). Whoever is practising in it stays switched on,
    in the new file; everything recorded in practice so far is gone."""
    now = now or timezone.now()
    if posyandu.pk not in selectors.practice_posyandu_ids(scope):
        raise NotInScope()
    if not selectors.can_reset(scope, posyandu.pk):
        raise PracticeError(
            _("Only the posyandu board (pengurus) can reset the practice workspace."), code="forbidden"
        )
    with workspace.locked(f"posyandu-{posyandu.pk}"):
        current = selectors.workspace_of(posyandu.pk)
        users = (
            [p.user for p in Practising.objects.filter(workspace=current).select_related("user")]
            if current
            else []
        )
        current = _workspace_make(posyandu=posyandu, actor=actor, users=users, now=now, previous=current)
        workspace.files_remove(posyandu.pk, keep_generation=current.generation)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="practice.workspace.reset",
            obj=current,
            region_code=posyandu.desa_id,
            changes={"generation": current.generation},
        )
    return current
