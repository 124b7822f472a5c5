"""Running a programme: record an activity, its attendance from the registry, and follow-ups of participants.

Attendance lists the target group of the user's own posyandu on the day of the activity (or everyone registered
there, on request) plus anyone already recorded; names only where the user may see them (programmes.access).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.core.decorators import requires
from simpul.core.errors import DomainError, NotInScope
from simpul.core.forms import apply_field_errors, form_submit
from simpul.posyandu.models import Posyandu
from simpul.programmes import access, selectors, services
from simpul.programmes.forms import ActivityForm, FollowUpForm
from simpul.programmes.models import Participation, Programme
from simpul.programmes.reads_log import read_logged


def _area_posyandu(programme: Programme) -> list[tuple[int, str]]:
    return list(
        Posyandu.objects.filter(pk__in=access.posyandu_in_area(programme))
        .order_by("name")
        .values_list("pk", "name")
    )


@requires(Perm.VIEW_AGGREGATES)
@require_http_methods(["GET", "POST"])
def activity_create(request, pk: int):
    scope = request_scope(request)
    programme = selectors.programme_get(scope, pk)
    if not access.may_run(scope, programme):
        raise NotInScope()
    runnable = access.runnable_posyandu(scope, programme)
    initial = {"date": timezone.localdate(), "posyandu": runnable[0] if len(runnable) == 1 else None}
    form = ActivityForm(request.POST or None, posyandu=_area_posyandu(programme), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = {}
        try:
            saved["a"] = services.activity_record(
                actor=request.user,
                scope=scope,
                programme=programme,
                date=data["date"],
                kind=data["kind"],
                place=data["place"],
                posyandu_id=data["posyandu"],
                given=data["given"],
                notes=data["notes"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            apply_field_errors(
                {("posyandu" if k == "posyandu_id" else k): v for k, v in exc.field_errors.items()}, form
            )
        else:
            messages.success(request, _("The activity is saved. Now record who came."))
            return redirect("programmes:activity", programme.pk, saved["a"].pk)
    return render(
        request,
        "programmes/activity_form.html",
        {"form": form, "programme": programme},
        status=400 if request.method == "POST" else 200,
    )


@requires(Perm.VIEW_AGGREGATES)
@require_http_methods(["GET", "POST"])
def activity_detail(request, pk: int, activity_id: int):
    scope = request_scope(request)
    programme = selectors.programme_get(scope, pk)
    activity = selectors.activity_get(scope, programme, activity_id)
    can_run = access.may_run(scope, programme)
    errors: list[str] = []
    if request.method == "POST":
        if not can_run:
            raise NotInScope()
        attendance, given = {}, {}
        for key, value in request.POST.items():
            if key.startswith("p-") and key[2:].isdigit() and value:
                attendance[int(key[2:])] = value
            if key.startswith("g-") and key[2:].isdigit() and value:
                given[int(key[2:])] = value
        try:
            services.participants_record(
                actor=request.user, scope=scope, activity=activity, attendance=attendance, given=given
            )
        except DomainError as exc:
            errors = [exc.message, *(m for msgs in exc.field_errors.values() for m in msgs)]
        else:
            messages.success(request, _("Attendance is saved."))
            return redirect("programmes:activity", programme.pk, activity.pk)
    everyone = request.GET.get("semua") == "1"
    candidates = (
        selectors.attendance_candidates(scope, programme, activity, everyone=everyone) if can_run else []
    )
    recorded = selectors.participations_named(scope, activity)
    read_logged(
        request,
        programme,
        action="view",
        detail=f"n={len(recorded)} form={len(candidates)}",
        object_type="programmes.activity",
        object_id=activity.pk,
    )
    return render(
        request,
        "programmes/activity.html",
        {
            "programme": programme,
            "activity": activity,
            "candidates": candidates,
            "recorded": recorded,
            "reached": sum(1 for row, _v in recorded if row.attended),
            "can_run": can_run,
            "errors": errors,
            "everyone": everyone,
            "statuses": Participation.Status.choices,
        },
        status=400 if errors else 200,
    )


@requires(Perm.VIEW_AGGREGATES)
@require_http_methods(["GET", "POST"])
def follow_up(request, pk: int):
    scope = request_scope(request)
    programme = selectors.programme_get(scope, pk)
    can_run = access.may_run(scope, programme)
    runnable = set(access.runnable_posyandu(scope, programme))
    participants = selectors.reached_people(programme, runnable)
    form = None
    if can_run:
        form = FollowUpForm(
            request.POST or None,
            people=[(p.pk, p.full_name) for p in participants],
            initial={"date": timezone.localdate()},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            done = form_submit(
                request,
                form,
                lambda: services.follow_up_record(
                    actor=request.user,
                    scope=scope,
                    programme=programme,
                    person_id=data["person"],
                    date=data["date"],
                    outcome=data["outcome"],
                    note=data["note"],
                    monthly_income=data["monthly_income"],
                ),
                success=_("The follow-up is saved."),
                then=("programmes:follow_up", programme.pk),
            )
            if done:
                return done
    elif request.method == "POST":
        raise NotInScope()
    rows = [(row, row.person.posyandu_id in runnable) for row in selectors.follow_ups(programme)[:200]]
    read_logged(
        request, programme, action="view", detail=f"n={len(rows)}", object_type="programmes.follow_ups"
    )
    return render(
        request,
        "programmes/follow_up.html",
        {"programme": programme, "form": form, "rows": rows, "outcomes": selectors.outcome_counts(programme)},
        status=400 if request.method == "POST" else 200,
    )
