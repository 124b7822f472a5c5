"""Programme pages: the list, a programme with its reach, the not-reached list (and its export), and the forms
that record a programme, an activity with its attendance, and follow-ups. Views parse, call, render; every
named list is written to the access log."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.core.choices import SpmField
from simpul.core.decorators import requires
from simpul.core.errors import DomainError, NotInScope
from simpul.core.forms import apply_field_errors, form_submit
from simpul.programmes import access, eligibility, selectors, services
from simpul.programmes.export import not_reached_workbook
from simpul.programmes.forms import ProgrammeForm
from simpul.programmes.models import FollowUp, Participation, Programme
from simpul.programmes.places import owner_places, parse_place
from simpul.programmes.reads_log import read_logged


def _date(value: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _page(value: str) -> int:
    return int(value) if value.isdigit() and int(value) > 0 else 1


@requires(Perm.VIEW_AGGREGATES)
def programme_list(request):
    scope = request_scope(request)
    filters = {key: request.GET.get(key, "") for key in ("field", "kind", "status")}
    filters = {
        "field": filters["field"] if filters["field"] in SpmField.values else "",
        "kind": filters["kind"] if filters["kind"] in Programme.Kind.values else "",
        "status": filters["status"] if filters["status"] in Programme.Status.values else "",
    }
    rows = selectors.with_participants(selectors.programmes_visible(scope, **filters))[:200]
    return render(
        request,
        "programmes/list.html",
        {
            "programmes": rows,
            "filters": filters,
            "fields": SpmField.choices,
            "kinds": Programme.Kind.choices,
            "statuses": Programme.Status.choices,
            "can_create": bool(owner_places(scope)),
        },
    )


def _rules() -> list[tuple[str, str]]:
    return [(rule.name, eligibility.describe(rule.code, {})) for rule in eligibility.RULES]


def _form_input(form: ProgrammeForm) -> services.ProgrammeInput:
    data = form.cleaned_data
    owner_kind, region_code, posyandu_id, agency_id = parse_place(data["place"])
    return services.ProgrammeInput(
        owner_kind=owner_kind,
        region_code=region_code,
        posyandu_id=posyandu_id,
        agency_id=agency_id,
        field=data["field"],
        name=data["name"],
        kind=data["kind"],
        organiser=data["organiser"],
        description=data["description"],
        skill=data["skill"],
        target_rule=data["target_rule"],
        target_params=form.params(),
        start_date=data["start_date"],
        end_date=data["end_date"],
        status=data["status"],
    )


@requires(Perm.VIEW_AGGREGATES)
@require_http_methods(["GET", "POST"])
def programme_create(request):
    scope = request_scope(request)
    places = owner_places(scope)
    if not places:
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None, places=places, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(actor=request.user, scope=scope, data=_form_input(form))
        except DomainError as exc:
            form.add_error(None, exc.message)
            apply_field_errors(exc.field_errors, form)
        else:
            messages.success(request, _("The programme is saved."))
            return redirect("programmes:detail", programme.pk)
    return render(
        request,
        "programmes/form.html",
        {"form": form, "rules": _rules()},
        status=400 if request.method == "POST" else 200,
    )


@requires(Perm.VIEW_AGGREGATES)
@require_http_methods(["GET", "POST"])
def programme_edit(request, pk: int):
    scope = request_scope(request)
    programme = selectors.programme_get(scope, pk)
    places = [p for p in owner_places(scope) if parse_place(p[0])[0] == programme.owner_kind]
    current = {
        "posyandu": f"posyandu:{programme.posyandu_id}",
        "opd": f"opd:{programme.region_id}:{programme.agency_id}",
    }.get(programme.owner_kind, f"{programme.owner_kind}:{programme.region_id}")
    if current not in {p[0] for p in places}:
        raise NotInScope()
    initial = {
        "name": programme.name,
        "kind": programme.kind,
        "field": programme.field,
        "place": current,
        "organiser": programme.organiser,
        "skill": programme.skill,
        "description": programme.description,
        "target_rule": programme.target_rule,
        "start_date": programme.start_date,
        "end_date": programme.end_date,
        "status": programme.status,
        **programme.target_params,
    }
    form = ProgrammeForm(request.POST or None, places=places, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = form_submit(
            request,
            form,
            lambda: services.programme_update(
                actor=request.user, scope=scope, programme=programme, data=_form_input(form)
            ),
            success=_("The programme is saved."),
            then=("programmes:detail", programme.pk),
        )
        if done:
            return done
    return render(
        request,
        "programmes/form.html",
        {"form": form, "programme": programme, "rules": _rules()},
        status=400 if request.method == "POST" else 200,
    )


@requires(Perm.VIEW_AGGREGATES)
def programme_detail(request, pk: int):
    scope = request_scope(request)
    programme = selectors.programme_get(scope, pk)
    today = timezone.localdate()
    on = _date(request.GET.get("per", ""), today)
    reach = selectors.reach(programme, on=on) if programme.target_rule else None
    activities = list(selectors.activities(programme)[:100])
    counts = _reached_per_activity(activities)
    activities = [(a, counts.get(a.pk, 0)) for a in activities]
    outcomes = selectors.outcome_counts(programme)
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "reach": reach,
            "on": on,
            "today": today,
            "activities": activities,
            "rule_text": eligibility.describe(programme.target_rule, programme.target_params),
            "outcomes": [
                (label, outcomes.get(code, 0))
                for code, label in FollowUp.Outcome.choices
                if outcomes.get(code)
            ],
            "can_run": access.may_run(scope, programme),
            "can_edit": access.may_edit(scope, programme),
        },
    )


def _reached_per_activity(activities) -> dict[int, int]:
    counts: dict[int, int] = {}
    for activity_id in Participation.objects.filter(
        activity__in=activities, status__in=Participation.REACHED
    ).values_list("activity_id", flat=True):
        counts[activity_id] = counts.get(activity_id, 0) + 1
    return counts


@requires(Perm.VIEW_AGGREGATES)
def not_reached_list(request, pk: int):
    scope = request_scope(request)
    programme = selectors.programme_get(scope, pk)
    if not programme.target_rule:
        raise NotInScope()
    today = timezone.localdate()
    on = _date(request.GET.get("per", ""), today)
    desa = request.GET.get("desa", "")
    result = selectors.not_reached(
        scope,
        programme,
        on=on,
        page=_page(request.GET.get("halaman", "")),
        desa=desa if desa.isdigit() else "",
    )
    read_logged(
        request,
        programme,
        action="programmes.not_reached",
        detail=f"page p{result.page} names={result.names_visible} n={len(result.rows)} desa={desa}",
    )
    return render(
        request,
        "programmes/not_reached.html",
        {
            "programme": programme,
            "result": result,
            "on": on,
            "desa": desa,
            "rule_text": eligibility.describe(programme.target_rule, programme.target_params),
        },
    )


@requires(Perm.VIEW_AGGREGATES)
def not_reached_export(request, pk: int):
    scope = request_scope(request)
    programme = selectors.programme_get(scope, pk)
    if not programme.target_rule:
        raise NotInScope()
    today = timezone.localdate()
    on = _date(request.GET.get("per", ""), today)
    desa = request.GET.get("desa", "")
    result = selectors.not_reached(scope, programme, on=on, page=None, desa=desa if desa.isdigit() else "")
    read_logged(
        request,
        programme,
        action="programmes.not_reached_export",
        detail=f"xlsx names={result.names_visible} n={result.total} desa={desa}",
    )
    book = not_reached_workbook(programme, result, on=on, today=today)
    response = HttpResponse(
        book.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="belum-terjangkau-{programme.pk}-{on.isoformat()}.xlsx"'
    )
    return response
