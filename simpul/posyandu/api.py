import datetime as dt

from ninja import Router, Schema
from ninja.pagination import paginate

from simpul.accounts.context_processors import request_scope
from simpul.api.pagination import Page
from simpul.api.types import Id
from simpul.posyandu.selectors import posyandu_get, posyandu_readiness, posyandu_visible
from simpul.regions.models import dotted, undotted

router = Router(tags=["posyandu"])


class PosyanduOut(Schema):
    id: int
    name: str
    desa_code: str
    desa_name: str
    address: str
    rw: str
    dusun: str
    status: str
    sk_number: str
    sk_date: dt.date | None
    registration_number: str | None

    @staticmethod
    def resolve_desa_code(obj):
        return dotted(obj.desa_id)

    @staticmethod
    def resolve_desa_name(obj):
        return obj.desa.name


class ReadinessOut(Schema):
    fields_with_kader: list[str]
    fields_without_kader: list[str]
    missing_legal: list[str]
    multi_role_names: list[str]
    active_kader: int
    ready_for_registration: bool


@router.get("", response=list[PosyanduOut])
@paginate(Page)
def posyandu_list(request, region: str = "", status: str = ""):
    """Posyandu in the caller's scope, optionally under a region code."""
    qs = posyandu_visible(request_scope(request))
    if region:
        qs = qs.filter(desa__code__startswith=undotted(region))
    if status:
        qs = qs.filter(status=status)
    return qs


@router.get("/{int:posyandu_id}", response=PosyanduOut)
def posyandu_detail(request, posyandu_id: Id):
    return posyandu_get(request_scope(request), posyandu_id)


@router.get("/{int:posyandu_id}/readiness", response=ReadinessOut)
def posyandu_readiness_view(request, posyandu_id: Id):
    readiness = posyandu_readiness(posyandu_get(request_scope(request), posyandu_id))
    return {**readiness.__dict__, "ready_for_registration": readiness.ready_for_registration}
