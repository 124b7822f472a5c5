"""Reads of the region tree. The tree is public reference data, so it needs no personal scope."""

from django.db.models import QuerySet

from simpul.regions.models import Region, undotted


def region_get(code: str) -> Region | None:
    return Region.objects.filter(code=undotted(code)).first()


def region_children(code: str | None) -> QuerySet[Region]:
    if code:
        return Region.objects.filter(parent_id=undotted(code))
    return Region.objects.filter(level=Region.Level.PROVINCE)


def region_ancestors(region: Region) -> list[Region]:
    """The chain from the province down to ``region`` (inclusive), from the code prefixes."""
    prefixes = [region.code[:n] for n in (2, 4, 6, 10) if n <= len(region.code)]
    found = {r.code: r for r in Region.objects.filter(code__in=prefixes)}
    return [found[p] for p in prefixes if p in found]


def kecamatan_code_exists(code6: str) -> bool:
    return Region.objects.filter(code=code6, level=Region.Level.DISTRICT).exists()
