"""A columnar recompute of the SPM counters for a whole area: the same cells as ``engine.count``, in seconds.

``counters.rebuild`` asks every rule about every unit, month by month, in Python: exact and simple, about
60-100 µs per verdict, so a kabupaten of 1.3 M residents × 12 months takes minutes. Here a rule that has a
*vector form* is evaluated for every resident and month at once with numpy over a few integer columns read
straight from the database (dates as day numbers), and summed per posyandu and month with ``bincount``. A
rule without a vector form is still evaluated by the engine, desa by desa, so the result is always complete.

Every vector form must give exactly ``engine.count``'s cells: ``simpul/spm/tests/test_fastpath.py`` compares
them on generated records for each rule covered here. Semantics followed (``simpul.spm.data``):

- a resident is someone with a residence in one of the area's posyandu overlapping the year (up to
  ``min(31 Dec, today)``), not marked a duplicate; someone no longer alive is gone from their life-status
  date (or the year's end when it is missing);
- on each month's "as of" day a resident counts at the posyandu of the stay covering that day — evaluated
  per desa like the engine, so overlapping stays in two desa count in both, and within a desa the stay that
  started first wins.

Records are read once per area (the stays with each person's dates, household and education in one query;
each record table grouped per person) and matched to resident rows by person id in numpy, not joined to the
stays in SQL. The cells stay columns (``Cells``) up to ``fastpath_write``, which COPYs the posyandu counters
and the region sums computed from the same columns (docs/decisions/0023). Listeners of
``counters.on_refreshed`` are *not* called (they want verdicts, which a vector form does not produce).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from simpul.core import snapshot_readers
from simpul.posyandu.models import Posyandu
from simpul.registry.models import Residence
from simpul.spm import catalogue, engine
from simpul.spm.models import Counter, RegionCounter
from simpul.spm.periods import months_through

EPOCH = dt.date(1970, 1, 1)
NEVER = 2**31 - 1  # a day number after every real date
PEOPLE_LISTED = 20_000  # up to this many residents, record queries name them (``Area.people_filter``)


def _day(value: dt.date) -> int:
    return (value - EPOCH).days


def _days_sql(column: str) -> str:
    """A date column as days since 1970-01-01, in this database's dialect."""
    if connection.vendor == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def _big(expression: str) -> str:
    """Integers as int8, so that binary COPY gives fixed-width rows (PostgreSQL); unchanged elsewhere."""
    return f"({expression})::bigint" if connection.vendor == "postgresql" else expression


def _ints(sql: str, columns: int) -> np.ndarray:
    """Run a query whose columns are all non-null integers; an (n, columns) int64 array.

    Queries here are built from integers, dates and table names only (no user input), hence the f-strings.

    On PostgreSQL through binary COPY, parsed by numpy as fixed-width rows (no Python object per value).
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql)
            rows = cursor.fetchall()
        return np.array(rows, dtype=np.int64).reshape(-1, columns)
    buffer = io.BytesIO()
    raw = connection.connection
    with raw.cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT binary)") as copy:
        for chunk in copy:
            buffer.write(chunk)
    data = buffer.getbuffer()
    header = 19 + int.from_bytes(data[15:19], "big")  # signature, flags, header extension
    # Each tuple: int16 field count, then per field int32 length + int64 value (the SQL casts to bigint).
    row = np.dtype([("n", ">i2")] + [item for i in range(columns) for item in ((f"l{i}", ">i4"), (f"v{i}", ">i8"))])
    body = data[header:len(data) - 2]  # without the -1 trailer
    records = np.frombuffer(body, dtype=row)
    return np.stack([records[f"v{i}"].astype(np.int64) for i in range(columns)], axis=1) if len(records) else \
        np.zeros((0, columns), dtype=np.int64)


@dataclass(frozen=True)
class Added:
    """Records a batch has just inserted, as the vector forms read them (``fastpath_health.records_added``):
    measurements as (person id, day, has a weight, has a length/height), doses as (person id, dose, day)."""

    measured: tuple[tuple[int, dt.date, bool, bool], ...] = ()
    doses: tuple[tuple[int, str, dt.date], ...] = ()


@dataclass
class Area:
    """The residents of an area's posyandu for one year, as columns; one row per (stay, person)."""

    year: int
    today: dt.date
    posyandu_ids: np.ndarray  # sorted posyandu ids of the area
    desa_of: dict[int, str]
    person: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    posyandu: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # index into posyandu_ids
    desa: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # index of the posyandu's desa
    start: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    end: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    birth: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    birth_md: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # month * 100 + day
    birth_year: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    gone: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    # The stay's household (else the person's current one; 0 for none) and the education status code
    # (``fastpath_other``): read with the stays, so the rows are read once for every rule.
    household: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    education: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    _cache: dict = field(default_factory=dict)
    # One lock per cached name: forms may run in several threads (``cells`` with readers), and a record table
    # is then still read once. Loaders only ask for names below their own, so the locks cannot deadlock.
    _locks: dict = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def last_day(self) -> dt.date:
        return min(dt.date(self.year, 12, 31), self.today)

    def cached(self, name, loader: Callable[[Area], object]):
        if name in self._cache:
            return self._cache[name]
        with self._guard:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            if name not in self._cache:
                self._cache[name] = loader(self)
        return self._cache[name]

    def forget_records(self) -> None:
        """Drop what was read from record tables (the residents stay): to count again after records changed."""
        for key in self.records_read():
            del self._cache[key]

    def records_read(self) -> dict:
        """What was read from record tables so far, by cache name (not what is about the residents only)."""
        return {key: value for key, value in self._cache.items() if not self.keeps(key)}

    @staticmethod
    def keeps(key) -> bool:
        """Whether a cache entry is about the residents only (kept when records change)."""
        return key in ("people", "several") or (isinstance(key, tuple) and key[0] == "present")

    def people_filter(self, column: str, rows: np.ndarray | None = None) -> str:
        """SQL condition on ``column`` (a person id) that keeps at least the area's residents (of ``rows`` only,
        when given: an index array or mask over the resident rows).

        Records are read with it and matched to resident rows by person id in numpy, so records of anyone
        else are never used; joining them to the stays in SQL gave the same rows and cost the database more
        than everything else of a recompute. A small area (a desa's unserved list) names its people; a large
        one (a kab/kota's rebuild) gives the range of their ids, which is cheaper to test than a list of
        a million."""
        people = self._people(rows)
        if not len(people):
            return "1 = 0"
        if len(people) <= PEOPLE_LISTED:
            return f"{column} IN ({', '.join(map(str, people.tolist()))})"
        return f"{column} BETWEEN {int(people[0])} AND {int(people[-1])}"

    def names_people(self, rows: np.ndarray | None = None) -> bool:
        """Whether ``people_filter`` names each person (rather than a range that also takes in others)."""
        return 0 < len(self._people(rows)) <= PEOPLE_LISTED

    def _people(self, rows: np.ndarray | None) -> np.ndarray:
        if rows is None:
            return self.cached("people", lambda area: np.unique(area.person))
        return np.unique(self.person[rows])

    def _ids_sql(self) -> str:
        return ", ".join(str(int(pk)) for pk in self.posyandu_ids) or "NULL"

    def present(self, as_of: dt.date) -> np.ndarray:
        """Row mask: the stay that places each resident on ``as_of`` (alive, born, living there)."""
        return self.cached(("present", as_of), lambda area: _present(area, as_of))

    def age_years(self, as_of: dt.date) -> np.ndarray:
        return as_of.year - self.birth_year - (self.birth_md > as_of.month * 100 + as_of.day)


def _present(area: Area, as_of: dt.date) -> np.ndarray:
    day = _day(as_of)
    mask = (area.start <= day) & (area.end >= day) & (area.birth <= day) & (area.gone > day)
    # Within one desa the engine takes the stay that started first; rows are sorted that way. Only the rows of
    # people with several stays in one desa can be a second one.
    rows = np.flatnonzero(mask & area.cached("several", _several))
    if len(rows):
        pairs = area.person[rows] * 1_000_000 + area.desa[rows]
        _unique, first = np.unique(pairs, return_index=True)
        later = np.ones(len(rows), dtype=bool)
        later[first] = False
        mask[rows[later]] = False
    return mask


def _several(area: Area) -> np.ndarray:
    """Row mask: the person has another row in the same desa."""
    if not len(area.person):
        return np.zeros(0, dtype=bool)
    _unique, inverse, counts = np.unique(area.person * 1_000_000 + area.desa, return_inverse=True,
                                         return_counts=True)
    return counts[inverse.reshape(-1)] > 1


def area_load(posyandu_ids: Iterable[int], year: int, *, today: dt.date) -> Area:
    """The residents of these posyandu in ``year``."""
    return _load(set(posyandu_ids), year, today=today)


def people_load(person_ids: Iterable[int], year: int, *, today: dt.date) -> Area:
    """These people with all their stays of ``year``, wherever they lived (the rows a rule judging a person
    from their own records needs: ``spm.incremental``); the area's posyandu are those of their stays."""
    people = sorted(set(person_ids))
    if not people:
        return _load(set(), year, today=today)
    listed = ", ".join(map(str, people))
    posyandu = set(Residence.objects.filter(person_id__any=people).values_list("posyandu_id", flat=True).distinct())
    return _load(posyandu, year, today=today, where=f"r.person_id IN ({listed})")


def _load(posyandu_ids: set[int], year: int, *, today: dt.date, where: str = "") -> Area:
    desa_of = dict(Posyandu.objects.filter(pk__in=posyandu_ids).values_list("pk", "desa_id"))
    ids = np.array(sorted(desa_of), dtype=np.int64)
    area = Area(year=year, today=today, posyandu_ids=ids, desa_of=desa_of)
    if not len(ids):
        return area
    last = area.last_day
    from simpul.spm.fastpath_other import education_sql

    columns = ", ".join([
        _big("r.person_id"), _big("r.posyandu_id"), _big(_days_sql("r.start_date")),
        _big(f"COALESCE({_days_sql('r.end_date')}, {NEVER})"), _big(_days_sql("p.birth_date")),
        _big(f"CASE WHEN p.life_status <> 'alive' THEN COALESCE({_days_sql('p.life_status_date')}, "
             f"{_day(last)}) ELSE {NEVER} END"),
        _big("COALESCE(r.household_id, p.household_id, 0)"), _big(education_sql("p.education_status")),
    ])
    # Ordered by id last as well: which of two stays starting the same day is "first" is then known, and
    # the household read with each row follows it (``fastpath_other``).
    rows = _ints(
        f"SELECT {columns} FROM registry_residence r JOIN registry_person p ON p.id = r.person_id "  # noqa: S608
        f"WHERE r.posyandu_id IN ({area._ids_sql()}) AND r.start_date <= '{last}' "
        f"AND (r.end_date IS NULL OR r.end_date >= '{area.first_day}') AND p.duplicate_of_id IS NULL "
        f"{'AND ' + where if where else ''} ORDER BY r.person_id, r.start_date, r.id",
        8,
    )
    area.person, posyandu, area.start, area.end, area.birth, area.gone, area.household, area.education = rows.T
    area.posyandu = np.searchsorted(ids, posyandu)
    desa_codes = sorted(set(desa_of.values()))
    desa_index = np.array([desa_codes.index(desa_of[int(pk)]) for pk in ids], dtype=np.int64)
    area.desa = desa_index[area.posyandu]
    births = (area.birth.astype("datetime64[D]"))
    area.birth_year = births.astype("datetime64[Y]").astype(np.int64) + 1970
    month_starts = births.astype("datetime64[M]")
    area.birth_md = ((month_starts.astype(np.int64) % 12) + 1) * 100 + (births - month_starts).astype(np.int64) + 1
    return area


# --- Vector forms of rules ---------------------------------------------------------------------------------

def _first_screening(area: Area) -> np.ndarray:
    """Per row: the day of the resident's first valid screening in the year (NEVER when none)."""
    rows = _ints(
        f"SELECT {_big('s.person_id')}, {_big('MIN(' + _days_sql('s.screened_on') + ')')} "  # noqa: S608
        f"FROM screening_screening s WHERE s.superseded_by_id IS NULL AND s.screened_on >= '{area.first_day}' "
        f"AND s.screened_on <= '{area.last_day}' AND {area.people_filter('s.person_id')} GROUP BY s.person_id",
        2,
    )
    result = np.full(len(area.person), NEVER, dtype=np.int64)
    if len(rows):
        order = np.argsort(rows[:, 0])
        people, first = rows[order, 0], rows[order, 1]
        at = np.clip(np.searchsorted(people, area.person), 0, len(people) - 1)
        found = people[at] == area.person
        result[found] = first[at[found]]
    return result


def screened_in_year(area: Area, indicator: catalogue.Indicator, as_of: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """(in the sasaran, served) row masks; see ``rules/screening.py``."""
    low, high = indicator.params["min_years"], indicator.params.get("max_years")
    age = area.age_years(as_of)
    sasaran = area.present(as_of) & (age >= low)
    if high is not None:
        sasaran &= age <= high
    served = sasaran & (area.cached("first_screening", _first_screening) <= _day(as_of))
    return sasaran, served


@dataclass
class Units:
    """What a vector form over units other than resident rows returns (households, pregnancies, referrals):
    for every unit in the sasaran on the day, the index of its posyandu in ``Area.posyandu_ids``, whether it
    is served, and whether it is pending (outside the denominator, counted beside it)."""

    posyandu: np.ndarray
    served: np.ndarray
    pending: np.ndarray | None = None


# A form returns (sasaran, served) masks over the area's resident rows, or Units.
VectorForm = Callable[[Area, catalogue.Indicator, dt.date], "tuple[np.ndarray, np.ndarray] | Units"]
VECTOR_RULES: dict[str, VectorForm] = {
    "screened_in_year": screened_in_year,
}


# Roughly how long each form's record reads take (seconds at Bojonegoro scale 1, decision 0023): with readers,
# the slowest start first, so that no long read is left to run alone at the end.
READ_COST: dict[str, float] = {"screened_in_year": 1.0}


def vector(rule_name: str, *, read_cost: float = 0.0) -> Callable[[VectorForm], VectorForm]:
    """Register the vector form of an engine rule (modules ``fastpath_*``; each with its equality test)."""
    def register(form: VectorForm) -> VectorForm:
        VECTOR_RULES[rule_name] = form
        READ_COST[rule_name] = read_cost
        return form
    return register


def covered(codes: Iterable[str] | None = None) -> tuple[list[catalogue.Indicator], list[catalogue.Indicator]]:
    """(indicators with a vector form, indicators the engine must evaluate) among the registered ones."""
    indicators = engine.computed(codes)
    return ([i for i in indicators if i.rule in VECTOR_RULES], [i for i in indicators if i.rule not in VECTOR_RULES])


@dataclass
class Cells:
    """Counter cells as columns: one entry per (indicator, posyandu, month) with someone in the sasaran or
    pending; ``code`` indexes ``codes``."""

    codes: list[str]
    code: np.ndarray
    posyandu: np.ndarray  # posyandu id
    month: np.ndarray
    den: np.ndarray
    num: np.ndarray
    pending: np.ndarray

    @classmethod
    def of(cls, totals: engine.Counts) -> Cells:
        """The engine's ``Counts`` as columns."""
        codes = sorted({code for code, _pid, _month in totals})
        index = {code: i for i, code in enumerate(codes)}
        rows = np.array([(index[code], pid, month, *values) for (code, pid, month), values in totals.items()],
                        dtype=np.int64).reshape(-1, 6)
        return cls(codes, *rows.T)

    def __add__(self, other: Cells) -> Cells:
        codes = sorted(set(self.codes) | set(other.codes))
        mine = np.array([codes.index(c) for c in self.codes] or [0], dtype=np.int64)
        theirs = np.array([codes.index(c) for c in other.codes] or [0], dtype=np.int64)
        return Cells(codes, np.concatenate([mine[self.code], theirs[other.code]]),
                     *(np.concatenate([getattr(self, name), getattr(other, name)])
                       for name in ("posyandu", "month", "den", "num", "pending")))

    def as_counts(self) -> engine.Counts:
        return {(self.codes[c], p, m): [d, n, w] for c, p, m, d, n, w in zip(
            self.code.tolist(), self.posyandu.tolist(), self.month.tolist(), self.den.tolist(), self.num.tolist(),
            self.pending.tolist(), strict=True)}


def cells(area: Area, indicators: list[catalogue.Indicator], months: list[int], *, readers: int = 0) -> Cells:
    """Evaluate the vector forms of ``indicators`` for ``months``; the posyandu sums as ``Cells``.

    ``readers`` > 0: the indicators are evaluated on that many threads reading this transaction's snapshot
    (``core.snapshot_readers``; the caller checks they are available), so several record tables are scanned
    by the database at once. The cells are the same either way.
    """
    size = len(area.posyandu_ids)
    # [indicator, month, den/num/pending, posyandu]: small (21 × 12 × 3 × posyandu), filled by bincount; each
    # indicator fills its own slice, so threads never write the same cells.
    table = np.zeros((len(indicators), len(months), 3, size), dtype=np.int64)

    def evaluate(i: int, indicator: catalogue.Indicator) -> None:
        form = VECTOR_RULES[indicator.rule]
        for j, month in enumerate(months):
            result = form(area, indicator, engine.as_of_day(area.year, month, area.today))
            if isinstance(result, Units):
                pending = result.pending if result.pending is not None else np.zeros(len(result.posyandu), bool)
                counted = result.posyandu[~pending]
                table[i, j, 0] = np.bincount(counted, minlength=size)
                table[i, j, 1] = np.bincount(counted[result.served[~pending]], minlength=size)
                table[i, j, 2] = np.bincount(result.posyandu[pending], minlength=size)
            else:
                sasaran, served = result
                table[i, j, 0] = np.bincount(area.posyandu[sasaran], minlength=size)
                table[i, j, 1] = np.bincount(area.posyandu[served], minlength=size)

    order = sorted(range(len(indicators)), key=lambda i: -READ_COST.get(indicators[i].rule, 0.0))
    tasks = [partial(evaluate, i, indicators[i]) for i in order]
    if readers > 0:
        snapshot_readers.run(tasks, workers=readers)
    else:
        for task in tasks:
            task()
    code, month, posyandu = np.nonzero(table[:, :, 0] + table[:, :, 2])
    return Cells([i.code for i in indicators], code, area.posyandu_ids[posyandu],
                 np.asarray(months, dtype=np.int64)[month], *(table[code, month, k, posyandu] for k in range(3)))


def count(posyandu_ids: Iterable[int], year: int, *, today: dt.date, months: Iterable[int] | None = None,
          codes: Iterable[str] | None = None, area: Area | None = None) -> engine.Counts:
    """``engine.count`` for the indicators with a vector form (the others are left out)."""
    vector, _rest = covered(codes)
    months = list(months) if months is not None else list(months_through(year, today))
    area = area or area_load(posyandu_ids, year, today=today)
    return cells(area, vector, months).as_counts()


@dataclass
class RebuildResult:
    posyandu: int
    cells: int
    vector_codes: list[str]
    engine_codes: list[str]
    seconds: dict[str, float]
    readers: int = 0  # threads that evaluated the indicators (0: this thread)
    written: int = 0  # counter rows updated, inserted or deleted (the others already held the counted values)


def readers_default() -> int:
    """Threads reading record tables during a rebuild: one per core, at most four (the database needs cores
    too, and beyond that the tables of one area are few)."""
    return min(4, os.cpu_count() or 1)


def rebuild(region_prefix: str, year: int, *, today: dt.date | None = None, readers: int | None = None
            ) -> RebuildResult:
    """``counters.rebuild`` with the vector forms: lock, count, write the posyandu counters, sum the regions.

    Run outside any transaction on PostgreSQL, the indicators are evaluated by ``readers`` threads (default
    ``readers_default()``) that read the rebuild's own snapshot on their own connections (decision 0023);
    inside another transaction, or on SQLite, in this thread only.
    """
    if not region_prefix.isdigit():
        raise ValueError("region_prefix is a Kemendagri code without dots")
    today = today or timezone.localdate()
    months = list(months_through(year, today))
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    by_desa: dict[str, list[int]] = {}
    for pk, desa in Posyandu.objects.filter(desa__code__startswith=region_prefix).values_list("pk", "desa_id"):
        by_desa.setdefault(desa, []).append(pk)
    ids = [pk for pks in by_desa.values() for pk in pks]
    vector, rest = covered()
    parallel = snapshot_readers.available(outermost=not connection.in_atomic_block)
    readers = (readers_default() if readers is None else readers) if parallel else 0
    with transaction.atomic():
        fastpath_write.area_lock(region_prefix, year)
        seconds["lock"] = time.perf_counter() - clock
        if not months or not ids:
            # Nothing to count: the area's counters of the year are gone (as a count of nothing leaves them).
            Counter.objects.filter(desa_code__startswith=region_prefix, year=year).delete()
            RegionCounter.objects.filter(region_code__startswith=region_prefix, year=year).delete()
            return RebuildResult(0, 0, [], [], seconds)
        mark = time.perf_counter()
        area = area_load(ids, year, today=today)
        seconds["load"] = time.perf_counter() - mark
        mark = time.perf_counter()
        found = cells(area, vector, months, readers=readers if readers > 1 else 0)
        seconds["vector"] = time.perf_counter() - mark
        mark = time.perf_counter()
        if rest:
            for _desa, pks in sorted(by_desa.items()):
                found += Cells.of(engine.count(pks, year, today=today, months=months, codes=[i.code for i in rest]))
        seconds["engine"] = time.perf_counter() - mark
        mark = time.perf_counter()
        written = fastpath_write.counters_write(found, area.desa_of, year, region_prefix)
        seconds["write"] = time.perf_counter() - mark
        mark = time.perf_counter()
        written += fastpath_write.regions_write(found, area.desa_of, year, region_prefix)
        seconds["regions"] = time.perf_counter() - mark
    seconds["total"] = time.perf_counter() - clock
    return RebuildResult(len(ids), len(found.code), [i.code for i in vector], [i.code for i in rest], seconds,
                         readers, written)


# Vector forms of the other rules register themselves through ``vector`` (imported last: they use Area).
from simpul.spm import fastpath_health, fastpath_other, fastpath_write  # noqa: E402,F401
