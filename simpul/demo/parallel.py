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
from dataclasses import dataclass
from itertools import groupby

import django
from django.conf import settings
from django.utils import translation

from simpul.demo.generate import DesaGenerator, DesaPlan
from simpul.demo.identity import BulkSealer, SerialBook
from simpul.demo.rows import RENDERERS, HouseholdRows


@dataclass(frozen=True)
class GenerationContext:
    """Everything a worker needs besides the plans; picklable."""

    seed: int
    now: object  # datetime
    seeder_id: int
    audit: bool
    vendor: str
    taken_nik: frozenset[str]
    taken_kk: frozenset[str]
    taken_provisional: frozenset[str]
    known_kecamatan: frozenset[str]

    def make(self):
        sealer = BulkSealer()
        generator = DesaGenerator(
            seed=self.seed, now=self.now, sealer=sealer, nik_book=SerialBook(sealer.nik_hash, self.taken_nik),
            kk_book=SerialBook(sealer.kk_hash, self.taken_kk), taken_provisional=self.taken_provisional,
            known_kecamatan=self.known_kecamatan,
        )
        return generator, RENDERERS[self.vendor](seeder_id=self.seeder_id, audit=self.audit)


def _rows_for(generator: DesaGenerator, renderer, plans: list[DesaPlan]) -> list[HouseholdRows]:
    rows: list[HouseholdRows] = []
    # Stored NIK warnings read the same whoever runs the seed: in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        for plan in plans:
            rows += renderer.households(generator.households(plan))
    return rows


_worker: tuple | None = None


def _init(context: GenerationContext) -> None:
    global _worker
    django.setup()  # a spawned worker starts with bare settings
    _worker = context.make()


def _work(plans: list[DesaPlan]) -> tuple[int, list[HouseholdRows]]:
    return len(plans), _rows_for(*_worker, plans)


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
                yield len(chunk), _rows_for(generator, renderer, chunk)
                chunk, planned = [], 0
        if chunk:
            yield len(chunk), _rows_for(generator, renderer, chunk)
        return
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(workers, initializer=_init, initargs=(context,)) as pool:
        yield from pool.imap(_work, by_kecamatan(plans))
