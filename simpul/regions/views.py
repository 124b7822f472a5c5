from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.core.errors import DomainError, NotInScope
from simpul.regions.models import Region, Subdivision, undotted
from simpul.regions.selectors import region_ancestors, region_children
from simpul.regions.services import subdivision_create


@login_required
def region_browse(request, code: str = ""):
    """Browse the Kemendagri tree (public reference data) down to a desa's RW/RT/dusun."""
    region = get_object_or_404(Region, code=undotted(code)) if code else None
    is_desa = region is not None and region.level == Region.Level.VILLAGE
    return render(request, "regions/browse.html", {
        "region": region,
        "trail": region_ancestors(region) if region else [],
        "children": region_children(region.code if region else None),
        "subdivisions": region.subdivisions.select_related("parent") if is_desa else [],
        "rw_choices": region.subdivisions.filter(kind=Subdivision.Kind.RW) if is_desa else [],
        "can_manage": is_desa and request_scope(request).allows(Perm.MANAGE_SUBDIVISIONS, desa_code=region.code),
        "kinds": Subdivision.Kind.choices,
    })


@login_required
@require_POST
def subdivision_add(request, code: str):
    desa = get_object_or_404(Region, code=undotted(code), level=Region.Level.VILLAGE)
    if not request_scope(request).allows(Perm.MANAGE_SUBDIVISIONS, desa_code=desa.code):
        raise NotInScope()
    parent = None
    if request.POST.get("parent"):
        parent = Subdivision.objects.filter(pk=request.POST["parent"], desa=desa).first()
    name = request.POST.get("name", "").strip()[:60]
    kind = request.POST.get("kind", "")
    if not name or kind not in Subdivision.Kind.values:
        messages.error(request, _("Choose a kind and enter a name."))
    else:
        try:
            subdivision_create(desa=desa, kind=kind, name=name, parent=parent)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved."))
    return redirect("regions:browse_code", code=desa.code)
