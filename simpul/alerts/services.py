"""Writes of the early warning: evaluating the rules, turning an alert into a referral, dismissing, tuning.

``alerts_evaluate`` is derived data (like the SPM counters): it raises what the records show and closes what
they no longer show, without an audit entry per row. What people do with an alert — refer, dismiss, tune a
rule — goes through the usual order: atomic → guard → change → audit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm
from simpul.alerts import presenters, rules
from simpul.alerts.evaluate import Settings, Snapshot, find
from simpul.alerts.models import Alert, RuleSetting
from simpul.audit.services import audit_record
from simpul.core.errors import DomainError, NotInScope
from simpul.posyandu.models import Posyandu
from simpul.referrals.models import Category
from simpul.referrals.services import NeedInput, referral_record
from simpul.regions.models import Region
from simpul.registry.models import Household

logger = logging.getLogger(__name__)

# Referral client ids derived from the alert: a retried "refer" can never open a second referral.
REFERRAL_NAMESPACE = uuid.UUID("6d1f5a3e-2b0c-4a8e-9f57-5b1c0e7a9d21")
DISMISS_REASON_MIN, DISMISS_REASON_MAX = 5, 255


def fingerprint(rule: str, facts) -> str:
    """Hash of the rule and the identifying part of its facts (code, person, value), order-free."""
    keys = sorted(json.dumps([f["code"], f.get("person"), f.get("value")], default=str) for f in facts)
    return hashlib.sha256(json.dumps([rule, keys]).encode()).hexdigest()


def settings_for(kabkota_codes) -> Settings:
    """The parameters each rule uses in each kab/kota: the defaults with its overrides, None when off."""
    overrides = {(s.region_id, s.rule): s for s in RuleSetting.objects.filter(region_id__in=set(kabkota_codes))}

    def params(rule_code: str, kabkota: str) -> dict | None:
        rule = rules.BY_CODE[rule_code]
        setting = overrides.get((kabkota, rule_code))
        if setting is None:
            return dict(rule.defaults)
        if not setting.active:
            return None
        clean, _errors = rules.clean_params(rule, setting.params)  # saved values were checked; stay safe
        return {**rule.defaults, **clean}

    return params


@dataclass(frozen=True)
class Evaluated:
    raised: int
    resolved: int
    moved: int


@dataclass(frozen=True)
class RegionEvaluated:
    raised: int
    resolved: int
    posyandu: int


@transaction.atomic
def alerts_evaluate(posyandu_ids, *, today: dt.date | None = None, now=None) -> Evaluated:
    """Raise the alerts the records of these posyandu show today; close the open ones they no longer show."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    ids = frozenset(Posyandu.objects.filter(pk__in=set(posyandu_ids)).values_list("pk", flat=True))
    if not ids:
        return Evaluated(0, 0, 0)
    snap = Snapshot(ids, today)
    settings = settings_for({home.desa_id[:4] for home in snap.homes.values()})
    found = find(snap, settings)
    current = {(f.household_id, f.rule, fingerprint(f.rule, f.facts)): f for f in found}
    known = {}
    for pk, household_id, rule, print_, status, posyandu_id in Alert.objects.filter(
            household_id__in={key[0] for key in current}).values_list(
            "pk", "household_id", "rule", "fingerprint", "status", "posyandu_id"):
        known[(household_id, rule, print_)] = (pk, status, posyandu_id)
    create, reopen, moved = [], [], 0
    for key, f in current.items():
        if key not in known:
            create.append(Alert(household_id=f.household_id, posyandu_id=f.posyandu_id, desa_id=f.desa_id,
                                rule=f.rule, facts=list(f.facts), fingerprint=key[2],
                                agencies=list(rules.BY_CODE[f.rule].agencies), raised_on=today, created_at=now))
            continue
        pk, status, posyandu_id = known[key]
        if status == Alert.Status.RESOLVED:
            reopen.append((pk, f))
            continue
        if status == Alert.Status.OPEN and posyandu_id != f.posyandu_id:
            # The household moved to another posyandu with its problem: the alert follows it.
            Alert.objects.filter(pk=pk).update(posyandu_id=f.posyandu_id, desa_id=f.desa_id)
            moved += 1
    # The same facts are never raised twice, even by two evaluations at once (the constraint decides).
    Alert.objects.bulk_create(create, ignore_conflicts=True)
    reopened = _reopen(reopen, today)
    resolved = _close_stale(ids, snap, current, now, settings)
    return Evaluated(len(create) + reopened, resolved, moved)


def _reopen(found: list, today: dt.date) -> int:
    """Alerts the evaluation had resolved whose same facts hold again: open again, where the household is now.
    Only those nobody closed (``closed_by`` empty): a referral or a dismissal is a person's decision."""
    reopened = 0
    for pk, f in found:
        reopened += Alert.objects.filter(pk=pk, status=Alert.Status.RESOLVED, closed_by__isnull=True).update(
            status=Alert.Status.OPEN, closed_at=None, close_note="", raised_on=today, posyandu_id=f.posyandu_id,
            desa_id=f.desa_id, facts=list(f.facts))
    return reopened


def _close_stale(ids, snap: Snapshot, current, now, settings: Settings) -> int:
    """Close the open alerts the evaluation no longer finds, saying why: ``facts_changed`` (the rule still fires
    for the household, on other facts — a new alert holds them), ``rule_off`` (the kab/kota switched the rule
    off: the facts may well still hold) or ``facts_gone``."""
    firing = {(key[0], key[1]) for key in current}
    gone_households = set(Household.objects.filter(
        alerts__posyandu_id__in=ids, alerts__status=Alert.Status.OPEN).exclude(
        status=Household.Status.ACTIVE).values_list("pk", flat=True))
    closing: dict[str, list[int]] = defaultdict(list)
    for pk, household_id, rule, print_, desa_id in Alert.objects.filter(
            posyandu_id__in=ids, status=Alert.Status.OPEN).values_list(
            "pk", "household_id", "rule", "fingerprint", "desa_id"):
        if (household_id, rule, print_) in current:
            continue
        if household_id not in snap.homes and household_id not in gone_households:
            continue  # moved to a posyandu not evaluated now: its own evaluation decides
        if (household_id, rule) in firing:
            closing["facts_changed"].append(pk)
        elif rule in rules.BY_CODE and settings(rule, desa_id[:4]) is None:
            closing["rule_off"].append(pk)
        else:
            closing["facts_gone"].append(pk)
    for note, pks in closing.items():
        Alert.objects.filter(pk__in=pks, status=Alert.Status.OPEN).update(
            status=Alert.Status.RESOLVED, closed_at=now, close_note=note)
    return sum(len(pks) for pks in closing.values())


def _lock(alert_id: int) -> Alert:
    alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
    if alert is None:
        raise NotInScope()
    return alert


def _guard_open(alert: Alert) -> None:
    if alert.status != Alert.Status.OPEN:
        raise DomainError(_("This alert has already been handled: %(status)s.") % {
            "status": Alert.Status(alert.status).label}, code="conflict")


@transaction.atomic
def alert_refer(*, actor, scope, alert_id: int, category: str = "", description: str = "", now=None) -> Alert:
    """Turn an open alert into one referral (recorded at the village), prefilled from its facts."""
    now = now or timezone.now()
    alert = _lock(alert_id)
    scope.require(Perm.RECORD_NEED, desa_code=alert.desa_id, posyandu_id=alert.posyandu_id)
    _guard_open(alert)
    rule = rules.BY_CODE[alert.rule]
    category = category or rule.categories[0]
    if category not in rule.categories:
        labels = ", ".join(rule.categories)
        raise DomainError(_("Please correct the marked fields."), field_errors={
            "category": [_("Choose one of the categories this alert offers: %(options)s.") % {"options": labels}]})
    subject = Category.objects.filter(code=category).values_list("subject", flat=True).first()
    person_id = None
    if subject in (Category.Subject.PERSON, Category.Subject.EITHER):
        person_id = next((f["person"] for f in alert.facts if f.get("person")), None)
    text = (description or "").strip() or presenters.referral_description(alert)
    referral = referral_record(actor=actor, scope=scope, now=now, data=NeedInput(
        category=category, description=text, person_id=person_id, household_id=alert.household_id,
        client_uuid=uuid.uuid5(REFERRAL_NAMESPACE, f"alert-{alert.pk}")))
    alert.status, alert.referral, alert.closed_at, alert.closed_by = Alert.Status.REFERRED, referral, now, actor
    alert.save(update_fields=["status", "referral", "closed_at", "closed_by"])
    audit_record(actor=actor, action="alerts.alert.referred", obj=alert, region_code=alert.desa_id,
                 changes={"status": ["open", "referred"], "rule": alert.rule, "category": category,
                          "ticket": referral.ticket})
    return alert


@transaction.atomic
def alert_dismiss(*, actor, scope, alert_id: int, reason: str, now=None) -> Alert:
    """Close an open alert that needs no action, with the reason (kept and audited)."""
    now = now or timezone.now()
    alert = _lock(alert_id)
    scope.require(Perm.RECORD_NEED, desa_code=alert.desa_id, posyandu_id=alert.posyandu_id)
    _guard_open(alert)
    reason = (reason or "").strip()
    if len(reason) < DISMISS_REASON_MIN:
        raise DomainError(_("Please correct the marked fields."), field_errors={
            "reason": [_("Write why this alert needs no action (at least %(n)s characters).") % {
                "n": DISMISS_REASON_MIN}]})
    if len(reason) > DISMISS_REASON_MAX:
        raise DomainError(_("Please correct the marked fields."), field_errors={
            "reason": [_("The reason can be at most %(n)s characters.") % {"n": DISMISS_REASON_MAX}]})
    alert.status, alert.closed_at, alert.closed_by, alert.close_note = Alert.Status.DISMISSED, now, actor, reason
    alert.save(update_fields=["status", "closed_at", "closed_by", "close_note"])
    audit_record(actor=actor, action="alerts.alert.dismissed", obj=alert, region_code=alert.desa_id,
                 changes={"status": ["open", "dismissed"], "rule": alert.rule, "reason": reason})
    return alert


def region_evaluate(prefix: str, *, today: dt.date | None = None, progress=None) -> RegionEvaluated:
    """``alerts_evaluate`` for every posyandu under a region code (all when empty), a desa at a time (one
    snapshot per desa keeps memory flat in a kabupaten); ``progress(done)`` after each desa."""
    today = today or timezone.localdate()
    by_desa: dict[str, list[int]] = defaultdict(list)
    for pk, desa in Posyandu.objects.filter(desa__code__startswith=prefix).values_list("pk", "desa_id"):
        by_desa[desa].append(pk)
    raised = resolved = done = 0
    for _desa, ids in sorted(by_desa.items()):
        result = alerts_evaluate(ids, today=today)
        raised, resolved, done = raised + result.raised, resolved + result.resolved, done + len(ids)
        if progress is not None:
            progress(done)
    return RegionEvaluated(raised, resolved, done)


def _managed_kabkota(scope, region_code: str) -> Region:
    region = Region.objects.filter(code=region_code.replace(".", ""), level=Region.Level.REGENCY).first()
    if region is None or not scope.allows(Perm.MANAGE_ROUTING, desa_code=region.code):
        raise NotInScope()
    return region


# A kota's few hundred posyandu are evaluated within the pembina's request (about 15 ms each); a kabupaten's
# 1,600 by a job.
INLINE_POSYANDU = 300


def _evaluate_after_commit(region: Region) -> None:
    """The kab/kota's alerts follow the new setting after commit: raised or closed in this request for a small
    kab/kota, else by a job (``db_worker``); the nightly ``alerts_evaluate`` applies it too."""
    from simpul.alerts.tasks import kabkota_evaluate

    code = region.code
    if Posyandu.objects.filter(desa__code__startswith=code).count() <= INLINE_POSYANDU:
        transaction.on_commit(lambda: _evaluate_now(code))
    else:
        transaction.on_commit(lambda: kabkota_evaluate.enqueue(code))


def _evaluate_now(code: str) -> None:
    # The setting is committed: a failed evaluation must not turn the pembina's save into an error page (the
    # nightly command catches up), as after a kader's record (``hooks``).
    try:
        region_evaluate(code)
    except Exception:  # noqa: BLE001 — see above
        logger.exception("alerts: evaluation after the rule change failed for %s", code)


@transaction.atomic
def rule_setting_save(*, actor, scope, region_code: str, rule: str, active: bool = True, params: dict | None = None,
                      now=None) -> RuleSetting:
    """A kab/kota's tuning of one rule (Tim Pembina, with the routing rights of that kab/kota)."""
    now = now or timezone.now()
    region = _managed_kabkota(scope, region_code)
    found = rules.get(rule)
    if found is None:
        raise DomainError(_("Please correct the marked fields."), field_errors={"rule": [_("Unknown rule.")]})
    clean, errors = rules.clean_params(found, params or {})
    if errors:
        raise DomainError(_("Please correct the marked fields."),
                          field_errors={f"params.{key}": value for key, value in errors.items()})
    setting, created = RuleSetting.objects.select_for_update().get_or_create(
        region=region, rule=rule, defaults={"active": active, "params": clean, "updated_at": now, "updated_by": actor})
    before = {"active": setting.active, "params": setting.params}
    if not created:
        setting.active, setting.params, setting.updated_at, setting.updated_by = active, clean, now, actor
        setting.save()
    audit_record(actor=actor, action="alerts.rule_setting.saved", obj=setting, region_code=region.code,
                 changes={"rule": rule, "active": [before["active"], active],
                          "params": json.dumps(clean, sort_keys=True)})
    _evaluate_after_commit(region)
    return setting


@transaction.atomic
def rule_setting_clear(*, actor, scope, region_code: str, rule: str) -> bool:
    """The kab/kota goes back to the rule's defaults; False when it had no setting of its own."""
    region = _managed_kabkota(scope, region_code)
    if rules.get(rule) is None:
        raise DomainError(_("Please correct the marked fields."), field_errors={"rule": [_("Unknown rule.")]})
    setting = RuleSetting.objects.select_for_update().filter(region=region, rule=rule).first()
    if setting is None:
        return False
    audit_record(actor=actor, action="alerts.rule_setting.cleared", obj=setting, region_code=region.code,
                 changes={"rule": rule, "active": [setting.active, True],
                          "params": [json.dumps(setting.params, sort_keys=True), "{}"]})
    setting.delete()
    _evaluate_after_commit(region)
    return True
