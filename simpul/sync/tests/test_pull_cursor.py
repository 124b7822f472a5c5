"""Paging is exact: every row once, also when many rows share one timestamp; later pages only send changes."""

import datetime as dt

import pytest

from conftest import person_input
from simpul.accounts.scope import scope_for
from simpul.registry.models import Household
from simpul.registry.services import HouseholdInput, household_register
from simpul.sync.tests.kit import auth, item, pull_all, push, statuses

SAME_MOMENT = dt.datetime(2025, 5, 5, 1, 0, tzinfo=dt.UTC)


@pytest.fixture
def seven_households_at_one_moment(kader_miji, posyandu_miji):
    scope = scope_for(kader_miji)
    for n in range(7):
        household_register(actor=kader_miji, scope=scope, now=SAME_MOMENT, data=HouseholdInput(
            posyandu_id=posyandu_miji.pk, address=f"Jl. Miji {n}",
            members=[person_input(f"Kepala Keluarga {chr(65 + n)}", "M", dt.date(1980, 1, 1), "kepala")]))
    assert Household.objects.filter(updated_at=SAME_MOMENT).count() == 7


@pytest.mark.django_db
def test_first_sync_pages_through_everything_exactly_once(client, kader_miji, seven_households_at_one_moment):
    headers = auth(kader_miji)
    seen = []
    cursor = None
    while True:
        url = "/api/v1/sync/pull?limit=3" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url, **headers).json()
        seen += [("household", r["id"]) for r in body["changes"]["household"]]
        seen += [("person", r["id"]) for r in body["changes"]["person"]]
        assert sum(len(v) for v in body["changes"].values()) <= 3
        cursor = body["next_cursor"]
        if not body["has_more"]:
            break
    # 7 households + 7 heads = 14 rows, no row twice.
    assert len(seen) == 14 and len(set(seen)) == 14


@pytest.mark.django_db
def test_changes_at_one_moment_are_paged_without_loss(client, kader_miji, posyandu_miji):
    headers = auth(kader_miji)
    _rows, _drops, cursor, _ = pull_all(client, headers)
    scope = scope_for(kader_miji)
    made = []
    for n in range(5):
        made.append(household_register(actor=kader_miji, scope=scope, now=SAME_MOMENT, data=HouseholdInput(
            posyandu_id=posyandu_miji.pk, address=f"Jl. Baru {n}",
            members=[person_input(f"Warga Baru {chr(65 + n)}", "F", dt.date(1990, 1, 1), "kepala")])).pk)
    rows, drops, cursor, pages = pull_all(client, headers, cursor, limit=2)
    # 5 households and 5 heads are 10 log rows: 5 pages of 2.
    assert pages == 5
    assert set(rows["household"]) == set(made) and len(rows["person"]) == 5
    # Nothing new: an empty page that keeps the position.
    again, drops, same_cursor, _ = pull_all(client, headers, cursor)
    assert again == {} and drops == [] and same_cursor == cursor


@pytest.mark.django_db
def test_her_own_pushed_records_come_back_with_server_ids(client, kader_miji, family_miji):
    headers = auth(kader_miji)
    _rows, _drops, cursor, _ = pull_all(client, headers)
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    weighing = item("measurement.create", {"person_id": aisyah.pk, "measured_on": "2025-02-01", "weight_kg": 8.4})
    result = push(client, headers, [weighing]).json()["results"][0]
    rows, _drops, _cursor, _ = pull_all(client, headers, cursor)
    assert rows["measurement"][result["id"]]["client_uuid"] == weighing["client_uuid"]
    # Replaying the batch writes no log rows, so the feed stays quiet.
    assert statuses(push(client, headers, [weighing])) == ["already_applied"]
    assert pull_all(client, headers, _cursor)[0] == {}


@pytest.mark.django_db
def test_a_broken_cursor_is_a_field_error(client, kader_miji):
    response = client.get("/api/v1/sync/pull?cursor=bm90LWpzb24", **auth(kader_miji))
    assert response.status_code == 422 and "cursor" in response.json()["errors"]
