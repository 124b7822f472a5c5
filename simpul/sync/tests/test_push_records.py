"""A pushed posyandu day's weighings and doses go in together (``sync.record_batch``), answered as one by one.

Together: one transaction for all of them (their change-feed rows share its id), the counters moved once by
the difference, equal to a rebuild from the records. As one by one: a refused item keeps its receipt and its
Bahasa reasons, an item whose resident has not arrived is postponed without one, a client UUID sent twice
is one record, and when the batch as a whole fails the items still get their answers one at a time.
"""

import uuid

import pytest
from django.utils import timezone

from simpul.health.models import Measurement
from simpul.immunization.models import ImmunizationRecord
from simpul.spm import counters
from simpul.spm.models import Counter
from simpul.sync import record_batch
from simpul.sync.models import SyncChange, SyncReceipt
from simpul.sync.tests.kit import auth, item, member, new_household, push, statuses

pytestmark = pytest.mark.django_db


def _weighing(person_id: int, weight: float, **extra) -> dict:
    return item("measurement.create", {"person_id": person_id, "measured_on": timezone.localdate().isoformat(),
                                       "weight_kg": weight, "length_height_cm": 80.0, **extra})


def _dose(person_id: int, dose: str, **extra) -> dict:
    return item("immunization.create", {"person_id": person_id, "dose": dose,
                                        "given_on": timezone.localdate().isoformat(), **extra})


def _balita_cells():
    return sorted(Counter.objects.filter(indicator="kes.balita").values_list(
        "posyandu_id", "year", "month", "denominator", "numerator", "pending"))


def test_a_posyandu_day_goes_in_as_one_transaction_and_moves_the_counters_as_a_rebuild_would(
        client, kader_miji, family_miji, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    counters.rebuild("3576", today.year, today=today)
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    household = new_household(head="Joko Susilo")
    baby = member("Dewi Lestari", "F", "2025-09-10", "anak", mother_name="Sri Wahyuni")
    household["data"]["members"].append(baby)
    batch = [household, _weighing(aisyah.pk, 11.2), _dose(aisyah.pk, "dpt_hb_hib1"),
             item("measurement.create", {"person_client_uuid": baby["client_uuid"], "weight_kg": 7.1,
                                         "length_height_cm": 64.0, "measured_on": today.isoformat()})]
    with django_capture_on_commit_callbacks(execute=True):
        response = push(client, auth(kader_miji), batch)
    assert statuses(response) == ["created"] * 4
    records = [*Measurement.objects.all(), *ImmunizationRecord.objects.all()]
    assert len(records) == 3
    feed = SyncChange.objects.filter(kind__in=[SyncChange.Kind.MEASUREMENT, SyncChange.Kind.IMMUNIZATION])
    assert feed.count() == 3 and len(set(feed.values_list("txid", flat=True))) == 1
    assert {r["id"] for r in response.json()["results"][1:]} == {r.pk for r in records}

    moved = _balita_cells()
    counters.rebuild("3576", today.year, today=today)
    assert moved == _balita_cells()
    assert any(cell[3] for cell in moved)  # the children are counted: the comparison is not of two empties


def test_refused_postponed_and_doubled_items_are_answered_as_one_by_one(client, kader_miji, family_miji,
                                                                       family_jepara):
    headers = auth(kader_miji)
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    not_hers = family_jepara.members.get(full_name="Aisyah Putri")
    good = _weighing(aisyah.pk, 11.0)
    too_heavy = _weighing(aisyah.pk, 95.0)
    elsewhere = _weighing(not_hers.pk, 9.0)
    not_yet = item("measurement.create", {"person_client_uuid": str(uuid.uuid4()), "weight_kg": 9.0,
                                          "measured_on": timezone.localdate().isoformat()})
    # The second dose the same day as the first: too soon after it, as the single path would say.
    first_dose, second_dose = _dose(aisyah.pk, "dpt_hb_hib1"), _dose(aisyah.pk, "dpt_hb_hib2")
    unknown_dose = _dose(aisyah.pk, "cacar_air")
    twice = [good, too_heavy, elsewhere, not_yet, first_dose, second_dose, unknown_dose, good]

    response = push(client, headers, twice)
    assert statuses(response) == ["created", "rejected", "rejected", "rejected", "created", "rejected", "rejected",
                                  "already_applied"]
    results = response.json()["results"]
    assert "weight_kg" in results[1]["field_errors"] and results[1]["reason"]
    assert results[2]["reason"] and not results[2].get("field_errors")  # says nothing of the other region's child
    assert "given_on" in results[5]["field_errors"]
    assert results[3]["retryable"] and "person_client_uuid" in results[3]["field_errors"]
    assert "dose" in results[6]["field_errors"]
    assert results[7]["id"] == results[0]["id"]
    assert Measurement.objects.filter(person=aisyah).count() == 1
    assert not Measurement.objects.filter(person=not_hers).exists()
    # The refused keep a receipt (answered the same again); the postponed one does not (sent again later).
    assert not SyncReceipt.objects.filter(client_uuid=not_yet["client_uuid"]).exists()
    assert SyncReceipt.objects.filter(status="rejected").count() == 4

    again = push(client, headers, twice)
    assert statuses(again) == ["already_applied", "rejected", "rejected", "rejected", "already_applied", "rejected",
                               "rejected", "already_applied"]
    assert [r.get("reason") for r in again.json()["results"]] == [r.get("reason") for r in results]
    assert Measurement.objects.count() == 1 and ImmunizationRecord.objects.count() == 1


def test_a_batch_that_fails_as_a_whole_is_answered_one_item_at_a_time(client, kader_miji, family_miji,
                                                                     monkeypatch, caplog):
    aisyah = family_miji.members.get(full_name="Aisyah Putri")

    def broken(**kwargs):
        raise RuntimeError("the batch service broke")

    monkeypatch.setattr(record_batch, "measurements_record_batch", broken)
    too_heavy = _weighing(aisyah.pk, 95.0)
    response = push(client, auth(kader_miji), [_weighing(aisyah.pk, 11.0), too_heavy, _dose(aisyah.pk, "bcg")])
    assert statuses(response) == ["created", "rejected", "created"]
    assert "one by one" in caplog.text  # the batch was tried, rolled back, and the items redone singly
    assert Measurement.objects.filter(person=aisyah).count() == 1
    assert ImmunizationRecord.objects.filter(person=aisyah, dose="bcg").count() == 1
    assert SyncReceipt.objects.count() == 3
