"""Writing a columnar recompute: the posyandu counters and their region sums, from ``fastpath.Cells``.

Both are written in bulk: ``COPY`` on PostgreSQL (one text stream per table), ``bulk_create`` elsewhere. The
region counters of the rebuilt area (desa, kecamatan, kab/kota — every level at or below the area's code) are
summed in numpy from the cells just computed, so the database is not asked to read back and group the rows
it has just been sent (that ``INSERT … SELECT … GROUP BY`` per level cost more than the whole evaluation).
A region above the area (the province of a kab/kota) is summed again over all of its posyandu counters, in
SQL, since it also holds areas that were not rebuilt.
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


def counters_write(cells: Cells, desa_of: dict[int, str], year: int) -> None:
    """Insert one ``Counter`` per cell (the area's old counters are already deleted)."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        # The constant part of each line per posyandu and per indicator, so each line is one join.
        head = {pid: f"{pid}\t{desa}\t" for pid, desa in desa_of.items()}
        tail = f"\t{now.isoformat()}\n"
        lines = [
            f"{head[p]}{cells.codes[c]}\t{year}\t{m}\t{d}\t{n}\t{w}{tail}"
            for c, p, m, d, n, w in zip(
                cells.code.tolist(),
                cells.posyandu.tolist(),
                cells.month.tolist(),
                cells.den.tolist(),
                cells.num.tolist(),
                cells.pending.tolist(),
                strict=True,
            )
        ]
        _copy(
            Counter._meta.db_table,
            (
                "posyandu_id",
                "desa_code",
                "indicator",
                "year",
                "month",
                "denominator",
                "numerator",
                "pending",
                "computed_at",
            ),
            lines,
        )
        return
    Counter.objects.bulk_create(
        [
            Counter(
                posyandu_id=pid,
                desa_code=desa_of[pid],
                indicator=code,
                year=year,
                month=month,
                denominator=den,
                numerator=num,
                pending=pending,
                computed_at=now,
            )
            for (code, pid, month), (den, num, pending) in cells.as_counts().items()
        ],
        batch_size=2000,
    )


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


def regions_write(cells: Cells, desa_of: dict[int, str], year: int, region_prefix: str) -> None:
    """Insert the region counters of the area and re-sum the regions above it (their rows of the area are
    already deleted; the rows above are replaced here)."""
    rows: list[tuple[int, tuple]] = []
    for level, length in LEVELS:
        if length >= len(region_prefix):
            rows.extend((level, row) for row in region_sums(cells, desa_of, length))
        else:
            _sum_above(region_prefix[:length], level, year)
    if connection.vendor == "postgresql":
        _copy(
            RegionCounter._meta.db_table,
            ("region_code", "level", "indicator", "year", "month", "denominator", "numerator", "pending"),
            [
                f"{code}\t{level}\t{indicator}\t{year}\t{month}\t{den}\t{num}\t{pending}\n"
                for level, (code, indicator, month, den, num, pending) in rows
            ],
        )
        return
    RegionCounter.objects.bulk_create(
        [
            RegionCounter(
                region_code=code,
                level=level,
                indicator=indicator,
                year=year,
                month=month,
                denominator=den,
                numerator=num,
                pending=pending,
            )
            for level, (code, indicator, month, den, num, pending) in rows
        ],
        batch_size=2000,
    )


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
