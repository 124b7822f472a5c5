"""Escalation of stalled referrals: a stage that has not moved for more than 3 working days goes to the
village head (lurah/kepala desa), more than 6 to the camat.

Run once a day (``manage.py referrals_escalate`` from cron or a systemd timer, or the
``escalate_stalled_referrals`` task). Each level is raised once per stage: the
:class:`~simpul.referrals.models.Escalation` row is unique per (referral, stage start, level), so a
second run the same day does nothing, and a move to a new stage starts the clock again.

Notifications carry the ticket, the category, the stage and the days, never the description or a name.
A confidential referral is the village's until the head approves it: the camat hears only that a
confidential referral of the desa is stalled (no ticket, no category).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.audit.services import audit_record
from simpul.notifications.services import notify
from simpul.referrals import notify as recipients
from simpul.referrals.models import Escalation, Referral
from simpul.referrals.states import CLOSED, State
from simpul.referrals.workdays import holidays_between, working_days_between

# Working days a stage may stand before each level hears of it ("more than").
THRESHOLDS = ((Escalation.Level.DESA, 3), (Escalation.Level.KECAMATAN, 6))


@dataclass(frozen=True)
class Raised:
    escalation: Escalation
    ticket: str
    notified: int


def levels_due(days: int) -> list[str]:
    return [level for level, after in THRESHOLDS if days > after]


def escalate_stalled(now=None) -> list[Raised]:
    """Raise every escalation that is due today and not raised yet for the referral's current stage."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    open_referrals = Referral.objects.exclude(state__in=sorted(CLOSED))
    earliest = open_referrals.aggregate(first=Min("stage_started_on"))["first"]
    if earliest is None:
        return []
    holidays = holidays_between(earliest, today)
    raised = {(row["referral_id"], row["stage_started_at"], row["level"]) for row in Escalation.objects.filter(
        referral__in=open_referrals).values("referral_id", "stage_started_at", "level")}
    done: list[Raised] = []
    candidates = open_referrals.filter(stage_started_on__lt=today).select_related("category", "desa")
    for referral in candidates.order_by("stage_started_on", "pk").iterator(chunk_size=500):
        days = working_days_between(referral.stage_started_on, today, holidays)
        for level in levels_due(days):
            if (referral.pk, referral.stage_started_at, level) in raised:
                continue
            result = _escalate(referral, level=level, days=days, now=now)
            if result is not None:
                done.append(result)
    return done


def _escalate(referral: Referral, *, level: str, days: int, now) -> Raised | None:
    try:
        with transaction.atomic():
            # Lock the row: a move committed meanwhile starts a new stage, which must not be escalated.
            current = Referral.objects.select_for_update().filter(
                pk=referral.pk, stage_started_at=referral.stage_started_at).exclude(state__in=sorted(CLOSED)).first()
            if current is None:
                return None
            users = list(_recipients(referral, level))
            escalation = Escalation.objects.create(
                referral=referral, level=level, state=referral.state, stage_started_at=referral.stage_started_at,
                working_days_stalled=days, at=now, notified=[u.pk for u in users])
            _notify(referral, level=level, days=days, users=users, now=now)
            audit_record(actor=None, action="referral.escalate", obj=referral, region_code=referral.desa_id,
                         changes={"level": level, "state": referral.state, "working_days": days})
    except IntegrityError:
        return None  # raised by a run at the same moment
    return Raised(escalation=escalation, ticket=referral.ticket, notified=len(users))


def _recipients(referral: Referral, level: str):
    if level == Escalation.Level.DESA:
        return recipients.village_users(referral.desa_id, heads_only=True)
    return recipients.camat_users(referral.desa_id)


def _notify(referral: Referral, *, level: str, days: int, users, now) -> None:
    stage = State(referral.state).label
    if level == Escalation.Level.KECAMATAN and referral.confidential:
        subject = _("A confidential referral in %(desa)s has been at the stage “%(stage)s” for "
                    "%(days)s working days") % {"desa": referral.desa.name, "stage": stage, "days": days}
        link = reverse("referrals:monitor")
    else:
        subject = _("%(ticket)s (%(category)s) has been at the stage “%(stage)s” for %(days)s "
                    "working days") % {"ticket": referral.ticket, "category": referral.category.label,
                                       "stage": stage, "days": days}
        link = reverse("referrals:detail", args=[referral.pk]) if level == Escalation.Level.DESA \
            else reverse("referrals:monitor")
    notify(users, kind=f"referral.escalate.{level}", subject=subject, link=link, now=now)
