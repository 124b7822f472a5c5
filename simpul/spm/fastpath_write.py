"""Writing a columnar recompute: the posyandu counters and their region sums, from ``fastpath.Cells``.

Both are written as differences: the stored rows of the rebuilt area are read (keys and values only), and
only the cells whose counted values changed are updated (one ``UPDATE … FROM unnest(…)`` on PostgreSQL),
the new ones inserted (``COPY`` on PostgreSQL, ``bulk_create`` elsewhere) and the ones no longer counted
deleted. A recompute after a small correction so writes a few rows instead of the whole area, and a counter's
``computed_at`` says when its values last changed, as the engine's refresh already kept it. The region
counters of the rebuilt area (desa, kecamatan, kab/kota — every level at or below the area's code) are
summed in numpy from the cells just computed, so the database is not asked to read back and group the rows
it has just been sent. A region above the area (the province of a kab/kota) is summed again over all of its
posyandu counters, in SQL, since it also holds areas that were not rebuilt.
"""

from __future__ import annotations

import numpy as np
from django.db import connection
from django.utils import timezone

from simpul.spm.counters import LEVELS
from simpul.spm.fastpath import Cells
from simpul.spm.models import Counter, RegionCounter


def _copy(table: str, columns: tuple[str, ...], lines: list[str]) -> None:
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        copy.write("".join(lines))


# The key of a cell within one year, and where the rows of an area are found, per table.
_KEYS = {Counter: ("posyandu_id", "indicator", "month"), RegionCounter: ("region_code", "indicator", "month")}
_PLACE = {Counter: "desa_code", RegionCounter: "region_code"}
_VALUES = ("denominator", "numerator", "pending")
# Above this share of changed rows the area's rows are replaced rather than updated (see ``_changes``).
REPLACE_SHARE = 0.25


def area_lock(region_prefix: str, year: int) -> None:
    """Lock the area's counter rows of ``year`` for the rebuild's transaction, before its records are read.

    A batch writing meanwhile (``spm.incremental``) adds its difference to these rows: it now waits for the
    rebuild to commit and then adds to the rebuilt values, which did not count its records — as it did when
    the rebuild deleted the rows first (the lock a delete takes). SQLite has one writer at a time anyway."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model, place in _PLACE.items():
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {model._meta.db_table} WHERE {place} LIKE %s "  # noqa: S608
                f"AND year = %s FOR UPDATE) AS locked",
                [f"{region_prefix}%", year],
            )


def _changes(model, region_prefix: str, year: int, cells: dict[tuple, tuple[int, int, int]], place_of=None):
    """Compare the area's stored rows with the cells just counted: (rows to update as (id, *values), keys of
    cells to insert, ids of rows to delete). ``place_of(key)``: the place column the row must have (a
    posyandu's desa); a row in another place is replaced. A cell equal to its row is left alone: a rebuild over counters
    the batches kept current writes next to nothing, where rewriting every row meant checking each new key
    against the row just deleted under it (most of a kabupaten's write)."""
    columns = ", ".join(("id", *_KEYS[model], _PLACE[model], *_VALUES))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {model._meta.db_table} WHERE {_PLACE[model]} LIKE %s AND year = %s",  # noqa: S608
            [f"{region_prefix}%", year],
        )
        stored = cursor.fetchall()
    changed, gone, seen = [], [], set()
    for pk, a, b, c, place, *values in stored:
        key = (a, b, c)
        new = cells.get(key)
        if new is None or key in seen or (place_of is not None and place != place_of(key)):
            gone.append(pk)
            continue
        elif tuple(values) != new:
            changed.append((pk, *new))
        seen.add(key)
    if len(changed) > len(stored) * REPLACE_SHARE:
        # Rewriting most of the area (a rule changed): an update rewrites every index entry of its row, so
        # deleting the area's rows and inserting them anew costs less.
        return [], list(cells), [row[0] for row in stored]
    return changed, [key for key in cells if key not in seen], gone


def _update(model, rows: list[tuple], now=None) -> None:
    """Set denominator, numerator, pending (and ``computed_at`` when given) of rows given as (id, d, n, p)."""
    table = model._meta.db_table
    setting = "denominator = v.column2, numerator = v.column3, pending = v.column4"
    extra = [now] if now else []
    if now:
        setting += ", computed_at = %s"
    if connection.vendor == "postgresql":
        # One statement, the four columns sent as arrays.
        sources = [("SELECT unnest(%s::bigint[]) AS column1, unnest(%s::bigint[]) AS column2, "
                    "unnest(%s::bigint[]) AS column3, unnest(%s::bigint[]) AS column4",
                    [list(column) for column in zip(*rows, strict=True)])]
    else:
        sources = [(f"VALUES {', '.join(['(%s, %s, %s, %s)'] * len(chunk))}", [v for row in chunk for v in row])
                   for chunk in (rows[start : start + 250] for start in range(0, len(rows), 250))]
    with connection.cursor() as cursor:
        for source, params in sources:
            cursor.execute(
                f"UPDATE {table} SET {setting} FROM ({source}) AS v WHERE {table}.id = v.column1",  # noqa: S608
                [*extra, *params],
            )


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """New rows given as tuples of ``columns``: one COPY on PostgreSQL (text lines, the fastest form for a
    kabupaten's 300 k cells), ``bulk_create`` elsewhere."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        line = "\t".join(["%s"] * len(columns)) + "\n"  # one C-level format a row
        _copy(model._meta.db_table, columns, [line % row for row in rows])
    else:
        model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=2000)


def _delete(model, ids: list[int]) -> None:
    """Delete rows by id: one ``DELETE … = ANY(array)`` on PostgreSQL, chunks of 1,000 elsewhere."""
    if not ids:
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DELETE FROM {table} WHERE id = ANY(%s::bigint[])", [ids])  # noqa: S608
            return
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk)  # noqa: S608


def counters_write(cells: Cells, desa_of: dict[int, str], year: int, region_prefix: str) -> int:
    """Make the area's ``Counter`` rows of ``year`` equal to ``cells``: changed rows updated, missing ones
    inserted, rows no cell has any more deleted. Returns how many rows were written."""
    now = timezone.now()
    counted = {
        (p, cells.codes[c], m): (d, n, w)
        for c, p, m, d, n, w in zip(
            cells.code.tolist(),
            cells.posyandu.tolist(),
            cells.month.tolist(),
            cells.den.tolist(),
            cells.num.tolist(),
            cells.pending.tolist(),
            strict=True,
        )
    }
    changed, added, gone = _changes(Counter, region_prefix, year, counted, place_of=lambda key: desa_of.get(key[0]))
    _delete(Counter, gone)
    if changed:
        _update(Counter, changed, now)
    stamp = now.isoformat()
    _insert(Counter, ("posyandu_id", "desa_code", "indicator", "year", "month", "denominator", "numerator",
                      "pending", "computed_at"),
            # ``now`` as text, formatted once (COPY and the model field both read it): per row it cost a second.
            [(pid, desa_of[pid], code, year, month, *counted[(pid, code, month)], stamp) for pid, code, month in added])
    return len(changed) + len(added) + len(gone)


def region_sums(
    cells: Cells, desa_of: dict[int, str], length: int
) -> list[tuple[str, str, int, int, int, int]]:
    """(region code, indicator, month, denominator, numerator, pending) summed over the cells per region whose
    code is the first ``length`` characters of the posyandu's desa code."""
    if not len(cells.code):
        return []
    pids = np.array(sorted(desa_of), dtype=np.int64)
    regions = sorted({desa[:length] for desa in desa_of.values()})
    region_of = np.array([regions.index(desa_of[int(pid)][:length]) for pid in pids], dtype=np.int64)
    region = region_of[np.searchsorted(pids, cells.posyandu)]
    key = (region * len(cells.codes) + cells.code) * 13 + cells.month
    keys, group = np.unique(key, return_inverse=True)
    sums = [
        np.bincount(group, weights=values, minlength=len(keys)).astype(np.int64)
        for values in (cells.den, cells.num, cells.pending)
    ]
    region_index, rest = np.divmod(keys, len(cells.codes) * 13)
    code, month = np.divmod(rest, 13)
    return [
        (regions[r], cells.codes[c], m, d, n, w)
        for r, c, m, d, n, w in zip(
            region_index.tolist(), code.tolist(), month.tolist(), *(s.tolist() for s in sums), strict=True
        )
    ]


def regions_write(cells: Cells, desa_of: dict[int, str], year: int, region_prefix: str) -> int:
    """Make the area's region counters (every level at or below the area's code) equal to the sums of
    ``cells``, as ``counters_write`` does for the posyandu rows, and re-sum the regions above the area.
    Returns how many rows of the area were written."""
    levels: dict[tuple, int] = {}
    summed: dict[tuple, tuple[int, int, int]] = {}
    for level, length in LEVELS:
        if length >= len(region_prefix):
            for code, indicator, month, den, num, pending in region_sums(cells, desa_of, length):
                summed[(code, indicator, month)] = (den, num, pending)
                levels[code] = level
        else:
            _sum_above(region_prefix[:length], level, year)
    changed, added, gone = _changes(RegionCounter, region_prefix, year, summed)
    _delete(RegionCounter, gone)
    if changed:
        _update(RegionCounter, changed)
    _insert(RegionCounter, ("region_code", "level", "indicator", "year", "month", "denominator", "numerator",
                            "pending"),
            [(code, levels[code], indicator, year, month, *summed[(code, indicator, month)])
             for code, indicator, month in added])
    return len(changed) + len(added) + len(gone)


def _sum_above(region: str, level: int, year: int) -> None:
    RegionCounter.objects.filter(region_code=region, year=year).delete()
    counter, table = Counter._meta.db_table, RegionCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (region_code, level, indicator, year, month, denominator, numerator, "  # noqa: S608
            f"pending) SELECT %s, %s, indicator, year, month, SUM(denominator), SUM(numerator), SUM(pending) "
            f"FROM {counter} WHERE desa_code LIKE %s AND year = %s GROUP BY indicator, year, month",
            [region, level, f"{region}%", year],
        )
