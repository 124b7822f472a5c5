"""KIA pages for the kader and the bidan: a woman's pregnancies, the forms, the posyandu's ibu hamil list.

Parse, call one service or selector, render. Reads need the kesehatan field at the woman's place (404
otherwise); writes need the right to record health there. Every page takes an optional ``?next=`` (a
path on this site) to go back to, e.g. the posyandu-day screen, after saving.
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm, Role
from simpul.audit.services import access_record
from simpul.core.decorators import requires
from simpul.core.errors import NotInScope
from simpul.core.forms import form_submit
from simpul.health.selectors import may_record_health
from simpul.maternal import rules, selectors
from simpul.maternal.forms import AncCorrectionForm, AncVisitForm, CloseForm, NifasVisitForm, PregnancyForm
from simpul.maternal.models import Pregnancy
from simpul.maternal.services import (
    ANC_VALUE_FIELDS,
    anc_visit_correct,
    anc_visit_record,
    nifas_visit_record,
    pregnancy_close,
    pregnancy_register,
)
from simpul.registry.lifestage import age_label


def _next(request) -> str:
    """The ``next`` path if it stays on this site, else ""."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return ""


def _then(request, name: str, *args) -> tuple:
    return (_next(request) or reverse(name, args=args),)


def _date_param(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _examiner(request) -> str:
    """The examiner a form starts with: the bidan records her own visits, the kader the posyandu's."""
    return "bidan" if Role.NAKES in request_scope(request).roles else "kader"


def _pregnancy_card(pregnancy: Pregnancy, today: dt.date) -> dict:
    visits = list(selectors.anc_visits_for(pregnancy))
    return {
        "p": pregnancy,
        "age": pregnancy.gestational_age(today) if pregnancy.status == Pregnancy.Status.ONGOING else None,
        "past_hpl": pregnancy.status == Pregnancy.Status.ONGOING and today > pregnancy.hpl,
        "progress": selectors.anc_progress(pregnancy, on=today, visits=visits),
        "visits": list(reversed(visits)),
        "nifas": list(reversed(selectors.nifas_visits_for(pregnancy))),
        "nifas_open": pregnancy.status == Pregnancy.Status.DELIVERED
        and 0 <= (today - pregnancy.delivered_on).days <= rules.NIFAS_DAYS,
    }


@requires(Perm.VIEW_HEALTH)
def person_kia(request, pk: int):
    scope = request_scope(request)
    person = selectors.woman_get(scope, pk)
    today = timezone.localdate()
    pregnancies = list(selectors.pregnancies_for_person(scope, person))
    access_record(actor=request.user, action="view", object_type="maternal.pregnancy", object_id=person.pk,
                  region_code=person.desa_id, request=request)
    return render(request, "maternal/person_kia.html", {
        "person": person,
        "age": age_label(person.birth_date, today),
        "cards": [_pregnancy_card(p, today) for p in pregnancies],
        "has_ongoing": any(p.status == Pregnancy.Status.ONGOING for p in pregnancies),
        "can_record": may_record_health(scope, person),
        "next": _next(request),
    })


def _recordable_pregnancy(request, pk: int) -> Pregnancy:
    scope = request_scope(request)
    pregnancy = selectors.pregnancy_get(scope, pk)
    if not may_record_health(scope, pregnancy.person):
        raise NotInScope()
    return pregnancy


@requires(Perm.RECORD_HEALTH)
@require_http_methods(["GET", "POST"])
def pregnancy_register_view(request, pk: int):
    scope = request_scope(request)
    person = selectors.woman_get(scope, pk)
    if not may_record_health(scope, person):
        raise NotInScope()
    form = PregnancyForm(request.POST or None, initial={"registered_on": timezone.localdate(), "para": 0,
                                                        "abortus": 0})
    if request.method == "POST" and form.is_valid():
        done = form_submit(
            request, form,
            lambda: pregnancy_register(actor=request.user, scope=scope, person=person, data=form.to_input()),
            success=_("Pregnancy recorded."), then=_then(request, "maternal:person_kia", person.pk),
        )
        if done:
            return done
    return render(request, "maternal/pregnancy_register.html", {"person": person, "form": form,
                                                                "next": _next(request)})


@requires(Perm.RECORD_HEALTH)
@require_http_methods(["GET", "POST"])
def anc_visit_record_view(request, pk: int):
    scope = request_scope(request)
    pregnancy = _recordable_pregnancy(request, pk)
    today = timezone.localdate()
    form = AncVisitForm(request.POST or None, initial={"visited_on": today, "examiner": _examiner(request),
                                                         "iron_tablets": 0})
    if request.method == "POST" and form.is_valid():
        done = form_submit(
            request, form,
            lambda: anc_visit_record(actor=request.user, scope=scope, pregnancy=pregnancy, data=form.to_input()),
            success=_("Antenatal visit saved."), then=_then(request, "maternal:person_kia", pregnancy.person_id),
        )
        if done:
            return done
    return render(request, "maternal/anc_visit_record.html", {
        "pregnancy": pregnancy, "person": pregnancy.person, "age": pregnancy.gestational_age(today), "form": form,
        "next": _next(request)})


@requires(Perm.RECORD_HEALTH)
@require_http_methods(["GET", "POST"])
def anc_visit_correct_view(request, pk: int):
    scope = request_scope(request)
    old = selectors.anc_visit_get(scope, pk)
    if not may_record_health(scope, old.pregnancy.person):
        raise NotInScope()
    initial = {name: getattr(old, name) for name in ("visited_on", "examiner", *ANC_VALUE_FIELDS, "iron_tablets",
                                                       "pmt_given", "tb_symptoms", "referred", "danger_signs", "notes")}
    form = AncCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = form_submit(
            request, form,
            lambda: anc_visit_correct(actor=request.user, scope=scope, visit=old, data=form.to_input(),
                                      reason=form.cleaned_data["reason"]),
            success=_("Antenatal visit corrected."), then=_then(request, "maternal:person_kia", old.person_id),
        )
        if done:
            return done
    return render(request, "maternal/anc_visit_correct.html", {
        "old": old, "pregnancy": old.pregnancy, "person": old.pregnancy.person, "form": form, "next": _next(request)})


@requires(Perm.RECORD_HEALTH)
@require_http_methods(["GET", "POST"])
def pregnancy_close_view(request, pk: int):
    scope = request_scope(request)
    pregnancy = _recordable_pregnancy(request, pk)
    form = CloseForm(request.POST or None, initial={"on": timezone.localdate(), "status": "delivered"})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = form_submit(
            request, form,
            lambda: pregnancy_close(actor=request.user, scope=scope, pregnancy=pregnancy, status=d["status"],
                                    on=d["on"], note=d["outcome_note"]),
            success=_("The end of the pregnancy is recorded."),
            then=_then(request, "maternal:person_kia", pregnancy.person_id),
        )
        if done:
            return done
    return render(request, "maternal/pregnancy_close.html", {
        "pregnancy": pregnancy, "person": pregnancy.person, "form": form, "next": _next(request)})


@requires(Perm.RECORD_HEALTH)
@require_http_methods(["GET", "POST"])
def nifas_visit_record_view(request, pk: int):
    scope = request_scope(request)
    pregnancy = _recordable_pregnancy(request, pk)
    form = NifasVisitForm(request.POST or None, initial={"visited_on": timezone.localdate(),
                                                          "examiner": _examiner(request)})
    if request.method == "POST" and form.is_valid():
        done = form_submit(
            request, form,
            lambda: nifas_visit_record(actor=request.user, scope=scope, pregnancy=pregnancy, data=form.to_input()),
            success=_("Nifas visit saved."), then=_then(request, "maternal:person_kia", pregnancy.person_id),
        )
        if done:
            return done
    return render(request, "maternal/nifas_visit_record.html", {
        "pregnancy": pregnancy, "person": pregnancy.person, "form": form, "next": _next(request),
        "delivered": pregnancy.status == Pregnancy.Status.DELIVERED})


@requires(Perm.VIEW_HEALTH)
def pregnant_women_view(request, pk: int):
    scope = request_scope(request)
    posyandu = selectors.posyandu_for_health(scope, pk)
    on = _date_param(request.GET.get("on"))
    women = selectors.pregnant_women(scope, posyandu_id=posyandu.pk, on=on)
    nifas = selectors.nifas_women(scope, posyandu_id=posyandu.pk, on=on)
    to_close = list(selectors.pregnancies_to_close(scope, posyandu_id=posyandu.pk, on=on))
    access_record(actor=request.user, action="view", object_type="maternal.pregnant_women", object_id=posyandu.pk,
                  region_code=posyandu.desa_id, detail=f"on={on.isoformat()} women={len(women)}", request=request)
    return render(request, "maternal/pregnant_women.html", {
        "posyandu": posyandu, "on": on, "women": women, "nifas": nifas, "to_close": to_close,
        "next": _next(request)})
