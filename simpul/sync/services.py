"""Apply a batch from the field app's outbox: each item once, in its own transaction, in dependency order.

Every item goes through the service that pages and the REST API use (``household_register``,
``measurement_record``, ...), so the rules are the same offline and online. Those services already
answer a replayed client UUID with the stored record; the receipt adds the same for the *answer*
(a replay gets the status it got the first time, ``created`` becoming ``already_applied``).

Conflict rule (decision 0017): only ``household.update`` edits a shared row, and it carries the
version the device saw; a different server version is a conflict, answered with the server's data,
and nothing is overwritten. Measurements, immunisations and attendance are append-only facts — two
kader weighing the same child on the same day make two records — so they never conflict.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.scope import Scope
from simpul.core.errors import DomainError, NotInScope
from simpul.core.inputs import FIRST_DAY, LAST_DAY
from simpul.health.models import Measurement
from simpul.health.services import MeasurementInput, measurement_record
from simpul.immunization.models import ImmunizationRecord
from simpul.immunization.services import ImmunizationInput, immunization_record
from simpul.registry.models import Household, Person
from simpul.registry.services import (
    HouseholdInput,
    PersonInput,
    household_register,
    household_update,
    person_register,
)
from simpul.serviceday.models import Attendance
from simpul.serviceday.services import attendance_record
from simpul.sync import schemas, selectors, upgrade
from simpul.sync.models import SyncReceipt

log = logging.getLogger(__name__)

KINDS = ("household.create", "person.create", "household.update", "measurement.create", "immunization.create",
         "attendance.create", "day.open", "service.create", "referral.create")
FUTURE_LIMIT = dt.timedelta(hours=24)
PAST_LIMIT = dt.timedelta(days=30)
REFERENCE_KEYS = ("household_client_uuid", "person_client_uuid", "attendance_client_uuid")


@dataclass
class PushItem:
    client_uuid: uuid.UUID
    kind: str
    device_time: dt.datetime
    data: dict
    base_version: int | None = None
    form_version: int = upgrade.CURRENT


@dataclass
class ItemResult:
    client_uuid: uuid.UUID
    status: str
    id: int | None = None
    reason: str = ""
    field_errors: dict = field(default_factory=dict)
    server_version: int | None = None
    server_data: dict | None = None
    retryable: bool = False  # the server cannot take it *yet* (newer form, missing parent): keep it, send again
    skew: str = ""

    def as_dict(self) -> dict:
        out: dict = {"client_uuid": str(self.client_uuid), "status": self.status}
        for name in ("id", "server_version", "server_data"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        for name in ("reason", "field_errors", "retryable", "skew"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        return out


class _Retry(Exception):
    """Refuse the item without a receipt: the same client UUID may succeed later."""

    def __init__(self, message: str, field_errors: dict | None = None):
        super().__init__(message)
        self.message, self.field_errors = message, field_errors or {}


def clock_skew(device_time: dt.datetime, received_at: dt.datetime) -> str:
    """'future' beyond 24 h ahead, 'past' beyond 30 days behind the server, else ''."""
    if device_time - received_at > FUTURE_LIMIT:
        return SyncReceipt.Skew.FUTURE
    if received_at - device_time > PAST_LIMIT:
        return SyncReceipt.Skew.PAST
    return SyncReceipt.Skew.NONE


def _plausible_clock(device_time: dt.datetime) -> bool:
    # The phone's clock is kept on the receipt beside the server's: a year no phone shows (a corrupt entry, a
    # hand-made request) cannot even be stored there.
    return FIRST_DAY.year <= device_time.year <= LAST_DAY.year


def _clock_refused(item: PushItem) -> ItemResult:
    """An item whose device time is no real date: refused for good, with no receipt (none could hold it)."""
    message = _("The phone's date for this entry is not a real date. Check the phone's date and enter it again.")
    return ItemResult(item.client_uuid, SyncReceipt.Status.REJECTED, reason=message,
                      field_errors={"device_time": [message]})


def dependency_order(items: list[PushItem]) -> list[int]:
    """Indexes of ``items`` so that an item comes after the items it names by client UUID.

    A reference may name an item (``household_client_uuid``) or a member inside a household.create
    item (``person_client_uuid`` of a member); otherwise the device's order is kept.
    """
    owner: dict[str, int] = {}
    for index, item in enumerate(items):
        owner.setdefault(str(item.client_uuid), index)
        if item.kind == "household.create" and isinstance(item.data.get("members"), list):
            for member in item.data["members"]:
                if isinstance(member, dict) and member.get("client_uuid"):
                    owner.setdefault(str(member["client_uuid"]), index)
    order: list[int] = []
    state: dict[int, int] = {}  # 1 visiting, 2 done

    def visit(index: int) -> None:
        if state.get(index):
            return  # done, or a cycle: the device's order decides
        state[index] = 1
        data = items[index].data if isinstance(items[index].data, dict) else {}
        for key in REFERENCE_KEYS:
            parent = owner.get(str(data.get(key))) if data.get(key) else None
            if parent is not None and parent != index:
                visit(parent)
        state[index] = 2
        order.append(index)

    for index in range(len(items)):
        visit(index)
    return order


def sync_push(*, actor, scope: Scope, device_id: str, form_version: int, items: list[PushItem],
              now: dt.datetime | None = None) -> list[ItemResult]:
    """Apply ``items``; answers in the order sent. Never raises for one bad item.

    Measurements and doses go last, together, through the posyandu-day batch services (``record_batch``):
    nothing the other kinds do reads them, and a posyandu day's records then cost one transaction and one
    move of the counters instead of one of each per record."""
    selectors.require_field_app(scope)
    now = now or timezone.now()
    results: dict[int, ItemResult] = {}
    records: list[int] = []
    for index in dependency_order(items):
        if not _plausible_clock(items[index].device_time):
            results[index] = _clock_refused(items[index])
        elif items[index].kind in record_batch.KINDS:
            records.append(index)
        else:
            results[index] = _apply(items[index], actor=actor, scope=scope, device_id=device_id, now=now)
    results.update(record_batch.apply([(index, items[index]) for index in records], actor=actor, scope=scope,
                                      device_id=device_id, now=now))
    for index, item in enumerate(items):
        results[index].skew = clock_skew(item.device_time, now)
    return [results[index] for index in range(len(items))]


def _prepared(item: PushItem) -> tuple | ItemResult:
    """(handler, data brought to the current form version), or the answer when there is nothing to apply."""
    handler = HANDLERS.get(item.kind)
    if handler is None:
        return ItemResult(item.client_uuid, SyncReceipt.Status.REJECTED, retryable=True,
                          reason=_("This kind of entry is not known to the server: update the server or the app."))
    try:
        return handler, upgrade.upgrade(item.kind, item.data if isinstance(item.data, dict) else {},
                                        item.form_version)
    except upgrade.UnknownVersion:
        return ItemResult(item.client_uuid, SyncReceipt.Status.REJECTED, retryable=True,
                          reason=_("This entry was made with form version %(version)s, which the server does not "
                                   "know yet. It stays on the phone and is sent again later.")
                          % {"version": item.form_version})


def _refused(item: PushItem, exc: DomainError) -> ItemResult:
    """The answer to an item its service refused (a receipt is kept: the same entry is refused again)."""
    if isinstance(exc, NotInScope):
        return ItemResult(item.client_uuid, SyncReceipt.Status.REJECTED,
                          reason=_("The record this entry belongs to was not found in your area."))
    return ItemResult(item.client_uuid, SyncReceipt.Status.REJECTED, reason=exc.message,
                      field_errors=exc.field_errors)


def _postponed(item: PushItem, exc: _Retry) -> ItemResult:
    """The answer to an item the server cannot take yet (no receipt: it is sent again)."""
    return ItemResult(item.client_uuid, SyncReceipt.Status.REJECTED, reason=exc.message,
                      field_errors=exc.field_errors, retryable=True)


def _apply(item: PushItem, *, actor, scope: Scope, device_id: str, now: dt.datetime) -> ItemResult:
    receipt = SyncReceipt.objects.filter(client_uuid=item.client_uuid).first()
    if receipt is not None:
        return _replay(receipt, item, actor=actor, scope=scope)
    try:
        prepared = _prepared(item)
    except Exception:  # noqa: BLE001 - an item the upgrade cannot read is that item's failure, not the batch's
        log.exception("sync item %s (%s) could not be prepared", item.client_uuid, item.kind)
        return _server_error(item)
    if isinstance(prepared, ItemResult):
        return prepared
    handler, data = prepared
    try:
        with transaction.atomic():
            result = handler(item, data, actor=actor, scope=scope, now=now)
            _store(item, result, actor=actor, device_id=device_id, now=now)
        return result
    except _Retry as exc:
        return _postponed(item, exc)
    except DomainError as exc:
        result = _refused(item, exc)
    except IntegrityError:
        # The same item from two tabs at once: the other request stored its receipt first.
        receipt = SyncReceipt.objects.filter(client_uuid=item.client_uuid).first()
        if receipt is not None:
            return _replay(receipt, item, actor=actor, scope=scope)
        log.exception("sync item %s (%s) failed", item.client_uuid, item.kind)
        return _server_error(item)
    except Exception:  # noqa: BLE001 - one broken item must not cost the kader the rest of her batch
        log.exception("sync item %s (%s) failed", item.client_uuid, item.kind)
        return _server_error(item)
    try:
        with transaction.atomic():
            _store(item, result, actor=actor, device_id=device_id, now=now)
    except IntegrityError:
        receipt = SyncReceipt.objects.filter(client_uuid=item.client_uuid).first()
        if receipt is not None:
            return _replay(receipt, item, actor=actor, scope=scope)
        raise
    except DatabaseError:
        # The refusal stands even when its receipt cannot be kept: answered without one (sent again, it is
        # refused again), instead of a server error that cost the phone every answer of its batch.
        log.exception("sync item %s (%s): the receipt of its refusal could not be stored", item.client_uuid, item.kind)
    return result


def _server_error(item: PushItem) -> ItemResult:
    return ItemResult(item.client_uuid, SyncReceipt.Status.REJECTED, retryable=True,
                      reason=_("The server could not save this entry. It stays on the phone and is sent again later."))


def _store(item: PushItem, result: ItemResult, *, actor, device_id: str, now: dt.datetime) -> None:
    if item.kind == "referral.create":
        field_kinds.discard_uploads(item.client_uuid, user=actor)  # final answer: its photos are in the referral or unwanted
    _receipt(item, result, actor=actor, device_id=device_id, now=now).save(force_insert=True)


def _receipt(item: PushItem, result: ItemResult, *, actor, device_id: str, now: dt.datetime) -> SyncReceipt:
    return SyncReceipt(
        client_uuid=item.client_uuid, device_id=device_id[:64], user=actor, kind=item.kind, status=result.status,
        object_type=OBJECT_TYPES.get(item.kind, ""), object_id=result.id, reason=result.reason[:255],
        field_errors=result.field_errors, device_time=item.device_time, received_at=now,
        skew=clock_skew(item.device_time, now), form_version=item.form_version,
    )


def _replay(receipt: SyncReceipt, item: PushItem, *, actor, scope: Scope) -> ItemResult:
    if receipt.user_id != actor.pk:
        # Another user's id: never say what it is.
        message = _("This record id is already in use.")
        return ItemResult(item.client_uuid, SyncReceipt.Status.REJECTED, reason=message,
                          field_errors={"client_uuid": [message]})
    if receipt.status == SyncReceipt.Status.CONFLICT:
        household = selectors.household_for_edit(scope, receipt.object_id)
        return _conflict(item, household) if household is not None else ItemResult(
            item.client_uuid, SyncReceipt.Status.REJECTED,
            reason=_("The record this entry belongs to was not found in your area."))
    if receipt.status == SyncReceipt.Status.REJECTED:
        return ItemResult(item.client_uuid, receipt.status, reason=receipt.reason, field_errors=receipt.field_errors)
    return ItemResult(item.client_uuid, SyncReceipt.Status.ALREADY_APPLIED, id=receipt.object_id)


def _status(existed: bool) -> str:
    return SyncReceipt.Status.ALREADY_APPLIED if existed else SyncReceipt.Status.CREATED


# --- one handler per kind: parse, resolve references in the user's scope, call the domain service ---

def _household_create(item: PushItem, data: dict, *, actor, scope: Scope, now) -> ItemResult:
    payload = schemas.parse(schemas.HouseholdCreateData, data)
    posyandu_id = payload.posyandu_id or selectors.own_posyandu_id(scope)
    existed = Household.objects.filter(client_uuid=item.client_uuid).exists()
    household = household_register(actor=actor, scope=scope, now=now, data=HouseholdInput(
        posyandu_id=posyandu_id, address=payload.address, rt=payload.rt, rw=payload.rw, dusun=payload.dusun,
        kk=payload.kk, latitude=payload.latitude, longitude=payload.longitude, client_uuid=item.client_uuid,
        members=[m.to_input() for m in payload.members]))
    return ItemResult(item.client_uuid, _status(existed), id=household.pk, server_version=household.version)


def _person_create(item: PushItem, data: dict, *, actor, scope: Scope, now) -> ItemResult:
    payload = schemas.parse(schemas.PersonCreateData, data)
    household = _household_ref(scope, payload.household_id, payload.household_client_uuid)
    existed = Person.objects.filter(client_uuid=item.client_uuid).exists()
    values = payload.dict(exclude={"household_id", "household_client_uuid"})
    values["client_uuid"] = item.client_uuid
    person = person_register(actor=actor, scope=scope, household=household, data=PersonInput(**values), now=now)
    return ItemResult(item.client_uuid, _status(existed), id=person.pk, server_version=person.version)


def _household_update(item: PushItem, data: dict, *, actor, scope: Scope, now) -> ItemResult:
    payload = schemas.parse(schemas.HouseholdUpdateData, data)
    if item.base_version is None:
        message = _("Send the version of the household you edited.")
        raise DomainError(message, field_errors={"base_version": [message]})
    household = _household_ref(scope, payload.household_id, payload.household_client_uuid, for_edit=True)
    if household.version != item.base_version:
        return _conflict(item, household)
    changed = payload.dict(exclude_unset=True, exclude={"household_id", "household_client_uuid"})
    current = {"address": household.address, "rt": household.rt, "rw": household.rw, "dusun": household.dusun,
               "kk": household.kk, "latitude": household.latitude, "longitude": household.longitude}
    merged = {**current, **{k: ("" if v is None and k not in {"latitude", "longitude"} else v)
                            for k, v in changed.items()}}
    try:
        saved = household_update(actor=actor, scope=scope, household=household, expected_version=item.base_version,
                                 data=HouseholdInput(posyandu_id=household.posyandu_id, **merged), now=now)
    except DomainError as exc:
        if exc.code != "conflict":
            raise
        # Changed between our check and the row lock: answer with what won.
        return _conflict(item, selectors.household_for_edit(scope, household.pk))
    return ItemResult(item.client_uuid, SyncReceipt.Status.CREATED, id=saved.pk, server_version=saved.version)


def _conflict(item: PushItem, household: Household) -> ItemResult:
    return ItemResult(item.client_uuid, SyncReceipt.Status.CONFLICT, id=household.pk,
                      server_version=household.version, server_data=selectors.household_row(household),
                      reason=_("Someone else changed this household after your phone last synced. "
                               "Compare both versions and choose."))


def _measurement_create(item: PushItem, data: dict, *, actor, scope: Scope, now) -> ItemResult:
    payload = schemas.parse(schemas.MeasurementCreateData, data)
    person = _person_ref(scope, payload.person_id, payload.person_client_uuid)
    existed = Measurement.objects.filter(client_uuid=item.client_uuid).exists()
    measurement = measurement_record(actor=actor, scope=scope, person=person, now=now,
                                     data=_measurement_input(payload, item.client_uuid))
    return ItemResult(item.client_uuid, _status(existed), id=measurement.pk)


def _measurement_input(payload: schemas.MeasurementCreateData, client_uuid: uuid.UUID) -> MeasurementInput:
    return MeasurementInput(
        measured_on=payload.measured_on, weight_kg=payload.weight_kg, length_height_cm=payload.length_height_cm,
        position=payload.position or "", head_circumference_cm=payload.head_circumference_cm,
        muac_cm=payload.muac_cm, oedema=payload.oedema, client_uuid=client_uuid)


def _immunization_create(item: PushItem, data: dict, *, actor, scope: Scope, now) -> ItemResult:
    payload = schemas.parse(schemas.ImmunizationCreateData, data)
    person = _person_ref(scope, payload.person_id, payload.person_client_uuid)
    existed = ImmunizationRecord.objects.filter(client_uuid=item.client_uuid).exists()
    record = immunization_record(actor=actor, scope=scope, person=person, now=now,
                                 data=_immunization_input(payload, item.client_uuid))
    return ItemResult(item.client_uuid, _status(existed), id=record.pk)


def _immunization_input(payload: schemas.ImmunizationCreateData, client_uuid: uuid.UUID) -> ImmunizationInput:
    return ImmunizationInput(
        dose=payload.dose, given_on=payload.given_on, vaccine=payload.vaccine, batch_number=payload.batch_number,
        given_by=payload.given_by, place=payload.place, place_note=payload.place_note, client_uuid=client_uuid)


def _attendance_create(item: PushItem, data: dict, *, actor, scope: Scope, now) -> ItemResult:
    payload = schemas.parse(schemas.AttendanceCreateData, data)
    person = _person_ref(scope, payload.person_id, payload.person_client_uuid)
    day = selectors.day_for_sync(scope, payload.day_id)
    # Marked before under another id (the other phone at the table) is the same fact: already applied.
    existed = Attendance.objects.filter(Q(client_uuid=item.client_uuid) | Q(day=day, person=person)).exists()
    attendance = attendance_record(actor=actor, scope=scope, day=day, person=person, client_uuid=item.client_uuid,
                                   now=now)
    return ItemResult(item.client_uuid, _status(existed), id=attendance.pk)


def _household_ref(scope: Scope, pk: int | None, client_uuid: uuid.UUID | None, *, for_edit: bool = False):
    household = selectors.household_ref(scope, pk=pk, client_uuid=client_uuid)
    if household is None and client_uuid is not None and pk is None and not Household.objects.filter(
            client_uuid=client_uuid).exists():
        raise _Retry(_("The household of this entry has not reached the server yet."),
                     {"household_client_uuid": [_("Not received yet.")]})
    if household is None:
        if pk is None and client_uuid is None:
            message = _("Choose the household.")
            raise DomainError(message, field_errors={"household_id": [message]})
        raise NotInScope()
    return household


def _person_ref(scope: Scope, pk: int | None, client_uuid: uuid.UUID | None, *, known: dict | None = None):
    """The resident an item names, in scope; ``known``: ``selectors.people_ref`` of the whole push, read once."""
    if known is None:
        person = selectors.person_ref(scope, pk=pk, client_uuid=client_uuid)
    else:
        person = known.get(("pk", pk)) if pk is not None else known.get(("uuid", client_uuid))
    if person is None and client_uuid is not None and pk is None and not Person.objects.filter(
            client_uuid=client_uuid).exists():
        raise _Retry(_("The resident of this entry has not reached the server yet."),
                     {"person_client_uuid": [_("Not received yet.")]})
    if person is None:
        if pk is None and client_uuid is None:
            message = _("Choose the resident.")
            raise DomainError(message, field_errors={"person_id": [message]})
        raise NotInScope()
    return person


HANDLERS = {
    "household.create": _household_create,
    "person.create": _person_create,
    "household.update": _household_update,
    "measurement.create": _measurement_create,
    "immunization.create": _immunization_create,
    "attendance.create": _attendance_create,
}
OBJECT_TYPES = {
    "household.create": "registry.household", "person.create": "registry.person",
    "household.update": "registry.household", "measurement.create": "health.measurement",
    "immunization.create": "immunization.immunizationrecord", "attendance.create": "serviceday.attendance",
}

# The posyandu-day and need kinds, and the batch of records, live in their own modules (they use the helpers above).
from simpul.sync import field_kinds, record_batch  # noqa: E402

HANDLERS.update(field_kinds.HANDLERS)
OBJECT_TYPES.update(field_kinds.OBJECT_TYPES)
