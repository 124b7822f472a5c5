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
from decimal import Decimal

from django.db import connection, models
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.signals import post_init


def _columns(model: type[Model]) -> list:
    return [f for f in model._meta.concrete_fields if not f.generated]


def _converter(field):
    """How a field's Python value goes into COPY's text: as it is for what psycopg adapts the way the
    column expects (numbers, text, dates, aware datetimes, UUIDs), JSON text for JSON, and Django's own
    ``get_db_prep_save`` for the rest (decimals are quantised to the column's places there)."""
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        return lambda value: None if value is None else json.dumps(value, cls=encoder)
    if isinstance(field, models.DecimalField):
        # A finite Decimal is what Django itself would send (``to_python`` rebuilds the same value and the
        # backend adapts it unchanged); only other types (a float, a string) need its conversion.
        def decimal(value):
            if value is None or (type(value) is Decimal and value.is_finite()):
                return value
            return field.get_db_prep_save(value, connection)

        return decimal
    if isinstance(field, models.FileField) or field.get_internal_type() in _AS_DJANGO:
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
    converting = [(i, convert) for i, convert in enumerate(map(_converter, fields)) if convert is not None]
    # The raw psycopg cursor (Django's wrapper has no ``copy``) on the same connection and transaction;
    # errors come out as Django's (IntegrityError for a duplicate client UUID).
    connection.ensure_connection()
    with (
        connection.wrap_database_errors,
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {q(model._meta.db_table)} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            if converting:
                row = list(row)
                for i, convert in converting:
                    row[i] = convert(row[i])
            copy.write_row(row)


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
    # From the instance's ``__dict__``: a foreign key's attname is a data descriptor, dear at this count.
    _copy(model, fields, ([obj.__dict__[name] for name in names] for obj in objs))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def unsaved(model: type[Model], values: dict, related: dict | None = None) -> Model:
    """A new, unsaved ``model`` instance: ``values`` by attname (``person_id``), every other field at its
    default, and ``related`` objects set by field name (``person=…``: its id and the cached object).

    ``Model(**kwargs)`` looks every field up by name and asks it for its default, about 50 µs a row, and even
    the positional path Django takes for rows it reads sets each field through its descriptor. A batch builds
    hundreds of rows, so this fills the instance's ``__dict__`` as ``__init__`` would leave it for a new row
    (fresh ``ModelState``, every attname set, related objects in the field cache) and sends ``post_init`` as
    ``__init__`` does (``sync.changelog`` remembers a row's place there). An unknown name is an error, as it
    is for ``Model(**kwargs)``."""
    plan = _plans.get(model)
    if plan is None:
        plan = _plans[model] = _plan(model)
    constant, per_row, names, relations = plan
    unknown = values.keys() - names
    if unknown:
        raise TypeError(f"{model.__name__} has no fields {sorted(unknown)}")
    obj = model.__new__(model)
    obj._state = ModelState()
    state = obj.__dict__
    state.update(constant)
    state.update(values)
    for name, default in per_row:
        if name not in values:
            state[name] = default()
    for name, value in (related or {}).items():
        if name not in relations:
            raise TypeError(f"{model.__name__} has no relation {name!r}")
        attname, target = relations[name]
        state[attname] = None if value is None else getattr(value, target)
        if value is not None:
            obj._state.fields_cache[name] = value
    if post_init.has_listeners(model):
        post_init.send(sender=model, instance=obj)
    return obj


def _plan(model: type[Model]) -> tuple[dict, list, frozenset, dict]:
    """The model's defaults: those that are values (``""``, ``None``, ``0``, a choice) taken once — ``__init__``
    too hands every row the same object for them — and the callables (``uuid4``, ``list``, ``now``) called per
    row; its field names; and its foreign keys by name (attname, the attname of the key they point at).
    Generated columns are left unset, as ``__init__`` leaves a deferred field (read from the row on use)."""
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    fresh = [f for f in fields if f.has_default() and callable(f.default)]
    return (
        {f.attname: f.get_default() for f in fields if f not in fresh},
        [(f.attname, f.get_default) for f in fresh],
        frozenset(f.attname for f in fields),
        {f.name: (f.attname, f.target_field.attname) for f in fields if f.many_to_one},
    )


_plans: dict[type[Model], tuple[dict, list, frozenset, dict]] = {}


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
