"""The audit entries and change-feed rows of records a batch service wrote by COPY (which sends no signal).

One audit entry per record, as ``audit.services.audit_record`` writes it on the single path, and one
``SyncChange`` per record, as the ``post_save`` signal of ``sync.changelog`` writes it: each set in one COPY
(``core.copy``), the rows built as tuples. Decision 0025 says why one entry per record and not per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db.models import Model
from django.utils import timezone

from simpul.audit.models import AuditEntry
from simpul.audit.services import _clean as _audit_changes
from simpul.core import copy
from simpul.sync.models import SyncChange

AUDIT_COLUMNS = ("actor_id", "action", "object_type", "object_id", "region_code", "changes", "at")
FEED_COLUMNS = (
    "txid",
    "kind",
    "object_id",
    "posyandu_id",
    "desa_code",
    "prev_posyandu_id",
    "prev_desa_code",
    "deleted",
    "changed_at",
)


def records_logged(
    rows: Sequence[Model], *, actor, action: str, kind: str, changes: Callable[[Model], dict]
) -> None:
    """Audit entries (``changes(row)`` as the single path records them) and feed rows for new ``rows``,
    which carry ``desa_id`` and ``posyandu_id``."""
    if not rows:
        return
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    label = type(rows[0])._meta.label_lower
    copy.insert_values(
        AuditEntry,
        AUDIT_COLUMNS,
        [
            (actor_id, action, label, str(row.pk), row.desa_id, _audit_changes(changes(row)), now)
            for row in rows
        ],
    )
    txid = copy.transaction_id()
    copy.insert_values(
        SyncChange,
        FEED_COLUMNS,
        [(txid, kind, row.pk, row.posyandu_id, row.desa_id or "", None, "", False, now) for row in rows],
    )
