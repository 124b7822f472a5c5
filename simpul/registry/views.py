"""Kader pages for households and residents: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.audit.services import access_record
from simpul.core.decorators import requires
from simpul.core.errors import DomainError
from simpul.core.forms import apply_field_errors, form_submit
from simpul.health.selectors import may_see_health
from simpul.posyandu.selectors import posyandu_registrable
from simpul.registry import selectors
from simpul.registry.forms import (
    ConsentForm,
    HouseholdForm,
    MemberFormSet,
    PersonEditForm,
    PersonForm,
)
from simpul.registry.presenters import may_see_full_nik, person_summary
from simpul.registry.services import (
    consent_record,
    consent_withdraw,
    duplicate_decide,
    household_register,
    person_register,
    person_update,
)


@requires(Perm.VIEW_PERSON)
def household_list(request):
    scope = request_scope(request)
    search, rt = request.GET.get("q", "").strip()[:60], request.GET.get("rt", "").strip()[:3]
    households = selectors.households_visible(scope, search=search, rt=rt).order_by("rw", "rt", "head_name")
    page = Paginator(households, 25).get_page(request.GET.get("page"))
    if search:
        access_record(
            actor=request.user,
            action="search",
            object_type="registry.household",
            detail=f"results={page.paginator.count}",
            request=request,
        )
    template = "registry/_household_rows.html" if request.htmx else "registry/household_list.html"
    return render(request, template, {"page": page, "search": search, "rt": rt})


@requires(Perm.REGISTER)
@require_http_methods(["GET", "POST"])
def household_register_view(request):
    scope = request_scope(request)
    choices = [
        (p.pk, f"{p.name} — {p.desa.name}") for p in posyandu_registrable(scope).select_related("desa")
    ]
    if request.method == "POST":
        form = HouseholdForm(request.POST, posyandu_choices=choices)
        formset = MemberFormSet(request.POST, prefix="members")
        if form.is_valid() and formset.is_valid():
            members = [f.to_input() for f in formset.forms]
            try:
                household = household_register(actor=request.user, scope=scope, data=form.to_input(members))
            except DomainError as exc:
                form.add_error(None, exc.message)
                apply_field_errors(exc.field_errors, form, formset)
            else:
                messages.success(request, _("Household registered with %(n)d members.") % {"n": len(members)})
                return redirect("registry:household_detail", pk=household.pk)
    else:
        initial = {"posyandu": choices[0][0]} if len(choices) == 1 else {}
        form = HouseholdForm(initial=initial, posyandu_choices=choices)
        formset = MemberFormSet(prefix="members", initial=[{"relationship": "kepala"}])
    return render(
        request,
        "registry/household_register.html",
        {
            "form": form,
            "formset": formset,
            "empty_member": formset.empty_form,
        },
    )


@requires(Perm.VIEW_PERSON)
def household_detail(request, pk: int):
    scope = request_scope(request)
    household = selectors.household_get(scope, pk)
    access_record(
        actor=request.user,
        action="view",
        object_type="registry.household",
        object_id=household.pk,
        region_code=household.desa_id,
        request=request,
    )
    today = timezone.localdate()
    members = [
        person_summary(p, scope, today=today) for p in household.members.all() if p.duplicate_of_id is None
    ]
    can_register = scope.allows(Perm.REGISTER, desa_code=household.desa_id, posyandu_id=household.posyandu_id)
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": household,
            "members": members,
            "can_register": can_register,
        },
    )


@requires(Perm.REGISTER)
@require_http_methods(["GET", "POST"])
def member_add(request, pk: int):
    scope = request_scope(request)
    household = selectors.household_get(scope, pk)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["full_name"]
        done = form_submit(
            request,
            form,
            lambda: person_register(
                actor=request.user, scope=scope, household=household, data=form.to_input()
            ),
            success=_("%(name)s was added to the household.") % {"name": name},
            then=("registry:household_detail", household.pk),
        )
        if done:
            return done
    return render(request, "registry/member_add.html", {"form": form, "household": household})


@requires(Perm.VIEW_PERSON)
def person_detail(request, pk: int):
    scope = request_scope(request)
    person = selectors.person_get(scope, pk)
    access_record(
        actor=request.user,
        action="view",
        object_type="registry.person",
        object_id=person.pk,
        region_code=person.desa_id,
        request=request,
    )
    can_register = scope.allows(Perm.REGISTER, desa_code=person.desa_id, posyandu_id=person.posyandu_id)
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "card": person_summary(person, scope, today=timezone.localdate(), full=True),
            "full_nik": may_see_full_nik(scope, person),
            "history": selectors.person_history(person)[:50],
            "residences": selectors.person_residences(person),
            "consents": selectors.person_consents(person),
            "duplicates": selectors.duplicate_proposals(scope, person=person) if can_register else [],
            "linked": selectors.linked_records(person),
            "can_register": can_register,
            "consent_form": ConsentForm(initial={"given_on": timezone.localdate()}),
            "can_see_health": may_see_health(scope, person),
        },
    )


@requires(Perm.REGISTER)
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    scope = request_scope(request)
    person = selectors.person_get(scope, pk)
    initial = {f: getattr(person, f) for f in PersonEditForm.base_fields if hasattr(person, f)}
    initial.update(nik=person.nik, version=person.version)
    form = PersonEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = form_submit(
            request,
            form,
            lambda: person_update(
                actor=request.user,
                scope=scope,
                person=person,
                data=form.to_input(),
                expected_version=form.cleaned_data["version"],
            ),
            success=_("Changes saved."),
            then=("registry:person_detail", person.pk),
        )
        if done:
            return done
    return render(request, "registry/person_edit.html", {"form": form, "person": person})


@requires(Perm.REGISTER)
@require_POST
def consent_add(request, pk: int):
    scope = request_scope(request)
    person = selectors.person_get(scope, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            consent_record(actor=request.user, scope=scope, person=person, **form.cleaned_data)
        except DomainError as exc:
            for field_messages in exc.field_errors.values() or [[exc.message]]:
                for message in field_messages:
                    messages.error(request, message)
        else:
            messages.success(request, _("Consent recorded."))
    else:
        messages.error(request, _("Please correct the marked fields."))
    return redirect("registry:person_detail", pk=person.pk)


@requires(Perm.REGISTER)
@require_POST
def duplicate_decide_view(request, pk: int):
    scope = request_scope(request)
    candidate = selectors.duplicate_proposals(scope).filter(pk=pk).first()
    if candidate is None:
        from django.http import Http404

        raise Http404
    same = request.POST.get("decision") == "same"
    try:
        duplicate_decide(actor=request.user, scope=scope, candidate=candidate, same_person=same)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Records linked.") if same else _("Proposal dismissed."))
    return redirect("registry:person_detail", pk=candidate.other_id if same else candidate.person_id)


@requires(Perm.REGISTER)
@require_POST
def consent_withdraw_view(request, pk: int, consent_id: int):
    scope = request_scope(request)
    person = selectors.person_get(scope, pk)
    consent = selectors.person_consents(person).filter(pk=consent_id).first()
    if consent is None:
        from django.http import Http404

        raise Http404
    try:
        consent_withdraw(
            actor=request.user,
            scope=scope,
            consent=consent,
            withdrawn_on=timezone.localdate(),
            reason=request.POST.get("reason", "")[:255],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Consent withdrawn. The withdrawal is kept in the record."))
    return redirect("registry:person_detail", pk=person.pk)
