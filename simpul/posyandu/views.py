from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.core.decorators import requires
from simpul.core.errors import DomainError, NotInScope
from simpul.posyandu.models import BoardMember, Kader
from simpul.posyandu.selectors import posyandu_get, posyandu_readiness, posyandu_visible
from simpul.posyandu.services import posyandu_update_legal


@requires(Perm.VIEW_POSYANDU)
def posyandu_list(request):
    scope = request_scope(request)
    rows = [(p, posyandu_readiness(p)) for p in posyandu_visible(scope).order_by("desa_id", "name")[:300]]
    return render(request, "posyandu/posyandu_list.html", {"rows": rows})


@requires(Perm.VIEW_POSYANDU)
def posyandu_detail(request, pk: int):
    scope = request_scope(request)
    posyandu = posyandu_get(scope, pk)
    return render(request, "posyandu/posyandu_detail.html", {
        "posyandu": posyandu,
        "readiness": posyandu_readiness(posyandu),
        "board": BoardMember.objects.filter(posyandu=posyandu, active=True),
        "kader": Kader.objects.filter(posyandu=posyandu).order_by("-active", "name"),
        "history": posyandu.status_history.all()[:20],
        "can_edit": scope.allows(Perm.EDIT_POSYANDU, desa_code=posyandu.desa_id, posyandu_id=posyandu.pk),
    })


class LegalForm(forms.Form):
    sk_number = forms.CharField(label=_("Establishment decree number"), max_length=80, required=False)
    sk_date = forms.DateField(label=_("Establishment decree date"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    sk_board_number = forms.CharField(label=_("Board decree number"), max_length=80, required=False)
    sk_board_date = forms.DateField(label=_("Board decree date"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    registration_number = forms.CharField(label=_("Registration number"), max_length=20, required=False,
                                          help_text=_("PP.KK.CC.DDDD.NNN, starting with the desa code."))


@requires(Perm.EDIT_POSYANDU)
@require_http_methods(["GET", "POST"])
def posyandu_legal_edit(request, pk: int):
    scope = request_scope(request)
    posyandu = posyandu_get(scope, pk)
    if not scope.allows(Perm.EDIT_POSYANDU, desa_code=posyandu.desa_id, posyandu_id=posyandu.pk):
        raise NotInScope()
    initial = {name: getattr(posyandu, name) for name in LegalForm.base_fields}
    form = LegalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            posyandu_update_legal(actor=request.user, scope=scope, posyandu=posyandu, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
            for field, field_messages in exc.field_errors.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("posyandu:detail", pk=posyandu.pk)
    return render(request, "posyandu/legal_edit.html", {"form": form, "posyandu": posyandu})
