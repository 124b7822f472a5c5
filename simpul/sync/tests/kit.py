"""Helpers for the sync tests (not collected: the name does not start with test_)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from conftest import bearer as auth  # noqa: F401  (the sync tests import it from here)

DEVICE = "hp-kader-01"


def item(kind: str, data: dict, *, client_uuid: str | None = None, device_time: dt.datetime | None = None,
         **extra) -> dict:
    return {"client_uuid": client_uuid or str(uuid.uuid4()), "kind": kind,
            "device_time": (device_time or timezone.now()).isoformat(), "data": data, **extra}


def member(name: str, sex: str, birth: str, relationship: str, **extra) -> dict:
    return {"client_uuid": str(uuid.uuid4()), "full_name": name, "sex": sex, "birth_date": birth,
            "relationship": relationship, **extra}


def new_household(*, head: str = "Joko Susilo", client_uuid: str | None = None, **extra) -> dict:
    data = {"address": "Jl. Miji Baru 40", "rt": "3", "rw": "4",
            "members": [member(head, "M", "1980-02-03", "kepala")], **extra}
    return item("household.create", data, client_uuid=client_uuid)


def push(client, headers: dict, items: list[dict], *, form_version: int = 2, device: str = DEVICE):
    return client.post("/api/v1/sync/push", {"device_id": device, "form_version": form_version, "items": items},
                       content_type="application/json", **headers)


def statuses(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["status"] for r in response.json()["results"]]


def pull_all(client, headers: dict, cursor: str | None = None, limit: int = 200) -> tuple[dict, list, str, int]:
    """Page until has_more is false: (rows by kind and id, drops, last cursor, pages)."""
    rows: dict[str, dict[int, dict]] = {}
    drops: list = []
    pages = 0
    while True:
        url = f"/api/v1/sync/pull?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(url, **headers)
        assert response.status_code == 200, response.content
        body = response.json()
        pages += 1
        for kind, items in body["changes"].items():
            for row in items:
                rows.setdefault(kind, {})[row["id"]] = row
        drops.extend(body["drop"])
        cursor = body["next_cursor"]
        if not body["has_more"]:
            return rows, drops, cursor, pages
        assert pages < 100
