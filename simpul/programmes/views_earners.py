"""Recording the household's income-earner situation (issue 7), from the household page."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.core.decorators import requires
from simpul.core.errors import NotInScope
from simpul.core.forms import form_submit
from simpul.programmes.earners import household_earners_record, latest_earners
from simpul.programmes.forms import EarnersForm
from simpul.registry import selectors as registry_selectors
from simpul.registry.models import HouseholdCondition


@requires(Perm.REGISTER)
@require_http_methods(["GET", "POST"])
def household_earners(request, pk: int):
    scope = request_scope(request)
    household = registry_selectors.household_get(scope, pk)
    if not scope.allows(Perm.REGISTER, desa_code=household.desa_id, posyandu_id=household.posyandu_id):
        raise NotInScope()
    current = latest_earners(household.pk)
    surveyed = HouseholdCondition.objects.filter(household=household).exists()
    form = EarnersForm(
        request.POST or None,
        initial={"observed_on": timezone.localdate(), "earners": current.earners if current else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = form_submit(
            request,
            form,
            lambda: household_earners_record(
                actor=request.user,
                scope=scope,
                household=household,
                earners=data["earners"],
                observed_on=data["observed_on"],
                note=data["note"],
                survey={key: data.get(key, "") for key in ("house", "water_source", "sanitation")},
            ),
            success=_("The income-earner situation is saved."),
            then=("registry:household_detail", household.pk),
        )
        if done:
            return done
    return render(
        request,
        "programmes/earners.html",
        {
            "form": form,
            "household": household,
            "current": current,
            "surveyed": surveyed,
            "hidden": {"house", "water_source", "sanitation"} if surveyed else set(),
        },
        status=400 if request.method == "POST" else 200,
    )
