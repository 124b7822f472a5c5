"""Feed the change log from model signals: every save or delete of a row the field app caches.

Signals, not calls in each service, because pages, the API, imports and the sync push all write these
rows and the feed must see every one of them. Queryset ``.update()`` and ``bulk_create`` send no
signal: the rows they touch (a household's denormalised head name; demo seeding) reach a device
through the first sync's snapshot or the next save of the row, never through the log alone.
"""

from __future__ import annotations

from django.db import connection
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_init, post_save

from simpul.sync.models import SyncChange

_PLACE = "_sync_place"  # (posyandu_id, desa_id) as loaded, to notice a move on save


def _models() -> dict:
    from simpul.health.models import Measurement
    from simpul.immunization.models import ImmunizationRecord
    from simpul.maternal.models import Pregnancy
    from simpul.registry.models import Household, Person

    return {Household: SyncChange.Kind.HOUSEHOLD, Person: SyncChange.Kind.PERSON,
            Measurement: SyncChange.Kind.MEASUREMENT, ImmunizationRecord: SyncChange.Kind.IMMUNIZATION,
            Pregnancy: SyncChange.Kind.PREGNANCY}


def _day_models() -> dict:
    """Rows of a posyandu day: placed at the day's posyandu (they carry no place of their own)."""
    from simpul.serviceday.models import Attendance, ServiceDay, ServiceGiven

    return {ServiceDay: SyncChange.Kind.DAY, Attendance: SyncChange.Kind.ATTENDANCE,
            ServiceGiven: SyncChange.Kind.SERVICE}


def current_txid():
    """This transaction's id on PostgreSQL (assigning one), 0 elsewhere."""
    if connection.vendor == "postgresql":
        return RawSQL("pg_current_xact_id()::text::bigint", [])
    return 0


def _remember_place(sender, instance, **kwargs) -> None:
    # Only what is already loaded: touching a deferred field here would cost a query per row.
    values = instance.__dict__
    if "posyandu_id" in values and "desa_id" in values:
        setattr(instance, _PLACE, (values["posyandu_id"], values["desa_id"]))


def _log(kind: str, instance, *, deleted: bool = False) -> None:
    before = getattr(instance, _PLACE, None)
    posyandu_id, desa_code = instance.posyandu_id, instance.desa_id
    prev_posyandu_id, prev_desa = None, ""
    if before is not None and before[0] is not None and before != (posyandu_id, desa_code):
        prev_posyandu_id, prev_desa = before
    SyncChange.objects.create(
        txid=current_txid(), kind=kind, object_id=instance.pk, posyandu_id=posyandu_id, desa_code=desa_code or "",
        prev_posyandu_id=prev_posyandu_id, prev_desa_code=prev_desa or "", deleted=deleted,
    )
    setattr(instance, _PLACE, (posyandu_id, desa_code))


def _log_day_row(kind: str, instance, *, deleted: bool = False) -> None:
    from simpul.serviceday.models import ServiceDay

    if kind == SyncChange.Kind.DAY:
        posyandu_id, desa_code = instance.posyandu_id, instance.desa_id
    else:
        # One small read per mark: the day's place (a deleted day cascades, then nothing is left to read).
        place = ServiceDay.objects.filter(pk=instance.day_id).values_list("posyandu_id", "desa_id").first()
        if place is None:
            return
        posyandu_id, desa_code = place
    SyncChange.objects.create(txid=current_txid(), kind=kind, object_id=instance.pk, posyandu_id=posyandu_id,
                              desa_code=desa_code or "", deleted=deleted)


def connect() -> None:
    for model, kind in _models().items():
        post_init.connect(_remember_place, sender=model, weak=False, dispatch_uid=f"sync-init-{kind}")
        post_save.connect(lambda sender, instance, raw=False, _kind=kind, **kw: None if raw else _log(_kind, instance),
                          sender=model, weak=False, dispatch_uid=f"sync-save-{kind}")
        post_delete.connect(lambda sender, instance, _kind=kind, **kw: _log(_kind, instance, deleted=True),
                            sender=model, weak=False, dispatch_uid=f"sync-delete-{kind}")
    for model, kind in _day_models().items():
        post_save.connect(lambda sender, instance, raw=False, _kind=kind, **kw: None if raw
                          else _log_day_row(_kind, instance), sender=model, weak=False, dispatch_uid=f"sync-save-{kind}")
        post_delete.connect(lambda sender, instance, _kind=kind, **kw: _log_day_row(_kind, instance, deleted=True),
                            sender=model, weak=False, dispatch_uid=f"sync-delete-{kind}")
