"""A posyandu day of measurements written at once: the rules of ``measurement_record``, the cost of one write.

``measurements_record_batch`` answers every item exactly as ``measurement_record`` would have answered it
had the items been sent one after another, in order (same refusals with the same Bahasa field messages,
same replay of a client UUID, same stored values and audit entries), but:

* the records already stored under the items' client UUIDs are read in one query;
* the WHO z-scores of the whole batch come from one call of the growth engine's ``zscores_batch``;
* the valid rows, their audit entries and their change-feed rows are three COPY in one transaction
  (``core.copy``, ``core.batchlog``), and the SPM counters move in it by the difference the weighings make
  to their children (``spm.incremental``; the kader's tasks follow in a job after commit — decision 0025).

A refused item never blocks the others and leaves nothing behind: every check runs before the insert.
Should the insert still fail (the same client UUID sent by another request at the same moment), the batch
is redone item by item through ``measurement_record``, which settles such races one record at a time.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope
from simpul.core import batchlog, copy
from simpul.core.clock import latest_today
from simpul.core.errors import DomainError
from simpul.health.growth.assessment import LIMITS, _round2
from simpul.health.growth.classify import CLASSIFIED, classify, flag_for
from simpul.health.growth.zscores import INDICES, MAX_AGE_DAYS, age_in_days, zscores_batch
from simpul.health.models import Measurement
from simpul.health.selectors import HEALTH
from simpul.health.services import (
    MeasurementInput,
    _audit_values,
    _clean,
    _computed,
    _parse_uuid,
    _require_health,
    measurement_record,
)
from simpul.registry.models import Person
from simpul.spm import fastpath, incremental
from simpul.sync.models import SyncChange

ACTION = "health.measurement.recorded"


@dataclass
class MeasurementItem:
    person: Person
    data: MeasurementInput


@dataclass
class MeasurementResult:
    """One item's answer: the record (new, or the stored one for a replayed client UUID), or the error."""

    record: Measurement | None = None
    error: DomainError | None = None
    replayed: bool = False  # the client UUID was already stored (or sent earlier in this batch)


def measurements_record_batch(*, actor, scope: Scope, items: Sequence[MeasurementItem],
                              now: dt.datetime | None = None) -> list[MeasurementResult]:
    """Record many measurements (typically one posyandu day); one result per item, in the items' order."""
    now = now or timezone.now()
    today = latest_today(now)
    results: list[MeasurementResult | None] = [None] * len(items)
    uuids: list = [None] * len(items)
    for i, item in enumerate(items):
        try:
            uuids[i] = _parse_uuid(item.data.client_uuid)
        except DomainError as exc:
            results[i] = MeasurementResult(error=exc)
    given = [u for u in uuids if u is not None]
    stored = {m.client_uuid: m for m in Measurement.objects.filter(client_uuid__any=given)} if given else {}

    new: list[Measurement] = []
    by_uuid: dict = {}  # client UUID -> the record made for it earlier in this batch
    pending: list[tuple[Measurement, dict]] = []  # rows whose z-scores the vector call fills in
    for i, item in enumerate(items):
        if results[i] is not None:
            continue
        person, client_uuid = item.person, uuids[i]
        try:
            _require_health(scope, desa_code=person.desa_id, posyandu_id=person.posyandu_id)
            earlier = stored.get(client_uuid) or by_uuid.get(client_uuid)
            if earlier is not None:
                results[i] = MeasurementResult(record=_replay(scope, earlier, person), replayed=True)
                continue
            values = _clean(person, item.data, today=today)
            age = age_in_days(person.birth_date, values["measured_on"])
            if age <= MAX_AGE_DAYS and _refused_by_growth(person, values):
                # What the growth engine itself refuses (a 260 kg teenager): let the single path say it.
                computed = _computed(person, values, now=now)
            else:
                computed = _bmi(values, age)
        except DomainError as exc:
            results[i] = MeasurementResult(error=exc)
            continue
        measurement = copy.unsaved(Measurement, {"posyandu_id": person.posyandu_id, "desa_id": person.desa_id,
                                                 "created_at": now, **values, **computed},
                                   related={"person": person, "recorded_by": actor})
        if client_uuid is not None:
            measurement.client_uuid = client_uuid
            by_uuid[client_uuid] = measurement
        if age <= MAX_AGE_DAYS and "z_wfa" not in computed:
            pending.append((measurement, values))
        new.append(measurement)
        results[i] = MeasurementResult(record=measurement)

    _growth(pending)
    try:
        _insert(new, actor=actor)
    except IntegrityError:
        # Another request stored one of these client UUIDs meanwhile: settle it one record at a time.
        return [_single(item, actor=actor, scope=scope, now=now) for item in items]
    return results  # type: ignore[return-value]


def _replay(scope: Scope, existing: Measurement, person: Person) -> Measurement:
    """``services._existing`` for a record already in hand (stored, or made earlier in this batch)."""
    allowed = HEALTH in scope.fields_at(desa_code=existing.desa_id, posyandu_id=existing.posyandu_id,
                                        perm=Perm.RECORD_HEALTH)
    if not allowed or existing.person_id != person.pk:
        raise DomainError(_("This record id is already in use."), field_errors={"client_uuid": [_("Already in use.")]})
    return existing


def _refused_by_growth(person: Person, values: dict) -> bool:
    """True where ``growth_assess`` would refuse what ``_clean`` let through (see its LIMITS and sex)."""
    if person.sex not in ("M", "F"):
        return True
    for name, (low, high) in LIMITS.items():
        value = values.get(name)
        if value is not None and not (math.isfinite(float(value)) and low < float(value) <= high):
            return True
    return False


def _bmi(values: dict, age: int) -> dict:
    # As ``services._computed``: from the values as measured, for every age.
    weight, height = values.get("weight_kg"), values.get("length_height_cm")
    bmi = round(float(weight) / (float(height) / 100) ** 2, 2) if weight and height else None
    return {"age_days": age, "bmi": bmi, "flags": []}


def _floats(rows: list[dict], name: str) -> list:
    return [None if row.get(name) is None else float(row[name]) for row in rows]


def _growth(pending: list[tuple[Measurement, dict]]) -> None:
    """z-scores, codes and flags of every pending row from one ``zscores_batch`` call.

    The arithmetic is the engine's, as ``growth_assess`` runs it for one row; the rounding to two decimals
    and the Permenkes bands then go through the same scalar helpers ``growth_assess`` uses, so a z on a
    band's edge lands in the same band as on the single path (numpy's rounding may differ in the last bit).
    """
    if not pending:
        return
    rows = [values for _, values in pending]
    result = zscores_batch(
        sex=[m.person.sex for m, _ in pending], age_days=[m.age_days for m, _ in pending],
        weight_kg=_floats(rows, "weight_kg"), length_height_cm=_floats(rows, "length_height_cm"),
        position=[row["position"] or None for row in rows],
        head_circumference_cm=_floats(rows, "head_circumference_cm"), muac_cm=_floats(rows, "muac_cm"),
        oedema=[row["oedema"] for row in rows],
    )
    implausible = {index: result.implausible(index) for index in INDICES}
    for j, (measurement, _values) in enumerate(pending):
        for index in INDICES:
            z = float(result.z[index][j])
            z = None if np.isnan(z) else z
            setattr(measurement, f"z_{index}", _round2(z))
            if index in CLASSIFIED:
                setattr(measurement, f"class_{index}", classify(index, z, measurement.age_days) or "")
        measurement.flags = [flag_for(index) for index in INDICES if implausible[index][j]]


def _insert(rows: list[Measurement], *, actor) -> None:
    if not rows:
        return
    # One transaction: the rows, their audit entries and change-feed rows, and the SPM counters moved by
    # the difference these weighings make to their children (``spm.incremental``), all or nothing.
    with transaction.atomic(), incremental.tallying() as tally:
        tally.watch(((m.person_id, m.measured_on) for m in rows), added=fastpath.Added(measured=tuple(
            (m.person_id, m.measured_on, m.weight_kg is not None, m.length_height_cm is not None) for m in rows)))
        copy.insert(rows)
        batchlog.records_logged(rows, actor=actor, action=ACTION, kind=SyncChange.Kind.MEASUREMENT,
                                changes=_audit_values)


def _single(item: MeasurementItem, *, actor, scope: Scope, now: dt.datetime) -> MeasurementResult:
    client_uuid = None
    try:
        client_uuid = _parse_uuid(item.data.client_uuid)
        existed = client_uuid is not None and Measurement.objects.filter(client_uuid=client_uuid).exists()
        record = measurement_record(actor=actor, scope=scope, person=item.person, data=item.data, now=now)
    except DomainError as exc:
        return MeasurementResult(error=exc)
    return MeasurementResult(record=record, replayed=existed)
