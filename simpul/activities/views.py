"""Activity pages: the log, recording an activity with photos, its page, the monthly recap.

Views parse, call one service or selector, render. The photo, card and gallery pages are in views_photos.
Opening an activity with its private photos and tagged names is written to the access log.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.activities import recap, selectors
from simpul.activities.forms import ActivityForm, PhotoAddForm, TagForm, photo_inputs
from simpul.activities.services import (
    ActivityInput,
    activity_log_record,
    activity_log_update,
)
from simpul.activities.views_photos import card_name, warn_private
from simpul.audit.services import access_record
from simpul.core.choices import SpmField
from simpul.core.decorators import requires
from simpul.core.errors import DomainError, NotInScope
from simpul.core.forms import apply_field_errors
from simpul.posyandu.models import Posyandu
from simpul.regions.models import Region

PAGE_SIZE = 30
GALLERY_PAGE_SIZE = 24


def _month(value: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except (TypeError, ValueError):
        return None


def _editable_posyandu(scope):
    return scope.filter(Posyandu.objects.select_related("desa"), Perm.REGISTER, posyandu_field="id").order_by(
        "name"
    )


@requires(Perm.VIEW_POSYANDU)
def activity_list(request):
    scope = request_scope(request)
    month = _month(request.GET.get("bulan", ""))
    page = Paginator(selectors.activities_visible(scope, month=month), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "activities/list.html",
        {
            "page": page,
            "month": month,
            "editable": list(_editable_posyandu(scope)),
            "month_value": month.strftime("%Y-%m") if month else "",
        },
    )


def _choices_for(posyandu, today: dt.date):
    from simpul.programmes.models import ProgrammeActivity
    from simpul.serviceday.models import ServiceDay

    days = ServiceDay.objects.filter(
        posyandu=posyandu, held_on__gte=today - dt.timedelta(days=92), held_on__lte=today
    ).exclude(status=ServiceDay.Status.CANCELLED)
    prefixes = [posyandu.desa_id[:n] for n in (2, 4, 6, 10)]
    linked = ProgrammeActivity.objects.select_related("programme").filter(
        date__gte=today - dt.timedelta(days=183), date__lte=today
    ).filter(posyandu=posyandu) | ProgrammeActivity.objects.select_related("programme").filter(
        date__gte=today - dt.timedelta(days=183),
        date__lte=today,
        posyandu__isnull=True,
        programme__region_id__in=prefixes,
    )
    return list(days.order_by("-held_on")), list(linked.order_by("-date")[:50])


def _prefill(query, days, linked) -> dict:
    """Opened from a posyandu day (``?hari=``) or a programme activity (``?program_kegiatan=``): start from it."""
    day = next((d for d in days if str(d.pk) == query.get("hari")), None)
    if day is not None:
        return {
            "held_on": day.held_on,
            "kind": "posyandu_day",
            "service_day": day.pk,
            "fields": ["kesehatan"],
        }
    item = next((a for a in linked if str(a.pk) == query.get("program_kegiatan")), None)
    if item is not None:
        return {
            "held_on": item.date,
            "kind": "programme_activity",
            "programme_activity": item.pk,
            "fields": [item.programme.field],
        }
    return {}


@requires(Perm.REGISTER)
@require_http_methods(["GET", "POST"])
def activity_new(request):
    scope = request_scope(request)
    editable = _editable_posyandu(scope)
    chosen = request.GET.get("posyandu", "")
    if not chosen.isdigit():
        if editable.count() != 1:
            return render(request, "activities/choose_posyandu.html", {"editable": editable})
        posyandu = editable.first()
    else:
        posyandu = editable.filter(pk=int(chosen)).first()
        if posyandu is None:
            raise NotInScope()
    today = timezone.localdate()
    days, linked = _choices_for(posyandu, today)
    children = selectors.taggable_children(posyandu, today=today)
    initial = _prefill(request.GET, days, linked) or {"held_on": today}
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        days=days,
        programme_activities=linked,
        children=children,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = activity_log_record(
                actor=request.user,
                scope=scope,
                posyandu=posyandu,
                tags=form.tags(),
                photos=photo_inputs(data.get("photos")),
                data=_input(data, client_uuid=data.get("client_uuid")),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            apply_field_errors(exc.field_errors, form)
        else:
            messages.success(request, _("The activity is logged."))
            warn_private(request, activity, today)
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "activities/record.html",
        {"form": form, "posyandu": posyandu},
        status=400 if request.method == "POST" else 200,
    )


def _input(data, *, client_uuid=None) -> ActivityInput:
    return ActivityInput(
        held_on=data["held_on"],
        kind=data["kind"],
        fields=list(data["fields"]),
        summary=data["summary"],
        served_children=data["served_children"],
        served_adults=data["served_adults"],
        served_elderly=data["served_elderly"],
        served_disability=data["served_disability"],
        service_day_id=data.get("service_day"),
        programme_activity_id=data.get("programme_activity"),
        client_uuid=client_uuid,
    )


@requires(Perm.REGISTER)
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    scope = request_scope(request)
    activity = selectors.activity_get(scope, pk)
    if not selectors.may_edit(scope, activity):
        raise NotInScope()
    days, linked = _choices_for(activity.posyandu, timezone.localdate())
    # The current links stay choosable even when they are older than the usual window.
    if activity.service_day and activity.service_day not in days:
        days.append(activity.service_day)
    if activity.programme_activity and activity.programme_activity not in linked:
        linked.append(activity.programme_activity)
    initial = {name: getattr(activity, name) for name in ActivityForm.base_fields if hasattr(activity, name)}
    initial.update(service_day=activity.service_day_id, programme_activity=activity.programme_activity_id)
    form = ActivityForm(request.POST or None, days=days, programme_activities=linked, initial=initial)
    for name in ("photos", "people", "untagged_children", "share_requested", "client_uuid"):
        del form.fields[name]
    if request.method == "POST" and form.is_valid():
        try:
            activity_log_update(
                actor=request.user, scope=scope, activity=activity, data=_input(form.cleaned_data)
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            apply_field_errors(exc.field_errors, form)
        else:
            messages.success(request, _("The activity is updated."))
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "activities/record.html",
        {"form": form, "posyandu": activity.posyandu, "activity": activity},
        status=400 if request.method == "POST" else 200,
    )


@requires(Perm.VIEW_POSYANDU)
def activity_detail(request, pk: int):
    scope = request_scope(request)
    activity = selectors.activity_get(scope, pk)
    today = timezone.localdate()
    private = selectors.may_see_private(scope, activity)
    photos = list(selectors.photos_of(scope, activity, today=today).prefetch_related("people"))
    editable = selectors.may_edit(scope, activity)
    if private:
        access_record(
            actor=request.user,
            action="view",
            object_type="activities.activity",
            object_id=activity.pk,
            region_code=activity.desa_id,
            detail=f"photos={len(photos)}",
            request=request,
        )
    children = selectors.taggable_children(activity.posyandu, today=today) if editable else []
    rows = []
    for photo in photos:
        tag_form = None
        if editable:
            tag_form = TagForm(
                children=children,
                prefix=f"p{photo.pk}",
                initial={
                    "people": [p.pk for p in photo.people.all()],
                    "untagged_children": photo.untagged_children,
                    "share_requested": photo.share_requested,
                },
            )
        rows.append(
            {
                "photo": photo,
                "tag_form": tag_form,
                "reasons": selectors.share_block_reasons(photo, today=today)
                if private and not photo.shareable
                else [],
            }
        )
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "rows": rows,
            "private": private,
            "editable": editable,
            "add_form": PhotoAddForm(children=children) if editable else None,
            "fields": [SpmField(code).label for code in activity.fields if code in SpmField.values],
            "card_name": card_name(activity),
        },
    )


@requires(Perm.VIEW_AGGREGATES)
@require_GET
def recap_view(request):
    scope = request_scope(request)
    today = timezone.localdate()
    month = _month(request.GET.get("bulan", "")) or today.replace(day=1)
    code = request.GET.get("wilayah", "")
    region = Region.objects.filter(code=code).first() if code.isdigit() else None
    if code and (region is None or not selectors.region_reachable(scope, code, perm=Perm.VIEW_AGGREGATES)):
        raise Http404
    desas, total = recap.monthly_recap(scope, month=month, region_code=code)
    return render(
        request,
        "activities/recap.html",
        {
            "desas": desas,
            "total": total,
            "month": month,
            "month_value": month.strftime("%Y-%m"),
            "region": region,
            "fields": [*SpmField.choices, (recap.TOTAL, _("All activities"))],
        },
    )
