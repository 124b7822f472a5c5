"""/api/v1/programmes: list, create, reach, not-reached (masked, logged), activities, attendance, follow-ups;
bad input is a 422 with Bahasa field errors and writes nothing."""

import datetime as dt

import pytest

from conftest import MIJI, bearer
from simpul.audit.models import AccessLog
from simpul.programmes.models import FollowUp, Participation, Programme, ProgrammeActivity
from simpul.programmes.tests.kit import desa_programme, family, today, years_ago

URL = "/api/v1/programmes"


def post(client, url, body, user):
    return client.post(url, body, content_type="application/json", **bearer(user))


@pytest.mark.django_db
def test_create_and_read_back(client, lurah_miji, kader_miji, posyandu_miji, pembina_mojokerto):
    family(kader_miji, posyandu_miji, ("Mbah Darmo", "M", years_ago(70), "kepala"))
    body = {
        "owner_kind": "desa",
        "region_code": MIJI,
        "field": "sosial",
        "name": "Jumat Berkah",
        "kind": "social_aid",
        "target_rule": "lansia",
        "target_params": {"min_age": 65},
        "start_date": (today() - dt.timedelta(days=7)).isoformat(),
    }
    response = post(client, URL, body, lurah_miji)
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert "65" in response.json()["target_text"]
    detail = client.get(f"{URL}/{pk}", **bearer(pembina_mojokerto)).json()
    assert detail["reach"] == {
        "code": "",
        "name": "",
        "eligible": 1,
        "reached": 0,
        "participants": 0,
        "percent": 0.0,
    }
    names = client.get(f"{URL}/{pk}/not-reached", **bearer(pembina_mojokerto)).json()
    assert (
        names["total"],
        names["names_visible"],
        names["rows"][0]["name"],
        names["rows"][0]["person_id"],
    ) == (1, False, "M*** D***", None)
    assert AccessLog.objects.filter(action="programmes.not_reached", object_id=str(pk)).exists()
    assert [p["id"] for p in client.get(URL, **bearer(kader_miji)).json()["items"]] == [pk]


@pytest.mark.django_db
def test_bad_input_is_422_in_bahasa_and_writes_nothing(client, lurah_miji):
    response = post(client, URL, {"owner_kind": "desa", "field": "sosial", "kind": "social_aid"}, lurah_miji)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["name"] == ["Kolom ini wajib diisi."] and errors["start_date"] == ["Kolom ini wajib diisi."]
    response = post(
        client,
        URL,
        {
            "owner_kind": "desa",
            "region_code": MIJI,
            "field": "sosial",
            "name": "X",
            "kind": "social_aid",
            "start_date": "kemarin",
        },
        lurah_miji,
    )
    assert response.json()["errors"]["start_date"] == [
        "Masukkan tanggal yang valid dengan format TTTT-BB-HH."
    ]
    response = post(
        client,
        URL,
        {
            "owner_kind": "desa",
            "region_code": MIJI,
            "field": "sosial",
            "name": "X",
            "kind": "party",
            "start_date": today().isoformat(),
            "target_rule": "age_range",
            "target_params": {"min_age": 30},
        },
        lurah_miji,
    )
    assert response.status_code == 422 and {"kind", "target_params"} <= set(response.json()["errors"])
    response = post(
        client,
        URL,
        {
            "owner_kind": "desa",
            "region_code": MIJI,
            "field": "sosial",
            "name": "X",
            "kind": "other",
            "start_date": today().isoformat(),
            "surprise": 1,
        },
        lurah_miji,
    )
    assert response.status_code == 422 and "surprise" in response.json()["errors"]
    assert not Programme.objects.exists()
    response = client.get(f"{URL}?field=olahraga", **bearer(lurah_miji))
    assert response.status_code == 422 and response.json()["errors"]["field"][0].startswith(
        "Pilih salah satu"
    )


@pytest.mark.django_db
def test_forbidden_owner_is_403_and_unknown_programme_404(client, kader_meri, kader_jepara, lurah_miji):
    body = {
        "owner_kind": "desa",
        "region_code": MIJI,
        "field": "sosial",
        "name": "X",
        "kind": "other",
        "start_date": today().isoformat(),
    }
    assert post(client, URL, body, kader_meri).status_code == 403
    programme, _activity = desa_programme()
    assert client.get(f"{URL}/{programme.pk}", **bearer(kader_jepara)).status_code == 404
    assert client.get(f"{URL}/{programme.pk + 999}", **bearer(lurah_miji)).status_code == 404


@pytest.mark.django_db
def test_activity_attendance_and_follow_up(client, kader_miji, posyandu_miji, kader_meri):
    programme, _first = desa_programme()
    home = family(kader_miji, posyandu_miji, ("Mbah Darmo", "M", years_ago(70), "kepala"))
    darmo = home.members.get()
    response = post(
        client,
        f"{URL}/{programme.pk}/activities",
        {
            "date": today().isoformat(),
            "kind": "distribution",
            "posyandu_id": posyandu_miji.pk,
            "given": "Beras 5 kg",
        },
        kader_miji,
    )
    assert response.status_code == 201
    activity_id = response.json()["id"]
    bad = post(
        client, f"{URL}/{programme.pk}/activities", {"date": today().isoformat(), "kind": "party"}, kader_miji
    )
    assert bad.status_code == 422 and "kind" in bad.json()["errors"]
    url = f"{URL}/{programme.pk}/activities/{activity_id}/participants"
    assert post(client, url, {"attendance": {str(darmo.pk): "attended"}}, kader_meri).status_code == 404
    response = post(client, url, {"attendance": {str(darmo.pk): "attended"}}, kader_miji)
    assert response.json() == {"activity_id": activity_id, "saved": 1, "reached": 1}
    bad = post(client, url, {"attendance": {"abc": "attended"}}, kader_miji)
    assert bad.status_code == 422
    bad = post(client, url, {"attendance": {str(darmo.pk + 999): "attended"}}, kader_miji)
    assert bad.status_code == 422 and "participants" in bad.json()["errors"]
    response = post(
        client,
        f"{URL}/{programme.pk}/follow-ups",
        {"person_id": darmo.pk, "date": today().isoformat(), "outcome": "income_improved"},
        kader_miji,
    )
    assert response.status_code == 201
    bad = post(
        client,
        f"{URL}/{programme.pk}/follow-ups",
        {"person_id": darmo.pk, "date": today().isoformat(), "outcome": "rich", "monthly_income": -5},
        kader_miji,
    )
    assert bad.status_code == 422 and "monthly_income" in bad.json()["errors"]
    assert (
        ProgrammeActivity.objects.filter(programme=programme).count(),
        Participation.objects.count(),
        FollowUp.objects.count(),
    ) == (2, 1, 1)
