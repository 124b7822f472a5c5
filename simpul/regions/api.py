from django.db.models import Q
from ninja import Router, Schema
from ninja.pagination import paginate

from simpul.api.pagination import Page
from simpul.regions.models import Region, dotted, undotted

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent_code: str | None

    @staticmethod
    def resolve_code(obj):
        return dotted(obj.code)

    @staticmethod
    def resolve_parent_code(obj):
        return dotted(obj.parent_id) if obj.parent_id else None


@router.get("", response=list[RegionOut])
@paginate(Page)
def regions_list(request, parent: str = "", level: int | None = None, q: str = ""):
    """The Kemendagri tree (public reference data). Filter by parent code (dotted or not), level 1–4, or name."""
    qs = Region.objects.all()
    if parent:
        qs = qs.filter(parent_id=undotted(parent))
    elif level is None and not q:
        qs = qs.filter(level=Region.Level.PROVINCE)
    if level is not None:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(code__startswith=undotted(q)))
    return qs.order_by("code")


@router.get("/{code}", response=RegionOut)
def region_detail(request, code: str):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Region, code=undotted(code))
