"""Reads of alerts. Every function takes the scope first; an alert outside it is a NotInScope.

Who sees which alert:
- kader, pengurus, desa and nakes (``VIEW_PERSON`` at the place): the alerts of their posyandu or area whose
  rule touches a field they work in — the kesehatan field counts only with ``VIEW_HEALTH`` (so the village
  office never sees the "pregnant woman at risk" alert, and sees a child's growth problem without the name);
- an OPD officer: the alerts that name their agency, in their kab/kota;
- camat and Tim Pembina (``VIEW_AGGREGATES`` over an area): every alert of the area.
Names (the head of the household, the people in the facts) only for ``VIEW_PERSON`` at the place; everyone
else reads RT/RW, the posyandu and the reasons.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce

from django.db.models import Count, Min, Q, QuerySet

from simpul.accounts.roles import Perm, Role
from simpul.accounts.scope import Scope, require_scope
from simpul.alerts import presenters, rules
from simpul.alerts.models import Alert, RuleSetting
from simpul.core.choices import SpmField
from simpul.core.errors import NotInScope
from simpul.posyandu.models import Posyandu
from simpul.referrals.models import Agency
from simpul.regions.models import Region
from simpul.registry.models import Household, Person
from simpul.spm.selectors import Place

PAGE_SIZE = 25


def _alert_fields(grant) -> set[str]:
    fields = set(grant.fields)
    if not grant.permits(Perm.VIEW_HEALTH):
        fields.discard(SpmField.HEALTH)
    return fields


def visible_q(scope: Scope) -> Q | None:
    parts = []
    agency_codes = dict(Agency.objects.filter(pk__in=scope.agency_ids()).values_list("pk", "code"))
    for grant in scope.grants:
        if grant.role == Role.OPD:
            if grant.agency_id in agency_codes and grant.region_prefix:
                parts.append(Q(rule__in=rules.rules_naming(agency_codes[grant.agency_id]),
                               desa__code__startswith=grant.region_prefix))
        elif grant.permits(Perm.VIEW_PERSON):
            place = (Q(posyandu_id=grant.posyandu_id) if grant.posyandu_id is not None
                     else Q(desa__code__startswith=grant.region_prefix) if grant.region_prefix else None)
            if place is not None:
                parts.append(place & Q(rule__in=rules.rules_in_fields(_alert_fields(grant))))
        elif grant.permits(Perm.VIEW_AGGREGATES) and grant.region_prefix:
            parts.append(Q(desa__code__startswith=grant.region_prefix))
    return reduce(lambda a, b: a | b, parts) if parts else None


def can_view_alerts(scope: Scope | None) -> bool:
    return visible_q(require_scope(scope)) is not None


def alerts_visible(scope: Scope | None, *, place: Place | None = None, status: str = Alert.Status.OPEN,
                   rule: str = "") -> QuerySet[Alert]:
    scope = require_scope(scope)
    condition = visible_q(scope)
    if condition is None:
        return Alert.objects.none()
    qs = Alert.objects.filter(condition)
    if place is not None:
        qs = qs.filter(posyandu_id=place.posyandu_id) if place.posyandu_id else qs.filter(
            desa__code__startswith=place.code)
    if status:
        qs = qs.filter(status=status)
    if rule:
        qs = qs.filter(rule=rule)
    return qs


def alert_get(scope: Scope | None, pk: int) -> Alert:
    alert = alerts_visible(scope, status="").filter(pk=pk).first()
    if alert is None:
        raise NotInScope()
    return alert


def names_visible(scope: Scope, alert: Alert) -> bool:
    rule = rules.BY_CODE[alert.rule]
    if not scope.allows(Perm.VIEW_PERSON, desa_code=alert.desa_id, posyandu_id=alert.posyandu_id):
        return False
    fields = scope.fields_at(desa_code=alert.desa_id, posyandu_id=alert.posyandu_id, perm=Perm.VIEW_PERSON)
    return bool(set(rule.fields) & fields)


def health_visible(scope: Scope, alert: Alert) -> bool:
    return scope.allows(Perm.VIEW_HEALTH, desa_code=alert.desa_id, posyandu_id=alert.posyandu_id) and (
        SpmField.HEALTH in scope.fields_at(desa_code=alert.desa_id, posyandu_id=alert.posyandu_id,
                                           perm=Perm.VIEW_HEALTH))


def can_act(scope: Scope, alert: Alert) -> bool:
    return (alert.status == Alert.Status.OPEN and names_visible(scope, alert)
            and scope.allows(Perm.RECORD_NEED, desa_code=alert.desa_id, posyandu_id=alert.posyandu_id))


@dataclass(frozen=True)
class AlertView:
    id: int
    rule: str
    rule_name: str
    explanation: str
    reasons: list[str]
    agencies: list[str]
    status: str
    raised_on: dt.date
    referral_ticket: str
    categories: list[tuple[str, str]]  # offered referral categories (code, label) when the reader may act
    can_act: bool

    def as_dict(self) -> dict:
        return {"id": self.id, "rule": self.rule, "rule_name": self.rule_name, "explanation": self.explanation,
                "reasons": self.reasons, "agencies": self.agencies, "status": self.status,
                "raised_on": self.raised_on.isoformat(), "referral_ticket": self.referral_ticket,
                "categories": [code for code, _label in self.categories], "can_act": self.can_act}


@dataclass(frozen=True)
class HouseholdRow:
    household_id: int | None  # None when masked
    name: str  # the head's name, or "" when masked
    rt: str
    rw: str
    desa: str
    posyandu: str
    open_count: int
    alerts: list[AlertView]

    def as_dict(self) -> dict:
        return {"household_id": self.household_id, "name": self.name, "rt": self.rt, "rw": self.rw,
                "desa": self.desa, "posyandu": self.posyandu, "open_alerts": self.open_count,
                "alerts": [a.as_dict() for a in self.alerts]}


@dataclass(frozen=True)
class PriorityPage:
    rows: list[HouseholdRow]
    total: int
    page: int
    pages: int


def present(scope: Scope, alerts: list[Alert], *, today: dt.date) -> list[AlertView]:
    """The alerts as the reader may see them, loading names and settings once for the lot."""
    from simpul.referrals.taxonomy import category_label

    person_ids = {f["person"] for a in alerts for f in a.facts if f.get("person")}
    people = {pk: (name, birth) for pk, name, birth in
              Person.objects.filter(pk__in=person_ids).values_list("pk", "full_name", "birth_date")}
    settings = {(s.region_id, s.rule): s.params for s in
                RuleSetting.objects.filter(region_id__in={a.desa_id[:4] for a in alerts})}
    tickets = dict(Alert.objects.filter(pk__in=[a.pk for a in alerts if a.referral_id])
                   .values_list("pk", "referral__ticket"))
    views = []
    for alert in alerts:
        rule = rules.BY_CODE[alert.rule]
        names, health = names_visible(scope, alert), health_visible(scope, alert)
        acts = can_act(scope, alert)
        views.append(AlertView(
            alert.pk, alert.rule, str(rule.name), rules.explanation(rule, settings.get((alert.desa_id[:4], alert.rule),
                                                                                       {})),
            presenters.reasons(alert, people=people, names=names, health=health, today=today),
            [code for code in alert.agencies], alert.status, alert.raised_on, tickets.get(alert.pk, ""),
            [(code, category_label(code, code)) for code in rule.categories] if acts else [], acts))
    return views


def priority(scope: Scope | None, place: Place | None, *, page: int = 1, today: dt.date) -> PriorityPage:
    """Households ranked by their open alerts (most first, then the longest waiting), a page at a time."""
    scope = require_scope(scope)
    ranked = (alerts_visible(scope, place=place).values("household_id")
              .annotate(n=Count("id"), first=Min("created_at")).order_by("-n", "first", "household_id"))
    total = ranked.count()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    chosen = list(ranked[(page - 1) * PAGE_SIZE: page * PAGE_SIZE])
    ids = [row["household_id"] for row in chosen]
    alerts = list(alerts_visible(scope, place=place).filter(household_id__in=ids).order_by("created_at", "id"))
    views = dict(zip([a.pk for a in alerts], present(scope, alerts, today=today), strict=True))
    homes = Household.objects.in_bulk(ids)
    posyandu = dict(Posyandu.objects.filter(pk__in={a.posyandu_id for a in alerts}).values_list("pk", "name"))
    desa = dict(Region.objects.filter(code__in={a.desa_id for a in alerts}).values_list("code", "name"))
    rows = []
    for row in chosen:
        mine = [a for a in alerts if a.household_id == row["household_id"]]
        home = homes[row["household_id"]]
        named = scope.allows(Perm.VIEW_PERSON, desa_code=mine[0].desa_id, posyandu_id=mine[0].posyandu_id)
        rows.append(HouseholdRow(home.pk if named else None, (home.head_name or home.address) if named else "",
                                 home.rt, home.rw, desa.get(mine[0].desa_id, ""), posyandu.get(mine[0].posyandu_id, ""),
                                 row["n"], [views[a.pk] for a in mine]))
    return PriorityPage(rows, total, page, pages)
