"""The supervision pages: who sees which tickets, and that no ticket shows a person or a confidential need."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from conftest import MIJI
from simpul.audit.models import AccessLog
from simpul.referrals.services.escalation import escalate_stalled
from simpul.referrals.tests.kit import record

OUTSIDERS = ["kader_miji", "kader_meri", "kader_jepara", "opd_dinsos", "opd_perkim", "bidan_kranggan", "admin_user"]
PAGES = ["/rujukan/pantau/", "/rujukan/pantau/kepatuhan/", "/rujukan/pantau/kepatuhan.xlsx"]
DESCRIPTION = "Tebing di belakang rumah retak sejak hujan deras."


@pytest.fixture
def tickets(kader_miji, family_miji, kader_jepara, family_jepara, lurah_miji, camat_kranggan):
    """A month ago: an open need and a confidential one in Miji, one in Jepara; all overdue and escalated."""
    month_ago = timezone.now() - dt.timedelta(days=30)
    made = {
        "open": record(kader_miji, category="trb_rawan_bencana", household=family_miji, now=month_ago,
                       description=DESCRIPTION),
        "secret": record(kader_miji, category="trb_kdrt", household=family_miji, now=month_ago),
        "jepara": record(kader_jepara, category="trb_rawan_bencana", household=family_jepara, now=month_ago),
    }
    escalate_stalled()
    return made


def _page(client, user, url="/rujukan/pantau/"):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["lurah_miji", "camat_kranggan", "pembina_mojokerto"])
def test_supervisors_see_the_overdue_and_escalated_ticket_of_their_area(client, request, tickets, persona):
    html = _page(client, request.getfixturevalue(persona))
    assert html.count(tickets["open"].ticket) == 2  # once as escalated, once as overdue
    assert "Miji" in html


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["lurah_miji", "camat_kranggan", "pembina_mojokerto"])
def test_no_name_no_description_and_no_confidential_ticket_is_ever_listed(client, request, tickets, persona):
    html = _page(client, request.getfixturevalue(persona))
    assert tickets["secret"].ticket not in html
    for secret_text in (DESCRIPTION, "Budi Santoso", "Siti Aminah", "Aisyah", "kader.miji", "Jl. Miji Baru"):
        assert secret_text not in html


@pytest.mark.django_db
def test_the_camat_of_kranggan_does_not_see_jepara(client, tickets, camat_kranggan, pembina_mojokerto):
    assert tickets["jepara"].ticket not in _page(client, camat_kranggan)
    assert tickets["jepara"].ticket not in _page(client, pembina_mojokerto)


@pytest.mark.django_db
def test_a_lurah_sees_only_his_desa(client, tickets, kader_meri, posyandu_meri):
    from conftest import MERI, make_user, register_family

    family_meri = register_family(kader_meri, posyandu_meri, kk="3576030101200009", head="Joko Susilo")
    meri = record(kader_meri, category="trb_rawan_bencana", household=family_meri,
                  now=timezone.now() - dt.timedelta(days=30))
    lurah_meri = make_user("lurah.meri", "desa", region=MERI, is_head=True)
    html = _page(client, lurah_meri)
    assert meri.ticket in html and tickets["open"].ticket not in html


@pytest.mark.django_db
@pytest.mark.parametrize("persona", OUTSIDERS)
def test_users_without_the_monitor_permission_get_403(client, request, tickets, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in PAGES:
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_the_login(client):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/akun/" in response["Location"]


def _due_month(referral) -> str:
    return referral.due_on.strftime("%Y-%m")


@pytest.mark.django_db
def test_the_compliance_page_counts_the_confidential_need_without_listing_it(client, tickets, camat_kranggan):
    month = _due_month(tickets["open"])
    assert _due_month(tickets["secret"]) <= month
    html = _page(client, camat_kranggan, f"/rujukan/pantau/kepatuhan/?bulan={month}")
    assert tickets["secret"].ticket not in html and tickets["open"].ticket not in html
    assert "Miji" in html and "Jepara" not in html


@pytest.mark.django_db
def test_a_bad_month_shows_the_current_month(client, camat_kranggan):
    client.force_login(camat_kranggan)
    for value in ("2026-13", "bulan", "2026", "", "9999-12", "0001-01", "-5-1"):
        response = client.get(f"/rujukan/pantau/kepatuhan/?bulan={value}")
        assert response.status_code == 200
        assert response.context["month"] == timezone.localdate().replace(day=1)


@pytest.mark.django_db
def test_the_excel_export_holds_the_tables_and_is_in_the_access_log(client, tickets, camat_kranggan):
    month = _due_month(tickets["open"])
    client.force_login(camat_kranggan)
    response = client.get(f"/rujukan/pantau/kepatuhan.xlsx?bulan={month}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"kepatuhan-sla-rujukan-{month}.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 2  # agencies and villages: a camat's kecamatan table would repeat the total
    by_desa = [row for row in book.worksheets[1].iter_rows(values_only=True) if row and row[0] == "Miji"]
    due = sum(1 for r in (tickets["open"], tickets["secret"]) if _due_month(r) == month)
    assert by_desa and by_desa[0][1] == due and by_desa[0][4] == due  # due, open and overdue
    cells = " ".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row)
    assert tickets["open"].ticket not in cells and "Jepara" not in cells and "Budi Santoso" not in cells
    log = AccessLog.objects.get(action="export", object_type="referrals.compliance")
    assert log.actor == camat_kranggan and log.object_id == month and log.region_code == "357603"


@pytest.mark.django_db
def test_the_overdue_list_shows_the_stage_clock(client, tickets, camat_kranggan):
    client.force_login(camat_kranggan)
    response = client.get("/rujukan/pantau/")
    row = next(r for r in response.context["overdue"] if r["ticket"] == tickets["open"].ticket)
    assert row["clock"].overdue and row["clock"].days_late > 0 and row["desa__name"] == "Miji"
    assert set(row) >= {"ticket", "category", "desa__name", "agency__short_name", "state_label", "due_on"}
    assert not {"description", "person", "household", "reporter", "citizen_name"} & set(row)
    assert MIJI.startswith("357603")


@pytest.mark.django_db
def test_an_escalated_ticket_is_listed_once_at_its_highest_level(client, tickets, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    rows = [r for r in client.get("/rujukan/pantau/").context["escalations"] if r["ticket"] == tickets["open"].ticket]
    assert [(r["level"], r["working_days_stalled"] > 6) for r in rows] == [("kecamatan", True)]


@pytest.mark.django_db
def test_only_tim_pembina_gets_a_table_per_kecamatan(client, tickets, camat_kranggan, pembina_mojokerto):
    url = f"/rujukan/pantau/kepatuhan/?bulan={_due_month(tickets['open'])}"
    client.force_login(camat_kranggan)
    assert [t["by"] for t in client.get(url).context["tables"]] == ["agency", "desa"]
    client.force_login(pembina_mojokerto)
    tables = client.get(url).context["tables"]
    assert [t["by"] for t in tables] == ["agency", "desa", "kecamatan"]
    assert [(r["label"], r["due"]) for r in tables[2]["rows"]] == [("Kranggan", tables[2]["total"]["due"])]
