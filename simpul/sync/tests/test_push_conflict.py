"""An edit made on a stale copy is never written over someone else's change: both versions go back."""

import pytest

from simpul.registry.models import Household
from simpul.sync.tests.kit import auth, item, push, statuses


@pytest.mark.django_db
def test_a_stale_household_update_is_a_conflict_with_the_server_copy(client, kader_miji, family_miji):
    assert family_miji.version == 1
    phone_a = item("household.update", {"household_id": family_miji.pk, "address": "Jl. Miji Gang 2 No. 5"},
                   base_version=1)
    phone_b = item("household.update", {"household_id": family_miji.pk, "dusun": "Sumberan", "rt": "7"},
                   base_version=1)
    headers = auth(kader_miji)
    first = push(client, headers, [phone_a], device="hp-a").json()["results"][0]
    assert first["status"] == "created" and first["server_version"] == 2

    second = push(client, headers, [phone_b], device="hp-b").json()["results"][0]
    assert second["status"] == "conflict"
    assert second["server_version"] == 2
    assert second["server_data"]["address"] == "Jl. Miji Gang 2 No. 5"
    assert second["server_data"]["kk"] != "3576030101200001"  # masked, even here
    family_miji.refresh_from_db()
    assert (family_miji.version, family_miji.dusun, family_miji.rt) == (2, "", "002")
    # The KK the phone never sent is kept, not cleared.
    assert family_miji.kk == "3576030101200001"

    # Replayed, the conflict is answered again (with the current copy) and still nothing changes.
    assert statuses(push(client, headers, [phone_b], device="hp-b")) == ["conflict"]
    # After choosing, the phone sends a new item on the version it now saw.
    resolved = item("household.update", {"household_id": family_miji.pk, "dusun": "Sumberan"}, base_version=2)
    assert statuses(push(client, headers, [resolved], device="hp-b")) == ["created"]
    family_miji.refresh_from_db()
    assert (family_miji.version, family_miji.dusun, family_miji.address) == (3, "Sumberan", "Jl. Miji Gang 2 No. 5")


@pytest.mark.django_db
def test_an_update_without_base_version_is_rejected(client, kader_miji, family_miji):
    result = push(client, auth(kader_miji), [item("household.update", {"household_id": family_miji.pk,
                                                                       "dusun": "X"})]).json()["results"][0]
    assert result["status"] == "rejected" and "base_version" in result["field_errors"]
    assert Household.objects.get(pk=family_miji.pk).version == 1


@pytest.mark.django_db
def test_two_weighings_of_the_same_day_never_conflict(client, kader_miji, family_miji):
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    same_day = [item("measurement.create", {"person_id": aisyah.pk, "measured_on": "2025-02-01", "weight_kg": w})
                for w in (8.4, 8.5)]
    assert statuses(push(client, auth(kader_miji), same_day)) == ["created", "created"]
