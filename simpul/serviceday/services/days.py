"""Schedule, open, cancel a posyandu day, and record its group counselling (step 5)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.audit.services import audit_record
from simpul.core.clock import earliest_today, latest_today
from simpul.core.errors import DomainError
from simpul.core.inputs import parse_client_uuid as parse_uuid
from simpul.posyandu.models import Posyandu
from simpul.serviceday import access
from simpul.serviceday.models import CounsellingTopic, ServiceDay
from simpul.serviceday.services.common import clean_text, invalid

SCHEDULE_AHEAD_DAYS = 366
# A day may be opened on its date or up to a month later, to enter a paper register kept offline.
LATE_OPEN_DAYS = 31


def _move(day: ServiceDay, to: str) -> None:
    if to not in ServiceDay.TRANSITIONS[day.status]:
        messages = {
            ServiceDay.Status.OPEN: _("Only a scheduled day can be opened."),
            ServiceDay.Status.CLOSED: _("Only an open day can be closed."),
            ServiceDay.Status.CANCELLED: _("Only a scheduled day that has not started can be cancelled."),
        }
        raise DomainError(messages[to], code="conflict")
    day.status = to


def day_schedule(*, actor, scope, posyandu: Posyandu, held_on: dt.date | None, starts_at: dt.time | None = None,
                 place: str = "", note: str = "", client_uuid=None, now: dt.datetime | None = None) -> ServiceDay:
    """Put a posyandu day on the calendar. Re-sending the same client UUID returns the stored day."""
    now = now or timezone.now()
    access.require(access.may_manage(scope, posyandu))
    client_uuid = parse_uuid(client_uuid)
    if client_uuid is not None:
        existing = ServiceDay.objects.filter(client_uuid=client_uuid).first()
        if existing is not None:
            if existing.posyandu_id != posyandu.pk:
                raise invalid("client_uuid", _("This record id is already in use."))
            return existing
    today = latest_today(now)
    if held_on is None:
        raise invalid("held_on", _("This field is required."))
    if held_on < earliest_today(now):
        raise invalid("held_on", _("A posyandu day cannot be scheduled in the past."))
    if held_on > today + dt.timedelta(days=SCHEDULE_AHEAD_DAYS):
        raise invalid("held_on", _("Schedule at most one year ahead."))
    if posyandu.status != Posyandu.Status.ACTIVE:
        raise DomainError(_("This posyandu is inactive; reactivate it before scheduling a day."))
    if ServiceDay.objects.filter(posyandu=posyandu, held_on=held_on).exclude(
            status=ServiceDay.Status.CANCELLED).exists():
        raise invalid("held_on", _("This posyandu already has a day on that date."))
    day = ServiceDay(posyandu=posyandu, desa_id=posyandu.desa_id, held_on=held_on, starts_at=starts_at,
                     place=clean_text(place, 160), note=clean_text(note, 255), scheduled_by=actor, scheduled_at=now)
    if client_uuid is not None:
        day.client_uuid = client_uuid
    try:
        with transaction.atomic():
            day.save()
            audit_record(actor=actor, action="serviceday.day.scheduled", obj=day, region_code=day.desa_id,
                         changes={"held_on": held_on, "place": day.place})
    except IntegrityError as exc:
        # Two kader scheduled the same date at once: the first one won.
        raise invalid("held_on", _("This posyandu already has a day on that date.")) from exc
    return day


@transaction.atomic
def day_open(*, actor, scope, day: ServiceDay, now: dt.datetime | None = None) -> ServiceDay:
    now = now or timezone.now()
    day = ServiceDay.objects.select_for_update().select_related("posyandu").get(pk=day.pk)
    access.require(access.may_run(scope, day.posyandu))
    if day.status == ServiceDay.Status.OPEN:
        return day  # a second tap on "open"
    today = latest_today(now)
    if day.held_on > today:
        raise DomainError(_("The day can be opened on %(date)s.") % {"date": day.held_on.strftime("%d-%m-%Y")},
                          code="conflict")
    if (today - day.held_on).days > LATE_OPEN_DAYS:
        raise DomainError(_("This day is more than a month ago; ask the bidan to enter late records."),
                          code="conflict")
    _move(day, ServiceDay.Status.OPEN)
    day.opened_by, day.opened_at = actor, now
    day.save(update_fields=["status", "opened_by", "opened_at"])
    audit_record(actor=actor, action="serviceday.day.opened", obj=day, region_code=day.desa_id)
    return day


@transaction.atomic
def day_cancel(*, actor, scope, day: ServiceDay, reason: str, now: dt.datetime | None = None) -> ServiceDay:
    day = ServiceDay.objects.select_for_update().select_related("posyandu").get(pk=day.pk)
    access.require(access.may_manage(scope, day.posyandu))
    reason = clean_text(reason, 255)
    if not reason:
        raise invalid("reason", _("Say why the day is cancelled."))
    _move(day, ServiceDay.Status.CANCELLED)
    day.cancel_reason = reason
    day.save(update_fields=["status", "cancel_reason"])
    audit_record(actor=actor, action="serviceday.day.cancelled", obj=day, region_code=day.desa_id,
                 changes={"reason": reason})
    return day


@transaction.atomic
def counselling_record(*, actor, scope, day: ServiceDay, topics: list[str], notes: str = "",
                       participants: int | None = None) -> ServiceDay:
    """Step 5: the group counselling of the day (topics, notes, how many listened)."""
    day = ServiceDay.objects.select_for_update().select_related("posyandu").get(pk=day.pk)
    access.require(access.may_run(scope, day.posyandu))
    if day.status != ServiceDay.Status.OPEN:
        raise DomainError(_("Open the day first; a closed day cannot be changed."), code="conflict")
    errors: dict[str, list[str]] = {}
    topics = list(dict.fromkeys(topics or []))
    if not topics:
        errors["topics"] = [_("Choose at least one topic.")]
    elif any(topic not in CounsellingTopic.values for topic in topics):
        errors["topics"] = [_("Choose one of the listed options.")]
    if participants is not None and not 0 < participants <= 1000:
        errors["participants"] = [_("Enter a number of participants between 1 and 1000.")]
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    day.counselling_topics = topics
    day.counselling_notes = (notes or "").strip()[:2000]
    day.counselling_participants = participants
    day.save(update_fields=["counselling_topics", "counselling_notes", "counselling_participants"])
    audit_record(actor=actor, action="serviceday.counselling.recorded", obj=day, region_code=day.desa_id,
                 changes={"topics": ",".join(topics), "participants": participants})
    return day
