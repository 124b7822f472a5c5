"""Run read-only work in threads that see exactly what this transaction sees, each on its own connection.

A long rebuild (``spm.fastpath``) spends most of its time waiting for PostgreSQL to scan record tables, one
query after another, on one connection, so one core of the database works while the others idle. Threads
with connections of their own can keep several cores busy, but a second connection would see the database
as of its own queries, not as of the rebuild's transaction. PostgreSQL's *exported snapshot* settles that:
the rebuild's transaction exports its snapshot (``pg_export_snapshot()``), each reader opens a REPEATABLE
READ transaction on it (``SET TRANSACTION SNAPSHOT``), and every reader then sees the committed data exactly
as the rebuild does — the mechanism ``pg_dump --jobs`` uses. What the rebuild's own transaction has written
but not committed is not seen, so readers must only read what that transaction does not change.

Only where it can work: PostgreSQL, and a transaction that is the outermost one, so that the data it sees is
committed data (inside a test's transaction, other connections would see none of the test's rows). Anywhere
else ``available()`` is False and callers run their work in this thread, as before.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, transaction


def available(*, outermost: bool) -> bool:
    """Whether readers can run here; ``outermost``: the caller's transaction is not inside another."""
    return connection.vendor == "postgresql" and outermost


def run(tasks: Iterable[Callable[[], Any]], *, workers: int) -> list[Any]:
    """Run ``tasks`` on ``workers`` threads reading this transaction's snapshot; their results, in order.

    Must be called inside the (outermost, PostgreSQL) transaction whose snapshot the readers share. The first
    error raised by a task is raised here after every thread has stopped; each thread closes its connection.
    """
    tasks = list(tasks)
    if not tasks:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("snapshot readers need the caller's transaction to export its snapshot")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
    pending: queue.SimpleQueue = queue.SimpleQueue()
    for index, task in enumerate(tasks):
        pending.put((index, task))
    results: list[Any] = [None] * len(tasks)
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            while not errors:
                try:
                    index, task = pending.get_nowait()
                except queue.Empty:
                    return
                with transaction.atomic(), connection.cursor() as cursor:
                    # Must be the transaction's first statements; the snapshot id is PostgreSQL's own text.
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
                    results[index] = task()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=reader, name=f"snapshot-reader-{n}") for n in range(min(workers, len(tasks)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
