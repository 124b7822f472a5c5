"""The household priority page (/peringatan/) and its two actions: make a referral, dismiss with a reason.

Views parse, call one selector or service, render. Every open of the page is written to the access log (it
names households to those who may see them).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpul.accounts.context_processors import request_scope
from simpul.alerts import rules, selectors
from simpul.alerts.services import alert_dismiss, alert_refer
from simpul.audit.services import access_record
from simpul.core.errors import DomainError, NotInScope
from simpul.spm.selectors import children, home_place, place_for


def _place(scope, request):
    posyandu = request.GET.get("posyandu", "")
    region = request.GET.get("wilayah", "")
    if posyandu.isdigit():
        return place_for(scope, posyandu_id=int(posyandu))
    if region:
        return place_for(scope, region=region)
    return home_place(scope)


def _page(request) -> int:
    value = request.GET.get("hal", "1")
    return int(value) if value.isdigit() else 1


@login_required
def priority_view(request):
    scope = request_scope(request)
    if not selectors.can_view_alerts(scope):
        raise PermissionDenied
    place = _place(scope, request)
    today = timezone.localdate()
    result = selectors.priority(scope, place, page=_page(request), today=today)
    access_record(actor=request.user, action="alerts.priority", object_type="alerts.alert",
                  region_code=place.code if place else "",
                  detail=f"{place.key if place else '-'} page={result.page} n={len(result.rows)}", request=request)
    return render(request, "alerts/priority.html", {
        "place": place, "result": result, "rules": rules.RULES, "query_place": _query(place),
        "children": children(scope, place) if place and place.level < 5 else [],
        "next": request.get_full_path(),
    })


def _query(place) -> str:
    if place is None:
        return ""
    return f"posyandu={place.posyandu_id}" if place.posyandu_id else f"wilayah={place.code}"


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("alerts:priority")


@login_required
@require_POST
def refer_view(request, pk: int):
    scope = request_scope(request)
    alert = selectors.alert_get(scope, pk)
    try:
        alert = alert_refer(actor=request.user, scope=scope, alert_id=alert.pk,
                            category=request.POST.get("category", ""))
    except NotInScope:
        raise  # the middleware answers 404, exactly like a missing alert
    except DomainError as exc:
        messages.error(request, " ".join([exc.message, *(m for ms in exc.field_errors.values() for m in ms)]))
    else:
        messages.success(request, _("Referral %(ticket)s recorded from the alert. The village will verify it.")
                         % {"ticket": alert.referral.ticket})
    return _back(request)


@login_required
@require_POST
def dismiss_view(request, pk: int):
    scope = request_scope(request)
    alert = selectors.alert_get(scope, pk)
    try:
        alert_dismiss(actor=request.user, scope=scope, alert_id=alert.pk, reason=request.POST.get("reason", ""))
    except NotInScope:
        raise  # the middleware answers 404, exactly like a missing alert
    except DomainError as exc:
        messages.error(request, " ".join([exc.message, *(m for ms in exc.field_errors.values() for m in ms)]))
    else:
        messages.success(request, _("Alert dismissed."))
    return _back(request)
