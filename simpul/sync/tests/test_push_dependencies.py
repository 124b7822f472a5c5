"""Items may name other items of the same batch; they are applied parents first, whatever the order sent."""

import pytest

from simpul.immunization.models import ImmunizationRecord
from simpul.registry.models import Household, Person
from simpul.sync.tests.kit import auth, item, member, new_household, push, statuses


@pytest.mark.django_db
def test_children_sent_before_their_parents_are_applied_after_them(client, kader_miji, posyandu_miji):
    household = new_household(head="Hadi Purnomo")
    child_data = member("Bayu", "M", "2025-01-20", "anak")
    child = item("person.create", {"household_client_uuid": household["client_uuid"],
                                   **{k: v for k, v in child_data.items() if k != "client_uuid"}})
    dose = item("immunization.create", {"person_client_uuid": child["client_uuid"], "dose": "hb0",
                                        "given_on": "2025-01-20"})
    # A weighing of the head, named by the client UUID of a member inside the household item.
    head_uuid = household["data"]["members"][0]["client_uuid"]
    weighing = item("measurement.create", {"person_client_uuid": head_uuid, "measured_on": "2025-02-01",
                                           "weight_kg": 70})

    response = push(client, auth(kader_miji), [dose, weighing, child, household])
    # Answers come back in the order sent.
    assert statuses(response) == ["created", "created", "created", "created"]
    bayu = Person.objects.get(full_name="Bayu")
    assert bayu.household == Household.objects.get(client_uuid=household["client_uuid"])
    assert ImmunizationRecord.objects.get(person=bayu).dose == "hb0"


@pytest.mark.django_db
def test_a_child_of_a_rejected_household_waits_instead_of_being_lost(client, kader_miji, posyandu_miji):
    household = new_household(head="")  # no name: rejected
    child = item("person.create", {"household_client_uuid": household["client_uuid"], "full_name": "Bayu",
                                   "sex": "M", "birth_date": "2025-01-20", "relationship": "anak"})
    results = push(client, auth(kader_miji), [household, child]).json()["results"]
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    assert results[1]["retryable"] is True and "household_client_uuid" in results[1]["field_errors"]
    assert not Person.objects.filter(full_name="Bayu").exists()
