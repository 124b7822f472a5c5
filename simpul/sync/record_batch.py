"""The measurements and doses of one push, applied together through the posyandu-day batch services.

A kader's phone sends a posyandu day at once: a weighing of every child and the doses given. One by one,
each record is its own transaction and moves the SPM counters after its own commit; here they are checked
by ``measurements_record_batch`` and ``immunizations_record_batch`` (the same rules and Bahasa messages as
``measurement_record`` and ``immunization_record``, which say so in their tests), inserted in one
transaction with their receipts, and the counters move once for all the children (``spm.incremental``).

Every answer is the one ``services._apply`` would have given item by item: a replayed client UUID gets its
first answer back, an item whose resident has not arrived yet is postponed without a receipt, a refused one
keeps its receipt. Should the batch fail as a whole (a receipt stored meanwhile by another request with the
same client UUID, or anything unexpected), it is rolled back and the items go one by one through
``services._apply``, which settles such races and isolates a broken item.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.db import transaction

from simpul.accounts.scope import Scope
from simpul.core.errors import DomainError
from simpul.health.batch import MeasurementItem, measurements_record_batch
from simpul.immunization.batch import ImmunizationItem, immunizations_record_batch
from simpul.spm import incremental
from simpul.sync import schemas, selectors, services
from simpul.sync.models import SyncReceipt

log = logging.getLogger(__name__)

KINDS = frozenset({"measurement.create", "immunization.create"})


def apply(entries: Sequence[tuple[int, services.PushItem]], *, actor, scope: Scope, device_id: str,
          now: dt.datetime) -> dict[int, services.ItemResult]:
    """Answers to the measurement and dose items ``(index, item)``, by index."""
    results: dict[int, services.ItemResult] = {}
    receipts = {r.client_uuid: r for r in SyncReceipt.objects.filter(
        client_uuid__in=[item.client_uuid for _, item in entries])}
    measured: list[tuple[int, services.PushItem, MeasurementItem]] = []
    dosed: list[tuple[int, services.PushItem, ImmunizationItem]] = []
    refused: list[tuple[int, services.PushItem]] = []  # answered already; their receipt goes in with the batch
    later: list[tuple[int, services.PushItem]] = []  # a client UUID sent twice: answered from the first's receipt
    seen: set = set()
    parsed: list[tuple[int, services.PushItem, object]] = []
    for index, item in entries:
        if item.client_uuid in receipts:
            results[index] = services._replay(receipts[item.client_uuid], item, actor=actor, scope=scope)
        elif item.client_uuid in seen:
            later.append((index, item))
        else:
            seen.add(item.client_uuid)
            parsed.append((index, item, _parsed(item)))
    # Every resident the items name, in one query (one by one it was most of a pushed day's time).
    payloads = [payload for _, _, payload in parsed if not isinstance(payload, services.ItemResult)]
    known = selectors.people_ref(scope, pks=[p.person_id for p in payloads if p.person_id is not None],
                                 client_uuids=[p.person_client_uuid for p in payloads
                                               if p.person_id is None and p.person_client_uuid is not None])
    for index, item, payload in parsed:
        answer = payload if isinstance(payload, services.ItemResult) else _item(item, payload, scope=scope,
                                                                                 known=known)
        if isinstance(answer, services.ItemResult):
            results[index] = answer
            if not answer.retryable:
                refused.append((index, item))
        elif isinstance(answer, MeasurementItem):
            measured.append((index, item, answer))
        else:
            dosed.append((index, item, answer))
    try:
        results.update(_batch(measured, dosed, [(i, item, results[i]) for i, item in refused], actor=actor, scope=scope, device_id=device_id, now=now))
    except Exception:  # noqa: BLE001 - rolled back as a whole: one by one, each in its own transaction
        log.warning("sync: the push's records went one by one", exc_info=True)
        for index, item in sorted([(i, item) for i, item, _ in (*measured, *dosed)] + refused, key=lambda e: e[0]):
            results[index] = services._apply(item, actor=actor, scope=scope, device_id=device_id, now=now)
    for index, item in later:
        results[index] = services._apply(item, actor=actor, scope=scope, device_id=device_id, now=now)
    return results


def _parsed(item: services.PushItem):
    """The item's data as its schema reads it, or the answer when it cannot go in."""
    prepared = services._prepared(item)
    if isinstance(prepared, services.ItemResult):
        return prepared
    schema = schemas.MeasurementCreateData if item.kind == "measurement.create" else schemas.ImmunizationCreateData
    try:
        return schemas.parse(schema, prepared[1])
    except DomainError as exc:
        return services._refused(item, exc)


def _item(item: services.PushItem, payload, *, scope: Scope, known: dict):
    """The batch service's item for a push item, or the answer when its resident is not to be had."""
    try:
        person = services._person_ref(scope, payload.person_id, payload.person_client_uuid, known=known)
    except services._Retry as exc:
        return services._postponed(item, exc)
    except DomainError as exc:
        return services._refused(item, exc)
    if item.kind == "measurement.create":
        return MeasurementItem(person, services._measurement_input(payload, item.client_uuid))
    return ImmunizationItem(person, services._immunization_input(payload, item.client_uuid))


def _batch(measured, dosed, refused, *, actor, scope: Scope, device_id: str,
           now: dt.datetime) -> dict[int, services.ItemResult]:
    """Insert the records and the receipts of their items and of the ``refused`` ``(index, item, answer)``,
    in one transaction; the answers of the records' items."""
    answers: dict[int, services.ItemResult] = {}
    receipts: list[SyncReceipt] = []
    with transaction.atomic(), incremental.tallying():
        done = measurements_record_batch(actor=actor, scope=scope, items=[m for _, _, m in measured], now=now)
        done += immunizations_record_batch(actor=actor, scope=scope, items=[d for _, _, d in dosed], now=now)
        for (index, item, _), outcome in zip((*measured, *dosed), done, strict=True):
            if outcome.error is not None:
                answers[index] = services._refused(item, outcome.error)
            else:
                status = SyncReceipt.Status.ALREADY_APPLIED if outcome.replayed else SyncReceipt.Status.CREATED
                answers[index] = services.ItemResult(item.client_uuid, status, id=outcome.record.pk)
            receipts.append(services._receipt(item, answers[index], actor=actor, device_id=device_id, now=now))
        # Refused before the batch (a resident outside the area, a value the form cannot hold): a receipt, as
        # on the single path, so the same entry is answered the same way again.
        receipts += [services._receipt(item, answer, actor=actor, device_id=device_id, now=now)
                     for _, item, answer in refused]
        SyncReceipt.objects.bulk_create(receipts)
    return answers
