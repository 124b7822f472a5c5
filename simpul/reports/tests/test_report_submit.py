"""Submitting locks a month: the sections are stored as version 1, a second submit is refused."""

import datetime as dt
import uuid

import pytest

from conftest import MIJI, make_user
from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.reports.data import counts_of, from_snapshot
from simpul.reports.models import MonthlyReport
from simpul.reports.selectors import live_sections, report_view
from simpul.reports.services import report_submit
from simpul.reports.tests.kit import NOW, OCT, weigh

pytestmark = pytest.mark.django_db


def submit(user, posyandu, month=OCT, **extra):
    return report_submit(actor=user, scope=scope_for(user), posyandu=posyandu, month=month, now=NOW, **extra)


def test_it_stores_every_section_as_version_1_and_audits(october, kader_miji, posyandu_miji):
    report = submit(kader_miji, posyandu_miji)
    assert (report.version, report.status, report.month, report.submitted_by, report.reason) == (
        1, "submitted", OCT, kader_miji, "")
    assert counts_of(from_snapshot(report.snapshot)) == counts_of(live_sections(posyandu_miji, OCT))
    assert [s["key"] for s in report.snapshot["sections"]][:2] == ["skdn", "nutrition"]
    entry = AuditEntry.objects.get(action="reports.monthly_report.submitted")
    assert (entry.object_id, entry.region_code, entry.actor) == (str(report.pk), MIJI, kader_miji)
    assert entry.changes == {"posyandu": posyandu_miji.pk, "month": "2026-10-01", "version": 1,
                             "s": 7, "k": 6, "d": 7, "n": 3}


def test_a_second_submit_is_refused_and_nothing_is_written(october, kader_miji, bidan_kranggan, posyandu_miji):
    submit(kader_miji, posyandu_miji)
    before = (MonthlyReport.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as caught:
        submit(bidan_kranggan, posyandu_miji)
    assert caught.value.code == "conflict"
    assert (MonthlyReport.objects.count(), AuditEntry.objects.count()) == before


def test_the_same_client_uuid_returns_the_stored_version(october, kader_miji, posyandu_miji):
    key = uuid.uuid4()
    first = submit(kader_miji, posyandu_miji, client_uuid=str(key))
    again = submit(kader_miji, posyandu_miji, client_uuid=key)
    assert again.pk == first.pk and first.client_uuid == key
    assert AuditEntry.objects.filter(action="reports.monthly_report.submitted").count() == 1


def test_a_client_uuid_of_another_report_or_not_a_uuid_is_refused(october, kader_both, posyandu_miji, posyandu_meri):
    key = uuid.uuid4()
    submit(kader_both, posyandu_meri, client_uuid=key)
    for bad in (key, "not-a-uuid"):
        with pytest.raises(DomainError) as caught:
            submit(kader_both, posyandu_miji, client_uuid=bad)
        assert "client_uuid" in caught.value.field_errors
    assert MonthlyReport.objects.count() == 1


def test_a_nakes_of_the_area_may_submit(october, bidan_kranggan, posyandu_miji):
    assert submit(bidan_kranggan, posyandu_miji).submitted_by == bidan_kranggan


def test_a_viewer_who_does_not_record_health_may_not_submit(october, lurah_miji, camat_kranggan,
                                                            pembina_mojokerto, posyandu_miji):
    for user in (lurah_miji, camat_kranggan, pembina_mojokerto):
        with pytest.raises(DomainError) as caught:
            submit(user, posyandu_miji)
        assert caught.value.code == "forbidden"
    assert MonthlyReport.objects.count() == 0


def test_outsiders_do_not_find_the_posyandu(october, kader_meri, kader_jepara, opd_dinsos, admin_user, posyandu_miji):
    teacher = make_user("kader.guru", "kader", posyandu=posyandu_miji, fields=["pendidikan"])
    for user in (kader_meri, kader_jepara, opd_dinsos, admin_user, teacher):
        with pytest.raises(NotInScope):
            submit(user, posyandu_miji)
    assert MonthlyReport.objects.count() == 0


def test_a_month_that_has_not_started_is_refused(kader_miji, posyandu_miji):
    with pytest.raises(DomainError) as caught:
        submit(kader_miji, posyandu_miji, month=dt.date(2026, 12, 1))
    assert list(caught.value.field_errors) == ["month"]
    assert submit(kader_miji, posyandu_miji, month=dt.date(2026, 11, 1)).month == dt.date(2026, 11, 1)


def test_the_month_is_stored_as_its_first_day(october, kader_miji, posyandu_miji):
    assert submit(kader_miji, posyandu_miji, month=dt.date(2026, 10, 17)).month == OCT


def test_the_submitted_numbers_stay_when_the_data_changes_and_the_page_says_so(october, kader_miji, posyandu_miji):
    report = submit(kader_miji, posyandu_miji)
    stored = counts_of(from_snapshot(report.snapshot))
    assert report_view(scope_for(kader_miji), posyandu_miji, OCT).data.changed_since_submission is False
    weigh(kader_miji, october["Eka"], dt.date(2026, 10, 25), "15.4")  # the absent child came after all
    report.refresh_from_db()
    assert counts_of(from_snapshot(report.snapshot)) == stored
    view = report_view(scope_for(kader_miji), posyandu_miji, OCT)
    assert view.data.changed_since_submission is True
    assert view.data.section("skdn").total("d") == 7  # the page shows the version in force
    live = report_view(scope_for(kader_miji), posyandu_miji, OCT, live=True).data
    assert live.section("skdn").total("d") == 8 and live.section("skdn").total("absent") == 0
