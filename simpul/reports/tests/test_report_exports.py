"""Excel, PDF and screen show the same numbers: the xlsx is read back with openpyxl, the PDF with pypdf.

A test-only section is registered too, so any section another app registers flows through the same way.
"""

import datetime as dt
import io
import re

import openpyxl
import pypdf
import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation

from conftest import KRANGGAN, MIJI
from simpul.audit.models import AccessLog
from simpul.reports import sections
from simpul.reports.sections import Row, Section
from simpul.reports.tests.kit import weigh

pytestmark = pytest.mark.django_db


def extra_builder(posyandu, month):
    """A section of another shape (two columns) with numbers the test knows."""
    return Section(key="test_extra", title="Test section", columns=("A", "B"),
                   rows=(Row("posyandu_id", "Posyandu number", (posyandu.pk, 1)),
                         Row("month", "Month number", (month.month, 1000))))


@pytest.fixture
def extra_section():
    sections.register("test_extra", extra_builder, order=99)
    yield
    sections.unregister("test_extra")


def screen_rows(html: str) -> dict[str, list[str]]:
    """``section.row`` → the cell texts of that row as the page shows them."""
    found = {}
    for key, cells in re.findall(r'<tr[^>]*data-row="([^"]+)"><th scope="row">.*?</th>(.*?)</tr>', html, re.S):
        found[key] = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)]
    return found


def xlsx_sections(content: bytes, data) -> dict[str, list]:
    """Walk the sheet section by section as the page lists them; ``section.row`` → the cell values."""
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    found, at = {}, 0
    for section in data.sections:
        at = next(i for i in range(at, len(rows)) if rows[i][0] == section.title)
        assert list(rows[at + 1][1:len(section.columns) + 1]) == section.columns
        for offset, row in enumerate([*section.rows, *section.ratios]):
            cells = rows[at + 2 + offset]
            assert cells[0] == row.label
            found[f"{section.key}.{row.key}"] = list(cells[1:len(row.values) + 1])
    return found, rows


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def shown(value) -> str:
    with translation.override("id"):
        return "—" if value is None else str(floatformat(value, 1))


def assert_same_everywhere(client, base: str, data) -> str:
    """Screen, Excel and PDF rows equal the page's data object; returns the PDF's text."""
    html = client.get(base).content.decode()
    screen = screen_rows(html)
    xlsx = client.get(base.rstrip("/") + ".xlsx")
    excel, _rows = xlsx_sections(xlsx.content, data)
    text = pdf_text(client.get(base.rstrip("/") + ".pdf").content)
    checked = 0
    for section in data.sections:
        for row in section.rows:
            key = f"{section.key}.{row.key}"
            assert screen[key] == [str(v) for v in row.values], key
            assert excel[key] == row.values and all(type(v) is int for v in excel[key]), key
            assert f"{row.label} {' '.join(str(v) for v in row.values)}" in text, key
            checked += 1
        for ratio in section.ratios:
            key = f"{section.key}.{ratio.key}"
            assert screen[key] == [shown(v) for v in ratio.values], key
            assert excel[key] == ratio.values, key
            assert f"{ratio.label} {' '.join(shown(v) for v in ratio.values)}" in text, key
    assert checked >= 11 + 17 + 2  # SKDN, nutrition and the test section at least
    return text


def test_screen_excel_and_pdf_of_a_posyandu_show_the_same_numbers(client, october, extra_section, kader_miji,
                                                                   posyandu_miji):
    client.force_login(kader_miji)
    base = f"/laporan/posyandu/{posyandu_miji.pk}/2026-10/"
    data = client.get(base).context["data"]
    skdn = data.section("skdn")
    assert (skdn.total("s"), skdn.total("d"), skdn.total("n")) == (7, 7, 3)  # the hand count (test_skdn_section)
    assert data.section("test_extra").rows[0].values == [posyandu_miji.pk, 1]
    assert_same_everywhere(client, base, data)


def test_a_submitted_version_exports_with_its_version_in_the_file_name(client, october, extra_section, kader_miji,
                                                                      posyandu_miji):
    client.force_login(kader_miji)
    base = f"/laporan/posyandu/{posyandu_miji.pk}/2026-10"
    draft = client.get(base + ".xlsx")
    assert draft["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert draft["Content-Disposition"] == 'attachment; filename="laporan-posyandu-posyandu-melati-miji-2026-10-draf.xlsx"'
    client.post(base + "/kirim/")
    xlsx, pdf = client.get(base + ".xlsx"), client.get(base + ".pdf")
    assert xlsx["Content-Disposition"] == 'attachment; filename="laporan-posyandu-posyandu-melati-miji-2026-10-v1.xlsx"'
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="laporan-posyandu-posyandu-melati-miji-2026-10-v1.pdf"'
    data = client.get(base + "/").context["data"]
    _found, rows = xlsx_sections(xlsx.content, data)
    header = {r[0]: r[1] for r in rows[1:10] if r[0]}
    assert header["Posyandu"] == "Posyandu Melati Miji" and header["Kecamatan"] == "Kranggan"
    assert header["Kabupaten/Kota"] == "Kota Mojokerto" and header["Desa/Kelurahan"] == "Miji"
    assert "1" in header["Status"]
    text = pdf_text(pdf.content)
    assert "Posyandu Melati Miji" in text and "Kota Mojokerto" in text
    logged = AccessLog.objects.filter(action="export", object_type="reports.posyandu_report", actor=kader_miji)
    assert sorted(entry.detail for entry in logged) == [
        "laporan-posyandu-posyandu-melati-miji-2026-10-draf.xlsx",
        "laporan-posyandu-posyandu-melati-miji-2026-10-v1.pdf",
        "laporan-posyandu-posyandu-melati-miji-2026-10-v1.xlsx",
    ]


def test_an_older_version_exports_its_own_numbers(client, october, kader_miji, posyandu_miji):
    client.force_login(kader_miji)
    base = f"/laporan/posyandu/{posyandu_miji.pk}/2026-10"
    client.post(base + "/kirim/")
    weigh(kader_miji, october["Eka"], dt.date(2026, 10, 25), "15.4")
    client.post(base + "/koreksi/", {"reason": "Eka ditimbang di rumah"})
    old = client.get(base + "/?versi=1").context["data"]
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(base + ".xlsx?versi=1").content)).active
    d_row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == old.section("skdn").row("d").label)
    assert d_row[13] == 7
    assert client.get(base + ".xlsx?versi=1")["Content-Disposition"].endswith('-2026-10-v1.xlsx"')
    assert client.get(base + ".xlsx?versi=2")["Content-Disposition"].endswith('-2026-10-v2.xlsx"')
    assert client.get(base + ".xlsx?versi=3").status_code == 404


def test_a_region_summary_exports_the_same_numbers_and_its_breakdown(client, october, extra_section, camat_kranggan,
                                                                     posyandu_miji, posyandu_meri):
    client.force_login(camat_kranggan)
    base = f"/laporan/wilayah/{KRANGGAN}/2026-10/"
    data = client.get(base).context["data"]
    assert data.section("skdn").total("s") == 8  # Miji 7 + Meri 1
    assert data.section("test_extra").rows[0].values == [posyandu_miji.pk + posyandu_meri.pk, 2]
    text = assert_same_everywhere(client, base, data)
    xlsx = client.get(base.rstrip("/") + ".xlsx")
    assert xlsx["Content-Disposition"] == 'attachment; filename="laporan-wilayah-357603-kranggan-2026-10.xlsx"'
    _found, rows = xlsx_sections(xlsx.content, data)
    breakdown = {r[0]: r[1:13] for r in rows if r[0] in {"Miji", "Meri"}}
    assert breakdown["Miji"] == (1, 0, *data.breakdown[[b.region_code for b in data.breakdown].index(MIJI)].values)
    assert "Miji 1 0 7 6 7 3 2 1 1 1 1 1" in text  # exist, submitted, S K D N T O B 2T BGM absent
    assert AccessLog.objects.filter(action="export", object_type="reports.region_report", object_id=KRANGGAN).count() == 3
