"""PostgreSQL helpers for loading a large batch: suspend the secondary indexes and constraints, COPY in a thread.

Maintaining 18 indexes and checking six deferred foreign keys row by row is
what makes a big COPY into Django's schema slow (perf-limits.md §4: 45 k rows/s
against 1.1 M rows/s into bare tables). For a large load we drop the foreign
keys, unique constraints and plain indexes of the tables being filled, load,
and put them back with their exact definitions (read from the catalogue, names
included). Rebuilding an index sorts once; re-adding a foreign key checks it
with one join. The uniques and foreign keys are fully validated again, so bad
data still fails the load. DDL is transactional in PostgreSQL: if anything
fails, the rollback restores the schema too. Primary keys stay, so foreign keys
from other tables are untouched. The tables are locked for the duration.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass

from django.db import connection


@dataclass
class Suspended:
    constraints: list[tuple[str, str, str]]  # (table, name, definition) — uniques first, then foreign keys
    indexes: list[str]  # CREATE INDEX statements


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def suspend(tables: list[str]) -> Suspended:
    """Drop foreign keys, unique constraints and plain indexes of ``tables``; return how to restore them."""
    with connection.cursor() as cursor:
        # ALTER TABLE refuses while deferred checks are pending (e.g. after deleting an earlier seed): run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
            FROM pg_constraint c
            WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('f', 'u')
            ORDER BY c.contype DESC, c.conrelid::regclass::text, c.conname
            """,
            [tables],
        )
        constraints = [(table, name, definition) for table, name, definition, _kind in cursor.fetchall()]
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in reversed(constraints):  # foreign keys first
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {_quoted(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    return Suspended(constraints=constraints, indexes=[definition for _name, definition in indexes])


def restore(suspended: Suspended) -> None:
    with connection.cursor() as cursor:
        # Index builds sort in memory when they can; the setting lasts until the transaction ends.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for definition in suspended.indexes:
            cursor.execute(definition)
        for table, name, definition in suspended.constraints:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {_quoted(name)} {definition}")
        # Fresh statistics, so the first queries after a big load do not plan for empty tables.
        cursor.execute("ANALYZE " + ", ".join(sorted({table for table, _n, _d in suspended.constraints})))


class CopyThread:
    """Runs COPY statements on the raw psycopg connection while the caller generates the next batch.

    Only this thread touches the connection until :meth:`close`; the caller's
    work is pure Python, so generation and the server's COPY overlap on two cores.
    """

    def __init__(self, raw_connection):
        self._raw = raw_connection
        self._jobs: queue.Queue = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="simpul-copy", daemon=True)
        self._thread.start()

    def submit(self, statements: list[tuple[str, str]]) -> None:
        """Queue (COPY statement, text data) pairs; raises the worker's error if it failed."""
        self._raise()
        self._jobs.put(statements)

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join()
        self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            if self._error is not None:
                continue  # drain: the caller will see the error
            try:
                with self._raw.cursor() as cursor:
                    for statement, data in job:
                        with cursor.copy(statement) as copy:
                            copy.write(data)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                self._error = exc
