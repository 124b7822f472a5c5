"""Background work of the SPM counters. Tasks take ids, not objects (the rows may change before they run)."""

import datetime as dt

from django_tasks import task


@task()
def listeners_run(posyandu_ids: list[int], today: str, codes: list[str]) -> int:
    """The kader's tasks and the early-warning rules of posyandu whose counters a batch moved
    (``spm.incremental``): judged once the batch is committed, off the kader's request; returns posyandu."""
    from simpul.spm import incremental

    incremental.listeners_run(frozenset(posyandu_ids), today=dt.date.fromisoformat(today), codes=tuple(codes))
    return len(posyandu_ids)
