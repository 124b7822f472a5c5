"""Immunisation pages: the posyandu's due list and a child's immunisation card.

Anyone logged in may ask; the selectors answer "not found" (404) unless the user holds the health
field at the child's posyandu.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from simpul.accounts.context_processors import request_scope
from simpul.audit.services import access_record
from simpul.core.errors import DomainError
from simpul.core.forms import apply_field_errors
from simpul.immunization import selectors
from simpul.immunization.forms import KipiForm, RecordForm
from simpul.immunization.services import immunization_record, kipi_record, may_record
from simpul.registry.lifestage import age_label


def _date_param(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@login_required
def due_list_view(request, pk: int):
    scope = request_scope(request)
    on = _date_param(request.GET.get("on"))
    posyandu = selectors.posyandu_for_health(scope, pk)
    children = selectors.due_list(scope, posyandu_id=posyandu.pk, on=on)
    access_record(actor=request.user, action="view", object_type="immunization.due", object_id=posyandu.pk,
                  region_code=posyandu.desa_id, detail=f"on={on.isoformat()}", request=request)
    return render(request, "immunization/due_list.html", {"posyandu": posyandu, "on": on, "children": children})


@login_required
@require_http_methods(["GET", "POST"])
def card_view(request, pk: int):
    scope = request_scope(request)
    person = selectors.child_get(scope, pk)
    can_record = may_record(scope, person)
    today = timezone.localdate()
    form = RecordForm(request.POST or None, initial={"given_on": today})
    if request.method == "POST":
        if form.is_valid():
            try:
                record = immunization_record(actor=request.user, scope=scope, person=person, data=form.to_input())
            except DomainError as exc:
                form.add_error(None, exc.message)
                apply_field_errors(exc.field_errors, form)
            else:
                messages.success(request, _("%(dose)s recorded for %(name)s.") % {
                    "dose": record.dose_label, "name": person.full_name})
                return redirect("immunization:card", pk=person.pk)
    else:
        access_record(actor=request.user, action="view", object_type="immunization.card", object_id=person.pk,
                      region_code=person.desa_id, request=request)
    records = list(selectors.records_for(person))
    return render(request, "immunization/card.html", {
        "person": person,
        "age": age_label(person.birth_date, today),
        "status": selectors.immunization_status(person, today, records=records),
        "records": records,
        "form": form,
        "kipi_form": KipiForm(initial={"noted_on": today}),
        "can_record": can_record,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def kipi_view(request, pk: int):
    scope = request_scope(request)
    record = selectors.record_get(scope, pk)
    form = KipiForm(request.POST)
    if form.is_valid():
        try:
            kipi_record(actor=request.user, scope=scope, record=record, **form.cleaned_data)
        except DomainError as exc:
            for field_messages in exc.field_errors.values() or [[exc.message]]:
                for message in field_messages:
                    messages.error(request, message)
        else:
            messages.success(request, _("Adverse event note saved."))
    else:
        messages.error(request, _("Please correct the marked fields."))
    return redirect("immunization:card", pk=record.person_id)
