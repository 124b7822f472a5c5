"""The phone pulls today's posyandu day with who came and what they got, and her open tasks (decision 0022)."""

import datetime as dt

import pytest
from django.utils import timezone

from simpul.accounts.scope import scope_for
from simpul.serviceday.services import (
    ServiceInput,
    attendance_record,
    day_close,
    day_schedule,
    service_record,
)
from simpul.serviceday.tests.kit import at
from simpul.sync.tests.kit import auth, item, pull_all, push, statuses
from simpul.tasks.models import Task
from simpul.tasks.tests.kit import make_task

TODAY = timezone.localdate()


@pytest.fixture
def day(kader_miji, posyandu_miji):
    return day_schedule(
        actor=kader_miji,
        scope=scope_for(kader_miji),
        posyandu=posyandu_miji,
        held_on=TODAY,
        now=at(TODAY - dt.timedelta(days=7)),
    )


@pytest.mark.django_db
def test_the_day_arrives_and_later_marks_follow_in_the_log(client, kader_miji, family_miji, day):
    rows, _, cursor, _ = pull_all(client, auth(kader_miji))
    assert (
        rows["day"][day.pk]["status"] == "scheduled" and rows["day"][day.pk]["held_on"] == TODAY.isoformat()
    )
    assert "attendance" not in rows

    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    assert (
        statuses(
            push(
                client,
                auth(kader_miji),
                [
                    item("day.open", {"day_id": day.pk}),
                    item("attendance.create", {"day_id": day.pk, "person_id": aisyah.pk}),
                    item("service.create", {"day_id": day.pk, "person_id": aisyah.pk, "kind": "pmt"}),
                ],
            )
        )
        == ["created"] * 3
    )
    rows, drops, cursor, _ = pull_all(client, auth(kader_miji), cursor)
    assert rows["day"][day.pk]["status"] == "open"
    assert [(a["day_id"], a["person_id"]) for a in rows["attendance"].values()] == [(day.pk, aisyah.pk)]
    assert [(s["person_id"], s["kind"]) for s in rows["service"].values()] == [(aisyah.pk, "pmt")]
    assert drops == []

    # closed: the day leaves the phone (and with it, on the phone, its marks)
    day_close(actor=kader_miji, scope=scope_for(kader_miji), day=day)
    rows, drops, _, _ = pull_all(client, auth(kader_miji), cursor)
    assert {"kind": "day", "id": day.pk} in drops


@pytest.mark.django_db
def test_another_posyandu_and_a_kader_without_health_see_no_day(
    client, kader_miji, kader_meri, family_miji, day, posyandu_miji
):
    from conftest import make_user
    from simpul.accounts.roles import Role

    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    scope = scope_for(kader_miji)
    from simpul.serviceday.services import day_open

    day_open(actor=kader_miji, scope=scope, day=day)
    mark = attendance_record(actor=kader_miji, scope=scope, day=day, person=aisyah)
    service_record(actor=kader_miji, scope=scope, day=day, attendance=mark, data=ServiceInput(kind="pmt"))
    rows, _, _, _ = pull_all(client, auth(kader_meri))
    assert not any(rows.get(kind) for kind in ("day", "attendance", "service"))
    teacher = make_user("kader.pendidikan", Role.KADER, posyandu=posyandu_miji, fields=["pendidikan"])
    rows, _, _, _ = pull_all(client, auth(teacher))
    assert not any(rows.get(kind) for kind in ("day", "attendance", "service"))


def pull_tasks(client, headers, cursor=None):
    """(task rows if the last page replaced them else None, cursor)."""
    url = "/api/v1/sync/pull?limit=500" + (f"&cursor={cursor}" if cursor else "")
    while True:
        body = client.get(url, **headers).json()
        if not body["has_more"]:
            return (
                {t["id"]: t for t in body["changes"]["task"]} if "task" in body["replace"] else None,
                body["next_cursor"],
            )
        url = f"/api/v1/sync/pull?limit=500&cursor={body['next_cursor']}"


@pytest.mark.django_db
def test_her_open_tasks_come_whole_and_a_closed_one_disappears(client, kader_miji, kader_meri, family_miji):
    siti = family_miji.members.get(full_name="Siti Aminah")
    budi = family_miji.members.get(full_name="Budi Santoso")
    screening = make_task(siti)
    other = make_task(budi)
    done = make_task(budi, "kes.hipertensi", status=Task.Status.DONE)
    tasks, cursor = pull_tasks(client, auth(kader_miji))
    assert set(tasks) == {screening.pk, other.pk} and done.pk not in tasks
    assert tasks[screening.pk]["name"] == "Siti Aminah" and tasks[screening.pk]["person_id"] == siti.pk
    assert tasks[screening.pk]["sentences"] and tasks[screening.pk]["due_on"] == "2026-12-31"
    # nothing changed: the list is not sent again
    assert pull_tasks(client, auth(kader_miji), cursor)[0] is None
    # the SPM refresh closes one in bulk (no signal): the next pull replaces the list without it
    Task.objects.filter(pk=other.pk).update(
        status=Task.Status.DONE, closed_at=timezone.now(), updated_at=timezone.now()
    )
    tasks, _ = pull_tasks(client, auth(kader_miji), cursor)
    assert set(tasks) == {screening.pk}
    # another posyandu's kader never gets them
    assert pull_tasks(client, auth(kader_meri))[0] == {}


@pytest.mark.django_db
def test_a_cursor_from_before_the_day_kinds_starts_the_snapshot_over(client, kader_miji, family_miji, day):
    import base64
    import json

    _rows, _drops, cursor, _pages = pull_all(client, auth(kader_miji))
    raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    assert raw["kinds"] == 8
    # what a phone holds from the release before: no "kinds", no "tasks"
    old = {k: v for k, v in raw.items() if k not in {"kinds", "tasks"}}
    old_cursor = base64.urlsafe_b64encode(json.dumps(old).encode()).decode().rstrip("=")
    body = client.get(f"/api/v1/sync/pull?limit=500&cursor={old_cursor}", **auth(kader_miji)).json()
    assert body["reset"] is True
    assert [d["id"] for d in body["changes"]["day"]] == [
        day.pk
    ]  # the day it could never have got from the log
