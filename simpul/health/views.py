"""Kader and nakes pages for a person's growth: parse, call one service or selector, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.audit.services import access_record
from simpul.core.decorators import requires
from simpul.core.errors import DomainError, NotInScope
from simpul.core.forms import apply_field_errors, form_submit
from simpul.health import development, kms, selectors
from simpul.health.development_forms import DevelopmentCheckForm
from simpul.health.development_services import development_check_record
from simpul.health.forms import CalculatorForm, CorrectionForm, MeasurementForm
from simpul.health.growth.assessment import growth_assess
from simpul.health.growth.classify import BmiForAge, GrowthFlag, LengthForAge, WeightForAge, WeightForLength
from simpul.health.growth.zscores import LAST_STANDARD_DAY
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
    today = timezone.localdate()
    age_days = (today - person.birth_date).days
    checks = selectors.development_checks_for_person(scope, person)
    latest_check = checks.first()
    return {
        "person": person,
        "rows": rows,
        "form": form if can_record else None,
        "can_record": can_record,
        "can_validate": can_validate,
        "latest_gain": history[max(history)] if history else None,
        # The KMS is for under-fives; an older child keeps it while it has points from then.
        "kms": _kms_summaries(person, measurements) if age_days <= LAST_STANDARD_DAY or any(
            m.age_days <= kms.LAST_DAY for m in measurements) else None,
        "show_development": development.band_for(person.birth_date, today) is not None or latest_check is not None,
        "latest_check": latest_check,
    }


def _kms_summaries(person, measurements) -> dict[str, str]:
    return {index: f"{kms.titles(index, person.sex)}. {kms.summary(index, kms.points(index, measurements))}"
            for index in kms.INDICES}


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


# --- KMS chart and printable card ------------------------------------------------------------------


def _health_person(request, pk: int):
    """The person, when the user may see their health record (the growth page's rule); else 404."""
    scope = request_scope(request)
    person = person_get(scope, pk)
    if not selectors.may_see_health(scope, person):
        raise NotInScope()
    return person


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Perm.VIEW_PERSON)
@require_GET
def kms_svg(request, pk: int, index: str):
    """One KMS chart of the child as an SVG image (weight-for-age or length/height-for-age)."""
    person = _health_person(request, pk)
    measurements = selectors.measurements_for_person(request_scope(request), person)
    access_record(actor=request.user, action="view", object_type="health.measurement", object_id=person.pk,
                  region_code=person.desa_id, detail=f"kms-{index}.svg", request=request)
    svg = kms.render_svg(index, person.sex, measurements)
    return _private(HttpResponse(svg, content_type="image/svg+xml; charset=utf-8"))


def _deny_fetch(url, *args, **kwargs):
    # The card is built from our own template only: WeasyPrint must not fetch anything.
    raise ValueError(f"no external resources in the KMS PDF: {url}")


def _kms_rows(person, measurements):
    gains = {g.weighing.measurement_id: g for g in weight_gain_history(person).values()}
    return [{"m": m, "age": age_label(person.birth_date, m.measured_on), "gain": gains.get(m.pk),
             **{name: None if getattr(m, name) is None else float(getattr(m, name)) for name in VALUE_FIELDS}}
            for m in measurements]


@requires(Perm.VIEW_PERSON)
@require_GET
def kms_pdf(request, pk: int):
    """The child's KMS to print: both charts and the table of measurements, rendered by WeasyPrint."""
    from weasyprint import HTML

    person = _health_person(request, pk)
    measurements = list(selectors.measurements_for_person(request_scope(request), person))
    html = render_to_string("health/kms_pdf.html", {
        "person": person,
        "rows": _kms_rows(person, measurements),
        "svg_wfa": kms.render_svg("wfa", person.sex, measurements, element_id="kms-bb"),
        "svg_lhfa": kms.render_svg("lhfa", person.sex, measurements, element_id="kms-tb"),
        "printed_on": timezone.localdate(),
    })
    pdf = HTML(string=html, url_fetcher=_deny_fetch).write_pdf()
    access_record(actor=request.user, action="export", object_type="health.measurement", object_id=person.pk,
                  region_code=person.desa_id, detail="kms.pdf", request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kms-{person.pk}.pdf"'
    return _private(response)


# --- Development checklist -------------------------------------------------------------------------


def _safe_next(request, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):
        return value
    return ""


def _parse_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _check_rows(checks):
    rows = []
    for check in checks:
        table = development.TABLES.get(check.table_version)
        band = table.band(check.band) if table else None
        labels = {item.code: item.label for item in band.items} if band else {}
        rows.append({"check": check, "band": band, "result": development.DevelopmentResult(check.result).label,
                     "not_yet": [labels.get(code, code) for code, yes in check.answers.items() if not yes]})
    return rows


@requires(Perm.VIEW_PERSON)
@require_http_methods(["GET", "POST"])
def development_view(request, pk: int):
    """A child's development checks, and the checklist for the child's age band (kader and nakes).

    ``?on=YYYY-MM-DD`` chooses the date (and so the band) of the check; ``?next=`` (a local URL) is
    where to go after saving, e.g. back to the posyandu day.
    """
    scope = request_scope(request)
    person = _health_person(request, pk)
    can_record = selectors.may_record_health(scope, person)
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    on = _parse_day(request.GET.get("on")) or timezone.localdate()
    form = None
    if request.method == "POST":
        if not can_record:
            raise NotInScope()
        form = DevelopmentCheckForm(request.POST, band=development.CURRENT.band(request.POST.get("band", "")))
        if form.is_valid():
            on = form.cleaned_data["checked_on"]
            try:
                development_check_record(actor=request.user, scope=scope, person=person, data=form.to_input())
            except DomainError as exc:
                form.add_error(None, exc.message)
                apply_field_errors(exc.field_errors, form)
            else:
                messages.success(request, _("Development check saved."))
                return redirect(next_url or reverse("health:development", args=[person.pk]))
    else:
        access_record(actor=request.user, action="view", object_type="health.development_check",
                      object_id=person.pk, region_code=person.desa_id, request=request)
        band = development.band_for(person.birth_date, on)
        if can_record and band is not None:
            form = DevelopmentCheckForm(initial={"checked_on": on, "next": next_url}, band=band)
    return render(request, "health/development.html", {
        "person": person,
        "on": on,
        "band": form.band_obj if form is not None else development.band_for(person.birth_date, on),
        "form": form,
        "can_record": can_record,
        "next": next_url,
        "rows": _check_rows(selectors.development_checks_for_person(scope, person)),
        "table": development.CURRENT,
    })


CLASS_LABELS = {"wfa": WeightForAge, "lhfa": LengthForAge, "wflh": WeightForLength}
INDEX_LABELS = {"wfa": _lazy("Weight-for-age (BB/U)"), "lhfa": _lazy("Length/height-for-age (PB/U, TB/U)"),
                "wflh": _lazy("Weight-for-length/height (BB/PB, BB/TB)"), "bmifa": _lazy("BMI-for-age (IMT/U)"),
                "hcfa": _lazy("Head circumference-for-age (LK/U)"), "acfa": _lazy("Arm circumference-for-age (LiLA/U)")}


@requires(Perm.VIEW_HEALTH)
def calculator_view(request):
    """The bidan's calculator (the page of POST /api/v1/growth/calculate): nothing is stored or read."""
    form = CalculatorForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        d = form.cleaned_data
        try:
            assessed = growth_assess(
                sex=d["sex"], birth_date=d["birth_date"], measured_on=d["measured_on"],
                weight_kg=None if d["weight_kg"] is None else float(d["weight_kg"]),
                length_height_cm=None if d["length_height_cm"] is None else float(d["length_height_cm"]),
                position=d["position"] or None,
                head_circumference_cm=None if d["head_circumference_cm"] is None else float(d["head_circumference_cm"]),
                muac_cm=None if d["muac_cm"] is None else float(d["muac_cm"]), oedema=d["oedema"])
        except DomainError as exc:
            form.add_error(None, exc.message)
            apply_field_errors(exc.field_errors, form)
        else:
            bmi_labels = WeightForLength if assessed.age_days <= LAST_STANDARD_DAY else BmiForAge
            rows = []
            for index, label in INDEX_LABELS.items():
                code = assessed.classification.get(index)
                choices = bmi_labels if index == "bmifa" else CLASS_LABELS.get(index)
                rows.append({"label": label, "z": assessed.z.get(index),
                             "category": str(choices(code).label) if code and choices else ""})
            result = {"age_days": assessed.age_days, "rows": rows,
                      "flags": [str(GrowthFlag(f).label) for f in assessed.flags]}
    return render(request, "health/calculator.html", {"form": form, "result": result},
                  status=400 if request.GET and result is None and form.errors else 200)
