"""The report pages: show, submit, correct, older versions, the index; who may do what."""

import datetime as dt

import pytest

from conftest import KRANGGAN, MIJI, MOJOKERTO, clock_at, make_user
from simpul.accounts.roles import Role
from simpul.reports.models import MonthlyReport
from simpul.reports.tests.kit import weigh

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_the_test_day():
    # The figures and the report months are of November 2026: the clock is there, whatever the calendar says.
    with clock_at(dt.date(2026, 11, 23)):
        yield


def page(posyandu, month="2026-10", suffix="/"):
    return f"/laporan/posyandu/{posyandu.pk}/{month}{suffix}"


def test_the_kader_sees_the_live_draft_and_may_submit_it(client, october, kader_miji, posyandu_miji):
    client.force_login(kader_miji)
    response = client.get(page(posyandu_miji))
    assert response.status_code == 200
    data = response.context["data"]
    assert (data.status, data.version, data.section("skdn").total("s")) == ("draft", None, 7)
    assert response.context["can_submit"] and not response.context["can_correct"]
    assert f'action="{page(posyandu_miji, suffix="/kirim/")}"'.encode() in response.content
    assert b'data-row="skdn.d"' in response.content


def test_submit_locks_the_month_and_a_second_submit_is_refused(client, october, kader_miji, posyandu_miji):
    client.force_login(kader_miji)
    response = client.post(page(posyandu_miji, suffix="/kirim/"))
    assert response.status_code == 302 and response.url == page(posyandu_miji)
    report = MonthlyReport.objects.get()
    assert (report.version, report.submitted_by) == (1, kader_miji)
    shown = client.get(page(posyandu_miji))
    assert shown.context["data"].status == "submitted" and not shown.context["can_submit"]
    assert shown.context["can_correct"]
    again = client.post(page(posyandu_miji, suffix="/kirim/"), follow=True)
    assert MonthlyReport.objects.count() == 1
    assert [m.level_tag for m in again.context["messages"]] == ["error"]


def test_a_viewer_sees_the_report_but_may_not_submit(client, october, lurah_miji, posyandu_miji):
    client.force_login(lurah_miji)
    response = client.get(page(posyandu_miji))
    assert response.status_code == 200 and not response.context["can_submit"]
    assert b"/kirim/" not in response.content
    assert client.post(page(posyandu_miji, suffix="/kirim/")).status_code == 403
    assert client.post(page(posyandu_miji, suffix="/koreksi/"), {"reason": "x"}).status_code == 403
    assert MonthlyReport.objects.count() == 0


def test_outsiders_get_not_found_everywhere(client, october, kader_meri, kader_jepara, opd_dinsos, posyandu_miji):
    for user in (kader_meri, kader_jepara, opd_dinsos):
        client.force_login(user)
        for suffix in ("/", ".xlsx", ".pdf"):
            assert client.get(page(posyandu_miji, suffix=suffix)).status_code == 404, (user, suffix)
        assert client.post(page(posyandu_miji, suffix="/kirim/")).status_code == 404
    assert MonthlyReport.objects.count() == 0


def test_a_data_change_shows_a_notice_and_a_correction_makes_version_2(client, october, kader_miji, posyandu_miji):
    client.force_login(kader_miji)
    client.post(page(posyandu_miji, suffix="/kirim/"))
    weigh(kader_miji, october["Eka"], dt.date(2026, 10, 25), "15.4")
    shown = client.get(page(posyandu_miji))
    assert shown.context["data"].changed_since_submission and shown.context["data"].version == 1
    assert b"?versi=draf" in shown.content
    live = client.get(page(posyandu_miji) + "?versi=draf")
    assert live.context["data"].status == "draft" and live.context["data"].section("skdn").total("d") == 8

    refused = client.post(page(posyandu_miji, suffix="/koreksi/"), {"reason": "   "})
    assert refused.status_code == 400 and "reason" in refused.context["correction_form"].errors
    assert MonthlyReport.objects.count() == 1

    done = client.post(page(posyandu_miji, suffix="/koreksi/"), {"reason": "Eka ditimbang di rumah"})
    assert done.status_code == 302
    current = client.get(page(posyandu_miji))
    assert (current.context["data"].version, current.context["data"].changed_since_submission) == (2, False)
    old = client.get(page(posyandu_miji) + "?versi=1")
    assert (old.context["data"].status, old.context["data"].section("skdn").total("d")) == ("superseded", 7)
    assert [v.version for v in old.context["versions"]] == [1, 2]


def test_unknown_versions_and_months_are_not_found(client, october, kader_miji, posyandu_miji):
    client.force_login(kader_miji)
    for query in ("?versi=3", "?versi=0", "?versi=abc"):
        assert client.get(page(posyandu_miji) + query).status_code == 404, query
    for month in ("2026-13", "2026-00", "26-10"):
        assert client.get(page(posyandu_miji, month=month)).status_code == 404, month
    assert client.get("/laporan/posyandu/999999/2026-10/").status_code == 404


def test_the_index_lists_what_the_user_may_see(client, october, kader_miji, camat_kranggan, opd_dinsos,
                                               posyandu_miji, posyandu_meri):
    client.force_login(kader_miji)
    response = client.get("/laporan/?bulan=2026-10")
    assert response.context["month"] == dt.date(2026, 10, 1)
    assert [row["posyandu"] for row in response.context["rows"]] == [posyandu_miji, posyandu_meri]  # kader of both
    assert response.context["regions"] == []  # a kader's grant is a posyandu, not a desa
    client.force_login(camat_kranggan)
    response = client.get("/laporan/?bulan=bukan-bulan")
    assert response.context["month"] == dt.date(2026, 11, 1)
    codes = [r.code for r in response.context["regions"]]
    assert KRANGGAN in codes and MIJI in codes and MOJOKERTO not in codes
    client.force_login(opd_dinsos)
    response = client.get("/laporan/")
    assert response.status_code == 200 and response.context["rows"] == [] and response.context["regions"] == []


def test_who_sees_which_region_summary(client, october, kader_miji, lurah_miji, camat_kranggan, bidan_kranggan,
                                       pembina_mojokerto, opd_dinsos, kader_jepara, admin_user):
    dinkes = make_user("opd.dinkes", Role.OPD, region=MOJOKERTO, fields=["kesehatan"])
    allowed = {
        MIJI: {lurah_miji, camat_kranggan, bidan_kranggan, pembina_mojokerto, dinkes},
        KRANGGAN: {camat_kranggan, bidan_kranggan, pembina_mojokerto, dinkes},
        MOJOKERTO: {pembina_mojokerto, dinkes},
    }
    everyone = {kader_miji, lurah_miji, camat_kranggan, bidan_kranggan, pembina_mojokerto, opd_dinsos, kader_jepara,
                admin_user, dinkes}
    for code, users in allowed.items():
        for user in everyone:
            client.force_login(user)
            status = client.get(f"/laporan/wilayah/{code}/2026-10/").status_code
            assert status == (200 if user in users else (403 if user is admin_user else 404)), (code, user, status)
    client.force_login(pembina_mojokerto)
    assert client.get("/laporan/wilayah/35.76.03.1002/2026-10/").status_code == 200  # dotted codes work too
    assert client.get("/laporan/wilayah/35/2026-10/").status_code == 404  # no province summary


def test_the_region_summary_counts_posyandu_that_exist_and_submitted(client, october, kader_both, camat_kranggan,
                                                                     posyandu_miji, posyandu_meri):
    client.force_login(kader_both)
    client.post(page(posyandu_meri, suffix="/kirim/"))
    client.force_login(camat_kranggan)
    data = client.get(f"/laporan/wilayah/{KRANGGAN}/2026-10/").context["data"]
    assert (data.posyandu_total, data.posyandu_reported) == (2, 1)
    by_desa = {b.region_code: (b.posyandu_total, b.posyandu_reported, b.values[0]) for b in data.breakdown}
    assert by_desa[MIJI] == (1, 0, 7) and by_desa["3576031003"] == (1, 1, 1)
    assert data.section("skdn").total("s") == 8 and data.section("skdn").total("absent") == 2


def test_the_summary_uses_a_submitted_version_not_the_live_data(client, october, kader_both, camat_kranggan,
                                                                posyandu_meri):
    client.force_login(kader_both)
    client.post(page(posyandu_meri, suffix="/kirim/"))  # Meri: Hana in S and K, nobody weighed
    hana = october["Hana"]
    hana.refresh_from_db()  # she lives in Meri since 20 October
    weigh(kader_both, hana, dt.date(2026, 10, 28), "10.4")  # weighed at Meri now: her latest weighing this month
    client.force_login(camat_kranggan)
    skdn = client.get(f"/laporan/wilayah/{KRANGGAN}/2026-10/").context["data"].section("skdn")
    # Miji's live D lost Hana (7 → 6); Meri's submitted version still says 0 (its live data says 1).
    assert skdn.total("d") == 6
