"""The practice workspace of a posyandu: an SQLite file, and the switch that sends a request's work into it.

Every workspace starts as a copy of a *template*: an empty SQLite file migrated once per set of migrations
(migrating is slow, copying a few megabytes is not). The file is named after the posyandu and its
generation (``posyandu-12-g3.sqlite3``); a reset makes generation 4 beside it and deletes generation 3, so a
request still reading the old file never sees a half-written new one.

:func:`practice_context` is the switch. Django keeps one connection object per alias *per thread*, and
``django.db.connection`` is only a proxy to ``connections["default"]``; putting the workspace's connection
there sends the ORM, raw ``connection.cursor()`` SQL, transactions and their ``on_commit`` callbacks into
the file. The same is done for the other process-wide services a request can reach: the task backend
(tasks run inline inside the file, a worker would never see them), the cache (a key prefix per
workspace), file storage (see :mod:`simpul.practice.storage`) and the outbound message transports (they
check :func:`simpul.practice.state.active`). The connection is never put in ``settings.DATABASES``, so no
code can reach it by alias, and the file is SQLite even when production runs PostgreSQL: a practice write
cannot land in a production table.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend

from simpul.practice import state

ENGINE = "django.db.backends.sqlite3"


def root() -> Path:
    return Path(settings.SIMPUL_PRACTICE_DIR)


def database_path(posyandu_id: int, generation: int) -> Path:
    return root() / f"posyandu-{posyandu_id}-g{generation}.sqlite3"


def media_path(posyandu_id: int, generation: int) -> Path:
    return root() / f"posyandu-{posyandu_id}-g{generation}-media"


def active_workspace(posyandu_id: int, generation: int) -> state.ActiveWorkspace:
    return state.ActiveWorkspace(
        posyandu_id=posyandu_id,
        generation=generation,
        database=database_path(posyandu_id, generation),
        media=media_path(posyandu_id, generation),
    )


def open_connection(path: Path):
    """A Django connection to one SQLite file, outside ``settings.DATABASES``, under the alias "default"."""
    settings_dict = {
        "ENGINE": ENGINE,
        "NAME": str(path),
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        # Two kader of one posyandu may practise at once: wait for the other's write instead of failing.
        "OPTIONS": {"init_command": "PRAGMA busy_timeout=5000;", "transaction_mode": "IMMEDIATE"},
        "TEST": {"CHARSET": None, "COLLATION": None, "MIGRATE": True, "MIRROR": None, "NAME": None},
    }
    backend = load_backend(ENGINE)
    return backend.DatabaseWrapper(settings_dict, alias=DEFAULT_DB_ALIAS)


@contextlib.contextmanager
def practice_context(workspace: state.ActiveWorkspace) -> Iterator[None]:
    """Run the block with the database, tasks, cache and storage of ``workspace`` (this thread only)."""
    from django_tasks import task_backends
    from django_tasks.backends.immediate import ImmediateBackend

    from simpul.practice.storage import install_router

    install_router()
    real_db = connections[DEFAULT_DB_ALIAS]
    real_tasks = task_backends["default"]
    real_cache = caches["default"]
    practice_db = open_connection(workspace.database)
    cache = caches.create_connection("default")
    cache.key_prefix = f"{cache.key_prefix}practice-{workspace.posyandu_id}-{workspace.generation}:"
    real_marks = _counter_marks_set_aside()
    token = state.enter(workspace)
    connections[DEFAULT_DB_ALIAS] = practice_db
    task_backends["default"] = ImmediateBackend(alias="default", params={})
    caches["default"] = cache
    try:
        yield
    finally:
        try:
            practice_db.close()
        finally:
            connections[DEFAULT_DB_ALIAS] = real_db
            task_backends["default"] = real_tasks
            caches["default"] = real_cache
            state.leave(token)
            _counter_marks_put_back(real_marks)


def _counter_marks_set_aside() -> dict:
    """SPM counter refreshes wait per thread for a commit (simpul.spm.feeds). The real ones are kept apart
    while practising, and a practice one left by a rolled-back transaction never runs on the real database."""
    from simpul.spm import feeds

    pending = feeds._pending()
    saved = dict(pending)
    pending.clear()
    return saved


def _counter_marks_put_back(saved: dict) -> None:
    from simpul.spm import feeds

    pending = feeds._pending()
    pending.clear()
    pending.update(saved)


@contextlib.contextmanager
def _database_only(path: Path) -> Iterator[object]:
    """Only the database swapped: for migrating the template, where nothing else can happen."""
    real_db = connections[DEFAULT_DB_ALIAS]
    wrapper = open_connection(path)
    connections[DEFAULT_DB_ALIAS] = wrapper
    try:
        yield wrapper
    finally:
        try:
            wrapper.close()
        finally:
            connections[DEFAULT_DB_ALIAS] = real_db


@functools.cache
def template_key() -> str:
    """Names every migration on disk: a new migration makes a new template (and outdates every workspace)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    names = sorted(f"{app}.{name}" for app, name in loader.disk_migrations)
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:16]


def template_path() -> Path:
    return root() / f"template-{template_key()}.sqlite3"


@contextlib.contextmanager
def locked(name: str) -> Iterator[None]:
    """An exclusive lock between processes (two app servers making the same file at once)."""
    root().mkdir(parents=True, exist_ok=True)
    with open(root() / f"{name}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def template_ensure() -> Path:
    """The migrated empty template, made on first use (about a minute on a small server)."""
    from django.core.management.sql import emit_post_migrate_signal
    from django.db.migrations.executor import MigrationExecutor

    path = template_path()
    if path.exists():
        return path
    with locked("template"):
        if path.exists():
            return path
        building = path.with_suffix(f".building-{os.getpid()}")
        building.unlink(missing_ok=True)
        with _database_only(building) as wrapper:
            executor = MigrationExecutor(wrapper)
            executor.migrate(executor.loader.graph.leaf_nodes())
            emit_post_migrate_signal(0, False, DEFAULT_DB_ALIAS)
        os.replace(building, path)
        for old in root().glob("template-*.sqlite3"):
            if old != path:
                old.unlink(missing_ok=True)
    return path


def file_create(workspace: state.ActiveWorkspace, fill) -> None:
    """Copy the template to a new file, ``fill()`` it inside :func:`practice_context`, then put it in place."""
    template = template_ensure()
    building = workspace.database.with_suffix(f".building-{os.getpid()}")
    shutil.copyfile(template, building)
    staged = state.ActiveWorkspace(
        posyandu_id=workspace.posyandu_id,
        generation=workspace.generation,
        database=building,
        media=workspace.media,
    )
    try:
        with practice_context(staged):
            fill()
    except BaseException:
        building.unlink(missing_ok=True)
        raise
    os.replace(building, workspace.database)


def files_remove(posyandu_id: int, *, keep_generation: int | None = None) -> None:
    """Delete the files of a posyandu's workspace (all generations but ``keep_generation``)."""
    if not root().exists():
        return
    for path in root().glob(f"posyandu-{posyandu_id}-g*"):
        generation = path.name.split("-g", 1)[1].split(".", 1)[0].split("-", 1)[0]
        if keep_generation is not None and generation == str(keep_generation):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
