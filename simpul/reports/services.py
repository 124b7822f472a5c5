"""Writes of monthly reports: submit (lock) and correct (a new version). Views and the API call only these.

Order in each: transaction → guard (DomainError with per-field messages) → change → audit entry.
Both accept a client UUID: sending the same one again returns the stored version instead of a second.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.scope import Scope, require_scope
from simpul.audit.services import audit_record
from simpul.core.errors import DomainError, NotInScope
from simpul.core.inputs import parse_client_uuid as _parse_uuid
from simpul.posyandu.models import Posyandu
from simpul.reports.data import counts_of, from_snapshot, to_snapshot
from simpul.reports.models import MonthlyReport
from simpul.reports.selectors import live_sections, may_submit_report, may_view_report


def _guard(scope: Scope | None, posyandu: Posyandu, month: dt.date, now: dt.datetime) -> dt.date:
    scope = require_scope(scope)
    if not may_view_report(scope, posyandu):
        raise NotInScope()
    if not may_submit_report(scope, posyandu):
        raise DomainError(_("Only a kesehatan kader of this posyandu or a health worker (nakes) of the area can "
                            "submit or correct its report."), code="forbidden")
    if month is None:
        message = _("This field is required.")
        raise DomainError(message, field_errors={"month": [message]})
    month = month.replace(day=1)
    if month > timezone.localdate(now).replace(day=1):
        message = _("A month that has not started yet cannot be reported.")
        raise DomainError(message, field_errors={"month": [message]})
    return month


def _existing(client_uuid: uuid.UUID | None, posyandu: Posyandu, month: dt.date) -> MonthlyReport | None:
    if client_uuid is None:
        return None
    existing = MonthlyReport.objects.filter(client_uuid=client_uuid).first()
    if existing is not None and (existing.posyandu_id, existing.month) != (posyandu.pk, month):
        # Another report's id: never reveal which.
        raise DomainError(_("This record id is already in use."), field_errors={"client_uuid": [_("Already in use.")]})
    return existing


def _totals(snapshot: dict) -> dict:
    skdn = next((s for s in from_snapshot(snapshot) if s.key == "skdn"), None)
    return {key: skdn.total(key) for key in ("s", "k", "d", "n")} if skdn else {}


def _store(report: MonthlyReport, client_uuid: uuid.UUID | None) -> tuple[MonthlyReport, bool]:
    """Save a new version; (the stored one, False) when the same client id won a race a moment ago."""
    if client_uuid is not None:
        report.client_uuid = client_uuid
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        existing = _existing(client_uuid, report.posyandu, report.month)
        if existing is not None:
            return existing, False
        raise DomainError(_("Someone else submitted this report a moment ago. Reload the page."),
                          code="conflict") from exc
    return report, True


@transaction.atomic
def report_submit(*, actor, scope: Scope | None, posyandu: Posyandu, month: dt.date,
                  client_uuid: uuid.UUID | str | None = None, now: dt.datetime | None = None) -> MonthlyReport:
    """Lock the month: store every section as it is now as version 1. A month is submitted once."""
    now = now or timezone.now()
    client_uuid = _parse_uuid(client_uuid)
    month = _guard(scope, posyandu, month, now)
    Posyandu.objects.select_for_update().filter(pk=posyandu.pk).first()  # one submission of a posyandu at a time
    existing = _existing(client_uuid, posyandu, month)  # again: the same request may have won while we waited
    if existing is not None:
        return existing
    latest = MonthlyReport.objects.filter(posyandu=posyandu, month=month).order_by("-version").first()
    if latest is not None:
        raise DomainError(_("The report for this month was already submitted (version %(version)s) and is locked. "
                            "To change it, make a correction version and say why.") % {"version": latest.version},
                          code="conflict")
    snapshot = to_snapshot(live_sections(posyandu, month))
    report, created = _store(MonthlyReport(posyandu=posyandu, desa_id=posyandu.desa_id, month=month, version=1,
                                           status=MonthlyReport.Status.SUBMITTED, snapshot=snapshot,
                                           submitted_by=actor, submitted_at=now), client_uuid)
    if created:
        audit_record(actor=actor, action="reports.monthly_report.submitted", obj=report,
                     region_code=posyandu.desa_id,
                     changes={"posyandu": posyandu.pk, "month": month.isoformat(), "version": 1, **_totals(snapshot)})
    return report


@transaction.atomic
def report_correct(*, actor, scope: Scope | None, posyandu: Posyandu, month: dt.date, reason: str,
                   client_uuid: uuid.UUID | str | None = None, now: dt.datetime | None = None) -> MonthlyReport:
    """Store the live data as the next version, with the reason; the version before stays readable."""
    now = now or timezone.now()
    client_uuid = _parse_uuid(client_uuid)
    month = _guard(scope, posyandu, month, now)
    Posyandu.objects.select_for_update().filter(pk=posyandu.pk).first()
    existing = _existing(client_uuid, posyandu, month)
    if existing is not None:
        return existing
    reason = " ".join((reason or "").split())[:255]
    if not reason:
        message = _("Say why the report is corrected.")
        raise DomainError(message, field_errors={"reason": [message]})
    current = (MonthlyReport.objects.select_for_update()
               .filter(posyandu=posyandu, month=month, status=MonthlyReport.Status.SUBMITTED).first())
    if current is None:
        raise DomainError(_("This month has not been submitted yet: submit the report first."), code="conflict")
    sections = live_sections(posyandu, month)
    if counts_of(sections) == counts_of(from_snapshot(current.snapshot)):
        raise DomainError(_("The data has not changed since version %(version)s: there is nothing to correct.")
                          % {"version": current.version}, code="conflict")
    if MonthlyReport.Status.SUPERSEDED not in MonthlyReport.TRANSITIONS[current.status]:
        raise DomainError(_("This version cannot be replaced."), code="conflict")
    current.status = MonthlyReport.Status.SUPERSEDED
    current.save(update_fields=["status"])
    snapshot = to_snapshot(sections)
    report, created = _store(MonthlyReport(posyandu=posyandu, desa_id=posyandu.desa_id, month=month,
                                           version=current.version + 1, status=MonthlyReport.Status.SUBMITTED,
                                           snapshot=snapshot, submitted_by=actor, submitted_at=now, reason=reason),
                             client_uuid)
    if not created:
        return report
    audit_record(actor=actor, action="reports.monthly_report.corrected", obj=report, region_code=posyandu.desa_id,
                 changes={"posyandu": posyandu.pk, "month": month.isoformat(), "version": report.version,
                          "supersedes": current.pk, "reason": reason, **_totals(snapshot)})
    return report
