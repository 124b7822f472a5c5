"""A batch is applied exactly once: replaying it (retries, double taps, two tabs) changes nothing."""

import pytest

from simpul.audit.models import AuditEntry
from simpul.health.models import Measurement
from simpul.registry.models import Household, Person
from simpul.sync.models import SyncReceipt
from simpul.sync.tests.kit import auth, item, member, new_household, push, statuses


def _batch(child_birth="2024-03-10"):
    household = new_household(head="Joko Susilo")
    child = item("person.create", {"household_client_uuid": household["client_uuid"], **member(
        "Dewi Lestari", "F", child_birth, "anak", mother_name="Sri Wahyuni")})
    child["data"].pop("client_uuid")
    weighings = [item("measurement.create", {"person_client_uuid": child["client_uuid"],
                                             "measured_on": f"2025-{month:02d}-05", "weight_kg": 9 + month / 10})
                 for month in range(1, 11)]
    return [household, child, *weighings]


@pytest.mark.django_db
def test_it_applies_a_batch_and_a_replay_changes_nothing(client, kader_miji, posyandu_miji):
    headers = auth(kader_miji)
    batch = _batch()
    first = push(client, headers, batch)
    assert statuses(first) == ["created"] * 12
    counts = (Household.objects.count(), Person.objects.count(), Measurement.objects.count(),
              AuditEntry.objects.count(), SyncReceipt.objects.count())
    # One household with its head, one child, ten weighings, one receipt per item.
    assert counts[:3] == (1, 2, 10) and counts[4] == 12

    again = push(client, headers, batch)
    assert statuses(again) == ["already_applied"] * 12
    assert [r["id"] for r in again.json()["results"]] == [r["id"] for r in first.json()["results"]]
    assert (Household.objects.count(), Person.objects.count(), Measurement.objects.count(),
            AuditEntry.objects.count(), SyncReceipt.objects.count()) == counts

    child = Person.objects.get(full_name="Dewi Lestari")
    assert child.posyandu_id == posyandu_miji.pk
    assert Measurement.objects.filter(person=child).count() == 10


@pytest.mark.django_db
def test_records_sent_online_first_are_already_applied_offline(client, kader_miji, family_miji):
    """The REST API stored it before the outbox arrived (two tabs): the outbox item is not doubled."""
    headers = auth(kader_miji)
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    weighing = item("measurement.create", {"person_id": aisyah.pk, "measured_on": "2025-02-01", "weight_kg": 8.4})
    online = client.post("/api/v1/measurements", {"client_uuid": weighing["client_uuid"], "person_id": aisyah.pk,
                                                  "measured_on": "2025-02-01", "weight_kg": 8.4},
                         content_type="application/json", **headers)
    assert online.status_code == 201
    assert statuses(push(client, headers, [weighing])) == ["already_applied"]
    assert Measurement.objects.filter(person=aisyah).count() == 1


@pytest.mark.django_db
def test_another_users_client_uuid_is_refused_without_saying_what_it_is(client, kader_miji, kader_meri, family_miji):
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    weighing = item("measurement.create", {"person_id": aisyah.pk, "measured_on": "2025-02-01", "weight_kg": 8.4})
    assert statuses(push(client, auth(kader_miji), [weighing])) == ["created"]
    answer = push(client, auth(kader_meri), [weighing]).json()["results"][0]
    assert answer["status"] == "rejected" and "id" not in answer
    assert Measurement.objects.count() == 1
