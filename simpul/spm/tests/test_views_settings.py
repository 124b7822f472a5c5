"""Tim Pembina's settings pages: forms that set targets, official sasaran and external figures; errors shown
on the form with nothing written; everyone else 403; a row of another kab/kota 404; and the dashboard
showing what was set."""

from __future__ import annotations

import pytest
from django.utils import timezone

from simpul.audit.models import AuditEntry
from simpul.spm.models import ExternalFigure, OfficialSasaran, Target

pytestmark = pytest.mark.django_db


def test_pembina_sets_a_target_through_the_form(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    year = timezone.localdate().year
    response = client.post("/spm/atur/?wilayah=3576", {"region": "357603", "indicator": "kes.balita",
                                                        "year": year, "percent": "92.5"})
    assert response.status_code == 302 and f"tahun={year}" in response["Location"]
    assert Target.objects.get().percent == 92.5
    assert AuditEntry.objects.filter(action="spm.target.set", actor=pembina_mojokerto).count() == 1
    listed = client.get(response["Location"]).content.decode()
    assert "Kranggan" in listed and "92" in listed


def test_a_figure_larger_than_its_sasaran_is_refused_on_the_form(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    today = timezone.localdate()
    response = client.post("/spm/atur/data-luar/", {
        "region": "3576", "indicator": "kes.ibu_bersalin", "year": today.year, "month": today.month,
        "denominator": "10", "numerator": "12", "source": "SIMPUS"})
    assert response.status_code == 400
    assert response.context["form"].errors["numerator"]
    assert not ExternalFigure.objects.exists() and not AuditEntry.objects.exists()


def test_external_figure_form_offers_only_external_indicators(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    form = client.get("/spm/atur/data-luar/").context["form"]
    offered = {code for _group, items in form.fields["indicator"].choices[1:] for code, _label in items}
    assert "kes.ibu_bersalin" in offered and "kes.balita" not in offered


def test_official_sasaran_shows_on_the_dashboard(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    year = timezone.localdate().year
    response = client.post("/spm/atur/sasaran/", {"region": "3576", "indicator": "kes.ibu_hamil", "year": year,
                                                   "count": "321", "source": "Proyeksi Dinkes"})
    assert response.status_code == 302
    assert OfficialSasaran.objects.get().count == 321
    html = client.get("/spm/").content.decode()
    assert "321" in html


@pytest.mark.parametrize("persona", ["camat_kranggan", "lurah_miji", "kader_miji", "kader_jepara", "opd_dinsos",
                                     "bidan_kranggan", "admin_user"])
def test_others_get_403_and_write_nothing(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    year = timezone.localdate().year
    for url in ("/spm/atur/", "/spm/atur/sasaran/", "/spm/atur/data-luar/"):
        assert client.get(url).status_code == 403
    response = client.post("/spm/atur/", {"region": "3576", "indicator": "kes.balita", "year": year,
                                          "percent": "50"})
    assert response.status_code == 403
    assert not Target.objects.exists()


def test_pembina_cannot_open_or_clear_another_kab_kota(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    assert client.get("/spm/atur/?wilayah=3320").status_code == 404
    jepara = Target.objects.create(region_id="3320", indicator="kes.balita", year=2026, percent=90)
    assert client.post(f"/spm/atur/target/{jepara.pk}/hapus/").status_code == 404
    assert client.post("/spm/atur/lain/1/hapus/").status_code == 404
    assert Target.objects.filter(pk=jepara.pk).exists()


def test_pembina_clears_a_row_and_the_target_falls_back(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    own = Target.objects.create(region_id="3576", indicator="kes.balita", year=timezone.localdate().year,
                                percent=90)
    assert client.get(f"/spm/atur/target/{own.pk}/hapus/").status_code == 405
    response = client.post(f"/spm/atur/target/{own.pk}/hapus/")
    assert response.status_code == 302
    assert not Target.objects.exists()
    assert AuditEntry.objects.filter(action="spm.target.cleared").count() == 1
