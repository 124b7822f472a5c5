"""The one scoping helper every selector calls first.

A :class:`Scope` is computed once per request from the user's active
memberships. ``scope.filter(queryset, perm)`` narrows a queryset of anything
that carries a desa code and a posyandu to what the user may reach with that
permission. There is no "no filter" path: without a scope the call raises, and
a scope that grants nothing returns nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

from django.db.models import Q, QuerySet

from simpul.accounts.roles import ROLE_PERMISSIONS, Role
from simpul.core.choices import ALL_FIELDS
from simpul.core.errors import NotInScope, ScopeMissing


@dataclass(frozen=True)
class Grant:
    role: str
    region_prefix: str | None  # undotted Kemendagri code prefix
    posyandu_id: int | None
    fields: frozenset[str]
    agency_id: int | None = None  # an OPD officer's agency
    is_head: bool = False  # lurah/kepala desa or camat of the anchored region

    def permits(self, perm: str) -> bool:
        return perm in ROLE_PERMISSIONS.get(self.role, frozenset())

    def covers(self, *, desa_code: str, posyandu_id: int | None) -> bool:
        if self.posyandu_id is not None:
            return posyandu_id == self.posyandu_id
        return self.region_prefix is not None and desa_code.startswith(self.region_prefix)


@dataclass(frozen=True)
class Scope:
    user_id: int
    grants: tuple[Grant, ...]

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)

    def can(self, perm: str) -> bool:
        return any(g.permits(perm) for g in self.grants)

    def q(self, perm: str, *, region_field: str = "desa__code", posyandu_field: str = "posyandu_id") -> Q | None:
        parts = []
        for grant in self.grants:
            if not grant.permits(perm):
                continue
            if grant.posyandu_id is not None:
                parts.append(Q(**{posyandu_field: grant.posyandu_id}))
            elif grant.region_prefix:
                parts.append(Q(**{f"{region_field}__startswith": grant.region_prefix}))
        return reduce(lambda a, b: a | b, parts) if parts else None

    def filter(
        self, queryset: QuerySet, perm: str, *, region_field: str = "desa__code", posyandu_field: str = "posyandu_id"
    ) -> QuerySet:
        condition = self.q(perm, region_field=region_field, posyandu_field=posyandu_field)
        return queryset.filter(condition) if condition is not None else queryset.none()

    def allows(self, perm: str, *, desa_code: str, posyandu_id: int | None = None) -> bool:
        return any(g.permits(perm) and g.covers(desa_code=desa_code, posyandu_id=posyandu_id) for g in self.grants)

    def require(self, perm: str, *, desa_code: str, posyandu_id: int | None = None) -> None:
        """Raise NotInScope (shown as 404) unless the user may act on this place."""
        if not self.allows(perm, desa_code=desa_code, posyandu_id=posyandu_id):
            raise NotInScope()

    def fields_at(self, *, desa_code: str, posyandu_id: int | None = None, perm: str | None = None) -> frozenset[str]:
        """SPM fields the user holds for a place: decides field-specific detail (e.g. health).

        With ``perm``, only grants that carry that permission count: a user who is a kader for
        health here and also an OPD officer for social affairs over the regency must not see
        social detail of a person through the kader grant (``perm=Perm.VIEW_PERSON``).
        """
        fields: set[str] = set()
        for grant in self.grants:
            if perm is not None and not grant.permits(perm):
                continue
            if grant.covers(desa_code=desa_code, posyandu_id=posyandu_id):
                fields |= grant.fields
        return frozenset(fields)

    def agency_ids(self) -> frozenset[int]:
        return frozenset(g.agency_id for g in self.grants if g.role == Role.OPD and g.agency_id is not None)

    def grants_with(self, role: str) -> tuple[Grant, ...]:
        return tuple(g for g in self.grants if g.role == role)

    def region_prefixes(self, perm: str) -> list[str]:
        return [g.region_prefix for g in self.grants if g.permits(perm) and g.region_prefix]

    def posyandu_ids(self, perm: str) -> list[int]:
        return [g.posyandu_id for g in self.grants if g.permits(perm) and g.posyandu_id is not None]


def scope_for(user) -> Scope:
    if user is None or not user.is_authenticated:
        raise ScopeMissing("anonymous users have no scope")
    grants = []
    for membership in user.memberships.filter(active=True).select_related("posyandu"):
        fields = frozenset(membership.fields or ()) & ALL_FIELDS
        if membership.role in {Role.DESA, Role.KECAMATAN, Role.PEMBINA, Role.ADMIN} and not fields:
            # Government roles oversee every field of their area unless narrowed.
            fields = ALL_FIELDS
        grants.append(
            Grant(
                role=membership.role,
                region_prefix=membership.region_id,
                posyandu_id=membership.posyandu_id,
                fields=fields,
                agency_id=membership.agency_id,
                is_head=membership.is_head,
            )
        )
    return Scope(user_id=user.pk, grants=tuple(grants))


def require_scope(scope: Scope | None) -> Scope:
    if scope is None:
        raise ScopeMissing("a scoped read was called without a scope")
    return scope
