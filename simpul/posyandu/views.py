from django.shortcuts import render

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.core.decorators import requires
from simpul.posyandu.models import BoardMember, Kader
from simpul.posyandu.selectors import posyandu_get, posyandu_readiness, posyandu_visible


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
    })
