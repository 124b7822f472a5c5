"""Shared helpers of the practice tests: switching on through the page, looking into a workspace, and a
picture of the real database to compare before and after."""

from __future__ import annotations

import contextlib

from django.db import connection

from simpul.practice import workspace
from simpul.practice.models import Workspace


def start(client, user, posyandu):
    client.force_login(user)
    response = client.post("/latihan/mulai/", {"posyandu": posyandu.pk})
    assert response.status_code == 302, response.status_code
    return response


@contextlib.contextmanager
def inside(posyandu):
    """Look into the posyandu's current workspace file from a test (as a practice request would)."""
    row = Workspace.objects.get(posyandu=posyandu)
    with workspace.practice_context(workspace.active_workspace(posyandu.pk, row.generation)):
        yield


def real_picture() -> dict:
    """Row counts of every table of the real database, and every SPM counter's values."""
    picture = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table == "django_session":  # the session row is saved on every request, by design
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from introspection
            picture[table] = cursor.fetchone()[0]
        for table in ("spm_counter", "spm_regioncounter"):
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608
            picture[f"{table}:rows"] = cursor.fetchall()
    return picture
