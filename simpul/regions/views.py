from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from simpul.regions.models import Region, undotted
from simpul.regions.selectors import region_ancestors, region_children


@login_required
def region_browse(request, code: str = ""):
    """Browse the Kemendagri tree (public reference data) down to a desa's RW/RT/dusun."""
    region = get_object_or_404(Region, code=undotted(code)) if code else None
    return render(request, "regions/browse.html", {
        "region": region,
        "trail": region_ancestors(region) if region else [],
        "children": region_children(region.code if region else None),
        "subdivisions": region.subdivisions.all() if region and region.level == Region.Level.VILLAGE else [],
    })
