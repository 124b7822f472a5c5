"""Keep the counters equal to what the records say.

``refresh`` recomputes the counters of a few posyandu for one year from their records (the engine), writes
the rows that changed and adds the same differences to every region above them, so region counters stay
sums of posyandu counters without re-reading the tree. ``rebuild`` does the same for a whole area at once,
set-based, for ``manage.py spm_recompute``. After a refresh, listeners (the kader's tasks) receive the
current month's verdicts, so they never evaluate the records a second time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from simpul.posyandu.models import Posyandu
from simpul.spm import engine
from simpul.spm.models import Counter, RegionCounter
from simpul.spm.periods import months_through

# Region levels by the length of their code: desa 10, kecamatan 6, kab/kota 4, province 2.
LEVELS = ((4, 10), (3, 6), (2, 4), (1, 2))

# listener(posyandu_ids, year, judged_this_month, today, codes=indicators judged)
Listener = Callable[..., None]
LISTENERS: list[Listener] = []


def on_refreshed(listener: Listener) -> Listener:
    """Register ``listener(posyandu_ids, year, judged_this_month, today, codes=...)``, called after every
    refresh and, per desa, during a rebuild; ``codes`` are the indicators that were judged."""
    LISTENERS.append(listener)
    return listener


def ancestors(desa_code: str) -> list[tuple[int, str]]:
    return [(level, desa_code[:length]) for level, length in LEVELS]


def refresh(posyandu_ids: Iterable[int], year: int, *, today: dt.date | None = None,
            codes: Iterable[str] | None = None, from_month: int = 1) -> int:
    """Recompute the counters of these posyandu for ``year`` (the months from ``from_month`` on: a record of
    September cannot change the year-to-date counters of August); returns how many counter cells changed."""
    today = today or timezone.localdate()
    desa_of = dict(Posyandu.objects.filter(pk__in=set(posyandu_ids)).values_list("pk", "desa_id"))
    ids = frozenset(desa_of)
    months = [month for month in months_through(year, today) if month >= from_month]
    if not ids or not months:
        return 0
    indicators = [i.code for i in engine.computed(codes)]
    counts: engine.Counts = {}
    current: list[engine.Judged] = []
    for judged in engine.judge(ids, year, today=today, months=months, codes=indicators):
        engine.add(counts, judged)
        if year == today.year and judged.month == today.month:
            current.append(judged)
    changed = _store(ids, desa_of, year, indicators, months, counts)
    for listener in LISTENERS:
        listener(ids, year, current, today, codes=tuple(indicators))
    return changed


@transaction.atomic
def _store(ids, desa_of, year, indicators, months, counts) -> int:
    existing = {(c.indicator, c.posyandu_id, c.month): c for c in Counter.objects.select_for_update().filter(
        posyandu_id__in=ids, year=year, indicator__in=indicators, month__in=months)}
    now = timezone.now()
    deltas: dict[tuple[str, str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    create, update, delete = [], [], []
    for key in set(existing) | set(counts):
        code, posyandu_id, month = key
        new = counts.get(key, [0, 0, 0])
        row = existing.get(key)
        old = [row.denominator, row.numerator, row.pending] if row else [0, 0, 0]
        if new == old:
            continue
        for _level, region in ancestors(desa_of[posyandu_id]):
            delta = deltas[(region, code, month)]
            for i in range(3):
                delta[i] += new[i] - old[i]
        if row is None:
            create.append(Counter(posyandu_id=posyandu_id, desa_code=desa_of[posyandu_id], indicator=code,
                                  year=year, month=month, denominator=new[0], numerator=new[1], pending=new[2],
                                  computed_at=now))
        elif new == [0, 0, 0]:
            delete.append(row.pk)
        else:
            row.denominator, row.numerator, row.pending, row.computed_at = *new, now
            update.append(row)
    Counter.objects.filter(pk__in=delete).delete()
    Counter.objects.bulk_update(update, ["denominator", "numerator", "pending", "computed_at"])
    Counter.objects.bulk_create(create)
    _add_to_regions(year, deltas)
    return len(create) + len(update) + len(delete)


def _add_to_regions(year: int, deltas: dict[tuple[str, str, int], list[int]]) -> None:
    level_of = {length: level for level, length in LEVELS}
    RegionCounter.objects.bulk_create(
        [RegionCounter(region_code=region, level=level_of[len(region)], indicator=code, year=year, month=month)
         for (region, code, month) in deltas], ignore_conflicts=True)
    for (region, code, month), (d_den, d_num, d_pending) in deltas.items():
        if d_den or d_num or d_pending:
            RegionCounter.objects.filter(region_code=region, indicator=code, year=year, month=month).update(
                denominator=F("denominator") + d_den, numerator=F("numerator") + d_num,
                pending=F("pending") + d_pending)


def rebuild(region_prefix: str, year: int, *, today: dt.date | None = None,
            progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild every counter under ``region_prefix`` for ``year`` from the records; returns posyandu done.

    Posyandu are evaluated a desa at a time (a desa's records fit easily in memory) and listeners hear each
    desa's current-month verdicts as after a refresh; region counters are then summed set-based from the
    posyandu counters, one grouped query per level.
    """
    today = today or timezone.localdate()
    months = list(months_through(year, today))
    by_desa: dict[str, list[int]] = defaultdict(list)
    for pk, desa in Posyandu.objects.filter(desa__code__startswith=region_prefix).values_list("pk", "desa_id"):
        by_desa[desa].append(pk)
    total = sum(len(v) for v in by_desa.values())
    done = 0
    with transaction.atomic():
        Counter.objects.filter(desa_code__startswith=region_prefix, year=year).delete()
        RegionCounter.objects.filter(region_code__startswith=region_prefix, year=year).delete()
        if not months:
            return 0
        now = timezone.now()
        everything = tuple(i.code for i in engine.computed())
        for desa, ids in sorted(by_desa.items()):
            counts: engine.Counts = {}
            current: list[engine.Judged] = []
            for judged in engine.judge(ids, year, today=today, months=months):
                engine.add(counts, judged)
                if year == today.year and judged.month == today.month:
                    current.append(judged)
            Counter.objects.bulk_create(
                [Counter(posyandu_id=pid, desa_code=desa, indicator=code, year=year, month=month,
                         denominator=den, numerator=num, pending=pending, computed_at=now)
                 for (code, pid, month), (den, num, pending) in counts.items()], batch_size=2000)
            for listener in LISTENERS:
                listener(frozenset(ids), year, current, today, codes=everything)
            done += len(ids)
            if progress:
                progress(done, total)
        _sum_regions(region_prefix, year)
    return done


def _sum_regions(region_prefix: str, year: int) -> None:
    """Region counters as sums of the posyandu counters: one INSERT … SELECT … GROUP BY per level, in the
    database (building the rows in Python cost more than the whole columnar recompute)."""
    counter, region = Counter._meta.db_table, RegionCounter._meta.db_table
    with connection.cursor() as cursor:
        for level, length in LEVELS:
            area = region_prefix
            if length < len(region_prefix):
                # A region above the rebuilt area: summed again over all of its children.
                area = region_prefix[:length]
                RegionCounter.objects.filter(region_code=area, year=year).delete()
            cursor.execute(
                f"INSERT INTO {region} (region_code, level, indicator, year, month, denominator, numerator, "  # noqa: S608
                f"pending) SELECT SUBSTR(desa_code, 1, %s), %s, indicator, year, month, SUM(denominator), "
                f"SUM(numerator), SUM(pending) FROM {counter} WHERE desa_code LIKE %s AND year = %s "
                f"GROUP BY SUBSTR(desa_code, 1, %s), indicator, year, month",
                [length, level, f"{area}%", year, length])
