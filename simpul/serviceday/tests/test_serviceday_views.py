"""The five steps as pages: a kader of Miji runs the day; others see only what they may."""

import datetime as dt

import pytest
from django.utils import timezone

from simpul.accounts.scope import scope_for
from simpul.audit.models import AccessLog
from simpul.health.models import Measurement
from simpul.serviceday.models import Attendance, DayAbsence, DayReferral, ServiceDay, ServiceGiven
from simpul.serviceday.services import day_open, day_schedule
from simpul.serviceday.tests.kit import family_with_children

pytestmark = pytest.mark.django_db


@pytest.fixture
def today_day(kader_miji, posyandu_miji):
    scope = scope_for(kader_miji)
    day = day_schedule(actor=kader_miji, scope=scope, posyandu=posyandu_miji, held_on=timezone.localdate())
    return day_open(actor=kader_miji, scope=scope, day=day)


def test_a_kader_schedules_a_day_from_the_posyandu_page(client, kader_miji, posyandu_miji):
    client.force_login(kader_miji)
    held_on = timezone.localdate() + dt.timedelta(days=10)
    response = client.post(f"/hari-buka/posyandu/{posyandu_miji.pk}/", {"held_on": held_on.isoformat(),
                                                                        "place": "Balai RW"})
    assert response.status_code == 302
    assert ServiceDay.objects.get().held_on == held_on


def test_a_bad_date_shows_the_form_again_with_a_message(client, kader_miji, posyandu_miji):
    client.force_login(kader_miji)
    response = client.post(f"/hari-buka/posyandu/{posyandu_miji.pk}/", {"held_on": "2020-01-01"})
    assert response.status_code == 400
    assert response.context["form"].errors["held_on"]
    assert not ServiceDay.objects.exists()


def test_the_five_steps_run_from_registration_to_results(client, kader_miji, posyandu_miji, today_day):
    people = family_with_children(kader_miji, posyandu_miji)
    client.force_login(kader_miji)
    day = today_day
    register = client.get(f"/hari-buka/{day.pk}/daftar/")
    assert register.status_code == 200 and "Aisyah Putri" in register.content.decode()
    assert client.post(f"/hari-buka/{day.pk}/hadir/{people['aisyah'].pk}/").status_code == 302
    assert Attendance.objects.filter(day=day, person=people["aisyah"]).exists()

    page = client.get(f"/hari-buka/{day.pk}/ukur/{people['aisyah'].pk}/")
    assert page.status_code == 200
    saved = client.post(f"/hari-buka/{day.pk}/ukur/{people['aisyah'].pk}/", {
        "weight_kg": "11.8", "length_height_cm": "88.0", "position": "standing",
        "client_uuid": "7f2b8a10-4444-4d4d-8e8e-000000000001"})
    assert saved.status_code == 302
    m = Measurement.objects.get(person=people["aisyah"])
    assert m.measured_on == day.held_on and m.z_wfa is not None  # z-scores computed on saving
    measure = client.get(f"/hari-buka/{day.pk}/ukur/").content.decode()
    assert "11.80 kg" in measure or "11,80 kg" in measure
    assert client.get(f"/hari-buka/{day.pk}/catat/").status_code == 200

    assert client.get(f"/hari-buka/{day.pk}/layanan/").status_code == 200
    response = client.post(f"/hari-buka/{day.pk}/layanan/{people['aisyah'].pk}/", {
        f"p{people['aisyah'].pk}-kind": "counselling", f"p{people['aisyah'].pk}-note": "MP-ASI"})
    assert response.status_code == 302
    assert ServiceGiven.objects.filter(day=day, kind="counselling").count() == 1

    response = client.post(f"/hari-buka/{day.pk}/penyuluhan/", {"topics": ["breastfeeding", "stunting"],
                                                                "participants": "12"})
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.counselling_topics == ["breastfeeding", "stunting"]

    assert client.post(f"/hari-buka/{day.pk}/tutup/").status_code == 302
    day.refresh_from_db()
    assert day.status == "closed"
    results = client.get(f"/hari-buka/{day.pk}/hasil/").content.decode()
    assert "Dimas Arya" in results  # an absent under-five: home visit
    assert DayAbsence.objects.filter(day=day, person=people["dimas"]).exists()
    assert AccessLog.objects.filter(object_type="serviceday.results", actor=kader_miji).exists()


def test_a_bad_measurement_on_the_day_is_refused_and_nothing_saved(client, kader_miji, posyandu_miji, today_day):
    people = family_with_children(kader_miji, posyandu_miji)
    client.force_login(kader_miji)
    client.post(f"/hari-buka/{today_day.pk}/hadir/{people['bima'].pk}/")
    response = client.post(f"/hari-buka/{today_day.pk}/ukur/{people['bima'].pk}/", {"weight_kg": "90"})
    assert response.status_code == 400
    assert response.context["form"].errors["weight_kg"]
    assert not Measurement.objects.exists()


def test_a_walk_in_is_registered_on_the_spot(client, kader_miji, posyandu_miji, today_day):
    client.force_login(kader_miji)
    response = client.post(f"/hari-buka/{today_day.pk}/daftar/baru/", {
        "full_name": "Mbah Karto", "sex": "M", "birth_date": "1948-05-05", "household": "",
        "relationship": "anak", "new_address": "Jl. Melati 9", "new_rt": "003", "new_rw": "004"})
    assert response.status_code == 302
    attendance = Attendance.objects.get(day=today_day)
    assert (attendance.person.full_name, attendance.group, attendance.walk_in) == ("Mbah Karto", "lansia", True)


def test_a_walk_in_without_name_shows_the_errors(client, kader_miji, posyandu_miji, today_day):
    client.force_login(kader_miji)
    response = client.post(f"/hari-buka/{today_day.pk}/daftar/baru/", {
        "full_name": "", "sex": "M", "birth_date": "1948-05-05", "relationship": "anak", "new_address": ""})
    assert response.status_code == 400
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("persona", ["kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan", "opd_dinsos",
                                     "pembina_mojokerto"])
def test_others_cannot_open_the_named_steps(request, client, persona, kader_miji, posyandu_miji, today_day):
    family_with_children(kader_miji, posyandu_miji)
    client.force_login(request.getfixturevalue(persona))
    for step in ("daftar", "ukur", "catat", "layanan", "penyuluhan", "hasil"):
        assert client.get(f"/hari-buka/{today_day.pk}/{step}/").status_code in {403, 404}, step
    assert client.post(f"/hari-buka/{today_day.pk}/tutup/").status_code in {403, 404}
    today_day.refresh_from_db()
    assert today_day.status == "open"


def test_the_bidan_sees_the_referral_list_and_records_a_follow_up(client, kader_miji, bidan_kranggan,
                                                                  posyandu_miji, today_day):
    people = family_with_children(kader_miji, posyandu_miji)
    client.force_login(kader_miji)
    client.post(f"/hari-buka/{today_day.pk}/hadir/{people['bima'].pk}/")
    client.post(f"/hari-buka/{today_day.pk}/tutup/")
    referral = DayReferral.objects.get(person=people["bima"])  # no immunisation recorded: overdue
    client.force_login(bidan_kranggan)
    page = client.get("/hari-buka/rujukan/").content.decode()
    assert "Bima Sakti" in page
    assert client.post(f"/hari-buka/rujukan/{referral.pk}/tindak-lanjut/", {"note": "Imunisasi kejar"}).status_code == 302
    referral.refresh_from_db()
    assert referral.follow_up_note == "Imunisasi kejar" and referral.followed_up_by == bidan_kranggan
    assert "Bima Sakti" not in client.get("/hari-buka/rujukan/").content.decode()  # done: off the open list


def test_the_referral_list_of_another_area_is_empty(client, kader_miji, kader_jepara, posyandu_miji, today_day):
    people = family_with_children(kader_miji, posyandu_miji)
    client.force_login(kader_miji)
    client.post(f"/hari-buka/{today_day.pk}/hadir/{people['bima'].pk}/")
    client.post(f"/hari-buka/{today_day.pk}/tutup/")
    client.logout()  # drop the kader's flash messages, which name the child
    client.force_login(kader_jepara)
    assert "Bima Sakti" not in client.get("/hari-buka/rujukan/").content.decode()


def test_the_bidan_validates_the_days_measurements(client, kader_miji, bidan_kranggan, posyandu_miji, today_day):
    people = family_with_children(kader_miji, posyandu_miji)
    client.force_login(kader_miji)
    client.post(f"/hari-buka/{today_day.pk}/hadir/{people['aisyah'].pk}/")
    client.post(f"/hari-buka/{today_day.pk}/ukur/{people['aisyah'].pk}/", {"weight_kg": "11.8"})
    assert client.get(f"/hari-buka/{today_day.pk}/validasi/").status_code in {403, 404}  # the kader cannot
    m = Measurement.objects.get()
    client.force_login(bidan_kranggan)
    assert client.post(f"/hari-buka/{today_day.pk}/validasi/", {"measurement": [str(m.pk)]}).status_code == 302
    m.refresh_from_db()
    assert m.validated_by == bidan_kranggan
