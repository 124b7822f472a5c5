"""Pages of the posyandu day: the schedule, the five steps, the close, and the bidan's referral list.

Views parse, call one service or selector, render. Every page that shows named visitors writes an
access-log entry (health data of many people at once).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.audit.services import access_record
from simpul.core.decorators import requires
from simpul.core.errors import DomainError
from simpul.core.forms import apply_field_errors, form_submit
from simpul.health.forms import MeasurementForm
from simpul.health.services import measurement_record, measurement_validate
from simpul.health.weightgain import weight_gain_for
from simpul.immunization.selectors import immunization_status
from simpul.maternal import selectors as maternal_selectors
from simpul.registry.lifestage import age_label
from simpul.registry.services.households import HouseholdInput
from simpul.screening import selectors as screening_selectors
from simpul.serviceday import access, selectors
from simpul.serviceday.forms import (
    AbsenceVisitForm,
    CancelForm,
    CounsellingForm,
    FollowUpForm,
    ScheduleForm,
    ServiceForm,
    WalkInForm,
)
from simpul.serviceday.models import Group, ServiceDay
from simpul.serviceday.services import (
    ServiceInput,
    absence_visit,
    attendance_record,
    counselling_record,
    day_cancel,
    day_close,
    day_open,
    day_schedule,
    referral_follow_up,
    service_record,
    walk_in_register,
)
from simpul.tasks.selectors import open_by_person

STEPS = (
    ("serviceday:register", _("1. Registration")),
    ("serviceday:measure", _("2. Weighing and measuring")),
    ("serviceday:record", _("3. Recording")),
    ("serviceday:services", _("4. Health services")),
    ("serviceday:counselling", _("5. Counselling")),
)


def _log(request, day: ServiceDay, what: str) -> None:
    access_record(actor=request.user, action="view", object_type=f"serviceday.{what}", object_id=day.pk,
                  region_code=day.desa_id, request=request)


def _context(request, day: ServiceDay, step: str | None = None, **extra) -> dict:
    scope = request_scope(request)
    return {"day": day, "posyandu": day.posyandu, "steps": STEPS, "step": step,
            "may_run": access.may_run(scope, day.posyandu),
            "can_run": access.may_run(scope, day.posyandu) and day.status == ServiceDay.Status.OPEN,
            "can_manage": access.may_manage(scope, day.posyandu),
            "can_validate": access.may_validate(scope, day.posyandu), **extra}


def _domain_error(request, exc: DomainError) -> None:
    messages.error(request, " ".join([exc.message, *[m for ms in exc.field_errors.values() for m in ms]]))


@requires(Perm.VIEW_POSYANDU)
@require_http_methods(["GET", "POST"])
def posyandu_days(request, pk: int):
    scope = request_scope(request)
    posyandu = selectors.posyandu_get(scope, pk)
    can_manage = access.may_manage(scope, posyandu)
    form = ScheduleForm(request.POST or None, initial={"place": posyandu.address})
    if request.method == "POST":
        access.require(can_manage)
        if form.is_valid():
            done = form_submit(request, form, lambda: day_schedule(
                actor=request.user, scope=scope, posyandu=posyandu, **form.cleaned_data),
                success=_("Posyandu day scheduled."), then=("serviceday:posyandu_days", posyandu.pk))
            if done:
                return done
    days = selectors.days_for_posyandu(scope, posyandu)[:36]
    return render(request, "serviceday/posyandu_days.html", {
        "posyandu": posyandu, "days": days, "form": form if can_manage else None,
        "today": timezone.localdate()}, status=400 if request.method == "POST" else 200)


@requires(Perm.VIEW_POSYANDU)
def day_detail(request, pk: int):
    scope = request_scope(request)
    day = selectors.day_get(scope, pk)
    return render(request, "serviceday/day_detail.html", _context(
        request, day, people=access.may_view_people(scope, day.posyandu), cancel_form=CancelForm()))


@requires(Perm.RECORD_HEALTH)
@require_POST
def day_open_view(request, pk: int):
    scope = request_scope(request)
    day = selectors.day_get(scope, pk, people=True)
    try:
        day_open(actor=request.user, scope=scope, day=day)
        messages.success(request, _("The day is open. Start with registration."))
        return redirect("serviceday:register", day.pk)
    except DomainError as exc:
        _domain_error(request, exc)
    return redirect("serviceday:day", day.pk)


@requires(Perm.VIEW_POSYANDU)
@require_POST
def day_cancel_view(request, pk: int):
    scope = request_scope(request)
    day = selectors.day_get(scope, pk)
    form = CancelForm(request.POST)
    try:
        day_cancel(actor=request.user, scope=scope, day=day,
                   reason=form.data.get("reason", ""))
        messages.success(request, _("The day is cancelled."))
    except DomainError as exc:
        _domain_error(request, exc)
    return redirect("serviceday:day", day.pk)


@requires(Perm.VIEW_HEALTH)
def register_view(request, pk: int):
    scope = request_scope(request)
    day = selectors.day_get(scope, pk, people=True)
    group = request.GET.get("kelompok", "")
    search = " ".join(request.GET.get("q", "").split()).lower()
    rows = selectors.sasaran(scope, day)
    counts = {g.value: sum(1 for r in rows if r.group == g) for g in Group}
    shown = [r for r in rows if (not group or r.group == group) and (not search or search in r.person.full_name.lower())]
    _log(request, day, "sasaran")
    return render(request, "serviceday/register.html", _context(
        request, day, "serviceday:register", rows=shown, group=group, q=request.GET.get("q", ""),
        groups=[(g.value, g.label, counts[g.value]) for g in Group],
        present=sum(1 for r in rows if r.attended),
        tasks_by_person=open_by_person(scope, posyandu_id=day.posyandu_id, person_ids=[r.person.pk for r in shown])))


@requires(Perm.RECORD_HEALTH)
@require_POST
def attend_view(request, pk: int, person_pk: int):
    scope = request_scope(request)
    day = selectors.day_get(scope, pk, people=True)
    person = next((r.person for r in selectors.sasaran(scope, day) if r.person.pk == person_pk), None)
    if person is None:
        messages.error(request, _("This person is not on the list of this posyandu."))
    else:
        try:
            attendance_record(actor=request.user, scope=scope, day=day, person=person,
                              client_uuid=request.POST.get("client_uuid"))
            messages.success(request, _("%(name)s is present.") % {"name": person.full_name})
        except DomainError as exc:
            _domain_error(request, exc)
    back = reverse("serviceday:register", args=[day.pk])
    query = request.POST.get("back_query", "")
    return redirect(f"{back}?{query}" if query else back)


@requires(Perm.RECORD_HEALTH)
@require_http_methods(["GET", "POST"])
def walk_in_view(request, pk: int):
    scope = request_scope(request)
    day = selectors.day_get(scope, pk, people=True)
    households = selectors.walk_in_households(scope, day)
    form = WalkInForm(request.POST or None, households=households)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        household = households.filter(pk=d["household"]).first() if d["household"] else None
        new = None if household else HouseholdInput(posyandu_id=day.posyandu_id, address=d["new_address"],
                                                    rt=d["new_rt"], rw=d["new_rw"])
        try:
            attendance = walk_in_register(actor=request.user, scope=scope, day=day, household=household,
                                          new_household=new, person=form.person_input(head=household is None))
            messages.success(request, _("%(name)s is registered and present.") % {
                "name": attendance.person.full_name})
            return redirect("serviceday:register", day.pk)
        except DomainError as exc:
            form.add_error(None, exc.message)
            errors = {{"address": "new_address", "rt": "new_rt", "rw": "new_rw"}.get(k, k): v
                      for k, v in exc.field_errors.items()}
            apply_field_errors(errors, form)
    return render(request, "serviceday/walk_in.html", _context(request, day, "serviceday:register", form=form),
                  status=400 if request.method == "POST" else 200)


CHILD_GROUPS = (Group.CHILD, Group.PRESCHOOL, Group.SCHOOL_AGE)
SCREENED_GROUPS = (Group.ADOLESCENT, Group.ADULT, Group.ELDERLY)


def _measure_action(scope, day: ServiceDay, visitor, back: str) -> tuple[str, str, bool]:
    """Where step 2 sends the kader for this visitor: (url, button label, already done today).

    Children are weighed on the day's own form; a pregnant woman gets her ANC visit and a mother her nifas
    visit (maternal app), adolescents, adults and elderly their screening (screening app) — each page
    brings the kader back here (``next``).
    """
    a = visitor.attendance
    person = a.person
    if a.group in CHILD_GROUPS:
        return (reverse("serviceday:measure_person", args=[day.pk, a.person_id]), _("Weigh and measure"),
                visitor.measurement is not None)
    if a.group in (Group.PREGNANT, Group.POSTPARTUM):
        pregnancy = maternal_selectors.pregnancies_for_person(scope, person).filter(
            status="ongoing" if a.group == Group.PREGNANT else "delivered").order_by("-pk").first()
        if pregnancy is not None:
            if a.group == Group.PREGNANT:
                done = pregnancy.anc_visits.filter(visited_on=day.held_on).exists()
                return (f"{reverse('maternal:anc_visit_record', args=[pregnancy.pk])}?next={back}",
                        _("Pregnancy check (ANC)"), done)
            done = pregnancy.nifas_visits.filter(visited_on=day.held_on).exists()
            return (f"{reverse('maternal:nifas_visit_record', args=[pregnancy.pk])}?next={back}",
                    _("Check after birth (nifas)"), done)
    if a.group in SCREENED_GROUPS:
        done = screening_selectors.screenings_for_person(scope, person).filter(screened_on=day.held_on).exists()
        return (f"{reverse('screening:screening_record', args=[person.pk])}?next={back}", _("Screening"), done)
    return "", "", False


@requires(Perm.VIEW_HEALTH)
def measure_view(request, pk: int):
    scope = request_scope(request)
    day = selectors.day_get(scope, pk, people=True)
    rows = []
    back = reverse("serviceday:measure", args=[day.pk])
    for visitor in selectors.visitors(scope, day):
        action, label, done = _measure_action(scope, day, visitor, back)
        rows.append({"visitor": visitor, "action": action, "action_label": label, "done": done})
    _log(request, day, "visitors")
    return render(request, "serviceday/measure.html", _context(request, day, "serviceday:measure", rows=rows))


@requires(Perm.RECORD_HEALTH)
@require_http_methods(["GET", "POST"])
def measure_person_view(request, pk: int, person_pk: int):
    scope = request_scope(request)
    day = selectors.day_get(scope, pk, people=True)
    attendance = selectors.attendance_get(scope, day, person_pk)
    person = attendance.person
    form = MeasurementForm(request.POST or None, initial={"measured_on": day.held_on})
    if request.method == "POST":
        data = request.POST.copy()
        data["measured_on"] = day.held_on.isoformat()  # the day's measurements are dated the day
        form = MeasurementForm(data)
        if day.status != ServiceDay.Status.OPEN:
            form.add_error(None, _("This day is closed; nothing can be added to it."))
        elif form.is_valid():
            done = form_submit(request, form, lambda: measurement_record(
                actor=request.user, scope=scope, person=person, data=form.to_input()),
                success=_("Measurement of %(name)s saved.") % {"name": person.full_name},
                then=("serviceday:measure", day.pk))
            if done:
                return done
    return render(request, "serviceday/measure_person.html", _context(
        request, day, "serviceday:measure", person=person, form=form,
        age=age_label(person.birth_date, day.held_on)), status=400 if request.method == "POST" else 200)


@requires(Perm.VIEW_HEALTH)
def record_view(request, pk: int):
    """Step 3: what goes into the Buku KIA — z-scores, categories, N/T/O/B of each child measured."""
    scope = request_scope(request)
    day = selectors.day_get(scope, pk, people=True)
    rows = []
    for visitor in selectors.visitors(scope, day):
        m = visitor.measurement
        gain = weight_gain_for(visitor.attendance.person, day.held_on) if m and m.weight_kg is not None else None
        rows.append({"visitor": visitor, "m": m, "labels": m.classification_labels() if m else {},
                     "flags": m.flag_labels() if m else [], "gain": gain})
    _log(request, day, "visitors")
    return render(request, "serviceday/record.html", _context(request, day, "serviceday:record", rows=rows))


@requires(Perm.VIEW_HEALTH)
def services_view(request, pk: int):
    scope = request_scope(request)
    day = selectors.day_get(scope, pk, people=True)
    rows = []
    for visitor in selectors.visitors(scope, day):
        due = []
        if visitor.attendance.group == Group.CHILD:
            due = immunization_status(visitor.attendance.person, day.held_on).to_give
        rows.append({"visitor": visitor, "due": due, "form": ServiceForm(prefix=f"p{visitor.attendance.person_id}")})
    _log(request, day, "visitors")
    return render(request, "serviceday/services.html", _context(request, day, "serviceday:services", rows=rows))


@requires(Perm.RECORD_HEALTH)
@require_POST
def service_record_view(request, pk: int, person_pk: int):
    scope = request_scope(request)
    day = selectors.day_get(scope, pk, people=True)
    attendance = selectors.attendance_get(scope, day, person_pk)
    form = ServiceForm(request.POST, prefix=f"p{person_pk}")
    if form.is_valid():
        d = form.cleaned_data
        try:
            service_record(actor=request.user, scope=scope, day=day, attendance=attendance, data=ServiceInput(
                kind=d["kind"], quantity=d["quantity"], detail=d["detail"], note=d["note"],
                client_uuid=d.get("client_uuid")))
            messages.success(request, _("Service for %(name)s saved.") % {"name": attendance.person.full_name})
        except DomainError as exc:
            _domain_error(request, exc)
    else:
        messages.error(request, _("Please correct the marked fields."))
    return redirect(f"{reverse('serviceday:services', args=[day.pk])}#p{person_pk}")


@requires(Perm.VIEW_HEALTH)
@require_http_methods(["GET", "POST"])
def counselling_view(request, pk: int):
    scope = request_scope(request)
    day = selectors.day_get(scope, pk, people=True)
    form = CounsellingForm(request.POST or None, initial={
        "topics": day.counselling_topics, "notes": day.counselling_notes,
        "participants": day.counselling_participants})
    if request.method == "POST":
        access.require(access.may_run(scope, day.posyandu))
        if form.is_valid():
            d = form.cleaned_data
            done = form_submit(request, form, lambda: counselling_record(
                actor=request.user, scope=scope, day=day, topics=d["topics"], notes=d["notes"],
                participants=d["participants"]), success=_("Counselling saved."), then=("serviceday:day", day.pk))
            if done:
                return done
    return render(request, "serviceday/counselling.html", _context(request, day, "serviceday:counselling",
                                                                    form=form),
                  status=400 if request.method == "POST" else 200)


@requires(Perm.RECORD_HEALTH)
@require_POST
def day_close_view(request, pk: int):
    scope = request_scope(request)
    day = selectors.day_get(scope, pk, people=True)
    try:
        day_close(actor=request.user, scope=scope, day=day)
        messages.success(request, _("The day is closed. The referral list has gone to the bidan."))
        return redirect("serviceday:results", day.pk)
    except DomainError as exc:
        _domain_error(request, exc)
    return redirect("serviceday:day", day.pk)


@requires(Perm.VIEW_HEALTH)
def results_view(request, pk: int):
    scope = request_scope(request)
    day = selectors.day_get(scope, pk, people=True)
    _log(request, day, "results")
    return render(request, "serviceday/results.html", _context(
        request, day, None, referrals=selectors.day_referrals(scope, day),
        absences=selectors.day_absences(scope, day), visit_form=AbsenceVisitForm(
            initial={"visited_on": timezone.localdate()}),
        can_visit=access.may_run(scope, day.posyandu)))


@requires(Perm.RECORD_HEALTH)
@require_http_methods(["GET", "POST"])
def validate_view(request, pk: int):
    scope = request_scope(request)
    day = selectors.day_get(scope, pk, people=True)
    access.require(access.may_validate(scope, day.posyandu))
    pending = selectors.unvalidated_measurements(scope, day)
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("measurement") if v.isdigit()}
        done = 0
        for m in pending.filter(pk__in=chosen):
            measurement_validate(actor=request.user, scope=scope, measurement=m)
            done += 1
        messages.success(request, _("%(n)d measurements validated.") % {"n": done})
        return redirect("serviceday:validate", day.pk)
    _log(request, day, "validation")
    rows = [{"m": m, "labels": m.classification_labels(), "flags": m.flag_labels()} for m in pending]
    return render(request, "serviceday/validate.html", _context(request, day, None, rows=rows))


@requires(Perm.VIEW_HEALTH)
def referrals_view(request):
    scope = request_scope(request)
    access.require(access.may_see_referrals(scope))
    open_only = request.GET.get("semua") != "1"
    referrals = selectors.referrals_visible(scope, open_only=open_only)[:300]
    access_record(actor=request.user, action="view", object_type="serviceday.referrals",
                  detail="open" if open_only else "all", request=request)
    return render(request, "serviceday/referrals.html", {"referrals": referrals, "open_only": open_only,
                                                         "form": FollowUpForm()})


@requires(Perm.RECORD_HEALTH)
@require_POST
def follow_up_view(request, pk: int):
    scope = request_scope(request)
    referral = selectors.referral_get(scope, pk)
    try:
        referral_follow_up(actor=request.user, scope=scope, referral=referral, note=request.POST.get("note", ""))
        messages.success(request, _("Follow-up saved."))
    except DomainError as exc:
        _domain_error(request, exc)
    return redirect("serviceday:referrals")


@requires(Perm.RECORD_HEALTH)
@require_POST
def absence_visit_view(request, pk: int):
    scope = request_scope(request)
    absence = selectors.absence_get(scope, pk)
    form = AbsenceVisitForm(request.POST)
    try:
        absence_visit(actor=request.user, scope=scope, absence=absence,
                      visited_on=form.cleaned_data["visited_on"] if form.is_valid() else None,
                      note=request.POST.get("note", ""))
        messages.success(request, _("Home visit saved."))
    except DomainError as exc:
        _domain_error(request, exc)
    return redirect("serviceday:results", absence.day_id)
