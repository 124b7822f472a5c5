"""Moving a resident to another household, or a whole household to another posyandu."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.core.decorators import requires
from simpul.core.errors import NotInScope
from simpul.core.forms import form_submit
from simpul.posyandu.selectors import posyandu_registrable
from simpul.registry import selectors
from simpul.registry.forms import HouseholdMoveForm, PersonMoveForm
from simpul.registry.services import household_move, person_move


@requires(Perm.REGISTER)
@require_http_methods(["GET", "POST"])
def person_move_view(request, pk: int):
    scope = request_scope(request)
    person = selectors.person_get(scope, pk)
    if not scope.allows(Perm.REGISTER, desa_code=person.desa_id, posyandu_id=person.posyandu_id):
        raise NotInScope()
    targets = (
        selectors.households_visible(scope)
        .exclude(pk=person.household_id)
        .filter(posyandu__in=posyandu_registrable(scope))
        .order_by("head_name")[:500]
    )
    choices = [(h.pk, f"{h.head_name} — {h.address}") for h in targets]
    form = PersonMoveForm(
        request.POST or None,
        household_choices=choices,
        initial={"moved_on": timezone.localdate(), "relationship": person.relationship},
    )
    if request.method == "POST" and form.is_valid():
        target = selectors.household_get(scope, form.cleaned_data["to_household"])
        done = form_submit(
            request,
            form,
            lambda: person_move(
                actor=request.user,
                scope=scope,
                person=person,
                to_household=target,
                moved_on=form.cleaned_data["moved_on"],
                relationship=form.cleaned_data["relationship"],
            ),
            success=_("The move was recorded; the earlier residence stays in the history."),
            then=("registry:person_detail", person.pk),
        )
        if done:
            return done
    return render(
        request,
        "registry/move.html",
        {"form": form, "title": person.full_name, "back": ("registry:person_detail", person.pk)},
    )


@requires(Perm.REGISTER)
@require_http_methods(["GET", "POST"])
def household_move_view(request, pk: int):
    scope = request_scope(request)
    household = selectors.household_get(scope, pk)
    if not scope.allows(Perm.REGISTER, desa_code=household.desa_id, posyandu_id=household.posyandu_id):
        raise NotInScope()
    choices = [
        (p.pk, f"{p.name} — {p.desa.name}")
        for p in posyandu_registrable(scope).exclude(pk=household.posyandu_id).select_related("desa")
    ]
    form = HouseholdMoveForm(
        request.POST or None, posyandu_choices=choices, initial={"moved_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = posyandu_registrable(scope).filter(pk=data["to_posyandu"]).first()
        done = form_submit(
            request,
            form,
            lambda: household_move(
                actor=request.user,
                scope=scope,
                household=household,
                to_posyandu=target,
                moved_on=data["moved_on"],
                address=data["address"],
                rt=data["rt"],
                rw=data["rw"],
            ),
            success=_("The move was recorded; the earlier residence stays in the history."),
            then=("registry:household_detail", household.pk),
        )
        if done:
            return done
    return render(
        request,
        "registry/move.html",
        {"form": form, "title": household.head_name, "back": ("registry:household_detail", household.pk)},
    )
