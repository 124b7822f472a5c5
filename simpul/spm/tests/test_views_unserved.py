"""The unserved list page: names for those who may open the records, masked rows for the camat, Tim Pembina
and the desa on health, the reasons in words, pagination, and a log entry on every view."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import MIJI, person_input, register_family
from simpul.audit.models import AccessLog

pytestmark = pytest.mark.django_db

BALITA = "/spm/indikator/kes.balita/belum-terlayani/"


@pytest.fixture
def family(kader_miji, posyandu_miji):
    return register_family(kader_miji, posyandu_miji)


def test_kader_sees_the_childs_name_and_what_is_missing(client, kader_miji, family, posyandu_miji):
    client.force_login(kader_miji)
    response = client.get(f"{BALITA}?posyandu={posyandu_miji.pk}")
    html = response.content.decode()
    assert response.context["result"].names_visible
    assert "Aisyah Putri" in html  # born 2024: under five, never weighed
    entry = response.context["result"].entries[0]
    assert entry.missing and all(m["text"] and m["text"] != m["code"] for m in entry.missing)
    assert 'data-testid="masked-note"' not in html
    log = AccessLog.objects.get(action="spm.unserved")
    assert (log.actor, log.object_id, log.region_code) == (kader_miji, "kes.balita", MIJI)
    assert "names=True" in log.detail


@pytest.mark.parametrize("persona", ["camat_kranggan", "pembina_mojokerto", "lurah_miji"])
def test_roles_without_health_names_see_masked_rows(client, request, persona, family):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(f"{BALITA}?wilayah={MIJI}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aisyah" not in html and "A*** P***" in html
    assert 'data-testid="masked-note"' in html
    assert all(entry.id is None for entry in response.context["result"].entries)
    assert "names=False" in AccessLog.objects.get(action="spm.unserved").detail


def test_the_lurah_sees_names_outside_health(client, lurah_miji, family):
    client.force_login(lurah_miji)
    html = client.get(f"/spm/indikator/pu.air_minum/belum-terlayani/?wilayah={MIJI}").content.decode()
    assert "Budi Santoso" in html  # the household head; the house is not yet surveyed


def test_bidan_sees_names(client, bidan_kranggan, family):
    client.force_login(bidan_kranggan)
    assert "Aisyah Putri" in client.get(f"{BALITA}?wilayah={MIJI}").content.decode()


@pytest.mark.parametrize("url", [f"{BALITA}?wilayah=357603", f"{BALITA}?wilayah=3576",
                                 "/spm/indikator/kes.ibu_bersalin/belum-terlayani/?wilayah=3576031002",
                                 "/spm/indikator/nope/belum-terlayani/?wilayah=3576031002"])
def test_no_list_above_a_desa_nor_for_external_or_unknown_indicators(client, pembina_mojokerto, url):
    client.force_login(pembina_mojokerto)
    assert client.get(url).status_code == 404
    assert not AccessLog.objects.filter(action="spm.unserved").exists()


def test_outsiders_get_404(client, kader_jepara, kader_meri, opd_dinsos, family, posyandu_miji):
    for user in (kader_jepara, kader_meri, opd_dinsos):
        client.force_login(user)
        assert client.get(f"{BALITA}?posyandu={posyandu_miji.pk}").status_code == 404
        assert client.get(f"{BALITA}?wilayah={MIJI}").status_code == 404


def test_the_list_pages_by_fifty(client, kader_miji, posyandu_miji):
    # 26 households of 2 adults aged 15–59, nobody screened: 52 unserved for kes.usia_produktif → pages of
    # 50 and 2.
    adults = [person_input("Ahmad Fauzi", "M", dt.date(1980, 1, 1), "kepala"),
              person_input("Dewi Lestari", "F", dt.date(1982, 2, 2), "istri")]
    for number in range(26):
        register_family(kader_miji, posyandu_miji, head=f"Ahmad {number}", rt=f"{number:03d}", members=adults)
    client.force_login(kader_miji)
    url = f"/spm/indikator/kes.usia_produktif/belum-terlayani/?posyandu={posyandu_miji.pk}"
    first = client.get(url)
    assert (first.context["result"].total, first.context["result"].pages) == (52, 2)
    assert len(first.context["result"].entries) == 50 and first.context["next_url"]
    second = client.get(url + "&halaman=2")
    assert len(second.context["result"].entries) == 2 and second.context["prev_url"]
    assert client.get(url + "&halaman=abc").context["result"].page == 1
    assert AccessLog.objects.filter(action="spm.unserved").count() == 3
