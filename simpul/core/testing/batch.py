"""Comparing a batch write path with the single-record service it must equal (health and immunisation).

``outcome`` describes what a caller sees and what was stored — rows, audit entries, sync change-feed rows —
with record ids replaced by item positions, so two runs from the same state compare equal; ``reference``
runs the single path and rolls it back so the batch starts from the same state.
"""

from __future__ import annotations

from django.db import transaction

from simpul.audit.models import AuditEntry
from simpul.sync.models import SyncChange


def outcome(items, answers, *, model, columns, audit_action: str, feed_kind: str):
    position: dict[int, int] = {}  # record id -> the first item answered with it
    for i, (kind, value) in enumerate(answers):
        if kind == "ok":
            position.setdefault(value.pk, i)
    rows = {r["id"]: r for r in model.objects.filter(pk__in=position).values("id", "client_uuid", *columns)}
    seen = []
    for i, (kind, value) in enumerate(answers):
        if kind == "error":
            seen.append(("error", type(value).__name__, value.message, value.field_errors))
            continue
        row = {k: v for k, v in rows[value.pk].items() if k != "id"}
        if items[i].data.client_uuid is None:
            row["client_uuid"] = None  # the random id of an item sent without one
        first = position[value.pk]
        row["record"] = i if first == i else f"replay of item {first}"
        seen.append(("ok", row))
    audit = sorted((e.action, position[int(e.object_id)], e.region_code, e.actor_id, e.object_type,
                    sorted(e.changes.items())) for e in AuditEntry.objects.filter(
        action=audit_action, object_id__in=[str(pk) for pk in position]))
    feed = sorted((c.kind, position[c.object_id], c.posyandu_id, c.desa_code, c.prev_posyandu_id, c.prev_desa_code,
                   c.deleted) for c in SyncChange.objects.filter(kind=feed_kind, object_id__in=position))
    return seen, audit, feed


def reference(single, describe, user, items, now):
    """The single path's outcome, rolled back so the batch then starts from the same state."""
    with transaction.atomic():
        result = describe(items, single(user, items, now))
        transaction.set_rollback(True)
    return result
