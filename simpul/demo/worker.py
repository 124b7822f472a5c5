"""The part of the parallel generator that a spawned worker process imports first.

A spawned worker unpickles its task before Django is set up, so this module
and :class:`GenerationContext` import nothing that defines models; the rest is
imported inside the functions, after ``django.setup()``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class GenerationContext:
    """Everything needed to generate rows besides the desa plans; small and picklable."""

    seed: int
    now: dt.datetime
    seeder_id: int
    audit: bool
    vendor: str
    taken_nik: frozenset[str]
    taken_kk: frozenset[str]
    taken_provisional: frozenset[str]
    known_kecamatan: frozenset[str]

    def make(self):
        from simpul.demo.generate import DesaGenerator
        from simpul.demo.identity import BulkSealer, SerialBook
        from simpul.demo.rows import RENDERERS

        sealer = BulkSealer()
        generator = DesaGenerator(
            seed=self.seed, now=self.now, sealer=sealer, nik_book=SerialBook(sealer.nik_hash, self.taken_nik),
            kk_book=SerialBook(sealer.kk_hash, self.taken_kk), taken_provisional=self.taken_provisional,
            known_kecamatan=self.known_kecamatan,
        )
        return generator, RENDERERS[self.vendor](seeder_id=self.seeder_id, audit=self.audit)


def rows_for(generator, renderer, plans) -> list:
    """Generate and format the households of ``plans``, in order."""
    from django.conf import settings
    from django.utils import translation

    rows: list = []
    # Stored NIK warnings read the same whoever runs the seed: in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        for plan in plans:
            rows += renderer.households(generator.households(plan))
    return rows


_state: tuple | None = None


def init(context: GenerationContext) -> None:
    global _state
    import django

    django.setup()  # a spawned worker starts with bare settings
    _state = context.make()


def work(plans) -> tuple[int, list]:
    return len(plans), rows_for(*_state, plans)
