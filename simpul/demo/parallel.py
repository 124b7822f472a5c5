"""Generating and formatting residents on every core, one kecamatan per task.

Generation is pure Python (names, dates, AES-GCM, HMAC) at roughly 30 µs a
resident, the largest part of a big seed. The work splits cleanly by
kecamatan: each desa has its own random stream, and NIK/KK serials count per
kecamatan prefix, so a worker that gets whole kecamatan produces exactly what
one process would. Results come back in kecamatan order (``imap``), which keeps
primary keys deterministic too. Workers are *spawned*, not forked: a forked
child would share the parent's open database socket.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import groupby

from simpul.demo.generate import DesaPlan
from simpul.demo.rows import HouseholdRows
from simpul.demo.worker import GenerationContext, init, rows_for, work


def by_kecamatan(plans: list[DesaPlan]) -> list[list[DesaPlan]]:
    return [list(group) for _code, group in groupby(plans, key=lambda p: p.kecamatan_code)]


def default_workers(expected_people: int) -> int:
    """One process for small seeds (starting workers costs about a second); every core for big ones."""
    return 1 if expected_people < 50_000 else max(1, os.cpu_count() or 1)


def generate_rows(plans: list[DesaPlan], context: GenerationContext, *, workers: int = 1,
                  chunk_people: int = 20_000) -> Iterator[tuple[int, list[HouseholdRows]]]:
    """Yield (desa done in this chunk, rows), in plan order."""
    if workers <= 1:
        generator, renderer = context.make()
        chunk: list[DesaPlan] = []
        planned = 0
        for plan in plans:
            chunk.append(plan)
            planned += plan.households * 3
            if planned >= chunk_people:
                yield len(chunk), rows_for(generator, renderer, chunk)
                chunk, planned = [], 0
        if chunk:
            yield len(chunk), rows_for(generator, renderer, chunk)
        return
    # An executor, not a Pool: a worker that fails to start breaks it with an error instead of respawning forever.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=init,
                             initargs=(context,)) as pool:
        yield from pool.map(work, by_kecamatan(plans))
