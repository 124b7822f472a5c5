"""Counters moved by the difference a batch makes, not by re-judging whole posyandu-years.

A weighing, a length, a dose or a vitamin A capsule is about one child, and ``kes.balita`` judges a child
from that child's own records and residence only. So the counters can follow a batch of such records by
judging just the children in it, before and after the insert, with the engine itself (the same rule
objects the counters, the unserved list and the tasks come from), and adding ``after − before`` per
posyandu-month to ``Counter`` and to every region above — in the batch's own transaction, so the counters
commit with the records or not at all.

    with incremental.tallying() as tally:
        tally.watch([(person_id, record_day), ...])   # before the insert: locks the children, judges them
        ... insert the rows ...
    # leaving the block judges them again and adds the difference; after commit the kader's tasks and the
    # early-warning rules of the touched posyandu run in a background job (``spm.tasks.listeners_run``)

The counting is the rule's vector form over just the batch's children (``fastpath.people_load``), before and
after. This is exact where the counters were exact before: ``counters.rebuild`` on the same records gives the same
cells (the tests hold it to that). A counter cell of the running month is year-to-date *as of the day it was
last computed*; a batch moves it by the difference it makes today, and the calendar moving on (a dose
becoming overdue) is caught by ``spm_recompute``, run nightly, as for posyandu that see no writes.

Nested batches share the outermost tally (a posyandu day's weighings and doses in one transaction judge
each child twice, not four times). Children are locked (``SELECT … FOR UPDATE``, in id order) before their
"before" is judged, so two transactions writing for the same child cannot both subtract the same old verdict.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import partial

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from simpul.posyandu.models import Posyandu
from simpul.registry.models import Person
from simpul.spm import engine, fastpath, fastpath_health, feeds
from simpul.spm.counters import LEVELS, LISTENERS
from simpul.spm.models import Counter, RegionCounter
from simpul.spm.periods import months_through

logger = logging.getLogger(__name__)
_state = threading.local()

# Rules whose verdict on a person depends only on that person's records and residence: a record about one
# child can move no other unit's verdict. Only these may be tallied incrementally (and need a vector form).
PERSONAL_RULES = frozenset({"under_five_package"})
CHILD = ("kes.balita",)


class Tally:
    """The children a batch writes about, counted before the insert and again after it.

    Counted with the rule's vector form (``fastpath``) over just these children and all their stays of the year
    (``fastpath.people_load``): a few queries and numpy for the whole batch, where judging each child with the
    engine cost about a millisecond a child, twice (decision 0025). The vector form gives the engine's cells
    exactly (``test_fastpath*``), so the difference is the engine's difference.
    """

    def __init__(self, *, codes: Iterable[str] = CHILD, today: dt.date | None = None):
        self.today = today or timezone.localdate()
        self.indicators = engine.computed(codes)
        if any(i.rule not in PERSONAL_RULES or i.rule not in fastpath.VECTOR_RULES for i in self.indicators):
            raise ValueError("only rules that judge a person from their own records can be tallied")
        self.first: dict[int, dict[int, int]] = defaultdict(dict)  # year -> person -> first month affected
        # Each group of people counted before the insert: (year, first month, end month, their area, counts).
        self.groups: list[tuple[int, int, int, fastpath.Area, engine.Counts]] = []
        self.touched: set[int] = set()  # posyandu whose counters moved
        # The records the watchers said they insert: counted again by folding them into what was read before
        # (no second read of the record tables), as long as every watcher said what it inserts.
        self.measured: list = []
        self.doses: list = []
        self.told = True

    def watch(self, marks: Iterable[tuple[int, dt.date]], *, added: fastpath.Added | None = None) -> None:
        """``(person id, day of the record)`` pairs about to be inserted: lock and count the new ones now.

        ``added``: the records themselves (``fastpath.Added``), inserted before the tally settles. Without
        it the tally reads the record tables again to count after the insert."""
        if added is None:
            self.told = False
        else:
            self.measured.extend(added.measured)
            self.doses.extend(added.doses)
        fresh: dict[int, dict[int, int]] = defaultdict(dict)
        this_year = self.today.year
        for person_id, day in marks:
            # The record's year from its month on; and this year from January when the record is older
            # (a dose given last year completes this year's schedule), as ``feeds.touch`` marks it.
            for year, month in {
                day.year: day.month,
                this_year: 1 if day.year < this_year else day.month,
            }.items():
                if year > this_year:
                    continue
                known = self.first[year].get(person_id)
                # New, or seen already but now from an earlier month: count (the extra months) before the insert.
                if known is None or month < known:
                    fresh[year][person_id] = min(month, fresh[year].get(person_id, 13))
        ids = sorted({pk for people in fresh.values() for pk in people})
        if not ids:
            return
        list(
            Person.objects.select_for_update().filter(pk__any=ids).order_by("pk").values_list("pk", flat=True)
        )
        for year, people in fresh.items():
            # Months not counted before for these people: all from ``month`` (new), or month..old-1 (earlier).
            spans: dict[tuple[int, int], list[int]] = defaultdict(list)
            for pk, month in people.items():
                spans[(month, self.first[year].get(pk, 13))].append(pk)
                self.first[year][pk] = month
            for (start, end), group in sorted(spans.items()):
                area = fastpath.people_load(group, year, today=self.today)
                self.groups.append((year, start, end, area, self._count(area, year, start, end)))

    def _count(self, area: fastpath.Area, year: int, start: int, end: int) -> engine.Counts:
        months = [m for m in months_through(year, self.today) if start <= m < end]
        return fastpath.cells(area, self.indicators, months).as_counts() if months else {}

    def settle(self) -> None:
        """Count every group again (the rows are in) and add ``after − before`` to the counters."""
        deltas: dict[tuple[str, int, int, int], list[int]] = defaultdict(lambda: [0, 0, 0])
        added = fastpath.Added(measured=tuple(self.measured), doses=tuple(self.doses))
        for year, start, end, area, before in self.groups:
            if not (self.told and fastpath_health.records_added(area, added)):
                area.forget_records()
            after = self._count(area, year, start, end)
            for key in set(before) | set(after):
                old, new = before.get(key, [0, 0, 0]), after.get(key, [0, 0, 0])
                if old != new:
                    code, posyandu_id, month = key
                    total = deltas[(code, posyandu_id, year, month)]
                    for i in range(3):
                        total[i] += new[i] - old[i]
        self._apply({key: delta for key, delta in deltas.items() if any(delta)})

    def _apply(self, deltas: dict[tuple[str, int, int, int], list[int]]) -> None:
        if not deltas:
            return
        desa_of = dict(Posyandu.objects.filter(pk__in={k[1] for k in deltas}).values_list("pk", "desa_id"))
        regions: dict[tuple[str, int, str, int, int], list[int]] = defaultdict(lambda: [0, 0, 0])
        for (code, posyandu_id, year, month), delta in deltas.items():
            for level, length in LEVELS:
                cell = regions[(desa_of[posyandu_id][:length], level, code, year, month)]
                for i in range(3):
                    cell[i] += delta[i]
        try:
            with transaction.atomic():
                _upsert_counters(
                    [
                        (pid, desa_of[pid], code, year, month, *d)
                        for (code, pid, year, month), d in deltas.items()
                    ]
                )
                _upsert_regions([(*key, *d) for key, d in regions.items() if any(d)])
        except IntegrityError as exc:
            logger.warning("spm: %s", exc)
            # A counter would go below zero: it was not current (never built, or built for another day).
            # Refresh those posyandu-years the old way after commit rather than refuse the kader's records.
            logger.warning("spm: counters not current for posyandu %s; refreshing them", sorted(desa_of))
            for code, posyandu_id, year, month in deltas:
                feeds.touch(posyandu_id, dt.date(year, month, 1), (code,))
            return
        self.touched |= {k[1] for k in deltas}


def _upsert_counters(rows: list[tuple]) -> None:
    """Add ``(posyandu, desa, indicator, year, month, d_den, d_num, d_pending)`` to the counter cells."""
    now = timezone.now()
    keys = ("posyandu_id", "indicator", "year", "month")
    deltas = {(pid, code, year, month): d for pid, _desa, code, year, month, *d in rows}
    missing = set(deltas) - _add(Counter._meta.db_table, keys, deltas, extra=("computed_at", now))
    if missing:
        # Cells not there yet start at zero, then take the difference (an INSERT of the difference itself
        # would meet the numerator ≤ denominator constraint before it is added).
        desa_of = {row[0]: row[1] for row in rows}
        Counter.objects.bulk_create(
            [
                Counter(posyandu_id=pid, desa_code=desa_of[pid], indicator=code, year=year, month=month)
                for pid, code, year, month in missing
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
        _add(Counter._meta.db_table, keys, {key: deltas[key] for key in missing}, extra=("computed_at", now))
    if any(d[0] < 0 or d[2] < 0 for d in deltas.values()):
        # A cell back to nothing is no row, as after a rebuild.
        for chunk in _chunks(sorted({key[0] for key in deltas}), 500):
            Counter.objects.filter(posyandu_id__in=chunk, denominator=0, numerator=0, pending=0).delete()


def _upsert_regions(rows: list[tuple]) -> None:
    """Add ``(region, level, indicator, year, month, d_den, d_num, d_pending)`` to the region cells."""
    keys = ("region_code", "indicator", "year", "month")
    deltas = {(region, code, year, month): d for region, _level, code, year, month, *d in rows}
    missing = set(deltas) - _add(RegionCounter._meta.db_table, keys, deltas)
    if missing:
        level_of = {row[0]: row[1] for row in rows}
        RegionCounter.objects.bulk_create(
            [
                RegionCounter(
                    region_code=region, level=level_of[region], indicator=code, year=year, month=month
                )
                for region, code, year, month in missing
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
        _add(RegionCounter._meta.db_table, keys, {key: deltas[key] for key in missing})


def _add(
    table: str, keys: tuple[str, ...], deltas: dict[tuple, list[int]], extra: tuple | None = None
) -> set:
    """``UPDATE … FROM (VALUES …)``: denominator, numerator and pending += the deltas, a few hundred cells a
    statement, added in the database (concurrent batches of sibling posyandu sum up in the region rows).
    Returns the keys of the cells that were there to update."""
    q = connection.ops.quote_name
    table = q(table)
    integer_keys = {"posyandu_id", "year", "month"}
    placeholder = (
        "("
        + ", ".join(("CAST(%s AS INTEGER)" if k in integer_keys else "%s") for k in keys)
        + ", CAST(%s AS INTEGER), CAST(%s AS INTEGER), CAST(%s AS INTEGER))"
    )
    # VALUES columns are column1, column2, … on both PostgreSQL and SQLite.
    n = len(keys)
    setting = (
        f"denominator = {table}.denominator + v.column{n + 1}, numerator = {table}.numerator + "
        f"v.column{n + 2}, pending = {table}.pending + v.column{n + 3}"
    )
    params_extra: list = []
    if extra is not None:
        setting += f", {q(extra[0])} = %s"
        params_extra = [extra[1]]
    join = " AND ".join(f"{table}.{q(k)} = v.column{i}" for i, k in enumerate(keys, start=1))
    returning = ", ".join(f"{table}.{q(k)}" for k in keys)
    found: set = set()
    with connection.cursor() as cursor:
        for chunk in _chunks(list(deltas.items()), 300):
            values = ", ".join([placeholder] * len(chunk))
            cursor.execute(
                f"UPDATE {table} SET {setting} FROM (VALUES {values}) AS v WHERE {join} "  # noqa: S608
                f"RETURNING {returning}",
                [*params_extra, *(value for key, delta in chunk for value in (*key, *delta))],
            )
            found.update(tuple(row) for row in cursor.fetchall())
    return found


def _chunks(rows: list, size: int) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def current() -> Tally | None:
    return getattr(_state, "tally", None)


@contextlib.contextmanager
def tallying(*, today: dt.date | None = None, codes: Iterable[str] = CHILD) -> Iterator[Tally]:
    """The tally of this batch: the outer one when a caller already opened one (inner blocks only watch).

    Must run inside a transaction (the services are atomic): the counters move with the records.
    """
    outer = current()
    if outer is not None:
        try:
            yield outer
        except BaseException:
            # The inner block failed (its savepoint rolled back, perhaps redone another way): what it said it
            # inserted may not be there, so count after the insert from the tables again.
            outer.told = False
            raise
        return
    tally = _state.tally = Tally(codes=codes, today=today)
    try:
        yield tally
        tally.settle()
    finally:
        _state.tally = None
    if tally.touched and LISTENERS:
        transaction.on_commit(
            partial(
                _enqueue, sorted(tally.touched), tally.today.isoformat(), [i.code for i in tally.indicators]
            )
        )


def _enqueue(posyandu_ids: list[int], today: str, codes: list[str]) -> None:
    from simpul.spm.tasks import listeners_run as job

    job.enqueue(posyandu_ids, today, codes)


def listeners_run(posyandu_ids: frozenset[int], *, today: dt.date, codes: tuple[str, ...] = CHILD) -> None:
    """What a refresh hands its listeners (the kader's tasks, the early-warning rules), for these posyandu:
    this month's verdicts of the tallied indicators — the only ones a batch of child records can move."""
    if not LISTENERS or not posyandu_ids:
        return
    judged = list(engine.judge(posyandu_ids, today.year, today=today, months=[today.month], codes=codes))
    for listener in LISTENERS:
        listener(posyandu_ids, today.year, judged, today, codes=codes)
