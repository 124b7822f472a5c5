"""Reads about practice mode, always on the real database (never called inside a practice request)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from simpul.accounts.models import Membership
from simpul.accounts.scope import Scope
from simpul.posyandu.models import Posyandu
from simpul.practice import state, workspace
from simpul.practice.models import Practising, Workspace
from simpul.practice.seed import PRACTICE_ROLES


def practice_posyandu_ids(scope: Scope) -> list[int]:
    """Posyandu the user may practise in: those she holds a kader, pengurus or nakes grant *at*.

    Area grants (a bidan of a whole kecamatan, the lurah, the camat) do not count: a workspace is one
    posyandu's, shared by the people who work its days.
    """
    return sorted(
        {g.posyandu_id for g in scope.grants if g.role in PRACTICE_ROLES and g.posyandu_id is not None}
    )


def practice_posyandu(scope: Scope) -> list[Posyandu]:
    return list(
        Posyandu.objects.filter(pk__in=practice_posyandu_ids(scope)).select_related("desa").order_by("name")
    )


def can_reset(scope: Scope, posyandu_id: int) -> bool:
    """Only the posyandu's own pengurus resets its workspace (issue 7: "a pengurus can reset it")."""
    return any(g.role == "pengurus" and g.posyandu_id == posyandu_id for g in scope.grants)


def workspace_of(posyandu_id: int) -> Workspace | None:
    return Workspace.objects.filter(posyandu_id=posyandu_id).first()


def active_for(user, posyandu_id: int) -> state.ActiveWorkspace | None:
    """The workspace a user's practice switch points to, if it is still hers to use: she is still recorded
    as practising there, still holds a grant at the posyandu, and the file is current."""
    grant = Membership.objects.filter(
        user=OuterRef("user"), posyandu_id=posyandu_id, active=True, role__in=PRACTICE_ROLES
    )
    row = (
        Practising.objects.filter(user=user, workspace__posyandu_id=posyandu_id)
        .annotate(allowed=Exists(grant))
        .select_related("workspace")
        .first()
    )
    if row is None or not row.allowed or row.workspace.template_key != workspace.template_key():
        return None
    active = workspace.active_workspace(posyandu_id, row.workspace.generation)
    return active if active.database.exists() else None
