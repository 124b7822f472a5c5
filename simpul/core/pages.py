"""The home page: each role lands on what it works with."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.core.errors import NotInScope
from simpul.posyandu.selectors import posyandu_visible
from simpul.regions.models import Region
from simpul.registry.aggregates import region_overview
from simpul.registry.lifestage import LIFE_STAGE_BANDS, SHORT_LABELS
from simpul.serviceday.access import may_see_referrals
from simpul.serviceday.selectors import days_visible, referrals_visible
from simpul.tasks.selectors import home_tasks


@login_required
def home(request):
    scope = request_scope(request)
    today = timezone.localdate()
    areas = []
    for prefix in scope.region_prefixes(Perm.VIEW_AGGREGATES):
        region = Region.objects.filter(code=prefix).first()
        if region is None:
            continue
        try:
            rows = region_overview(scope, region_code=prefix, today=today)
        except NotInScope:
            continue
        areas.append({"region": region, "rows": rows, "totals": _totals(rows)})
    my_posyandu = list(posyandu_visible(scope).filter(pk__in=scope.posyandu_ids(Perm.VIEW_POSYANDU))) if scope.posyandu_ids(
        Perm.VIEW_POSYANDU) else []
    health_posyandu = {p.pk for p in my_posyandu
                       if "kesehatan" in scope.fields_at(desa_code=p.desa_id, posyandu_id=p.pk, perm=Perm.VIEW_HEALTH)}
    today_days = {d.posyandu_id: d for d in days_visible(scope).filter(
        posyandu_id__in=health_posyandu, held_on=today).exclude(status="cancelled")}
    return render(request, "core/home.html", {
        "health_posyandu": health_posyandu,
        "today_days": today_days,
        "open_referrals": referrals_visible(scope, open_only=True).count() if may_see_referrals(scope) else None,
        "areas": areas,
        "home_tasks": home_tasks(scope, today=today),
        "my_posyandu": my_posyandu,
        "stages": [(code, SHORT_LABELS[code], label) for code, label, _lo, _hi in LIFE_STAGE_BANDS],
        "today": today,
    })


def _totals(rows):
    keys = {k for r in rows for k, v in r.items() if isinstance(v, int)}
    return {k: sum(r.get(k, 0) or 0 for r in rows) for k in keys}
