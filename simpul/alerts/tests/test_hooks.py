"""Alerts follow new data: a committed write refreshes the SPM counters, and the refresh evaluates the alerts."""

from __future__ import annotations

import pytest

from simpul.alerts.models import Alert
from simpul.alerts.tests import kit
from simpul.alerts.tests.kit import months_ago

pytestmark = pytest.mark.django_db


def test_a_committed_survey_raises_and_a_later_one_resolves(kader_miji, posyandu_miji,
                                                            django_capture_on_commit_callbacks):
    home = kit.family(kader_miji, posyandu_miji, ("Bayi Ara", "F", months_ago(2), "anak"))
    with django_capture_on_commit_callbacks(execute=True):
        kit.condition(home, house="rtlh")
    [alert] = Alert.objects.filter(household=home, rule="rtlh_baby")
    assert alert.status == Alert.Status.OPEN
    with django_capture_on_commit_callbacks(execute=True):
        kit.condition(home, house="layak")
    alert.refresh_from_db()
    assert (alert.status, alert.close_note) == (Alert.Status.RESOLVED, "facts_gone")


def test_nothing_is_raised_before_commit(kader_miji, posyandu_miji, django_capture_on_commit_callbacks):
    home = kit.family(kader_miji, posyandu_miji, ("Bayi Ara", "F", months_ago(2), "anak"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        kit.condition(home, house="rtlh")
    assert callbacks and not Alert.objects.filter(household=home).exists()
