"""Monthly activity recap against hand counts: the page (per posyandu, per desa, total) and the section of
the monthly report (posyandu report, desa summary, Excel and the print template).

November 2026, by hand (people served = children + adults + elderly):
  Melati (Miji)  A1 kesehatan+sosial 12+20+5 = 37;  A2 kesehatan 0+10+0 = 10
  Anggrek (Miji) A3 pendidikan 25+0+0 = 25
  Mawar (Meri)   A4 perumahan+pekerjaan_umum 0+8+2 = 10
  outside: Melati in October (kesehatan, 99); Jepara in November (sosial, 50)
Melati: kesehatan 2 activities / 47 people, sosial 1 / 37, all 2 / 47 (A1 once).
Desa Miji: kesehatan 2/47, sosial 1/37, pendidikan 1/25, all 3/72.
Kota Mojokerto: + perumahan 1/10, pekerjaan umum 1/10, all 4/82; trantibumlinmas 0/0.
"""

import datetime as dt
import io

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import load_workbook

from conftest import MIJI, make_posyandu
from simpul.accounts.models import Membership
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.activities import recap
from simpul.activities.tests.kit import record
from simpul.regions.models import Region
from simpul.reports.exports import build_xlsx, header_rows
from simpul.reports.selectors import live_sections, summary_view

pytestmark = pytest.mark.django_db
NOVEMBER = dt.date(2026, 11, 1)


def _n(children=0, adults=0, elderly=0):
    return {
        "served_children": children,
        "served_adults": adults,
        "served_elderly": elderly,
        "served_disability": 0,
    }


@pytest.fixture
def month(kader_miji, kader_meri, kader_jepara, posyandu_miji, posyandu_meri, posyandu_jepara):
    anggrek = make_posyandu(MIJI, "Posyandu Anggrek Miji")
    Membership.objects.create(user=kader_miji, role=Role.KADER, posyandu=anggrek, fields=["pendidikan"])
    record(
        kader_miji,
        posyandu_miji,
        fields=["kesehatan", "sosial"],
        held_on=dt.date(2026, 11, 3),
        **_n(12, 20, 5),
    )
    record(kader_miji, posyandu_miji, fields=["kesehatan"], held_on=dt.date(2026, 11, 14), **_n(0, 10, 0))
    record(kader_miji, anggrek, fields=["pendidikan"], held_on=dt.date(2026, 11, 10), **_n(25, 0, 0))
    record(
        kader_meri,
        posyandu_meri,
        fields=["perumahan", "pekerjaan_umum"],
        held_on=dt.date(2026, 11, 1),
        **_n(0, 8, 2),
    )
    record(kader_miji, posyandu_miji, fields=["kesehatan"], held_on=dt.date(2026, 10, 31), **_n(99, 0, 0))
    record(kader_jepara, posyandu_jepara, fields=["sosial"], held_on=dt.date(2026, 11, 5), **_n(0, 50, 0))
    return anggrek


def cells(tally):
    return dict(
        zip(
            ["kesehatan", "pendidikan", "pekerjaan_umum", "perumahan", "sosial", "trantibumlinmas", "all"],
            tally.cells(),
            strict=True,
        )
    )


def test_the_city_recap_matches_the_hand_counts(month, pembina_mojokerto, posyandu_miji):
    desas, total = recap.monthly_recap(scope_for(pembina_mojokerto), month=NOVEMBER)
    assert cells(total) == {
        "kesehatan": (2, 47),
        "pendidikan": (1, 25),
        "pekerjaan_umum": (1, 10),
        "perumahan": (1, 10),
        "sosial": (1, 37),
        "trantibumlinmas": (0, 0),
        "all": (4, 82),
    }
    by_code = {d.code: d for d in desas}
    assert set(by_code) == {"3576031002", "3576031003"}
    miji = by_code["3576031002"]
    assert cells(miji.total)["all"] == (3, 72) and cells(miji.total)["kesehatan"] == (2, 47)
    melati = next(r for r in miji.posyandu if r.posyandu_id == posyandu_miji.pk)
    assert cells(melati.tally) == {
        "kesehatan": (2, 47),
        "pendidikan": (0, 0),
        "pekerjaan_umum": (0, 0),
        "perumahan": (0, 0),
        "sosial": (1, 37),
        "trantibumlinmas": (0, 0),
        "all": (2, 47),
    }


def test_the_lurah_sees_only_the_desa_and_a_kader_only_her_posyandu(month, lurah_miji, kader_meri):
    desas, total = recap.monthly_recap(scope_for(lurah_miji), month=NOVEMBER)
    assert [d.code for d in desas] == ["3576031002"] and cells(total)["all"] == (3, 72)
    desas, total = recap.monthly_recap(scope_for(kader_meri), month=NOVEMBER)
    assert cells(total)["all"] == (1, 10) and cells(total)["perumahan"] == (1, 10)


def test_the_recap_page(client, month, pembina_mojokerto, kader_jepara):
    client.force_login(pembina_mojokerto)
    body = client.get("/kegiatan/rekap/?bulan=2026-11").content.decode()
    assert "Posyandu Anggrek Miji" in body and "Posyandu Kenanga Jepara" not in body
    total_row = body.split("data-total>")[1].split("</tr>")[0]
    numbers = [int(x.split(">")[-1]) for x in total_row.split("</th>") if x.split(">")[-1].strip().isdigit()]
    assert numbers == [2, 47, 1, 25, 1, 10, 1, 10, 1, 37, 0, 0, 4, 82]
    client.force_login(kader_jepara)
    body = client.get("/kegiatan/rekap/?bulan=2026-11").content.decode()
    assert "Posyandu Melati Miji" not in body and "Posyandu Kenanga Jepara" in body


def test_the_report_section_of_a_posyandu_and_the_desa_summary(month, posyandu_miji, lurah_miji):
    with translation.override("en"):
        section = next(s for s in live_sections(posyandu_miji, NOVEMBER) if s.key == "activities")
        assert section.columns == ["Activities", "People served"]
        assert section.row("field_kesehatan").values == [2, 47] and section.row("field_sosial").values == [
            1,
            37,
        ]
        assert section.row("all").values == [2, 47] and section.row("field_pendidikan").values == [0, 0]

        data = summary_view(scope_for(lurah_miji), Region.objects.get(code=MIJI), NOVEMBER)
        summed = data.section("activities")
        assert summed.row("all").values == [3, 72] and summed.row("field_pendidikan").values == [1, 25]

        book = load_workbook(io.BytesIO(build_xlsx(data)))
        rows = [[c.value for c in row] for row in book.active.iter_rows()]
        labels = [row[0] for row in rows]
        assert "Activities in the six fields" in labels
        assert rows[labels.index("All activities (each counted once)")][:3] == [
            "All activities (each counted once)",
            3,
            72,
        ]

        html = render_to_string("reports/print.html", {"data": data, "header_rows": header_rows(data)})
        assert "Activities in the six fields" in html and "All activities (each counted once)" in html


def test_counts_for_an_agency_and_a_region_filter(client, month, opd_dinsos, pembina_mojokerto, lurah_miji):
    _desas, total = recap.monthly_recap(scope_for(opd_dinsos), month=NOVEMBER)
    assert cells(total)["all"] == (4, 82)  # counts only: an OPD sees no activity page, but the recap
    client.force_login(pembina_mojokerto)
    body = client.get("/kegiatan/rekap/?bulan=2026-11&wilayah=3576031003").content.decode()
    assert "Posyandu Mawar Meri" in body and "Posyandu Melati Miji" not in body
    client.force_login(lurah_miji)
    assert client.get("/kegiatan/rekap/?bulan=2026-11&wilayah=3576031003").status_code == 404
    assert client.get("/kegiatan/rekap/?bulan=2026-11&wilayah=xyz").status_code == 404
    assert client.get("/kegiatan/rekap/?bulan=2026-11&wilayah=3576031002").status_code == 200
