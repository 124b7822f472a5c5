"""One bad item is rejected with its reasons; the rest of the batch is saved, and nothing half-written."""

import pytest

from simpul.health.models import Measurement
from simpul.registry.models import Household, Person
from simpul.sync.models import SyncReceipt
from simpul.sync.tests.kit import auth, item, member, new_household, push, statuses


@pytest.mark.django_db
def test_a_rejected_item_does_not_roll_back_the_others(client, kader_miji, family_miji):
    headers = auth(kader_miji)
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    good = item("measurement.create", {"person_id": aisyah.pk, "measured_on": "2025-02-01", "weight_kg": 8.4})
    too_heavy = item("measurement.create", {"person_id": aisyah.pk, "measured_on": "2025-03-01", "weight_kg": 90})
    # A household whose second member has a bad birth date: neither the household nor its head may stay.
    broken = new_household(head="Agus Salim")
    broken["data"]["members"].append(member("Rina", "F", "2099-01-01", "anak"))
    later = item("measurement.create", {"person_id": aisyah.pk, "measured_on": "2025-04-01", "weight_kg": 8.9})
    households_before, people_before = Household.objects.count(), Person.objects.count()

    response = push(client, headers, [good, too_heavy, broken, later])
    assert statuses(response) == ["created", "rejected", "rejected", "created"]
    results = response.json()["results"]
    assert "weight_kg" in results[1]["field_errors"]
    assert "members.1.birth_date" in results[2]["field_errors"]
    assert results[1]["reason"]  # in Bahasa, for the kader
    assert Measurement.objects.filter(person=aisyah).count() == 2
    assert (Household.objects.count(), Person.objects.count()) == (households_before, people_before)

    # A replay answers the same, rejected included, and still writes nothing.
    assert statuses(push(client, headers, [good, too_heavy, broken, later])) == [
        "already_applied", "rejected", "rejected", "already_applied"]
    assert Measurement.objects.filter(person=aisyah).count() == 2
    assert SyncReceipt.objects.filter(status="rejected").count() == 2


@pytest.mark.django_db
def test_a_misspelt_field_is_rejected_not_ignored(client, kader_miji, family_miji):
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    typo = item("measurement.create", {"person_id": aisyah.pk, "measured_on": "2025-02-01", "wieght_kg": 8.4})
    result = push(client, auth(kader_miji), [typo]).json()["results"][0]
    assert result["status"] == "rejected" and "wieght_kg" in result["field_errors"]
    assert not Measurement.objects.exists()


@pytest.mark.django_db
def test_an_unknown_kind_is_kept_for_later(client, kader_miji):
    result = push(client, auth(kader_miji), [item("visit.create", {"x": 1})]).json()["results"][0]
    assert result["status"] == "rejected" and result["retryable"] is True
    assert not SyncReceipt.objects.exists()  # sent again after the server learns it, it can still succeed


@pytest.mark.django_db
def test_a_person_of_another_posyandu_is_not_found(client, kader_meri, family_miji):
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    weighing = item("measurement.create", {"person_id": aisyah.pk, "measured_on": "2025-02-01", "weight_kg": 8.4})
    result = push(client, auth(kader_meri), [weighing]).json()["results"][0]
    assert result["status"] == "rejected"
    assert not Measurement.objects.exists()


@pytest.mark.django_db
def test_a_refusal_whose_receipt_cannot_be_kept_is_still_answered_with_the_rest(client, kader_miji, monkeypatch,
                                                                               caplog):
    from django.db import DataError

    from simpul.sync import services

    real = services._store

    def failing_for_refusals(item, result, **kwargs):
        if result.status == SyncReceipt.Status.REJECTED:
            raise DataError("value too long for type character varying(32)")  # what PostgreSQL raised
        return real(item, result, **kwargs)

    monkeypatch.setattr(services, "_store", failing_for_refusals)
    broken = new_household(head="Agus Salim")
    broken["data"]["members"].append(member("Rina", "F", "2099-01-01", "anak"))
    good = new_household(head="Budi Santoso")
    response = push(client, auth(kader_miji), [broken, good])
    assert response.status_code == 200 and statuses(response) == ["rejected", "created"]
    assert "members.1.birth_date" in response.json()["results"][0]["field_errors"]
    assert list(SyncReceipt.objects.values_list("status", flat=True)) == ["created"]
    assert "the receipt of its refusal could not be stored" in caplog.text
