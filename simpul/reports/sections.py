"""The monthly posyandu report is made of sections; each health app contributes its own.

A section builder takes a posyandu and a month (first day) and returns a ``Section``: a title, column
headings and rows of integers. The report app knows nothing about pregnancies or screenings; the app
that owns the data registers its builder in its ``AppConfig.ready`` with ``register``. Because every
value is an integer count keyed by row and column, desa, kecamatan and kab/kota summaries are the sums
of the posyandu sections, and a submitted (locked) report stores its sections as they were.

Builders are called after the report service has checked the caller's scope for the posyandu; they
read the posyandu's own records for that month, nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    key: str  # stable, e.g. "pregnant_kek"; summaries add rows with the same key
    label: str  # translated
    values: tuple[int, ...]  # one per column


@dataclass(frozen=True)
class Section:
    key: str
    title: str  # translated
    columns: tuple[str, ...]  # translated headings
    rows: tuple[Row, ...]


SectionBuilder = Callable[["object", dt.date], Section]  # (Posyandu, month) -> Section


@dataclass(frozen=True)
class _Registered:
    key: str
    order: int
    builder: SectionBuilder


_REGISTRY: dict[str, _Registered] = {}


def register(key: str, builder: SectionBuilder, *, order: int) -> None:
    """Add a section to every monthly report; ``order`` places it (SKDN is 10, nutrition 20)."""
    _REGISTRY[key] = _Registered(key=key, order=order, builder=builder)


def registered() -> list[_Registered]:
    return sorted(_REGISTRY.values(), key=lambda item: (item.order, item.key))


def unregister(key: str) -> None:
    """Remove a section (tests that register a section of their own clean up with this)."""
    _REGISTRY.pop(key, None)
