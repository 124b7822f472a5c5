"""Insert many new rows of one model at once: ``COPY … FROM STDIN`` on PostgreSQL, ``bulk_create`` elsewhere.

For validated batches (a posyandu day, a month's import) whose rows, audit entries and change-feed rows
would otherwise be one ``INSERT`` statement of thousands of parameters each. On PostgreSQL the ids of
``insert``'s rows come from the table's sequence first (one query for the whole batch), so the caller
knows every row's id and can write the rows that point at them (audit entries, change-feed rows) the same
way; ``insert_values``' rows are numbered by the database.
Like ``bulk_create``: no ``save()``, no signals — the caller writes what the signals would have written.
Values go in as the column stores them (``_converter``), so a row written here reads back exactly as one
written by ``save()`` — the batch services' tests compare every stored column with the single path's.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connection, models
from django.db.models import DEFERRED, Model


def _columns(model: type[Model]) -> list:
    return [f for f in model._meta.concrete_fields if not f.generated]


def _converter(field):
    """How a field's Python value goes into COPY's text: as it is for what psycopg adapts the way the
    column expects (numbers, text, dates, aware datetimes, UUIDs), JSON text for JSON, and Django's own
    ``get_db_prep_save`` for the rest (decimals are quantised to the column's places there)."""
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        return lambda value: None if value is None else json.dumps(value, cls=encoder)
    if isinstance(field, models.DecimalField | models.FileField) or field.get_internal_type() in _AS_DJANGO:
        return lambda value: field.get_db_prep_save(value, connection)
    return None


_AS_DJANGO = {"DurationField", "GenericIPAddressField", "BinaryField"}


def _sequence_values(table: str, column: str, count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [value for (value,) in cursor.fetchall()]


def _copy(model: type[Model], fields: list, rows) -> None:
    q = connection.ops.quote_name
    names = ", ".join(q(f.column) for f in fields)
    converters = [_converter(f) for f in fields]
    # The raw psycopg cursor (Django's wrapper has no ``copy``) on the same connection and transaction;
    # errors come out as Django's (IntegrityError for a duplicate client UUID).
    connection.ensure_connection()
    with (
        connection.wrap_database_errors,
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {q(model._meta.db_table)} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(
                [
                    value if convert is None else convert(value)
                    for value, convert in zip(row, converters, strict=True)
                ]
            )


def insert(objs: Sequence[Model]) -> None:
    """Insert these unsaved instances of one model; their ``pk`` is set afterwards.

    Fields left unset take their model default (as ``Model()`` already filled them in); database-side
    defaults and expressions are not supported — give values.
    """
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=500)
        return
    pk = model._meta.pk
    for obj, value in zip(objs, _sequence_values(model._meta.db_table, pk.column, len(objs)), strict=True):
        obj.pk = value
    fields = _columns(model)
    names = [f.attname for f in fields]
    _copy(model, fields, ([getattr(obj, name) for name in names] for obj in objs))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def unsaved(model: type[Model], values: dict, related: dict | None = None) -> Model:
    """A new, unsaved ``model`` instance: ``values`` by attname (``person_id``), every other field at its
    default, and ``related`` objects set through their descriptors (``person=…``: id and cache).

    ``Model(**kwargs)`` looks every field up by name and asks it for its default, about 50 µs a row; this
    goes through ``__init__``'s positional path, the one Django takes for rows it reads, in a fraction of
    that. A batch builds hundreds of rows. An unknown name is an error, as it is for ``Model(**kwargs)``."""
    plan = _plans.get(model)
    if plan is None:
        fields = model._meta.concrete_fields
        plan = _plans[model] = (
            [(f.attname, (lambda: DEFERRED) if f.generated else f.get_default) for f in fields],
            frozenset(f.attname for f in fields),
        )
    plan, names = plan
    unknown = values.keys() - names
    if unknown:
        raise TypeError(f"{model.__name__} has no fields {sorted(unknown)}")
    obj = model(*[values[name] if name in values else default() for name, default in plan])
    for name, value in (related or {}).items():
        setattr(obj, name, value)
    return obj


_plans: dict[type[Model], tuple[list, frozenset]] = {}


def insert_values(model: type[Model], names: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Insert rows given as values of the fields ``names`` (attnames; every column but the id): for rows
    nobody reads back in this request (audit entries, change-feed rows), without a model instance for each.
    The database numbers them (its identity default), so no query for their ids either."""
    if not rows:
        return
    by_name = {f.attname: f for f in _columns(model)}
    missing = set(by_name) - set(names) - {model._meta.pk.attname}
    if missing:
        raise ValueError(f"insert_values needs every column of {model._meta.label}: {sorted(missing)}")
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=500
        )
        return
    _copy(model, [by_name[name] for name in names], rows)


def transaction_id() -> int:
    """This transaction's id on PostgreSQL (assigning one), 0 elsewhere: the value ``sync.changelog`` stores
    in ``SyncChange.txid`` through an expression, which a COPY cannot carry."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        return cursor.fetchone()[0]
