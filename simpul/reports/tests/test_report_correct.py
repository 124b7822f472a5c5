"""A correction stores the live data as the next version with a reason; the earlier version stays."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.health.models import Measurement
from simpul.health.services import MeasurementInput, measurement_correct
from simpul.reports.data import counts_of, from_snapshot
from simpul.reports.models import MonthlyReport
from simpul.reports.selectors import live_sections, report_current, report_versions, report_view
from simpul.reports.services import report_correct, report_submit
from simpul.reports.tests.kit import NOW, OCT, SEP, weigh

pytestmark = pytest.mark.django_db


def submit(user, posyandu, month=OCT):
    return report_submit(actor=user, scope=scope_for(user), posyandu=posyandu, month=month, now=NOW)


def correct(user, posyandu, reason="Eka ditimbang saat kunjungan rumah", month=OCT, **extra):
    return report_correct(actor=user, scope=scope_for(user), posyandu=posyandu, month=month, reason=reason, now=NOW,
                          **extra)


def test_it_makes_version_2_and_keeps_version_1_readable(october, kader_miji, bidan_kranggan, posyandu_miji):
    first = submit(kader_miji, posyandu_miji)
    weigh(kader_miji, october["Eka"], dt.date(2026, 10, 25), "15.4")
    second = correct(bidan_kranggan, posyandu_miji, reason="  Eka   ditimbang di rumah ")
    first.refresh_from_db()
    assert (first.status, second.status, second.version, second.reason) == (
        "superseded", "submitted", 2, "Eka ditimbang di rumah")
    assert counts_of(from_snapshot(second.snapshot)) == counts_of(live_sections(posyandu_miji, OCT))
    scope = scope_for(kader_miji)
    assert report_current(scope, posyandu_miji, OCT) == second
    assert [r.version for r in report_versions(scope, posyandu_miji, OCT)] == [1, 2]
    old = report_view(scope, posyandu_miji, OCT, version=1).data
    assert (old.status, old.version, old.section("skdn").total("d")) == ("superseded", 1, 7)
    new = report_view(scope, posyandu_miji, OCT).data
    assert (new.status, new.version, new.section("skdn").total("d"), new.changed_since_submission) == (
        "submitted", 2, 8, False)
    entry = AuditEntry.objects.get(action="reports.monthly_report.corrected")
    assert entry.changes["supersedes"] == first.pk and entry.changes["version"] == 2 and entry.changes["d"] == 8


def test_correcting_a_weighing_shows_up_in_that_month_and_the_next(october, kader_miji, posyandu_miji):
    submit(kader_miji, posyandu_miji, month=SEP)
    submit(kader_miji, posyandu_miji, month=OCT)
    september = Measurement.objects.get(person=october["Bunga"], measured_on=dt.date(2026, 9, 15))
    measurement_correct(actor=kader_miji, scope=scope_for(kader_miji), measurement=september, now=NOW,
                        data=MeasurementInput(measured_on=dt.date(2026, 9, 15), weight_kg="8.3"), reason="salah ketik")
    scope = scope_for(kader_miji)
    assert report_view(scope, posyandu_miji, SEP).data.changed_since_submission
    assert report_view(scope, posyandu_miji, OCT).data.changed_since_submission
    assert correct(kader_miji, posyandu_miji, month=SEP).version == 2
    october_v2 = correct(kader_miji, posyandu_miji, month=OCT)
    skdn = next(s for s in from_snapshot(october_v2.snapshot) if s.key == "skdn")
    assert skdn.total("two_t") == 0  # Bunga gained in September after the correction: no 2T in October


def test_a_reason_is_required_and_nothing_is_written(october, kader_miji, posyandu_miji):
    submit(kader_miji, posyandu_miji)
    weigh(kader_miji, october["Eka"], dt.date(2026, 10, 25), "15.4")
    before = (MonthlyReport.objects.count(), AuditEntry.objects.count())
    for blank in ("", "   ", None):
        with pytest.raises(DomainError) as caught:
            correct(kader_miji, posyandu_miji, reason=blank)
        assert list(caught.value.field_errors) == ["reason"]
    assert (MonthlyReport.objects.count(), AuditEntry.objects.count()) == before
    assert MonthlyReport.objects.get().status == "submitted"


def test_nothing_to_correct_before_a_submission_or_without_a_change(october, kader_miji, posyandu_miji):
    with pytest.raises(DomainError) as caught:
        correct(kader_miji, posyandu_miji)
    assert caught.value.code == "conflict"
    submit(kader_miji, posyandu_miji)
    with pytest.raises(DomainError) as caught:
        correct(kader_miji, posyandu_miji)
    assert caught.value.code == "conflict"
    assert MonthlyReport.objects.count() == 1


def test_the_same_client_uuid_returns_the_stored_correction(october, kader_miji, posyandu_miji):
    submit(kader_miji, posyandu_miji)
    weigh(kader_miji, october["Eka"], dt.date(2026, 10, 25), "15.4")
    key = "6a0f5a55-0c1f-4d0e-9d59-2d3b8f8b7a10"
    first = correct(kader_miji, posyandu_miji, client_uuid=key)
    assert correct(kader_miji, posyandu_miji, client_uuid=key).pk == first.pk
    assert MonthlyReport.objects.count() == 2


def test_only_the_kader_and_nakes_may_correct(october, kader_miji, lurah_miji, kader_meri, opd_dinsos, posyandu_miji):
    submit(kader_miji, posyandu_miji)
    weigh(kader_miji, october["Eka"], dt.date(2026, 10, 25), "15.4")
    with pytest.raises(DomainError) as caught:
        correct(lurah_miji, posyandu_miji)
    assert caught.value.code == "forbidden"
    for outsider in (kader_meri, opd_dinsos):
        with pytest.raises(NotInScope):
            correct(outsider, posyandu_miji)
    assert MonthlyReport.objects.count() == 1


def test_the_database_refuses_inconsistent_versions(october, kader_miji, posyandu_miji):
    first = submit(kader_miji, posyandu_miji)
    base = {"posyandu": posyandu_miji, "desa_id": posyandu_miji.desa_id, "snapshot": {}, "submitted_by": kader_miji}
    bad = [
        {"month": OCT, "version": 2, "status": "superseded", "reason": ""},  # a correction without a reason
        {"month": OCT, "version": 2, "status": "submitted", "reason": "x"},  # two versions in force
        {"month": OCT, "version": 1, "status": "superseded", "reason": ""},  # the same version twice
        {"month": dt.date(2026, 9, 2), "version": 1, "status": "submitted", "reason": ""},  # not a first day
        {"month": SEP, "version": 0, "status": "submitted", "reason": ""},
        {"month": SEP, "version": 1, "status": "draft", "reason": ""},
    ]
    for values in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            MonthlyReport.objects.create(**base, **values)
    assert list(MonthlyReport.objects.all()) == [first]
