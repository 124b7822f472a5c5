"""/api/v1/tasks: the user's tasks (same rule as the page), paginated and filtered; dismissing with JSON errors."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import bearer as auth
from conftest import register_family
from simpul.audit.models import AccessLog, AuditEntry
from simpul.tasks.models import Task
from simpul.tasks.tests.kit import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(family_miji, kader_meri, posyandu_meri):
    people = {p.full_name.split()[0]: p for p in family_miji.members.all()}
    meri = register_family(kader_meri, posyandu_meri, head="Joko Susilo", kk="3576030101200003")
    return {
        "budi": make_task(people["Budi"]),
        "siti": make_task(people["Siti"], due_on=dt.date(2026, 11, 1)),
        "aisyah": make_task(people["Aisyah"], "dik.paud", due_on=None,
                            reasons=[{"code": "education_unknown", "detail": {}, "due_on": None}]),
        "done": make_task(people["Budi"], "kes.usia_lanjut", status="done", closed_because="served"),
        "meri": make_task(meri.members.get(full_name="Joko Susilo")),
    }


def test_the_kader_lists_her_open_tasks_most_urgent_first(client, kader_miji, tasks):
    body = client.get("/api/v1/tasks", **auth(kader_miji)).json()
    # Open in Miji: Siti (1 Nov), Budi (31 Dec), Aisyah (no date); the done task and Meri's are not listed.
    assert body["count"] == 3
    assert [i["name"] for i in body["items"]] == ["Siti Aminah", "Budi Santoso", "Aisyah Putri"]
    first = body["items"][0]
    assert first["overdue"] is True and first["due_on"] == "2026-11-01"
    assert first["reasons"][0]["code"] == "screening" and first["reasons"][0]["text"]
    assert first["person_id"] == tasks["siti"].person_id and first["household_id"] is None
    assert AccessLog.objects.filter(actor=kader_miji, object_type="tasks.list", action="api_read").exists()


def test_filters_and_pages(client, kader_miji, tasks):
    header = auth(kader_miji)
    assert [i["id"] for i in client.get("/api/v1/tasks?indicator=dik.paud", **header).json()["items"]] == [
        tasks["aisyah"].pk]
    assert [i["id"] for i in client.get("/api/v1/tasks?status=done", **header).json()["items"]] == [
        tasks["done"].pk]
    assert client.get("/api/v1/tasks?status=", **header).json()["count"] == 4  # every status
    second = client.get("/api/v1/tasks?limit=2&offset=2", **header).json()
    assert (second["count"], [i["name"] for i in second["items"]]) == (3, ["Aisyah Putri"])


def test_unknown_filters_are_422_with_field_errors(client, kader_miji, tasks):
    response = client.get("/api/v1/tasks?status=lost&indicator=kes.nothing", **auth(kader_miji))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"status", "indicator"}


def test_another_kader_sees_only_her_own(client, kader_meri, kader_jepara, tasks):
    assert [i["name"] for i in client.get("/api/v1/tasks", **auth(kader_meri)).json()["items"]] == ["Joko Susilo"]
    assert client.get("/api/v1/tasks", **auth(kader_jepara)).json()["count"] == 0


@pytest.mark.parametrize("persona", ["camat_kranggan", "pembina_mojokerto", "opd_dinsos", "admin_user"])
def test_roles_without_names_get_404(client, request, tasks, persona):
    assert client.get("/api/v1/tasks", **auth(request.getfixturevalue(persona))).status_code == 404


def test_dismiss_over_the_api(client, kader_miji, tasks):
    url = f"/api/v1/tasks/{tasks['budi'].pk}/dismiss"
    response = client.post(url, {"reason": "refused", "note": "Menolak diperiksa"}, content_type="application/json",
                           **auth(kader_miji))
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["dismiss_reason"]) == ("dismissed", "refused")
    assert AuditEntry.objects.filter(action="tasks.task.dismissed", object_id=str(tasks["budi"].pk)).exists()
    again = client.post(url, {"reason": "refused"}, content_type="application/json", **auth(kader_miji))
    assert again.status_code == 409


@pytest.mark.parametrize(("payload", "fields"), [
    ({"reason": "bosan"}, {"reason"}),
    ({}, {"reason"}),
    ({"reason": "other"}, {"note"}),
    ({"reason": "moved", "on": "kemarin"}, {"on"}),
    ({"reason": "moved", "on": "2099-01-01"}, {"on"}),
    ({"reason": "refused", "extra": 1}, {"extra"}),
])
def test_bad_dismissals_are_422_with_field_errors(client, kader_miji, tasks, payload, fields):
    response = client.post(f"/api/v1/tasks/{tasks['budi'].pk}/dismiss", payload, content_type="application/json",
                           **auth(kader_miji))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == fields
    assert response.json()["detail"]
    assert Task.objects.get(pk=tasks["budi"].pk).status == "open"


def test_a_task_of_another_posyandu_is_404(client, kader_meri, kader_jepara, lurah_miji, tasks):
    url = f"/api/v1/tasks/{tasks['budi'].pk}/dismiss"
    for user in (kader_meri, kader_jepara):
        assert client.post(url, {"reason": "refused"}, content_type="application/json", **auth(user)).status_code == 404
    # The lurah may read names but not health tasks, and does not register: 404 as well.
    assert client.post(url, {"reason": "refused"}, content_type="application/json",
                       **auth(lurah_miji)).status_code == 404
    assert Task.objects.get(pk=tasks["budi"].pk).status == "open"
