"""The server keeps its own receive time beside the phone's and flags a phone clock far off."""

import datetime as dt

import pytest
from django.utils import timezone

from simpul.sync.models import SyncReceipt
from simpul.sync.services import clock_skew
from simpul.sync.tests.kit import auth, item, push

NOW = dt.datetime(2025, 6, 1, 3, 0, tzinfo=dt.UTC)


def test_limits_are_24_hours_ahead_and_30_days_behind():
    hour, day = dt.timedelta(hours=1), dt.timedelta(days=1)
    assert clock_skew(NOW + 24 * hour, NOW) == ""  # exactly 24 h ahead: still plausible
    assert clock_skew(NOW + 24 * hour + dt.timedelta(seconds=1), NOW) == "future"
    assert clock_skew(NOW - 30 * day, NOW) == ""  # an outbox a month old: still plausible
    assert clock_skew(NOW - 30 * day - dt.timedelta(seconds=1), NOW) == "past"


@pytest.mark.django_db
def test_receipts_store_both_times_and_flag_the_skewed_ones(client, kader_miji, family_miji):
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    now = timezone.now()
    times = {"ok": now - dt.timedelta(hours=3), "future": now + dt.timedelta(days=2),
             "past": now - dt.timedelta(days=45)}
    items = {name: item("measurement.create", {"person_id": aisyah.pk, "measured_on": "2025-02-01",
                                               "weight_kg": 8.4}, device_time=t) for name, t in times.items()}
    results = push(client, auth(kader_miji), list(items.values())).json()["results"]
    assert [r.get("skew") for r in results] == [None, "future", "past"]
    for name, sent in items.items():
        receipt = SyncReceipt.objects.get(client_uuid=sent["client_uuid"])
        assert receipt.device_time == times[name]
        assert abs((receipt.received_at - now).total_seconds()) < 60
        assert receipt.skew_flag == (name != "ok")
        assert receipt.device_id == "hp-kader-01" and receipt.user == kader_miji
