"""The programme pages: create, reach, not-reached (masked and logged, with its Excel), attendance, follow-ups,
and the history on the person's and household's page."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from conftest import MIJI
from simpul.audit.models import AccessLog
from simpul.programmes.models import FollowUp, Participation, Programme
from simpul.programmes.tests.kit import desa_programme, family, today, years_ago


@pytest.fixture
def elders(kader_miji, posyandu_miji):
    home = family(
        kader_miji,
        posyandu_miji,
        ("Mbah Darmo", "M", years_ago(70), "kepala"),
        ("Mbah Sumi", "F", years_ago(68), "istri"),
    )
    return home


@pytest.mark.django_db
def test_lurah_creates_a_programme_through_the_form(client, lurah_miji):
    client.force_login(lurah_miji)
    page = client.get("/program/baru/")
    assert f'value="desa:{MIJI}"' in page.content.decode()
    response = client.post(
        "/program/baru/",
        {
            "name": "Jumat Berkah",
            "kind": "social_aid",
            "field": "sosial",
            "place": f"desa:{MIJI}",
            "target_rule": "lansia",
            "min_age": "65",
            "max_age": "",
            "start_date": today().isoformat(),
            "status": "active",
        },
    )
    programme = Programme.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/program/{programme.pk}/"
    assert (programme.owner_kind, programme.region_id, programme.target_params) == (
        "desa",
        MIJI,
        {"min_age": 65},
    )
    bad = client.post(
        "/program/baru/",
        {
            "name": "X",
            "kind": "empowerment_training",
            "field": "sosial",
            "place": f"desa:{MIJI}",
            "start_date": today().isoformat(),
            "status": "active",
        },
    )
    assert bad.status_code == 400 and Programme.objects.count() == 1


@pytest.mark.django_db
def test_reach_and_masked_not_reached_for_tp_posyandu(client, elders, pembina_mojokerto):
    programme, activity = desa_programme()
    Participation.objects.create(activity=activity, person=elders.members.get(full_name="Mbah Darmo"))
    client.force_login(pembina_mojokerto)
    body = client.get(f"/program/{programme.pk}/").content.decode()
    assert "1 of 2 reached" in body or "1 dari 2" in body
    body = client.get(f"/program/{programme.pk}/belum-terjangkau/").content.decode()
    assert "M*** S***" in body and "Mbah Sumi" not in body
    assert AccessLog.objects.filter(action="programmes.not_reached", actor=pembina_mojokerto).count() == 1
    response = client.get(f"/program/{programme.pk}/belum-terjangkau.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "M*** S***" in values and "Mbah Sumi" not in values and "Mbah Darmo" not in values
    assert AccessLog.objects.filter(action="programmes.not_reached_export").count() == 1


@pytest.mark.django_db
def test_kader_records_attendance_and_a_follow_up(client, elders, kader_miji):
    programme, activity = desa_programme()
    darmo, sumi = elders.members.get(full_name="Mbah Darmo"), elders.members.get(full_name="Mbah Sumi")
    client.force_login(kader_miji)
    page = client.get(f"/program/{programme.pk}/kegiatan/{activity.pk}/").content.decode()
    assert f'name="p-{darmo.pk}"' in page and f'name="p-{sumi.pk}"' in page
    response = client.post(
        f"/program/{programme.pk}/kegiatan/{activity.pk}/",
        {f"p-{darmo.pk}": "attended", f"p-{sumi.pk}": "delivered", f"g-{sumi.pk}": "Sembako"},
    )
    assert response.status_code == 302
    assert dict(Participation.objects.values_list("person_id", "status")) == {
        darmo.pk: "attended",
        sumi.pk: "delivered",
    }
    response = client.post(
        f"/program/{programme.pk}/tindak-lanjut/",
        {"person": sumi.pk, "date": today().isoformat(), "outcome": "trained", "note": "Ikut pelatihan"},
    )
    assert response.status_code == 302 and FollowUp.objects.get().person_id == sumi.pk
    # The history shows on the person's and the household's page.
    assert "Jumat Berkah Miji" in client.get(f"/warga/orang/{sumi.pk}/").content.decode()
    household_page = client.get(f"/warga/keluarga/{elders.pk}/").content.decode()
    assert (
        "Jumat Berkah Miji" in household_page
        and f"/program/keluarga/{elders.pk}/penghasilan/" in household_page
    )


@pytest.mark.django_db
def test_a_kader_next_door_cannot_record_here(client, elders, kader_meri):
    programme, activity = desa_programme()
    client.force_login(kader_meri)
    darmo = elders.members.get(full_name="Mbah Darmo")
    response = client.post(f"/program/{programme.pk}/kegiatan/{activity.pk}/", {f"p-{darmo.pk}": "attended"})
    assert response.status_code == 404 and not Participation.objects.exists()


@pytest.mark.django_db
def test_earners_form_asks_the_survey_of_a_household_never_surveyed(client, elders, kader_miji):
    from simpul.registry.models import HouseholdCondition

    client.force_login(kader_miji)
    url = f"/program/keluarga/{elders.pk}/penghasilan/"
    response = client.post(url, {"earners": "tunggal_tak_mampu", "observed_on": today().isoformat()})
    assert response.status_code == 400 and not HouseholdCondition.objects.exists()
    response = client.post(
        url,
        {
            "earners": "tunggal_tak_mampu",
            "observed_on": today().isoformat(),
            "house": "layak",
            "water_source": "sumur_bor",
            "sanitation": "sendiri_septik",
        },
    )
    assert response.status_code == 302
    row = HouseholdCondition.objects.get()
    assert (row.earners, row.water_source) == ("tunggal_tak_mampu", "sumur_bor")
    # Later: the rest of the picture is copied from the previous observation.
    client.post(url, {"earners": "tunggal", "observed_on": (today()).isoformat()})
    latest = HouseholdCondition.objects.order_by("-pk").first()
    assert (latest.earners, latest.water_source, latest.sanitation) == (
        "tunggal",
        "sumur_bor",
        "sendiri_septik",
    )
    future = client.post(
        url, {"earners": "tunggal", "observed_on": (today() + dt.timedelta(days=2)).isoformat()}
    )
    assert future.status_code == 400 and HouseholdCondition.objects.count() == 2


@pytest.mark.django_db
def test_the_household_page_offers_programmes_to_a_family_whose_earner_stopped(
    client, kader_miji, posyandu_miji, kader_meri
):
    from simpul.programmes.tests.kit import condition

    home = family(
        kader_miji,
        posyandu_miji,
        ("Joko", "M", years_ago(45), "kepala"),
        ("Ani", "F", years_ago(40), "istri"),
        ("Rina", "F", years_ago(12), "anak"),
    )
    condition(home, earners="tunggal_tak_mampu")
    training, _activity = desa_programme(rule="single_earner")
    training.name = "Pelatihan Menjahit"
    training.save()
    desa_programme(rule="lansia")  # nobody here is 60: not offered
    client.force_login(kader_miji)
    body = client.get(f"/warga/keluarga/{home.pk}/").content.decode()
    assert "Pelatihan Menjahit</a> — Ani" in body and "Jumat Berkah Miji" not in body
    # Once Ani took part, it is history, not an offer.
    Participation.objects.create(activity=training.activities.get(), person=home.members.get(full_name="Ani"))
    body = client.get(f"/warga/keluarga/{home.pk}/").content.decode()
    assert "programme-offers" not in body and "Pelatihan Menjahit" in body


@pytest.mark.django_db
def test_kader_exports_names_and_a_desa_filter_narrows_a_kecamatan_list(
    client, elders, kader_miji, kader_meri, posyandu_meri, pembina_mojokerto
):
    from conftest import KRANGGAN, MERI

    family(kader_meri, posyandu_meri, ("Mbah Sri", "F", years_ago(80), "kepala"))
    wide = Programme.objects.create(
        owner_kind="tp_posyandu",
        region_id=KRANGGAN,
        field="sosial",
        name="Lansia",
        kind="elderly_empowerment",
        target_rule="lansia",
        start_date=today(),
    )
    client.force_login(kader_miji)
    sheet = load_workbook(io.BytesIO(client.get(f"/program/{wide.pk}/belum-terjangkau.xlsx").content)).active
    values = {cell for row in sheet.iter_rows(values_only=True) for cell in row if cell}
    assert {"Mbah Darmo", "Mbah Sumi", "M*** S***"} <= values and "Mbah Sri" not in values
    client.force_login(pembina_mojokerto)
    body = client.get(f"/program/{wide.pk}/belum-terjangkau/?desa={MERI}").content.decode()
    assert body.count("M*** S***") == 1 and "M*** D***" not in body


@pytest.mark.django_db
def test_reach_as_of_an_earlier_day(client, elders, lurah_miji):
    programme, activity = desa_programme()
    Participation.objects.create(activity=activity, person=elders.members.get(full_name="Mbah Darmo"))
    client.force_login(lurah_miji)
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    response = client.get(f"/program/{programme.pk}/?per={yesterday}")
    assert response.context["reach"].total.eligible == 0  # they were registered today
    assert client.get(f"/program/{programme.pk}/?per=kemarin").context["on"] == today()


@pytest.mark.django_db
def test_the_list_counts_people_reached(client, elders, camat_kranggan):
    programme, activity = desa_programme()
    darmo, sumi = elders.members.get(full_name="Mbah Darmo"), elders.members.get(full_name="Mbah Sumi")
    Participation.objects.create(activity=activity, person=darmo)
    Participation.objects.create(activity=activity, person=sumi, status="absent", attended=False)
    second = programme.activities.create(date=today(), kind="distribution")
    Participation.objects.create(activity=second, person=darmo)  # the same person twice counts once
    client.force_login(camat_kranggan)
    [row] = client.get("/program/").context["programmes"]
    assert row.participants == 1
