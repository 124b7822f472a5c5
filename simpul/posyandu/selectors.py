from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope, require_scope
from simpul.core.choices import SpmField
from simpul.core.errors import NotInScope
from simpul.posyandu.models import BoardMember, Kader, Posyandu


def posyandu_visible(scope: Scope | None) -> QuerySet[Posyandu]:
    scope = require_scope(scope)
    return scope.filter(Posyandu.objects.all(), Perm.VIEW_POSYANDU, posyandu_field="pk").select_related("desa")


def posyandu_registrable(scope: Scope | None) -> QuerySet[Posyandu]:
    """Posyandu where the user may register households (for the register form's choices)."""
    scope = require_scope(scope)
    return scope.filter(Posyandu.objects.filter(status=Posyandu.Status.ACTIVE), Perm.REGISTER, posyandu_field="pk")


def posyandu_get(scope: Scope | None, pk) -> Posyandu:
    posyandu = posyandu_visible(scope).filter(pk=pk).first()
    if posyandu is None:
        raise NotInScope()
    return posyandu


@dataclass(frozen=True)
class Readiness:
    fields_with_kader: list[str]
    fields_without_kader: list[str]
    missing_legal: list[str]
    multi_role_names: list[str]
    active_kader: int

    @property
    def ready_for_registration(self) -> bool:
        return not self.missing_legal and not self.fields_without_kader


def posyandu_readiness(posyandu: Posyandu, *, on: dt.date | None = None) -> Readiness:
    """Which of the six fields have an active kader, and what legal data registration still needs.

    A kader counts on date ``on`` (default today) if marked active and serving then: started
    (``since``) on or before it and not ended (``until``) before it.
    """
    on = on or timezone.localdate()
    kader = list(
        Kader.objects.filter(posyandu=posyandu, active=True)
        .filter(Q(since__isnull=True) | Q(since__lte=on))
        .filter(Q(until__isnull=True) | Q(until__gte=on))
    )
    board = list(BoardMember.objects.filter(posyandu=posyandu, active=True))
    covered = {f for k in kader for f in k.fields}
    missing = []
    if not posyandu.sk_number or not posyandu.sk_date:
        missing.append("sk_establishment")
    if not posyandu.sk_board_number or not posyandu.sk_board_date:
        missing.append("sk_board")
    positions = {b.position for b in board}
    for position in ("ketua", "sekretaris", "bendahara"):
        if position not in positions:
            missing.append(f"board_{position}")
    field_chairs = {b.field for b in board if b.position == BoardMember.Position.FIELD_CHAIR}
    missing += [f"field_chair_{f}" for f in SpmField.values if f not in field_chairs]
    if not posyandu.registration_number:
        missing.append("registration_number")
    # One person holding several positions or fields is allowed but flagged (Permendagri 13/2024 practice).
    # Names are compared case- and space-insensitively and shown as first written (not re-cased).
    names: dict[str, int] = {}
    shown: dict[str, str] = {}
    for name, roles in [(k.name, len(k.fields)) for k in kader] + [(b.name, 1) for b in board]:
        key = " ".join(name.split()).casefold()
        names[key] = names.get(key, 0) + roles
        shown.setdefault(key, " ".join(name.split()))
    multi = sorted(shown[key] for key, count in names.items() if count > 1)
    return Readiness(
        fields_with_kader=[f for f in SpmField.values if f in covered],
        fields_without_kader=[f for f in SpmField.values if f not in covered],
        missing_legal=missing,
        multi_role_names=multi,
        active_kader=len(kader),
    )
