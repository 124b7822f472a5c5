"""Who may see, own and run a programme: one place for the rules, pure functions of the scope.

Seeing (``VIEW_AGGREGATES`` somewhere, the programme's SPM field, and overlapping areas):
- a posyandu-anchored grant (kader, pengurus) sees its posyandu's programmes and those of any owner whose area
  covers the posyandu (a desa, TP Posyandu or OPD programme reaching it), never another posyandu's;
- a region-anchored grant (desa, kecamatan, nakes, Tim Pembina, OPD) sees programmes inside its area and those
  covering it; an OPD officer only in the fields of the membership (Dinsos: sosial).
Owning (creating a programme of that owner kind): kader/pengurus for their posyandu, desa for its desa, Tim
Pembina (TP Posyandu) inside its region, an OPD officer for its agency in its kab/kota and fields.
Running (recording activities, attendance, follow-ups): the owner, and the kader/pengurus of any posyandu the
programme reaches — they are the ones who stand at the distribution with the list.
"""

from __future__ import annotations

from functools import reduce

from django.db.models import Q

from simpul.accounts.roles import Perm, Role
from simpul.accounts.scope import Grant, Scope
from simpul.core.choices import SpmField
from simpul.posyandu.models import Posyandu
from simpul.programmes.models import Programme

LEVELS = (2, 4, 6, 10)  # province, kab/kota, kecamatan, desa code lengths
FIELD_WORKERS = {Role.KADER, Role.PENGURUS}
OWNER_ROLES = {
    Programme.OwnerKind.POSYANDU: FIELD_WORKERS,
    Programme.OwnerKind.DESA: {Role.DESA},
    Programme.OwnerKind.TP_POSYANDU: {Role.PEMBINA},
    Programme.OwnerKind.OPD: {Role.OPD},
}


def ancestors(code: str) -> list[str]:
    return [code[:n] for n in LEVELS if n <= len(code)]


def _grant_q(grant: Grant, desa_of: dict[int, str]) -> Q | None:
    if not grant.permits(Perm.VIEW_AGGREGATES) or not grant.fields:
        return None
    fields = Q(field__in=sorted(grant.fields))
    if grant.posyandu_id is not None:
        desa = desa_of.get(grant.posyandu_id)
        if desa is None:
            return None
        return fields & (
            Q(posyandu_id=grant.posyandu_id) | Q(posyandu__isnull=True, region_id__in=ancestors(desa))
        )
    if not grant.region_prefix:
        return None
    return fields & (
        Q(region__code__startswith=grant.region_prefix) | Q(region_id__in=ancestors(grant.region_prefix))
    )


def visible_q(scope: Scope) -> Q | None:
    desa_of = dict(
        Posyandu.objects.filter(pk__in=[g.posyandu_id for g in scope.grants if g.posyandu_id]).values_list(
            "pk", "desa_id"
        )
    )
    parts = [q for q in (_grant_q(g, desa_of) for g in scope.grants) if q is not None]
    return reduce(lambda a, b: a | b, parts) if parts else None


def _reaches(programme: Programme, *, posyandu_id: int, desa_code: str) -> bool:
    if programme.posyandu_id is not None:
        return programme.posyandu_id == posyandu_id
    return desa_code.startswith(programme.region_id)


def may_own(
    grant: Grant,
    *,
    owner_kind: str,
    region_code: str,
    posyandu: Posyandu | None,
    agency_id: int | None,
    field: str,
) -> bool:
    if grant.role not in OWNER_ROLES.get(owner_kind, ()) or field not in grant.fields:
        return False
    if owner_kind == Programme.OwnerKind.POSYANDU:
        return posyandu is not None and grant.posyandu_id == posyandu.pk
    if owner_kind == Programme.OwnerKind.OPD:
        return (
            agency_id is not None
            and grant.agency_id == agency_id
            and bool(grant.region_prefix)
            and region_code.startswith(grant.region_prefix)
        )
    return bool(grant.region_prefix) and region_code.startswith(grant.region_prefix)


def may_run(scope: Scope, programme: Programme) -> bool:
    for grant in scope.grants:
        if programme.field not in grant.fields:
            continue
        if may_own(
            grant,
            owner_kind=programme.owner_kind,
            region_code=programme.region_id,
            posyandu=programme.posyandu,
            agency_id=programme.agency_id,
            field=programme.field,
        ):
            return True
        if grant.role in FIELD_WORKERS and grant.posyandu_id is not None:
            desa = Posyandu.objects.filter(pk=grant.posyandu_id).values_list("desa_id", flat=True).first()
            if desa and _reaches(programme, posyandu_id=grant.posyandu_id, desa_code=desa):
                return True
    return False


def may_edit(scope: Scope, programme: Programme) -> bool:
    """Only the owner changes the programme itself; the kader who run it record activities."""
    return any(
        may_own(
            g,
            owner_kind=programme.owner_kind,
            region_code=programme.region_id,
            posyandu=programme.posyandu,
            agency_id=programme.agency_id,
            field=programme.field,
        )
        for g in scope.grants
    )


def names_visible(scope: Scope, programme: Programme, *, desa_code: str, posyandu_id: int) -> bool:
    """Named rows (participants, not reached) at one place: like the SPM unserved list (spm/unserved.py)."""
    perm = Perm.VIEW_HEALTH if programme.field == SpmField.HEALTH else Perm.VIEW_PERSON
    if not scope.allows(Perm.VIEW_PERSON, desa_code=desa_code, posyandu_id=posyandu_id):
        return False
    if not scope.allows(perm, desa_code=desa_code, posyandu_id=posyandu_id):
        return False
    return programme.field in scope.fields_at(desa_code=desa_code, posyandu_id=posyandu_id, perm=perm)


def posyandu_in_area(programme: Programme) -> list[int]:
    if programme.posyandu_id is not None:
        return [programme.posyandu_id]
    return list(
        Posyandu.objects.filter(desa__code__startswith=programme.region_id).values_list("pk", flat=True)
    )


def runnable_posyandu(scope: Scope, programme: Programme) -> list[int]:
    """The posyandu of the area where this user may record attendance by name."""
    ids = posyandu_in_area(programme)
    places = Posyandu.objects.filter(pk__in=ids).values_list("pk", "desa_id")
    return [pk for pk, desa in places if names_visible(scope, programme, desa_code=desa, posyandu_id=pk)]
