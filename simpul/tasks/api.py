"""/api/v1/tasks: the kader's tasks in the user's scope, and dismissing one with a reason.

``GET /tasks?status=open&indicator=kes.balita&limit=50&offset=0`` answers the tasks whose names the user may
see (same rule as the page); ``POST /tasks/{id}/dismiss`` with ``{"reason": "refused", "note": "...",
"on": "2026-11-20"}`` closes one. Errors are JSON with per-field messages in Bahasa Indonesia.
"""

from __future__ import annotations

from typing import Literal

from django.utils import timezone
from ninja import Router, Schema
from pydantic import ConfigDict

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.api.types import Day, Id, Offset
from simpul.audit.services import access_record
from simpul.core.errors import NotInScope
from simpul.tasks import access, selectors
from simpul.tasks.services import NOTE_MAX, task_dismiss

router = Router(tags=["tasks"])
LIMIT_MAX = 200


class TaskDismissIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Literal["moved", "deceased", "refused", "not_found", "other"]
    note: str = ""
    on: Day | None = None


def _require_list(scope) -> None:
    if not scope.can(Perm.VIEW_PERSON) or not access.may_list(scope):
        raise NotInScope()


@router.get("")
def task_list(request, status: str = "open", indicator: str = "", field: str = "", posyandu: Id | None = None,
              limit: Offset = 50, offset: Offset = 0):
    scope = request_scope(request)
    _require_list(scope)
    limit, offset = max(1, min(limit, LIMIT_MAX)), max(0, offset)
    tasks = selectors.tasks_visible(scope, status=status, indicator=indicator, field=field, posyandu_id=posyandu)
    count = tasks.count()
    rows = selectors.rows(tasks[offset:offset + limit], today=timezone.localdate())
    access_record(actor=request.user, action="api_read", object_type="tasks.list",
                  detail=f"api status={status} {indicator} {field} n={len(rows)}", request=request)
    return {"count": count, "limit": limit, "offset": offset, "items": [row.as_dict() for row in rows]}


@router.post("/{int:task_id}/dismiss")
def task_dismiss_api(request, task_id: Id, payload: TaskDismissIn):
    scope = request_scope(request)
    _require_list(scope)
    task = selectors.task_get(scope, task_id)
    task = task_dismiss(actor=request.user, scope=scope, task=task, reason=payload.reason,
                        note=payload.note[:NOTE_MAX + 1], on=payload.on)
    return selectors.rows([selectors.task_get(scope, task.pk)])[0].as_dict()
