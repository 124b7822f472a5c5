"""Closing the day: the bidan's referral list, the home-visit list, and the day's D = N + T + O + B.

The referral list gathers every health app's findings for the day (``day_findings`` in growth, immunisation,
maternal and screening — one vocabulary in ``simpul.health.findings``) and stores one row per person with
all their reasons, so what the bidan receives does not change when data is corrected later (a correction
shows on the child's page, and the next day's close picks it up).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from importlib import import_module

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.audit.services import audit_record
from simpul.core.clock import latest_today
from simpul.core.errors import DomainError
from simpul.health.findings import Finding, Reason
from simpul.health.models import Measurement
from simpul.health.weightgain import STATUSES, monthly_status
from simpul.serviceday import access
from simpul.serviceday.groups import EXPECTED_MONTHLY
from simpul.serviceday.models import Attendance, DayAbsence, DayReferral, ServiceDay
from simpul.serviceday.selectors import sasaran

# Every app that records health data on a posyandu day answers ``day_findings(scope, *, posyandu_id, day)``.
FINDING_SOURCES = ("simpul.health.selectors", "simpul.maternal.selectors", "simpul.screening.selectors")
REASON_ORDER = {code: index for index, code in enumerate(Reason.values)}


def _seen_ids(day: ServiceDay) -> set[int]:
    """Present on the day: marked present, or measured at the posyandu that day (a weighing implies a visit)."""
    present = set(Attendance.objects.filter(day=day).values_list("person_id", flat=True))
    measured = Measurement.objects.filter(posyandu_id=day.posyandu_id, measured_on=day.held_on,
                                          superseded_by__isnull=True).values_list("person_id", flat=True)
    return present | set(measured)


def day_findings(scope, day: ServiceDay, seen: set[int]) -> dict[int, list[Finding]]:
    from simpul.immunization.selectors import day_findings as immunization_findings

    findings: list[Finding] = []
    for path in FINDING_SOURCES:
        findings += import_module(path).day_findings(scope, posyandu_id=day.posyandu_id, day=day.held_on)
    findings += immunization_findings(scope, posyandu_id=day.posyandu_id, day=day.held_on, person_ids=seen)
    by_person: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        if all(f.reason != finding.reason for f in by_person[finding.person_id]):
            by_person[finding.person_id].append(finding)
    return {pid: sorted(items, key=lambda f: REASON_ORDER.get(f.reason, 99)) for pid, items in by_person.items()}


def day_weighing_counts(day: ServiceDay) -> dict[str, int]:
    """SKDN of the children weighed that day: each counted once with the month's status."""
    weighed_today = set(Measurement.objects.filter(
        posyandu_id=day.posyandu_id, measured_on=day.held_on, superseded_by__isnull=True,
        weight_kg__isnull=False).values_list("person_id", flat=True))
    children = [g for g in monthly_status(day.posyandu_id, day.held_on).children if g.person_id in weighed_today]
    counts = {status: sum(1 for g in children if g.status == status) for status in STATUSES}
    counts["D"] = len(children)
    counts["2T"] = sum(g.two_t for g in children)
    counts["BGM"] = sum(g.bgm for g in children)
    return counts


@transaction.atomic
def day_close(*, actor, scope, day: ServiceDay, now: dt.datetime | None = None) -> ServiceDay:
    now = now or timezone.now()
    day = ServiceDay.objects.select_for_update().select_related("posyandu").get(pk=day.pk)
    access.require(access.may_run(scope, day.posyandu))
    if day.status == ServiceDay.Status.CLOSED:
        return day  # a second tap on "close"
    if day.status != ServiceDay.Status.OPEN:
        raise DomainError(_("Only an open day can be closed."), code="conflict")
    if day.held_on > latest_today(now):
        raise DomainError(_("A day cannot be closed before it has taken place."), code="conflict")

    seen = _seen_ids(day)
    findings = day_findings(scope, day, seen)
    DayReferral.objects.bulk_create([
        DayReferral(day=day, person_id=person_id, posyandu_id=day.posyandu_id, desa_id=day.desa_id, created_at=now,
                    reasons=[{"reason": f.reason, "detail": f.detail} for f in items])
        for person_id, items in sorted(findings.items())
    ])
    expected = [row for row in sasaran(scope, day) if row.group in EXPECTED_MONTHLY]
    absent = [row for row in expected if row.person.pk not in seen and row.person.pk not in findings]
    DayAbsence.objects.bulk_create([DayAbsence(day=day, person=row.person, group=row.group) for row in absent])

    attended: dict[str, int] = defaultdict(int)
    walk_ins = 0
    for group, walk_in in Attendance.objects.filter(day=day).values_list("group", "walk_in"):
        attended[group] += 1
        walk_ins += walk_in
    weighing = day_weighing_counts(day)
    if weighing["D"] != sum(weighing[s] for s in STATUSES):
        # N/T/O/B are exclusive and exhaustive (health.weightgain); a mismatch is a bug, never a report.
        raise AssertionError(f"D != N+T+O+B on day {day.pk}: {weighing}")
    day.close_summary = {"attended": dict(attended), "present": len(seen), "walk_ins": walk_ins,
                         "weighing": weighing, "referrals": len(findings), "absent": len(absent)}
    day.status = ServiceDay.Status.CLOSED
    day.closed_by, day.closed_at = actor, now
    day.save(update_fields=["status", "closed_by", "closed_at", "close_summary"])
    audit_record(actor=actor, action="serviceday.day.closed", obj=day, region_code=day.desa_id,
                 changes={"present": len(seen), "referrals": len(findings), "absent": len(absent)})
    return day


@transaction.atomic
def referral_follow_up(*, actor, scope, referral: DayReferral, note: str, now: dt.datetime | None = None) -> DayReferral:
    """The bidan notes what was done for a referred person (seen, referred on to the puskesmas, …)."""
    now = now or timezone.now()
    referral = DayReferral.objects.select_for_update().select_related("posyandu").get(pk=referral.pk)
    access.require(access.may_validate(scope, referral.posyandu))
    note = " ".join((note or "").split())[:255]
    if not note:
        raise DomainError(_("Please correct the marked fields."),
                          field_errors={"note": [_("Write what was done.")]})
    referral.follow_up_note, referral.followed_up_by, referral.followed_up_at = note, actor, now
    referral.save(update_fields=["follow_up_note", "followed_up_by", "followed_up_at"])
    audit_record(actor=actor, action="serviceday.referral.followed_up", obj=referral,
                 region_code=referral.desa_id, changes={"note": note})
    return referral


@transaction.atomic
def absence_visit(*, actor, scope, absence: DayAbsence, visited_on: dt.date | None, note: str = "",
                  now: dt.datetime | None = None) -> DayAbsence:
    """The kader's home visit to someone who missed the day (DOFU)."""
    now = now or timezone.now()
    absence = DayAbsence.objects.select_for_update().select_related("day__posyandu").get(pk=absence.pk)
    access.require(access.may_run(scope, absence.day.posyandu))
    errors: dict[str, list[str]] = {}
    if visited_on is None:
        errors["visited_on"] = [_("This field is required.")]
    elif visited_on > latest_today(now):
        errors["visited_on"] = [_("The visit date cannot be in the future.")]
    elif visited_on < absence.day.held_on:
        errors["visited_on"] = [_("The visit cannot be before the posyandu day.")]
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    absence.visited_on, absence.visited_by = visited_on, actor
    absence.visit_note = " ".join((note or "").split())[:255]
    absence.save(update_fields=["visited_on", "visited_by", "visit_note"])
    audit_record(actor=actor, action="serviceday.absence.visited", obj=absence, region_code=absence.day.desa_id,
                 changes={"visited_on": visited_on})
    return absence
