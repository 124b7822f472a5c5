"""The rebuild's readers: threads on their own connections that see exactly what the rebuild's transaction sees.

Only on PostgreSQL and outside any other transaction, so these tests commit (``transaction=True``): inside a
test's transaction other connections would see none of its rows.
"""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from conftest import MOJOKERTO
from simpul.core import snapshot_readers
from simpul.demo.ilp_seed import ilp_seed
from simpul.posyandu.models import Posyandu
from simpul.spm import engine, fastpath
from simpul.spm.models import Counter, RegionCounter

TODAY = dt.date(2026, 11, 22)
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="snapshot readers need PostgreSQL"),
]


def _region_rows(code: str) -> int:
    return RegionCounter.objects.filter(region_code=code).count()


def _commit_elsewhere(code: str) -> None:
    """Store a row from a connection of a thread of its own, committed at once."""

    def write() -> None:
        try:
            RegionCounter.objects.create(region_code=code, level=4, indicator="kes.balita", year=2026, month=1)
        finally:
            connection.close()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()


def test_readers_see_the_transactions_snapshot_not_later_commits_nor_its_own_writes():
    with transaction.atomic():
        RegionCounter.objects.create(region_code="mine", level=4, indicator="kes.balita", year=2026, month=1)

        def later_commit_then_count() -> tuple[int, int]:
            _commit_elsewhere("later")
            return _region_rows("later"), _region_rows("mine")

        [(later, mine)] = snapshot_readers.run([later_commit_then_count], workers=1)
        # Committed after the snapshot: not seen. Written but not committed by the exporting transaction: not
        # seen either (documented: readers only read what the rebuild does not change).
        assert (later, mine) == (0, 0)
        assert _region_rows("later") == 1  # this (read committed) transaction sees the later commit
    assert _region_rows("mine") == 1


def test_a_readers_error_reaches_the_caller_and_the_other_tasks_stop():
    ran: list[int] = []

    def fail() -> None:
        raise ValueError("reader failed")

    with transaction.atomic(), pytest.raises(ValueError, match="reader failed"):
        snapshot_readers.run([fail, *[lambda n=n: ran.append(n) for n in range(50)]], workers=1)
    assert ran == []  # one reader: after the error no further task was taken


def test_readers_need_a_transaction_to_export_from():
    with pytest.raises(RuntimeError):
        snapshot_readers.run([lambda: None], workers=2)


def test_readers_are_available_only_to_an_outermost_transaction():
    assert snapshot_readers.available(outermost=True)
    assert not snapshot_readers.available(outermost=False)


def test_a_rebuild_with_readers_stores_the_engines_cells():
    call_command("seed_region", "--region", MOJOKERTO, "--scale", "0.02", "--seed", "7", "--as-of",
                 TODAY.isoformat(), "--no-audit", stdout=io.StringIO())
    ilp_seed(region_code=MOJOKERTO, seed=7, today=TODAY)
    ids = list(Posyandu.objects.filter(desa__code__startswith=MOJOKERTO).values_list("pk", flat=True))
    codes = [i.code for i in fastpath.covered()[0]]
    expected = engine.count(ids, 2026, today=TODAY, codes=codes)
    assert sum(v[0] for v in expected.values()) > 500  # a real workload

    result = fastpath.rebuild(MOJOKERTO, 2026, today=TODAY, readers=3)

    assert result.readers == 3
    stored = {(c.indicator, c.posyandu_id, c.month): [c.denominator, c.numerator, c.pending]
              for c in Counter.objects.filter(year=2026)}
    assert stored == expected
    # The same rebuild inside a transaction runs in this thread only, with the same cells.
    with transaction.atomic():
        assert fastpath.rebuild(MOJOKERTO, 2026, today=TODAY).readers == 0
    assert {(c.indicator, c.posyandu_id, c.month): [c.denominator, c.numerator, c.pending]
            for c in Counter.objects.filter(year=2026)} == expected
