"""An entry made with an older form is migrated, never lost; a newer form than the server knows waits."""

import pytest

from simpul.health.models import Measurement
from simpul.registry.models import Person
from simpul.sync import upgrade
from simpul.sync.models import SyncReceipt
from simpul.sync.tests.kit import auth, item, push, statuses


def test_version_1_measurement_fields_are_renamed():
    old = {"person_id": 1, "date": "2025-02-01", "weight": 8.4, "height": 71.5, "muac": 13.2}
    assert upgrade.upgrade("measurement.create", old, 1) == {
        "person_id": 1, "measured_on": "2025-02-01", "weight_kg": 8.4, "length_height_cm": 71.5, "muac_cm": 13.2}


@pytest.mark.django_db
def test_a_version_1_batch_is_saved_with_the_current_fields(client, kader_miji, family_miji):
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    weighing = item("measurement.create", {"person_id": aisyah.pk, "date": "2025-02-01", "weight": 8.4})
    person = item("person.create", {"household_id": family_miji.pk, "name": "Rudi Hartono", "gender": "L",
                                    "birth_date": "2023-05-05", "relationship": "anak"})
    assert statuses(push(client, auth(kader_miji), [weighing, person], form_version=1)) == ["created", "created"]
    stored = Measurement.objects.get(client_uuid=weighing["client_uuid"])
    assert str(stored.weight_kg) == "8.400"
    assert Person.objects.get(client_uuid=person["client_uuid"]).sex == "M"
    assert SyncReceipt.objects.get(client_uuid=weighing["client_uuid"]).form_version == 1


@pytest.mark.django_db
def test_a_future_form_version_is_refused_with_a_reason_and_kept(client, kader_miji, family_miji):
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    weighing = item("measurement.create", {"person_id": aisyah.pk, "measured_on": "2025-02-01", "weight_kg": 8.4})
    result = push(client, auth(kader_miji), [weighing], form_version=upgrade.CURRENT + 1).json()["results"][0]
    assert result["status"] == "rejected" and result["retryable"] is True
    assert str(upgrade.CURRENT + 1) in result["reason"]
    assert not Measurement.objects.exists() and not SyncReceipt.objects.exists()
    # Once the server knows the form (here: the phone sends it as the current one), the same id goes through.
    assert statuses(push(client, auth(kader_miji), [weighing])) == ["created"]
