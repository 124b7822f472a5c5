"""The places a user may own a programme for, as form choices ``"<owner kind>:<region>[:<agency>]"``.

Derived from the user's grants (``access.OWNER_ROLES``): a kader or pengurus her posyandu, a desa its desa,
Tim Pembina its region and every kecamatan and desa under it, an OPD officer its kab/kota for its agency.
"""

from __future__ import annotations

from simpul.accounts.roles import Role
from simpul.accounts.scope import Scope
from simpul.posyandu.models import Posyandu
from simpul.programmes.models import Programme
from simpul.referrals.models import Agency
from simpul.regions.models import Region

OwnerKind = Programme.OwnerKind


def owner_places(scope: Scope) -> list[tuple[str, str]]:
    places: list[tuple[str, str]] = []
    for grant in scope.grants:
        if grant.role in (Role.KADER, Role.PENGURUS) and grant.posyandu_id:
            posyandu = Posyandu.objects.filter(pk=grant.posyandu_id).first()
            if posyandu:
                places.append((f"posyandu:{posyandu.pk}", posyandu.name))
        elif grant.role == Role.DESA and grant.region_prefix and len(grant.region_prefix) == 10:
            region = Region.objects.filter(code=grant.region_prefix).first()
            if region:
                places.append((f"desa:{region.code}", f"{region.kind_label} {region.name}"))
        elif grant.role == Role.PEMBINA and grant.region_prefix:
            for region in Region.objects.filter(
                code__startswith=grant.region_prefix, level__lte=Region.Level.DISTRICT
            ).order_by("code")[:100]:
                places.append(
                    (f"tp_posyandu:{region.code}", f"TP Posyandu {region.kind_label} {region.name}")
                )
        elif grant.role == Role.OPD and grant.region_prefix and grant.agency_id:
            agency = Agency.objects.filter(pk=grant.agency_id).first()
            region = Region.objects.filter(code=grant.region_prefix).first()
            if agency and region:
                places.append((f"opd:{region.code}:{agency.pk}", f"{agency.short_name} — {region.name}"))
    seen, unique = set(), []
    for value, label in places:
        if value not in seen:
            seen.add(value)
            unique.append((value, label))
    return unique


def parse_place(value: str) -> tuple[str, str, int | None, int | None]:
    """``"posyandu:12"`` → (owner kind, region code, posyandu id, agency id); unknown shapes give blanks."""
    kind, _sep, rest = (value or "").partition(":")
    if kind == OwnerKind.POSYANDU and rest.isdigit():
        return kind, "", int(rest), None
    if kind == OwnerKind.OPD:
        region, _sep, agency = rest.partition(":")
        return kind, region, None, int(agency) if agency.isdigit() else None
    if kind in (OwnerKind.DESA, OwnerKind.TP_POSYANDU):
        return kind, rest, None, None
    return "", "", None, None
