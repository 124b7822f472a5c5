"""Set-based writes of generated households, residents and residences into Django's tables.

The ORM's ``bulk_create`` costs 30-45 µs a row in Python (perf-limits.md §4);
these writers bypass it: PostgreSQL gets ``COPY … FROM STDIN`` text, SQLite one
``executemany`` per table, both inside the caller's transaction. Primary keys
are assigned here from a range taken once from each table's sequence while the
tables are locked against other writers, so households, people and residences
reference each other without a round trip per row.
"""

from __future__ import annotations

import time

from django.db import connection

from simpul.demo import pgload
from simpul.demo.rows import TABLES, HouseholdRows, KeyCounter, assemble, check_columns
from simpul.registry.models import Person

SUSPEND_MIN_PEOPLE = 50_000


class BaseWriter:
    vendor = ""

    def __init__(self) -> None:
        check_columns()
        self.keys: KeyCounter | None = None
        self.seconds: dict[str, float] = {}

    def count(self, table: str) -> int:
        return self.keys.used(table) if self.keys else 0

    def begin(self) -> None:
        raise NotImplementedError

    def write(self, batch: list[HouseholdRows]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        raise NotImplementedError


class PostgresCopyWriter(BaseWriter):
    """COPY text into the four tables, one COPY per table per batch, from a background thread.

    With ``suspend_constraints`` (a large load) the tables' secondary indexes,
    unique constraints and foreign keys are dropped for the load and rebuilt in
    :meth:`finish`, see :mod:`simpul.demo.pgload`.
    """

    vendor = "postgresql"

    def __init__(self, *, suspend_constraints: bool = False):
        super().__init__()
        self.suspend_constraints = suspend_constraints
        self._suspended: pgload.Suspended | None = None
        self._copy: pgload.CopyThread | None = None
        self._tables = {key: model._meta.db_table for key, (model, _columns) in TABLES.items()}

    def begin(self) -> None:
        with connection.cursor() as cursor:
            # Other writers wait until we commit; readers go on. Holding the lock makes the id range ours.
            cursor.execute("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE".format(", ".join(self._tables.values())))
            first = {}
            for key, table in self._tables.items():
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
                first[key] = cursor.fetchone()[0]
        if self.suspend_constraints:
            started = time.perf_counter()
            self._suspended = pgload.suspend(list(self._tables.values()))
            self.seconds["suspend"] = time.perf_counter() - started
        self.keys = KeyCounter(first)
        self._copy = pgload.CopyThread(connection.connection)  # the psycopg 3 connection under Django's

    def write(self, batch: list[HouseholdRows]) -> None:
        lines = assemble(batch, self.keys, text=True)
        self._copy.submit([
            (f"COPY {self._tables[key]} ({', '.join(TABLES[key][1])}) FROM STDIN", "".join(lines[key]))
            for key in TABLES if lines[key]
        ])

    def finish(self) -> None:
        started = time.perf_counter()
        self._copy.close()
        self.seconds["copy_drain"] = time.perf_counter() - started
        with connection.cursor() as cursor:
            for key, table in self._tables.items():
                if self.keys.used(key):
                    cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                                   [table, self.keys.next[key] - 1])
        if self._suspended is not None:
            started = time.perf_counter()
            pgload.restore(self._suspended)
            self.seconds["restore"] = time.perf_counter() - started


class SqliteWriter(BaseWriter):
    """One executemany per table per batch, inside the caller's (IMMEDIATE, so write-locked) transaction."""

    vendor = "sqlite"

    def begin(self) -> None:
        first = {}
        with connection.cursor() as cursor:
            for key, (model, _columns) in TABLES.items():
                table = model._meta.db_table
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608 - table name from _meta
                highest = cursor.fetchone()[0]
                # AUTOINCREMENT never reuses an id, even of a deleted row: start above its counter too.
                cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s", [table])
                first[key] = max(highest, cursor.fetchone()[0]) + 1
        self.keys = KeyCounter(first)

    def write(self, batch: list[HouseholdRows]) -> None:
        rows = assemble(batch, self.keys, text=False)
        with connection.cursor() as cursor:
            for key, (model, columns) in TABLES.items():
                if rows[key]:
                    cursor.executemany(
                        f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) '  # noqa: S608
                        f"VALUES ({', '.join(['%s'] * len(columns))})",
                        rows[key],
                    )

    def finish(self) -> None:
        """Nothing to do: inserting explicit ids moves SQLite's AUTOINCREMENT counter by itself."""


def writer_for_connection(*, expected_people: int = 0, replaced_people: int = 0) -> BaseWriter:
    if connection.vendor == "postgresql":
        return PostgresCopyWriter(suspend_constraints=_worth_suspending(expected_people, replaced_people))
    if connection.vendor == "sqlite":
        return SqliteWriter()
    raise RuntimeError(f"no bulk writer for {connection.vendor}")


def _worth_suspending(expected_people: int, replaced_people: int = 0) -> bool:
    """Rebuilding indexes pays off for a load that is large, also compared with what the table keeps."""
    if expected_people < SUSPEND_MIN_PEOPLE:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass",
                       [Person._meta.db_table])
        existing = cursor.fetchone()[0]
    return expected_people >= max(existing - replaced_people, 0) // 4
