"""Screening pages: a person's history, the form (fields by life stage), a correction and the posyandu's
list of latest results. Parse, call one service or selector, render.

Every page takes an optional ``?next=`` (kept in a hidden field on forms) to return to the posyandu-day
screen; only a URL of this site is followed.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.audit.services import access_record
from simpul.core.decorators import requires
from simpul.core.errors import NotInScope
from simpul.core.forms import form_submit
from simpul.health.selectors import HEALTH, may_record_health, may_see_health
from simpul.registry.lifestage import LABELS as STAGE_LABELS
from simpul.registry.lifestage import age_label, life_stage
from simpul.registry.selectors import person_get
from simpul.screening import rules, selectors
from simpul.screening.forms import CorrectionForm, ScreeningForm
from simpul.screening.rules import ScreeningFlag
from simpul.screening.services import screening_correct, screening_record


def _next_url(request) -> str:
    """The ``next`` the request carries, if it points into this site; else ""."""
    value = request.POST.get("next") or request.GET.get("next") or ""
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):
        return value
    return ""


def _then(request, name: str, *args) -> tuple:
    following = _next_url(request)
    return (following,) if following else (name, *args)


@requires(Perm.VIEW_PERSON)
def person_history(request, pk: int):
    scope = request_scope(request)
    person = person_get(scope, pk)
    if not may_see_health(scope, person):
        raise NotInScope()
    access_record(actor=request.user, action="view", object_type="screening.screening", object_id=person.pk,
                  region_code=person.desa_id, request=request)
    today = timezone.localdate()
    stage = life_stage(person.birth_date, today)
    return render(request, "screening/person_history.html", {
        "person": person,
        "age": age_label(person.birth_date, today),
        "stage_label": STAGE_LABELS.get(stage, ""),
        "screenings": list(selectors.screenings_for_person(scope, person)),
        "can_record": may_record_health(scope, person) and stage in rules.SCREENED_STAGES,
        "next": _next_url(request),
    })


@requires(Perm.RECORD_HEALTH)
@require_http_methods(["GET", "POST"])
def screening_record_view(request, pk: int):
    scope = request_scope(request)
    person = person_get(scope, pk)
    if not may_record_health(scope, person):
        raise NotInScope()
    today = timezone.localdate()
    stage = life_stage(person.birth_date, today)
    following = _next_url(request)
    form = ScreeningForm(request.POST or None, stage=stage, sex=person.sex,
                         initial={"screened_on": today, "next": following})
    if request.method == "POST" and stage in rules.SCREENED_STAGES and form.is_valid():
        done = form_submit(
            request, form,
            lambda: screening_record(actor=request.user, scope=scope, person=person, data=form.to_input()),
            success=_("Screening saved."),
            then=_then(request, "screening:person_history", person.pk),
        )
        if done:
            return done
    return render(request, "screening/screening_record.html", {
        "person": person, "form": form, "stage": stage, "stage_label": STAGE_LABELS.get(stage, ""),
        "screened_here": stage in rules.SCREENED_STAGES, "age": age_label(person.birth_date, today),
        "next": following,
    }, status=400 if request.method == "POST" else 200)


@requires(Perm.RECORD_HEALTH)
@require_http_methods(["GET", "POST"])
def screening_correct_view(request, pk: int):
    scope = request_scope(request)
    old = selectors.screening_get(scope, pk)
    person = old.person
    if not may_record_health(scope, person):
        raise NotInScope()
    if request.method == "GET":
        access_record(actor=request.user, action="view", object_type="screening.screening", object_id=person.pk,
                      region_code=person.desa_id, detail=f"screening={old.pk}", request=request)
    following = _next_url(request)
    initial = {name: getattr(old, name) for name in ("screened_on", "weight_kg", "height_cm", "waist_cm", "systolic",
                                                     "diastolic", "glucose_mg_dl", "haemoglobin_g_dl", "smoking",
                                                     "pregnant", *rules.BARTHEL_FIELDS)}
    initial["next"] = following
    form = CorrectionForm(request.POST or None, stage=old.life_stage, sex=person.sex, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = form_submit(
            request, form,
            lambda: screening_correct(actor=request.user, scope=scope, screening=old, data=form.to_input(),
                                      reason=form.cleaned_data["reason"]),
            success=_("Screening corrected."),
            then=_then(request, "screening:person_history", person.pk),
        )
        if done:
            return done
    return render(request, "screening/screening_correct.html", {
        "person": person, "old": old, "form": form, "next": following,
    }, status=400 if request.method == "POST" else 200)


@login_required
def posyandu_list(request, pk: int):
    scope = request_scope(request)
    posyandu = selectors.posyandu_for_health(scope, pk)
    flag = request.GET.get("flag", "")
    if flag not in ScreeningFlag.values:
        flag = ""
    today = timezone.localdate()
    targets = selectors.latest_results(scope, posyandu_id=posyandu.pk, on=today, flag=flag)
    access_record(actor=request.user, action="view", object_type="screening.posyandu", object_id=posyandu.pk,
                  region_code=posyandu.desa_id, detail=f"flag={flag}", request=request)
    groups = [(STAGE_LABELS[stage], [t for t in targets if t.life_stage == stage]) for stage in rules.SCREENED_STAGES]
    return render(request, "screening/posyandu_list.html", {
        "posyandu": posyandu, "groups": groups, "flag": flag, "flags": ScreeningFlag.choices,
        "screened": sum(1 for t in targets if t.latest is not None), "total": len(targets),
        "can_record": HEALTH in scope.fields_at(desa_code=posyandu.desa_id, posyandu_id=posyandu.pk,
                                                perm=Perm.RECORD_HEALTH),
        "next": _next_url(request),
    })
