"""/api/v1/alerts: the open early warnings the user may see, and the two actions on one.

``GET /alerts[?posyandu=<id>|region=<code>][&status=open][&rule=<code>]`` lists alerts (newest first) with
their reasons, masked like the page; ``POST /alerts/{id}/refer`` ``{"category"?, "description"?}`` makes one
referral of it; ``POST /alerts/{id}/dismiss`` ``{"reason"}`` closes it. An alert outside the user's reach is a
404, one already handled a 409, bad input a 422 with field errors in Bahasa Indonesia.

The rules as a kab/kota has tuned them (Tim Pembina of that kab/kota, else 404): ``GET /alerts/rules?region=
<kab/kota code>``; ``PUT /alerts/rules/{code}?region=…`` ``{"active", "params"}`` (the parameters that differ
from the defaults; field errors as ``params.<key>``); ``DELETE /alerts/rules/{code}?region=…`` goes back to
the defaults. A change is evaluated over the kab/kota's households by a job after commit.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import ConfigDict

from simpul.accounts.context_processors import request_scope
from simpul.alerts import rules, selectors
from simpul.alerts import selectors_settings as settings_reads
from simpul.alerts.models import Alert
from simpul.alerts.services import alert_dismiss, alert_refer, rule_setting_clear, rule_setting_save
from simpul.api.pagination import Page
from simpul.api.types import Id, resolved
from simpul.audit.services import access_record
from simpul.core.errors import DomainError, NotInScope
from simpul.registry.models import Household
from simpul.spm.selectors import place_for
from simpul.spm.selectors_dashboard import kabkota_get

router = Router(tags=["alerts"])


class ReferIn(Schema):
    model_config = ConfigDict(extra="forbid")
    category: str = Field("", max_length=40)
    description: str = Field("", max_length=2000)


class AlertDismissIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(..., max_length=255)


class AlertOut(Schema):
    id: int
    rule: str
    rule_name: str
    explanation: str
    reasons: list[str]
    agencies: list[str]
    status: str
    raised_on: str
    referral_ticket: str
    categories: list[str]
    can_act: bool
    household_id: int | None  # None when the reader may not see named households there
    household_name: str
    rt: str
    rw: str
    desa_code: str
    posyandu_id: int


class ReferredOut(AlertOut):
    referral_id: int


class RuleSettingIn(Schema):
    model_config = ConfigDict(extra="forbid")
    active: bool = True
    params: dict[str, Any] = Field(default_factory=dict)


class ParamOut(Schema):
    key: str
    label: str
    kind: str
    value: Any
    default: Any
    options: list[str]


class RuleOut(Schema):
    code: str
    name: str
    explanation: str
    agencies: list[str]
    active: bool
    own: bool
    updated_at: str | None
    updated_by: str
    params: list[ParamOut]


def _invalid(field: str, message: str) -> DomainError:
    return DomainError(_("Please correct the marked fields."), field_errors={field: [message]})


def _items(scope, alerts: list[Alert]) -> list[dict]:
    today = timezone.localdate()
    homes = {pk: (rt, rw, head) for pk, rt, rw, head in Household.objects.filter(
        pk__in={a.household_id for a in alerts}).values_list("pk", "rt", "rw", "head_name")}
    items = []
    for alert, view in zip(alerts, selectors.present(scope, alerts, today=today), strict=True):
        rt, rw, head = homes.get(alert.household_id, ("", "", ""))
        named = selectors.names_visible(scope, alert)
        items.append({**view.as_dict(), "household_id": alert.household_id if named else None,
                      "household_name": head if named else "", "rt": rt, "rw": rw, "desa_code": alert.desa_id,
                      "posyandu_id": alert.posyandu_id})
    return items


@router.get("", response=list[AlertOut])
@paginate(Page)
@resolved
def alert_list(request, posyandu: Id | None = None, region: str = "", status: str = "open", rule: str = ""):
    scope = request_scope(request)
    if not selectors.can_view_alerts(scope):
        raise NotInScope()
    if status not in {"", *Alert.Status.values}:
        raise _invalid("status", _("Choose one of: %(options)s.") % {"options": ", ".join(Alert.Status.values)})
    if rule and rules.get(rule) is None:
        raise _invalid("rule", _("Choose one of: %(options)s.") % {"options": ", ".join(rules.BY_CODE)})
    place = place_for(scope, posyandu_id=posyandu) if posyandu is not None else (
        place_for(scope, region=region) if region else None)
    alerts = list(selectors.alerts_visible(scope, place=place, status=status, rule=rule)
                  .order_by("-created_at", "-id")[:2000])
    access_record(actor=request.user, action="alerts.list", object_type="alerts.alert",
                  region_code=place.code if place else "", detail=f"api n={len(alerts)}", request=request)
    return _items(scope, alerts)


@router.post("/{int:alert_id}/refer", response=ReferredOut)
def alert_refer_api(request, alert_id: Id, payload: ReferIn):
    scope = request_scope(request)
    alert = selectors.alert_get(scope, alert_id)
    alert = alert_refer(actor=request.user, scope=scope, alert_id=alert.pk, category=payload.category,
                        description=payload.description)
    return {**_items(scope, [alert])[0], "referral_id": alert.referral_id}


@router.post("/{int:alert_id}/dismiss", response=AlertOut)
def alert_dismiss_api(request, alert_id: Id, payload: AlertDismissIn):
    scope = request_scope(request)
    alert = selectors.alert_get(scope, alert_id)
    alert = alert_dismiss(actor=request.user, scope=scope, alert_id=alert.pk, reason=payload.reason)
    return _items(scope, [alert])[0]


def _rules(scope, region: str) -> list[dict]:
    kabkota = kabkota_get(scope, region.replace(".", ""))
    return [{"code": r.code, "name": r.name, "explanation": r.explanation, "agencies": list(r.agencies),
             "active": r.active, "own": r.own, "updated_at": r.updated_at.isoformat() if r.updated_at else None,
             "updated_by": r.updated_by,
             "params": [{"key": p.key, "label": p.label, "kind": p.kind, "value": p.value, "default": p.default,
                         "options": [code for code, _label in p.options]} for p in r.params]}
            for r in settings_reads.rule_settings(scope, kabkota)]


@router.get("/rules", response=list[RuleOut])
def rule_list(request, region: str):
    return _rules(request_scope(request), region)


@router.put("/rules/{code}", response=RuleOut)
def rule_save(request, code: str, region: str, payload: RuleSettingIn):
    scope = request_scope(request)
    rule_setting_save(actor=request.user, scope=scope, region_code=region, rule=code, active=payload.active,
                      params=payload.params)
    return next(r for r in _rules(scope, region) if r["code"] == code)


@router.delete("/rules/{code}", response=RuleOut)
def rule_reset(request, code: str, region: str):
    scope = request_scope(request)
    rule_setting_clear(actor=request.user, scope=scope, region_code=region, rule=code)
    return next(r for r in _rules(scope, region) if r["code"] == code)
