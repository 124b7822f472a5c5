"""The public status page: anyone holding a ticket code sees where the need stands. No login.

It shows the ticket, the category (hidden when confidential), the field, the state in public wording and
the dates; never a name, address, description, phone, photo, reporter or officer. The page is built
from a dict of exactly those values, so a template change cannot leak more. Lookups are rate-limited
per client address so the codes' random suffix cannot be walked cheaply.
"""

from __future__ import annotations

import re
import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from simpul.referrals.models import FIELD_CHOICES, Referral
from simpul.referrals.selectors import public_status
from simpul.referrals.services.tickets import normalise_ticket
from simpul.referrals.share import public_category_label, public_state_label

LOOKUPS_PER_MINUTE = 30
_PLAUSIBLE = re.compile(r"^[A-Z0-9-]{6,40}$")
_FIELDS = dict(FIELD_CHOICES)


def _headers(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def status_lookup(request):
    """The form to type a ticket code; a plausible code goes to its page."""
    error = ""
    typed = request.GET.get("kode", "")
    if "kode" in request.GET:
        code = normalise_ticket(typed)
        if not code:
            error = _("Type the ticket code printed on your receipt.")
        elif not _PLAUSIBLE.match(code):
            error = _("This is not a ticket code. It looks like PRK-3576031002-202611-0007-K4QM.")
        else:
            return redirect("public_status:ticket", code)
    return _headers(render(request, "referrals/public_lookup.html", {"typed": typed[:60], "error": error},
                           status=400 if error else 200))


@never_cache
@require_GET
def status_ticket(request, ticket: str):
    if _over_limit(request):
        response = render(request, "referrals/public_limited.html", status=429)
        response["Retry-After"] = "60"
        return _headers(response)
    code = normalise_ticket(ticket)
    referral = public_status(code) if _PLAUSIBLE.match(code) else None
    if referral is None:
        return _headers(render(request, "referrals/public_not_found.html", {"typed": ticket[:60]}, status=404))
    return _headers(render(request, "referrals/public_status.html", {"status": public_view(referral)}))


def public_view(referral: Referral) -> dict:
    """Everything the public page may show, and nothing else."""
    last = referral.transitions.aggregate(last=Max("at"))["last"]
    return {
        "ticket": referral.ticket,
        "category": public_category_label(label=referral.category.label, confidential=referral.confidential),
        "field": str(_FIELDS.get(referral.field, "")),
        "state": referral.state,
        "state_label": public_state_label(referral.state),
        "recorded_on": referral.recorded_on,
        "due_on": referral.due_on,
        "updated_at": max(filter(None, [last, referral.stage_started_at, referral.recorded_at])),
        "closed_on": referral.closed_on,
        "closed": referral.is_closed,
    }


def _over_limit(request) -> bool:
    """Count this lookup for the client's address in the current minute; True past the limit."""
    address = get_client_ip_address(request) or "unknown"
    key = f"public_status:{address}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count > getattr(settings, "SIMPUL_STATUS_LOOKUPS_PER_MINUTE", LOOKUPS_PER_MINUTE)
