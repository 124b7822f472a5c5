"""Kader and nakes pages for a person's growth: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.audit.services import access_record
from simpul.core.decorators import requires
from simpul.core.errors import DomainError, NotInScope
from simpul.core.forms import form_submit
from simpul.health import selectors
from simpul.health.forms import CorrectionForm, MeasurementForm
from simpul.health.services import VALUE_FIELDS, measurement_correct, measurement_record, measurement_validate
from simpul.health.weightgain import weight_gain_history
from simpul.registry.lifestage import age_label
from simpul.registry.selectors import person_get


def _growth_context(request, person, form):
    scope = request_scope(request)
    measurements = list(selectors.measurements_for_person(scope, person))
    history = weight_gain_history(person)
    gains = {g.weighing.measurement_id: g for g in history.values()}
    rows = [
        {
            "m": m,
            "labels": m.classification_labels(),
            "flag_labels": m.flag_labels(),
            "gain": gains.get(m.pk),
            "age": age_label(person.birth_date, m.measured_on),
            **{name: None if getattr(m, name) is None else float(getattr(m, name)) for name in VALUE_FIELDS},
        }
        for m in reversed(measurements)
    ]
    can_record = selectors.may_record_health(scope, person)
    can_validate = selectors.may_validate_health(scope, person)
    return {
        "person": person,
        "rows": rows,
        "form": form if can_record else None,
        "can_record": can_record,
        "can_validate": can_validate,
        "latest_gain": history[max(history)] if history else None,
    }


@requires(Perm.VIEW_PERSON)
def person_growth(request, pk: int):
    scope = request_scope(request)
    person = person_get(scope, pk)
    if not selectors.may_see_health(scope, person):
        raise NotInScope()
    access_record(
        actor=request.user,
        action="view",
        object_type="health.measurement",
        object_id=person.pk,
        region_code=person.desa_id,
        request=request,
    )
    form = MeasurementForm(initial={"measured_on": timezone.localdate()})
    return render(request, "health/person_growth.html", _growth_context(request, person, form))


@requires(Perm.RECORD_HEALTH)
@require_http_methods(["GET", "POST"])
def measurement_record_view(request, pk: int):
    scope = request_scope(request)
    person = person_get(scope, pk)
    if not selectors.may_record_health(scope, person):
        raise NotInScope()
    form = MeasurementForm(request.POST or None, initial={"measured_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        done = form_submit(
            request,
            form,
            lambda: measurement_record(actor=request.user, scope=scope, person=person, data=form.to_input()),
            success=_("Measurement saved."),
            then=("health:person_growth", person.pk),
        )
        if done:
            return done
    return render(request, "health/measurement_record.html", {"person": person, "form": form})


@requires(Perm.RECORD_HEALTH)
@require_http_methods(["GET", "POST"])
def measurement_correct_view(request, pk: int):
    scope = request_scope(request)
    old = selectors.measurement_get(scope, pk)
    if not selectors.may_record_health(scope, old.person):
        raise NotInScope()
    initial = {
        name: getattr(old, name)
        for name in (
            "measured_on",
            "weight_kg",
            "length_height_cm",
            "position",
            "head_circumference_cm",
            "muac_cm",
            "oedema",
        )
    }
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = form_submit(
            request,
            form,
            lambda: measurement_correct(
                actor=request.user,
                scope=scope,
                measurement=old,
                data=form.to_input(),
                reason=form.cleaned_data["reason"],
            ),
            success=_("Measurement corrected."),
            then=("health:person_growth", old.person_id),
        )
        if done:
            return done
    return render(
        request, "health/measurement_correct.html", {"person": old.person, "old": old, "form": form}
    )


@requires(Perm.VIEW_PERSON)
@require_POST
def measurement_validate_view(request, pk: int):
    scope = request_scope(request)
    m = selectors.measurement_get(scope, pk)
    try:
        measurement_validate(actor=request.user, scope=scope, measurement=m)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Measurement validated."))
    return redirect("health:person_growth", pk=m.person_id)
