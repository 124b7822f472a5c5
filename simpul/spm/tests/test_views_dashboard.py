"""The SPM dashboard per persona: where it opens, what it shows (figures from counters built through the
records), the breadcrumb that never climbs above the user's area, and who must not see a place or a field."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from conftest import MIJI, register_family
from simpul.accounts.scope import scope_for
from simpul.screening.services import ScreeningInput, screening_record
from simpul.spm import catalogue
from simpul.spm.models import ExternalFigure, Target

pytestmark = pytest.mark.django_db


def screen(user, person):
    return screening_record(actor=user, scope=scope_for(user), person=person,
                            data=ScreeningInput(screened_on=timezone.localdate(), weight_kg="60", height_cm="160",
                                                systolic=120, diastolic=80))


@pytest.fixture
def miji_counted(kader_miji, posyandu_miji, django_capture_on_commit_callbacks):
    """One family in Miji (Budi 1985, Siti 1988, Aisyah 2024); Siti screened today."""
    with django_capture_on_commit_callbacks(execute=True):
        family = register_family(kader_miji, posyandu_miji)
        screen(kader_miji, family.members.get(full_name="Siti Aminah"))
    return family


def line(html: str, code: str) -> str:
    """The markup of one indicator's line on the dashboard."""
    match = re.search(rf'<li class="spm-line" data-indicator="{re.escape(code)}">(.*?)</li>', html, re.S)
    assert match, code
    return match.group(1)


def percent(html: str, code: str) -> str | None:
    found = re.search(r'data-testid="percent">([^<]*)<', line(html, code))
    return found.group(1) if found else None


def test_pembina_sees_all_29_indicators_of_the_kab_kota_with_figures(client, pembina_mojokerto, miji_counted):
    client.force_login(pembina_mojokerto)
    today = timezone.localdate()
    ExternalFigure.objects.create(region_id="3576", indicator="kes.ibu_bersalin", year=today.year,
                                  month=today.month, denominator=40, numerator=38, source="SIMPUS Dinkes")
    html = client.get("/spm/").content.decode()
    assert "Kota Mojokerto" in html
    assert len(re.findall(r'class="spm-line" data-indicator=', html)) == len(catalogue.INDICATORS) == 29
    # Budi and Siti are 15–59, Siti screened: 1 of 2 = 50.0 %.
    assert percent(html, "kes.usia_produktif") == "50,0%"
    assert "1 of 2" in line(html, "kes.usia_produktif") or "1 dari 2" in line(html, "kes.usia_produktif")
    # An external figure names its source; 38 of 40 = 95.0 %. Without a figure: no data yet.
    assert percent(html, "kes.ibu_bersalin") == "95,0%"
    assert "SIMPUS Dinkes" in line(html, "kes.ibu_bersalin")
    assert 'data-testid="no-data"' in line(html, "kes.tb")
    # The household has not been surveyed for water: 1 pending beside an empty denominator.
    assert 'data-testid="pending"' in line(html, "pu.air_minum")
    # Children: the three kecamatan, each a link one level down.
    for code in ("357601", "357602", "357603"):
        assert f"wilayah={code}" in html
    assert 'data-testid="sla-link"' in html
    assert "/spm/atur/" in html


def test_the_target_and_official_sasaran_show_beside_the_figure(client, pembina_mojokerto, miji_counted):
    today = timezone.localdate()
    Target.objects.create(region_id="3576", indicator="kes.usia_produktif", year=today.year, percent=95)
    from simpul.spm.models import OfficialSasaran

    OfficialSasaran.objects.create(region_id="3576", indicator="kes.usia_produktif", year=today.year, count=5)
    client.force_login(pembina_mojokerto)
    text = line(client.get("/spm/").content.decode(), "kes.usia_produktif")
    assert "95%" in text
    # Registration gap: 5 official − (2 counted + 0 pending) = 3.
    assert re.search(r"\b5\b", text) and re.search(r"\b3\b", text)
    assert "spm-bar behind" in text  # 50.0 % is below 95 %


def test_drill_down_shows_the_childrens_figures_and_a_breadcrumb_up(client, pembina_mojokerto, miji_counted,
                                                                     posyandu_miji):
    client.force_login(pembina_mojokerto)
    html = client.get(f"/spm/?wilayah={MIJI}").content.decode()
    crumbs = re.search(r'data-testid="crumbs">(.*?)</p>', html, re.S).group(1)
    assert [name for name in ("Kota Mojokerto", "Kranggan", "Miji") if name in crumbs] == \
        ["Kota Mojokerto", "Kranggan", "Miji"]
    assert f"posyandu={posyandu_miji.pk}" in html
    assert "Posyandu Melati Miji" in html
    # The child row of the posyandu carries its own 1/2.
    assert "1/2" in html
    assert 'data-testid="unserved-link"' in html  # a desa has a list of names behind its figures


def test_camat_opens_at_the_kecamatan_and_never_above_it(client, camat_kranggan, miji_counted):
    client.force_login(camat_kranggan)
    html = client.get("/spm/").content.decode()
    crumbs = re.search(r'data-testid="crumbs">(.*?)</p>', html, re.S).group(1)
    assert "Kranggan" in crumbs and "Mojokerto" not in crumbs
    assert f"wilayah={MIJI}" in html
    assert client.get("/spm/?wilayah=3576").status_code == 404
    assert client.get("/spm/?wilayah=357601").status_code == 404


def test_kader_sees_her_posyandu_only(client, kader_miji, miji_counted, posyandu_meri):
    client.force_login(kader_miji)
    html = client.get("/spm/").content.decode()
    assert "Posyandu Melati Miji" in html
    assert percent(html, "kes.usia_produktif") == "50,0%"
    assert 'data-testid="sla-link"' not in html
    assert 'data-testid="child"' not in html
    assert client.get(f"/spm/?wilayah={MIJI}").status_code == 404
    assert client.get(f"/spm/?posyandu={posyandu_meri.pk}").status_code == 404


def test_kader_of_jepara_never_sees_mojokerto(client, kader_jepara, posyandu_jepara, miji_counted, posyandu_miji):
    client.force_login(kader_jepara)
    html = client.get("/spm/").content.decode()
    assert "Posyandu Kenanga Jepara" in html and "Mojokerto" not in html
    for url in ("/spm/?wilayah=3576", f"/spm/?wilayah={MIJI}", f"/spm/?posyandu={posyandu_miji.pk}",
                "/spm/indikator/kes.usia_produktif/?wilayah=3576", "/spm/ekspor/capaian.xlsx?wilayah=3576"):
        assert client.get(url).status_code == 404, url


def test_opd_sees_only_its_field(client, opd_dinsos, miji_counted):
    client.force_login(opd_dinsos)
    html = client.get("/spm/").content.decode()
    codes = set(re.findall(r'class="spm-line" data-indicator="([^"]+)"', html))
    assert codes == {i.code for i in catalogue.INDICATORS if i.field == "sosial"}
    # Asking for another field shows nothing of it, and its indicator page is a 404.
    asked = client.get("/spm/?bidang=kesehatan").content.decode()
    assert "kes.usia_produktif" not in asked
    assert client.get("/spm/indikator/kes.usia_produktif/?wilayah=3576").status_code == 404


def test_lurah_opens_at_the_desa_with_its_posyandu(client, lurah_miji, miji_counted, posyandu_miji):
    client.force_login(lurah_miji)
    html = client.get("/spm/").content.decode()
    assert "Miji" in html and f"posyandu={posyandu_miji.pk}" in html
    assert percent(html, "kes.usia_produktif") == "50,0%"
    assert client.get("/spm/?wilayah=357603").status_code == 404


def test_bidan_sees_the_kecamatan(client, bidan_kranggan, miji_counted):
    client.force_login(bidan_kranggan)
    html = client.get("/spm/").content.decode()
    assert "Kranggan" in html
    assert percent(html, "kes.usia_produktif") == "50,0%"
    assert 'data-testid="sla-link"' not in html  # the bidan does not supervise referrals


def test_a_bad_period_falls_back_to_this_year_with_a_message(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    response = client.get("/spm/?periode=2026-13")
    assert response.status_code == 200
    assert 'class="alert"' in response.content.decode()
    assert response.context["period"].code == str(timezone.localdate().year)


def test_admin_without_aggregates_gets_403(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/spm/").status_code == 403


def test_the_indicator_page_shows_the_trend_by_month(client, kader_miji, miji_counted, posyandu_miji):
    client.force_login(kader_miji)
    response = client.get(f"/spm/indikator/kes.usia_produktif/?posyandu={posyandu_miji.pk}")
    html = response.content.decode()
    trend = re.search(r'data-testid="trend">(.*?)</table>', html, re.S).group(1)
    # Registered this month: only this month's counter exists, 2 in the sasaran, 1 screened, 50,0 % (decimal comma).
    assert re.findall(r'<td class="num">([^<]*)</td>', trend) == ["2", "1", "50,0%"]
    assert "<svg" in html
