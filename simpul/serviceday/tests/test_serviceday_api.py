import pytest
from django.utils import timezone

from simpul.api.auth import token_issue
from simpul.serviceday.models import Attendance, ServiceDay, ServiceGiven
from simpul.serviceday.tests.kit import family_with_children

pytestmark = pytest.mark.django_db


def _auth(user):
    raw, _token = token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def running(client, kader_miji, posyandu_miji):
    people = family_with_children(kader_miji, posyandu_miji)
    header = _auth(kader_miji)
    created = client.post("/api/v1/service-days", {"posyandu_id": posyandu_miji.pk,
                                                   "held_on": timezone.localdate().isoformat(),
                                                   "client_uuid": "c0ffee00-5555-4e4e-8f8f-000000000001"},
                          content_type="application/json", **header)
    assert created.status_code == 201
    day_id = created.json()["id"]
    assert client.post(f"/api/v1/service-days/{day_id}/open", **header).status_code == 200
    return people, header, day_id


def test_a_day_is_run_through_the_api_and_retries_change_nothing(client, running):
    people, header, day_id = running
    body = {"person_id": people["citra"].pk, "client_uuid": "c0ffee00-5555-4e4e-8f8f-000000000002"}
    first = client.post(f"/api/v1/service-days/{day_id}/attendance", body, content_type="application/json", **header)
    again = client.post(f"/api/v1/service-days/{day_id}/attendance", body, content_type="application/json", **header)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["group"] == "apras"
    service = {"person_id": people["citra"].pk, "kind": "deworming",
               "client_uuid": "c0ffee00-5555-4e4e-8f8f-000000000003"}
    assert client.post(f"/api/v1/service-days/{day_id}/services", service, content_type="application/json",
                       **header).status_code == 201
    assert client.post(f"/api/v1/service-days/{day_id}/services", service, content_type="application/json",
                       **header).status_code == 200
    assert (Attendance.objects.count(), ServiceGiven.objects.count()) == (1, 1)
    closed = client.post(f"/api/v1/service-days/{day_id}/close", **header)
    assert closed.json()["status"] == "closed"
    detail = client.get(f"/api/v1/service-days/{day_id}", **header).json()
    assert [a["person_id"] for a in detail["attendances"]] == [people["citra"].pk]
    assert {a["person_name"] for a in detail["absences"]} == {"Aisyah Putri", "Bima Sakti", "Dimas Arya"}


def test_bad_input_gets_field_errors_in_bahasa(client, running):
    people, header, day_id = running
    unknown = client.post(f"/api/v1/service-days/{day_id}/services", {"person_id": people["agus"].pk,
                                                                      "kind": "vitamin_a"},
                          content_type="application/json", **header)
    assert unknown.status_code == 422
    assert "person_id" in unknown.json()["errors"]
    client.post(f"/api/v1/service-days/{day_id}/attendance", {"person_id": people["agus"].pk},
                content_type="application/json", **header)
    wrong = client.post(f"/api/v1/service-days/{day_id}/services", {"person_id": people["agus"].pk, "kind": "pmt"},
                        content_type="application/json", **header)
    assert wrong.status_code == 422 and "kind" in wrong.json()["errors"]
    assert not ServiceGiven.objects.exists()


def test_another_area_sees_no_day_and_cannot_touch_it(client, running, kader_jepara, lurah_miji):
    _people, _header, day_id = running
    jepara = _auth(kader_jepara)
    assert client.get("/api/v1/service-days", **jepara).json()["items"] == []
    assert client.get(f"/api/v1/service-days/{day_id}", **jepara).status_code == 404
    assert client.post(f"/api/v1/service-days/{day_id}/close", **jepara).status_code == 404
    lurah = _auth(lurah_miji)
    assert [d["id"] for d in client.get("/api/v1/service-days", **lurah).json()["items"]] == [day_id]
    assert client.get(f"/api/v1/service-days/{day_id}", **lurah).status_code == 404  # names: health only
    assert ServiceDay.objects.get(pk=day_id).status == "open"
