"""The practice switch: a page that explains it, switching on and off, and the pengurus's reset.

These pages always work on the real database (the middleware never switches /latihan/), so the switch
and the reset are recorded as real actions.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpul.accounts.context_processors import request_scope
from simpul.core.errors import DomainError, NotInScope
from simpul.posyandu.models import Posyandu
from simpul.practice import selectors
from simpul.practice.middleware import SESSION_KEY
from simpul.practice.services import practice_start, practice_stop, workspace_reset


def _posyandu_for(request, value) -> Posyandu:
    """A posyandu the user may practise in; any other id looks like one that does not exist."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise NotInScope() from None
    if pk not in selectors.practice_posyandu_ids(request_scope(request)):
        raise NotInScope()
    return get_object_or_404(Posyandu, pk=pk)


@login_required
def index(request):
    scope = request_scope(request)
    choices = selectors.practice_posyandu(scope)
    if not choices:
        raise PermissionDenied
    rows = [
        {
            "posyandu": p,
            "workspace": selectors.workspace_of(p.pk),
            "can_reset": selectors.can_reset(scope, p.pk),
        }
        for p in choices
    ]
    return render(request, "practice/index.html", {"rows": rows})


@login_required
@require_POST
def start(request):
    posyandu = _posyandu_for(request, request.POST.get("posyandu"))
    practice_start(user=request.user, scope=request_scope(request), posyandu=posyandu)
    request.session[SESSION_KEY] = posyandu.pk
    messages.success(
        request,
        _("Practice mode is on for %(name)s. Nothing you do now changes real records.")
        % {"name": posyandu.name},
    )
    return redirect("core:home")


@login_required
@require_POST
def stop(request):
    practice_stop(user=request.user)
    request.session.pop(SESSION_KEY, None)
    messages.success(request, _("Practice mode is off. You are working with real records again."))
    return redirect("core:home")


@login_required
@require_POST
def reset(request, pk: int):
    posyandu = _posyandu_for(request, pk)
    try:
        workspace_reset(actor=request.user, scope=request_scope(request), posyandu=posyandu)
    except DomainError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied from exc
        raise
    messages.success(
        request, _("The practice workspace of %(name)s starts afresh.") % {"name": posyandu.name}
    )
    return redirect("practice:index")
