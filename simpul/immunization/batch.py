"""A posyandu day of doses written at once: the rules of ``immunization_record``, the cost of one write.

``immunizations_record_batch`` answers every item exactly as ``immunization_record`` would have answered it
had the items been sent one after another, in order: the same refusals (a dose given twice, before its age,
too soon after the previous one, before the previous one is recorded — counting the doses accepted earlier
in the same batch), the same replay of a client UUID, the same stored rows and audit entries. But the
children are locked and their doses read in two queries for the whole batch, the valid rows, their audit
entries and their change-feed rows are three COPY in one transaction (``core.copy``, ``core.batchlog``), and
the SPM counters move in it by the difference the doses make to their children (``spm.incremental``; the
kader's tasks follow in a job after commit — decision 0025).

A refused item never blocks the others and leaves nothing behind: every check runs before the insert.
Should the insert still fail (another request recorded the same dose or client UUID at the same moment),
the batch is redone item by item through ``immunization_record``, which settles such races one at a time.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.scope import Scope
from simpul.core import batchlog, copy
from simpul.core.clock import latest_today
from simpul.core.errors import DomainError, NotInScope
from simpul.immunization import schedule
from simpul.immunization.models import ImmunizationRecord
from simpul.immunization.services import (
    ImmunizationInput,
    _already_recorded,
    _check_dose,
    _clean_text,
    _client_uuid,
    _invalid,
    immunization_record,
    may_read,
    may_record,
)
from simpul.registry.models import Person
from simpul.spm import fastpath, incremental
from simpul.sync.models import SyncChange

ACTION = "immunization.dose.recorded"
# The person's fields the dose checks read (``_check_dose``) and the record copies.
CHECKED = ("id", "birth_date", "life_status", "life_status_date", "desa_id", "posyandu_id")


@dataclass
class ImmunizationItem:
    person: Person
    data: ImmunizationInput


@dataclass
class ImmunizationResult:
    """One item's answer: the record (new, or the stored one for a replayed client UUID), or the error."""

    record: ImmunizationRecord | None = None
    error: DomainError | None = None
    replayed: bool = False  # the client UUID was already stored (or sent earlier in this batch)


class _Redo(Exception):
    """The insert lost a race: answer the batch item by item instead."""


def immunizations_record_batch(*, actor, scope: Scope, items: Sequence[ImmunizationItem],
                               now: dt.datetime | None = None) -> list[ImmunizationResult]:
    """Record many doses (typically one posyandu day); one result per item, in the items' order."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return _batch(items, actor=actor, scope=scope, now=now)
    except _Redo:
        return [_single(item, actor=actor, scope=scope, now=now) for item in items]


def _batch(items: Sequence[ImmunizationItem], *, actor, scope: Scope, now: dt.datetime) -> list[ImmunizationResult]:
    today = latest_today(now)  # the latest date a dose may carry
    results: list[ImmunizationResult | None] = [None] * len(items)
    uuids: list[uuid.UUID | None] = [None] * len(items)
    for i, item in enumerate(items):
        try:
            uuids[i] = _client_uuid(item.data.client_uuid)
        except DomainError as exc:
            results[i] = ImmunizationResult(error=exc)
    given = [u for u in uuids if u is not None]
    stored = {r.client_uuid: r for r in ImmunizationRecord.objects.select_related("person").filter(
        client_uuid__any=given)} if given else {}
    # One writer per child at a time, as on the single path; in id order, so two batches never deadlock.
    # Only what the checks read, fresh (a full row and a model instance per dose cost more than the checks).
    ids = sorted({item.person.pk for item in items})
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__any=ids).order_by("pk").only(*CHECKED)}
    doses: dict[int, dict[str, dt.date]] = {pk: {} for pk in locked}
    for person_id, code, given_on in ImmunizationRecord.objects.filter(person_id__any=ids).values_list(
            "person_id", "dose", "given_on"):
        doses[person_id][code] = given_on

    new: list[ImmunizationRecord] = []
    by_uuid: dict[uuid.UUID, ImmunizationRecord] = {}  # made earlier in this batch
    for i, item in enumerate(items):
        if results[i] is not None:
            continue
        client_uuid = uuids[i]
        try:
            earlier = stored.get(client_uuid) or by_uuid.get(client_uuid)
            if earlier is not None:
                results[i] = ImmunizationResult(record=_replay(scope, earlier), replayed=True)
                continue
            record = _checked(item, locked, doses, client_uuid, actor=actor, scope=scope, now=now, today=today)
        except DomainError as exc:
            results[i] = ImmunizationResult(error=exc)
            continue
        doses[record.person_id][record.dose] = record.given_on
        by_uuid[record.client_uuid] = record
        new.append(record)
        results[i] = ImmunizationResult(record=record)
    if new:
        # The rows, their audit entries and change-feed rows, and the SPM counters moved by the difference
        # these doses make to their children (``spm.incremental``), in this transaction.
        with incremental.tallying() as tally:
            tally.watch(((r.person_id, r.given_on) for r in new),
                        added=fastpath.Added(doses=tuple((r.person_id, r.dose, r.given_on) for r in new)))
            try:
                with transaction.atomic():
                    copy.insert(new)
            except IntegrityError as exc:
                raise _Redo from exc
            batchlog.records_logged(new, actor=actor, action=ACTION, kind=SyncChange.Kind.IMMUNIZATION,
                                    changes=_dose_values)
    return results  # type: ignore[return-value]


def _checked(item: ImmunizationItem, locked: dict[int, Person], doses: dict, client_uuid, *, actor, scope: Scope,
             now: dt.datetime, today: dt.date) -> ImmunizationRecord:
    """The checks of ``immunization_record`` in its order, against the child's doses so far; the unsaved row."""
    person, data = item.person, item.data
    if not may_record(scope, person):
        raise NotInScope()
    if person.duplicate_of_id:
        raise _invalid("person", _("This record was linked to another record of the same person: record the dose there."))
    dose = schedule.get(data.dose or "")
    if dose is None:
        raise _invalid("dose", _("Choose a dose from the national schedule."))
    values = _clean_text(data)
    fresh = locked[person.pk]
    given = doses[person.pk]
    if dose.code in given:
        raise _already_recorded(ImmunizationRecord(dose=dose.code, given_on=given[dose.code]))
    _check_dose(fresh, dose, data.given_on, today=today, given=given)
    # The caller's instance as the record's person (it holds every field); its place as stored now.
    return copy.unsaved(ImmunizationRecord, {
        "client_uuid": client_uuid or uuid.uuid4(), "desa_id": fresh.desa_id, "posyandu_id": fresh.posyandu_id,
        "dose": dose.code, "given_on": data.given_on, "created_at": now, "updated_at": now, **values,
    }, related={"person": person, "recorded_by": actor})


def _replay(scope: Scope, existing: ImmunizationRecord) -> ImmunizationRecord:
    """``services._replayed`` for a record already in hand (stored, or made earlier in this batch)."""
    if not (may_read(scope, existing.person) or may_record(scope, existing.person)):
        raise _invalid("client_uuid", _("This record id is already in use."))
    return existing


def _dose_values(record: ImmunizationRecord) -> dict:
    """What ``immunization_record`` puts in the audit entry of a dose."""
    return {"person": record.person_id, "dose": record.dose, "given_on": record.given_on,
            "vaccine": record.vaccine, "batch_number": record.batch_number}


def _single(item: ImmunizationItem, *, actor, scope: Scope, now: dt.datetime) -> ImmunizationResult:
    try:
        client_uuid = _client_uuid(item.data.client_uuid)
        existed = client_uuid is not None and ImmunizationRecord.objects.filter(client_uuid=client_uuid).exists()
        record = immunization_record(actor=actor, scope=scope, person=item.person, data=item.data, now=now)
    except DomainError as exc:
        return ImmunizationResult(error=exc)
    return ImmunizationResult(record=record, replayed=existed)
