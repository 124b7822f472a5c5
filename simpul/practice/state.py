"""Which practice workspace, if any, the code running now belongs to.

A context variable rather than a request attribute, because the code that must know (the outbound message
transports, the file storage) is called far from any request. It is set only inside
:func:`simpul.practice.workspace.practice_context`, and is per thread (and per asyncio task), like Django's
database connections.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from pathlib import Path

_current: contextvars.ContextVar[ActiveWorkspace | None] = contextvars.ContextVar(
    "simpul_practice", default=None
)


@dataclass(frozen=True)
class ActiveWorkspace:
    posyandu_id: int
    generation: int
    database: Path  # the workspace's SQLite file
    media: Path  # where uploads made in practice go


def current() -> ActiveWorkspace | None:
    return _current.get()


def active() -> bool:
    """True while a practice request (or the building of a workspace) runs in this thread."""
    return _current.get() is not None


def enter(workspace: ActiveWorkspace) -> contextvars.Token:
    return _current.set(workspace)


def leave(token: contextvars.Token) -> None:
    _current.reset(token)
