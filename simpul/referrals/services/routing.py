"""Which agency a referral goes to: the most specific routing rule of the desa's kab/kota wins."""

from __future__ import annotations

from simpul.referrals.models import Agency, Category, RoutingRule


def kabkota_of(desa_code: str) -> str:
    return desa_code[:4]


def route_for(category: Category, desa_code: str) -> Agency | None:
    """Category + area > category > field + area > field; an area rule applies when the desa lies in it."""
    rules = (
        RoutingRule.objects.filter(region_id=kabkota_of(desa_code), field=category.field, agency__active=True)
        .select_related("agency")
    )
    best, best_rank = None, -1
    for rule in rules:
        if rule.category_id not in (None, category.pk):
            continue
        if rule.area_id and not desa_code.startswith(rule.area_id):
            continue
        rank = (2 if rule.category_id else 0) + (1 if rule.area_id else 0)
        if rank > best_rank or (rank == best_rank and rule.area_id and best.area_id and
                                len(rule.area_id) > len(best.area_id)):
            best, best_rank = rule, rank
    return best.agency if best else None


def agency_serves(agency: Agency, desa_code: str) -> bool:
    """An agency may receive a referral of this desa: same kab/kota, and inside its area if it has one."""
    if not agency.active or not desa_code.startswith(agency.region_id):
        return False
    return not agency.area_id or desa_code.startswith(agency.area_id)
