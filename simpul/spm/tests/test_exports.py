"""Excel exports opened back with openpyxl and compared with figures worked out by hand from the records the
test creates (families registered and screened through the services, counters refreshed after commit).

The kab/kota (Kota Mojokerto) in these tests:
  Kec. Prajuritkulon (357601): one family in Desa Prajuritkulon, nobody screened.
  Kec. Magersari (357602): nobody registered.
  Kec. Kranggan (357603): one family in Miji (Siti screened), one in Meri (Budi and Siti screened).
Each family: Budi (b. 1985) and Siti (b. 1988), both 15–59, and Aisyah (b. 2024), under five.
"""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from conftest import MIJI, make_posyandu, make_user, register_family
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.audit.models import AccessLog
from simpul.screening.services import ScreeningInput, screening_record
from simpul.spm.models import ExternalFigure, Target

pytestmark = pytest.mark.django_db
PRAJURITKULON_DESA = "3576011006"


def screen(user, person):
    screening_record(actor=user, scope=scope_for(user), person=person,
                     data=ScreeningInput(screened_on=timezone.localdate(), weight_kg="60", height_cm="160",
                                         systolic=120, diastolic=80))


@pytest.fixture
def city(kader_miji, posyandu_miji, kader_meri, posyandu_meri, django_capture_on_commit_callbacks):
    posyandu_pk = make_posyandu(PRAJURITKULON_DESA, "Posyandu Anggrek Prajuritkulon")
    kader_pk = make_user("kader.pk", Role.KADER, posyandu=posyandu_pk)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        miji = register_family(kader_miji, posyandu_miji)
        meri = register_family(kader_meri, posyandu_meri, head="Budi Santoso")
        register_family(kader_pk, posyandu_pk)
        screen(kader_miji, miji.members.get(full_name="Siti Aminah"))
        for person in meri.members.exclude(full_name="Aisyah Putri"):
            screen(kader_meri, person)
    Target.objects.create(region_id="3576", indicator="kes.usia_produktif", year=today.year, percent=90)
    Target.objects.create(region_id="357603", indicator="kes.usia_produktif", year=today.year, percent=80)
    ExternalFigure.objects.create(region_id="357601", indicator="kes.ibu_bersalin", year=today.year,
                                  month=today.month, denominator=10, numerator=9, source="SIMPUS Prajuritkulon")
    return today


def quarter(today) -> str:
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def book(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def rows_from(sheet) -> tuple[int, list, list[list]]:
    """The table under the title and facts (after the first empty row): its 1-based header row, header, rows."""
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(values) if not any(row)) + 1
    return start + 1, values[start], values[start + 1:]


def test_espm_per_kecamatan_matches_the_hand_count(client, pembina_mojokerto, city):
    client.force_login(pembina_mojokerto)
    response = client.get(f"/spm/ekspor/e-spm.xlsx?wilayah=3576&bidang=kesehatan&periode={quarter(city)}")
    sheet = book(response)
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    top = next(i for i, row in enumerate(values) if row[1] and "(kes.ibu_hamil)" in str(row[1]))
    header = values[top]
    lines = {row[0]: row for row in values[top + 2:]}
    assert list(lines)[:3] == ["Prajuritkulon", "Magersari", "Kranggan"]
    total = next(row for name, row in lines.items() if "Kota Mojokerto" in str(name))

    def block(row, code):
        start = next(i for i, cell in enumerate(header) if cell and f"({code})" in str(cell))
        return row[start:start + 4]

    # kes.usia_produktif — Prajuritkulon 0 of 2 (target 90 from the kab/kota); Magersari nobody (no percent);
    # Kranggan 1 (Miji) + 2 (Meri) of 2 + 2 = 3/4 = 0.75 with its own target 80; the city 3/6 = 0.5, target 90.
    assert block(lines["Prajuritkulon"], "kes.usia_produktif") == [2, 0, 0.0, 0.9]
    assert block(lines["Magersari"], "kes.usia_produktif") == [0, 0, None, 0.9]
    assert block(lines["Kranggan"], "kes.usia_produktif") == [4, 3, 0.75, 0.8]
    assert block(total, "kes.usia_produktif") == [6, 3, 0.5, 0.9]
    # kes.balita — one Aisyah per family, never weighed: Prajuritkulon 0/1, Kranggan 0/2, city 0/3.
    assert block(lines["Kranggan"], "kes.balita")[:3] == [2, 0, 0.0]
    assert block(total, "kes.balita")[:3] == [3, 0, 0.0]
    # kes.ibu_bersalin comes from SIMPUS for Prajuritkulon only: 9/10; Kranggan has none; the city sums 9/10.
    assert block(lines["Prajuritkulon"], "kes.ibu_bersalin")[:3] == [10, 9, 0.9]
    assert block(lines["Kranggan"], "kes.ibu_bersalin")[:3] == [None, None, None]
    assert block(total, "kes.ibu_bersalin")[:3] == [10, 9, 0.9]
    # Percent cells are numbers formatted as percent; every indicator of the field has its block of 4.
    row_index = top + 2 + list(lines).index("Kranggan") + 1
    start = next(i for i, cell in enumerate(header) if cell and "(kes.usia_produktif)" in str(cell))
    assert sheet.cell(row=row_index, column=start + 3).number_format == "0.0%"
    assert sum(1 for cell in header if cell and "(kes." in str(cell)) == 12  # the 12 health service types
    log = AccessLog.objects.get(action="export")
    assert (log.object_type, log.region_code, log.actor) == ("spm.espm", "3576", pembina_mojokerto)


def test_espm_refuses_a_field_the_user_does_not_see_and_a_non_quarter(client, opd_dinsos, pembina_mojokerto, city):
    client.force_login(opd_dinsos)
    base = f"/spm/ekspor/e-spm.xlsx?wilayah=3576&periode={quarter(city)}"
    assert client.get(base + "&bidang=kesehatan").status_code == 404
    sheet = book(client.get(base + "&bidang=sosial"))
    assert any("(sos.lansia_telantar)" in str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    client.force_login(pembina_mojokerto)
    assert client.get(f"/spm/ekspor/e-spm.xlsx?wilayah=3576&bidang=kesehatan&periode={city.year}").status_code \
        == 404


def test_achievement_of_the_kecamatan(client, camat_kranggan, city):
    client.force_login(camat_kranggan)
    sheet = book(client.get("/spm/ekspor/capaian.xlsx?wilayah=357603"))
    at, header, rows = rows_from(sheet)
    line = next(row for row in rows if row[1] == "kes.usia_produktif")
    # 3 of 4 screened in Kranggan (see the module docstring), target 80 % set for the kecamatan.
    assert line[3:8] == [4, 3, 0.75, 0.8, 0]
    assert len(rows) == 29
    percent_cell = sheet.cell(row=at + 1 + [r[1] for r in rows].index("kes.usia_produktif"), column=6)
    assert percent_cell.number_format == "0.0%"
    assert AccessLog.objects.get(action="export").object_type == "spm.achievement"


def test_breakdown_by_kecamatan(client, pembina_mojokerto, city):
    client.force_login(pembina_mojokerto)
    sheet = book(client.get("/spm/ekspor/per-wilayah.xlsx?wilayah=3576&bidang=kesehatan"))
    _at, header, rows = rows_from(sheet)
    found = {(row[0], row[3]): row for row in rows}
    assert found[("Kranggan", "kes.usia_produktif")][5:9] == [4, 3, 0.75, 0.8]
    assert found[("Prajuritkulon", "kes.usia_produktif")][5:9] == [2, 0, 0.0, 0.9]
    assert found[("Magersari", "kes.usia_produktif")][5:8] == [0, 0, None]
    assert {row[0] for row in rows} == {"Prajuritkulon", "Magersari", "Kranggan"}
    assert all(row[3].startswith("kes.") for row in rows)  # the field filter carries into the export


def test_unserved_list_names_for_the_kader_masked_for_the_camat(client, kader_miji, camat_kranggan,
                                                                 posyandu_miji, city):
    client.force_login(kader_miji)
    url = "/spm/indikator/kes.usia_produktif/belum-terlayani.xlsx"
    sheet = book(client.get(f"{url}?posyandu={posyandu_miji.pk}"))
    _at, header, rows = rows_from(sheet)
    # In Miji only Siti was screened: Budi is the one unserved.
    assert [row[1] for row in rows] == ["Budi Santoso"]
    assert rows[0][6]  # what is missing, in words
    client.force_login(camat_kranggan)
    sheet = book(client.get(f"{url}?wilayah={MIJI}"))
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "B*** S***" in values and "Budi Santoso" not in values
    logs = list(AccessLog.objects.filter(action="export", object_type="spm.unserved").order_by("pk"))
    assert [log.actor for log in logs] == [kader_miji, camat_kranggan]
