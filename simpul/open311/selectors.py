"""The public reads of Open311: the categories, and referrals as citizen-facing rows.

Referrals are read with ``.values()`` over a fixed list of columns, so the name,
description, address, phone and files of a person are never even loaded.
Confidential referrals (and every referral of a category that is now
confidential) are left out of every read.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from simpul.core.errors import DomainError
from simpul.referrals.models import Agency, Category, Referral
from simpul.referrals.selectors import categories_active
from simpul.referrals.services.tickets import normalise_ticket
from simpul.referrals.states import CLOSED
from simpul.regions.models import Region

LIMIT = 1000  # the specification's default ceiling on one answer
PUBLIC_COLUMNS = (
    "ticket", "state", "category__code", "category__name", "category__subject", "agency__name", "desa__name",
    "recorded_at", "due_on", "latitude", "longitude", "person_id", "household_id", "updated_at",
)


def jurisdiction_get(code: str) -> Region:
    """A kab/kota this instance serves (it has agencies), by its code with or without dots."""
    normalised = (code or "").replace(".", "").strip()
    region = None
    if normalised.isdigit() and len(normalised) == 4:
        region = Region.objects.filter(code=normalised, level=Region.Level.REGENCY).first()
    if region is None or not Agency.objects.filter(region=region, active=True).exists():
        raise DomainError(_("jurisdiction_id %(code)s is not served here: give the code of a kabupaten/kota "
                            "(e.g. 3576).") % {"code": code})
    return region


def services_public() -> QuerySet[Category]:
    return categories_active()


def service_public(code: str) -> Category | None:
    return categories_active().filter(code=code).first()


def category_codes_known(codes: list[str]) -> set[str]:
    return set(Category.objects.filter(code__in=codes).values_list("code", flat=True))


def _public() -> QuerySet:
    return (
        Referral.objects.filter(confidential=False, category__confidential=False)
        .annotate(updated_at=Max("transitions__at"))
        .values(*PUBLIC_COLUMNS)
    )


def requests_public(*, jurisdiction: Region | None = None, tickets: list[str] | None = None,
                    service_codes: list[str] | None = None, start: dt.datetime | None = None,
                    end: dt.datetime | None = None, statuses: list[str] | None = None) -> list[dict]:
    """Citizen-facing rows, newest first, at most :data:`LIMIT`. Tickets, when given, override the filters."""
    qs = _public()
    if jurisdiction is not None:
        qs = qs.filter(desa__code__startswith=jurisdiction.code)
    if tickets is not None:
        qs = qs.filter(ticket__in=[normalise_ticket(t) for t in tickets])
    else:
        if service_codes:
            qs = qs.filter(category__code__in=service_codes)
        if start is not None:
            qs = qs.filter(recorded_at__gte=start)
        if end is not None:
            qs = qs.filter(recorded_at__lte=end)
        if statuses and set(statuses) != {"open", "closed"}:
            closed = sorted(CLOSED)
            qs = qs.filter(state__in=closed) if "closed" in statuses else qs.exclude(state__in=closed)
    return list(qs.order_by("-recorded_at", "-pk")[:LIMIT])


def request_public(ticket: str, *, jurisdiction: Region | None = None) -> dict | None:
    qs = _public().filter(ticket=normalise_ticket(ticket))
    if jurisdiction is not None:
        qs = qs.filter(desa__code__startswith=jurisdiction.code)
    return qs.first()
