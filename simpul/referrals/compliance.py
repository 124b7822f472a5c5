"""SLA compliance: of the referrals due in a period, how many were closed on time.

A referral counts in a period when its due date falls in it and it is either closed (resolved or
rejected) or already past due; one still open and not yet due can still be on time, so it waits.
On time means closed on or before the due date. Counts only, so confidential referrals are included
(simpul.referrals.access.count_q); rows carry region and agency names, never a person's.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.scope import Scope, require_scope
from simpul.referrals import access
from simpul.referrals.models import Agency, Referral
from simpul.referrals.states import CLOSED
from simpul.regions.models import Region

BY = ("agency", "desa", "kecamatan")
_CLOSED = sorted(CLOSED)


def _counts():
    closed = Q(state__in=_CLOSED)
    return {
        "due": Count("id"),
        "on_time": Count("id", filter=closed & Q(closed_on__lte=F("due_on"))),
        "late": Count("id", filter=closed & Q(closed_on__gt=F("due_on"))),
        "open_overdue": Count("id", filter=~closed),
    }


def percent(on_time: int, due: int) -> float | None:
    return round(100 * on_time / due, 1) if due else None


def compliance(scope: Scope | None, *, by: str, start: dt.date, end: dt.date,
               today: dt.date | None = None) -> list[dict]:
    """Rows ``{key, label, due, on_time, late, open_overdue, percent}`` per agency, desa or kecamatan."""
    scope = require_scope(scope)
    if by not in BY:
        raise ValueError(f"compliance by {by!r}: expected one of {BY}")
    condition = access.count_q(scope)
    if condition is None:
        return []
    today = today or timezone.localdate()
    qs = Referral.objects.filter(condition, due_on__gte=start, due_on__lte=end).filter(
        Q(state__in=_CLOSED) | Q(due_on__lt=today))
    if by == "agency":
        grouped = qs.values(key=F("agency_id"))
    elif by == "desa":
        grouped = qs.values(key=F("desa_id"))
    else:
        grouped = qs.annotate(kecamatan=Substr("desa_id", 1, 6)).values(key=F("kecamatan"))
    rows = [dict(row) for row in grouped.order_by().annotate(**_counts())]
    labels = _labels(by, [row["key"] for row in rows])
    for row in rows:
        row["label"] = labels.get(row["key"], row["key"])
        row["percent"] = percent(row["on_time"], row["due"])
    return sorted(rows, key=lambda r: (r["key"] is None, str(r["label"]).lower()))


def _labels(by: str, keys: list) -> dict:
    if by == "agency":
        labels: dict = {a.pk: str(a) for a in Agency.objects.filter(pk__in=[k for k in keys if k is not None])}
        labels[None] = _("Not yet forwarded (at the village)")
        return labels
    return dict(Region.objects.filter(code__in=keys).values_list("code", "name"))


def total(rows: list[dict]) -> dict:
    """The sum of a table's rows (its own percentage, not an average of theirs)."""
    sums = {name: sum(row[name] for row in rows) for name in ("due", "on_time", "late", "open_overdue")}
    return {"key": "", "label": _("Total"), **sums, "percent": percent(sums["on_time"], sums["due"])}
