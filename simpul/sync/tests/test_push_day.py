"""The posyandu day offline: opening the day, attendance and services, each applied once (decision 0022)."""

import datetime as dt

import pytest
from django.utils import timezone

from simpul.accounts.scope import scope_for
from simpul.serviceday.models import Attendance, ServiceDay, ServiceGiven
from simpul.serviceday.services import day_schedule
from simpul.serviceday.tests.kit import at
from simpul.sync.models import SyncReceipt
from simpul.sync.tests.kit import auth, item, push, statuses

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


def _morning(day, aisyah, siti):
    """What a kader records at the table with no signal: open, two present, PMT and iron tablets."""
    mark_a = item("attendance.create", {"day_id": day.pk, "person_id": aisyah.pk})
    mark_s = item("attendance.create", {"day_id": day.pk, "person_id": siti.pk})
    return [
        item("day.open", {"day_id": day.pk}),
        mark_a,
        mark_s,
        item(
            "service.create",
            {
                "day_id": day.pk,
                "person_id": aisyah.pk,
                "kind": "pmt",
                "attendance_client_uuid": mark_a["client_uuid"],
            },
        ),
        item(
            "service.create",
            {
                "day_id": day.pk,
                "person_id": siti.pk,
                "kind": "iron_tablets",
                "quantity": 30,
                "attendance_client_uuid": mark_s["client_uuid"],
            },
        ),
    ]


@pytest.mark.django_db
def test_a_morning_at_the_table_is_applied_once(client, kader_miji, family_miji, day):
    aisyah, siti = (
        family_miji.members.get(full_name="Aisyah Putri"),
        family_miji.members.get(full_name="Siti Aminah"),
    )
    batch = _morning(day, aisyah, siti)
    assert statuses(push(client, auth(kader_miji), batch)) == ["created"] * 5
    day.refresh_from_db()
    assert day.status == ServiceDay.Status.OPEN
    assert sorted(Attendance.objects.filter(day=day).values_list("person_id", flat=True)) == sorted(
        [aisyah.pk, siti.pk]
    )
    given = {g.kind: g for g in ServiceGiven.objects.filter(day=day)}
    assert set(given) == {"pmt", "iron_tablets"} and given["iron_tablets"].quantity == 30
    assert str(given["pmt"].client_uuid) == batch[3]["client_uuid"]
    counts = (Attendance.objects.count(), ServiceGiven.objects.count(), SyncReceipt.objects.count())

    assert statuses(push(client, auth(kader_miji), batch)) == ["already_applied"] * 5
    assert (Attendance.objects.count(), ServiceGiven.objects.count(), SyncReceipt.objects.count()) == counts


@pytest.mark.django_db
def test_the_other_phone_at_the_table_gave_it_already(client, kader_miji, family_miji, day):
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    first = [
        item("day.open", {"day_id": day.pk}),
        item("attendance.create", {"day_id": day.pk, "person_id": aisyah.pk}),
        item("service.create", {"day_id": day.pk, "person_id": aisyah.pk, "kind": "pmt"}),
    ]
    assert statuses(push(client, auth(kader_miji), first, device="hp-1")) == ["created"] * 3
    # the second phone made its own entries (own client UUIDs) for the same facts
    second = [
        item("day.open", {"day_id": day.pk}),
        item("attendance.create", {"day_id": day.pk, "person_id": aisyah.pk}),
        item("service.create", {"day_id": day.pk, "person_id": aisyah.pk, "kind": "pmt"}),
    ]
    answers = push(client, auth(kader_miji), second, device="hp-2").json()["results"]
    assert [a["status"] for a in answers] == ["already_applied"] * 3
    assert answers[2]["id"] == ServiceGiven.objects.get().pk
    assert (Attendance.objects.count(), ServiceGiven.objects.count()) == (1, 1)


@pytest.mark.django_db
def test_a_service_waits_for_its_attendance_and_is_refused_without_one(client, kader_miji, family_miji, day):
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    headers = auth(kader_miji)
    assert statuses(push(client, headers, [item("day.open", {"day_id": day.pk})])) == ["created"]
    # its attendance item has not arrived (another batch): keep it and send it again later
    pmt = item(
        "service.create",
        {
            "day_id": day.pk,
            "person_id": aisyah.pk,
            "kind": "pmt",
            "attendance_client_uuid": "8b0b7f0e-4a8e-4b1e-9d7e-0d6f3d1e2a11",
        },
    )
    waiting = push(client, headers, [pmt]).json()["results"][0]
    assert waiting["status"] == "rejected" and waiting["retryable"] is True
    assert not SyncReceipt.objects.filter(client_uuid=pmt["client_uuid"]).exists()
    # no attendance named at all: refused for good, with the reason in Bahasa
    alone = item("service.create", {"day_id": day.pk, "person_id": aisyah.pk, "kind": "pmt"})
    refused = push(client, headers, [alone]).json()["results"][0]
    assert (
        refused["status"] == "rejected"
        and "retryable" not in refused
        and "person_id" in refused["field_errors"]
    )
    assert ServiceGiven.objects.count() == 0


@pytest.mark.django_db
def test_a_service_the_rule_does_not_allow_is_refused_and_nothing_half_written(
    client, kader_miji, family_miji, day
):
    siti = family_miji.members.get(full_name="Siti Aminah")
    batch = [
        item("day.open", {"day_id": day.pk}),
        item("attendance.create", {"day_id": day.pk, "person_id": siti.pk}),
        item(
            "service.create",
            {"day_id": day.pk, "person_id": siti.pk, "kind": "iron_tablets", "quantity": 500},
        ),
        item("service.create", {"day_id": day.pk, "person_id": siti.pk, "kind": "laser"}),
    ]
    answers = push(client, auth(kader_miji), batch).json()["results"]
    assert [a["status"] for a in answers] == ["created", "created", "rejected", "rejected"]
    assert "quantity" in answers[2]["field_errors"] and "kind" in answers[3]["field_errors"]
    assert ServiceGiven.objects.count() == 0


@pytest.mark.django_db
def test_a_day_of_another_posyandu_is_not_found(client, kader_meri, family_miji, day):
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    answers = push(
        client,
        auth(kader_meri),
        [
            item("day.open", {"day_id": day.pk}),
            item("attendance.create", {"day_id": day.pk, "person_id": aisyah.pk}),
        ],
    ).json()["results"]
    assert [a["status"] for a in answers] == ["rejected", "rejected"]
    day.refresh_from_db()
    assert day.status == ServiceDay.Status.SCHEDULED and Attendance.objects.count() == 0


@pytest.mark.django_db
def test_a_closed_or_future_day_is_refused_with_the_days_own_reason(
    client, kader_miji, family_miji, posyandu_miji, day
):
    from simpul.serviceday.services import day_close, day_open

    scope = scope_for(kader_miji)
    later = day_schedule(
        actor=kader_miji,
        scope=scope,
        posyandu=posyandu_miji,
        held_on=TODAY + dt.timedelta(days=30),
        now=timezone.now(),
    )
    day_close(actor=kader_miji, scope=scope, day=day_open(actor=kader_miji, scope=scope, day=day))
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    answers = push(
        client,
        auth(kader_miji),
        [
            item("day.open", {"day_id": day.pk}),
            item("attendance.create", {"day_id": day.pk, "person_id": aisyah.pk}),
            item("day.open", {"day_id": later.pk}),
        ],
    ).json()["results"]
    assert [a["status"] for a in answers] == ["rejected"] * 3
    assert not any(a.get("retryable") for a in answers)
    assert all(a["reason"] for a in answers)
    later.refresh_from_db()
    assert later.status == ServiceDay.Status.SCHEDULED and Attendance.objects.count() == 0
