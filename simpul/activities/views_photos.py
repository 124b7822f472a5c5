"""Photo pages: adding, tagging and removing photos, streaming them, the share card and the galleries.

Photos stream through these views (never a public URL, decision 0016); opening a private photo is written
to the access log, and so is every card download (an export, even without personal data).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.activities import selectors
from simpul.activities.card import card_png
from simpul.activities.forms import PhotoAddForm, TagForm, photo_inputs
from simpul.activities.services import activity_photos_add, photo_delete, photo_tags_set
from simpul.audit.services import access_record
from simpul.core.decorators import requires
from simpul.core.errors import DomainError, NotInScope
from simpul.regions.models import Region

GALLERY_PAGE_SIZE = 24


def warn_private(request, activity, today) -> None:
    """Tell the kader which photos she asked to share stay private, and why."""
    for photo in activity.photos.filter(share_requested=True).exclude(selectors.shareable_q(today)):
        reasons = selectors.share_block_reasons(photo, today=today)
        messages.warning(
            request,
            _("A photo stays private and is not shown in the gallery or on the card: ") + " ".join(reasons),
        )


@requires(Perm.REGISTER)
@require_POST
def photo_add(request, pk: int):
    scope = request_scope(request)
    activity = selectors.activity_get(scope, pk)
    if not selectors.may_edit(scope, activity):
        raise NotInScope()
    today = timezone.localdate()
    form = PhotoAddForm(
        request.POST, request.FILES, children=selectors.taggable_children(activity.posyandu, today=today)
    )
    if not form.is_valid():
        messages.error(request, _("Choose at least one photo."))
        return redirect("activities:detail", activity.pk)
    try:
        activity_photos_add(
            actor=request.user,
            scope=scope,
            activity=activity,
            tags=form.tags(),
            photos=photo_inputs(form.cleaned_data["photos"]),
        )
    except DomainError as exc:
        messages.error(request, " ".join([exc.message, *[m for ms in exc.field_errors.values() for m in ms]]))
    else:
        messages.success(request, _("Photos added."))
        warn_private(request, activity, today)
    return redirect("activities:detail", activity.pk)


@requires(Perm.REGISTER)
@require_POST
def photo_tags(request, pk: int):
    scope = request_scope(request)
    today = timezone.localdate()
    photo = selectors.photo_get(scope, pk, today=today)
    activity = photo.activity
    form = TagForm(
        request.POST,
        prefix=f"p{photo.pk}",
        children=selectors.taggable_children(activity.posyandu, today=today),
    )
    if not form.is_valid():
        messages.error(request, _("Please correct the marked fields."))
        return redirect("activities:detail", activity.pk)
    try:
        photo_tags_set(actor=request.user, scope=scope, photo=photo, tags=form.tags())
    except DomainError as exc:
        messages.error(request, " ".join([exc.message, *[m for ms in exc.field_errors.values() for m in ms]]))
    else:
        messages.success(request, _("Photo details saved."))
        warn_private(request, activity, today)
    return redirect("activities:detail", activity.pk)


@requires(Perm.REGISTER)
@require_POST
def photo_remove(request, pk: int):
    scope = request_scope(request)
    photo = selectors.photo_get(scope, pk, today=timezone.localdate())
    activity_pk = photo.activity_id
    try:
        photo_delete(actor=request.user, scope=scope, photo=photo)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Photo removed."))
    return redirect("activities:detail", activity_pk)


@requires(Perm.VIEW_POSYANDU)
@require_GET
def photo_file(request, pk: int):
    scope = request_scope(request)
    photo = selectors.photo_get(scope, pk, today=timezone.localdate())
    if selectors.may_see_private(scope, photo.activity):
        access_record(
            actor=request.user,
            action="view",
            object_type="activities.photo",
            object_id=photo.pk,
            region_code=photo.activity.desa_id,
            request=request,
        )
    stored = photo.thumb if request.GET.get("ukuran") == "kecil" else photo.file
    try:
        with stored.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = HttpResponse(content, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def card_name(activity) -> str:
    return f"kegiatan-{slugify(activity.posyandu.name) or 'posyandu'}-{activity.held_on.isoformat()}.png"


@requires(Perm.VIEW_POSYANDU)
@require_GET
def share_card(request, pk: int):
    scope = request_scope(request)
    activity = selectors.activity_get(scope, pk)
    content = card_png(activity, today=timezone.localdate())
    access_record(
        actor=request.user,
        action="export",
        object_type="activities.card",
        object_id=activity.pk,
        region_code=activity.desa_id,
        request=request,
    )
    response = HttpResponse(content, content_type="image/png")
    disposition = "attachment" if request.GET.get("unduh") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{card_name(activity)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Perm.VIEW_POSYANDU)
@require_GET
def gallery(request, code: str = ""):
    scope = request_scope(request)
    region = None
    if code:
        region = get_object_or_404(Region, code=code) if code.isdigit() else None
        if region is None or not selectors.region_reachable(scope, code):
            raise Http404
    photos = selectors.gallery(scope, today=timezone.localdate(), region_code=code)
    page = Paginator(photos, GALLERY_PAGE_SIZE).get_page(request.GET.get("page"))
    places = selectors.gallery_places(scope, today=timezone.localdate(), region_code=code)
    return render(request, "activities/gallery.html", {"page": page, "region": region, "places": places})
