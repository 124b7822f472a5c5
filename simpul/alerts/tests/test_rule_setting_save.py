"""A kab/kota tunes a rule (parameters, on/off) for itself only; Tim Pembina of that kab/kota, nobody else."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import translation

from conftest import JEPARA, MOJOKERTO
from simpul.accounts.scope import scope_for
from simpul.alerts import rules
from simpul.alerts.models import Alert
from simpul.alerts.services import alerts_evaluate, rule_setting_save
from simpul.alerts.tests import kit
from simpul.alerts.tests.kit import months_ago, years_ago
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope

pytestmark = pytest.mark.django_db


def save(user, region, rule, **kwargs):
    return rule_setting_save(actor=user, scope=scope_for(user), region_code=region, rule=rule, **kwargs)


def test_a_decile_threshold_of_5_applies_in_mojokerto_only(pembina_mojokerto, kader_miji, posyandu_miji,
                                                           kader_jepara, posyandu_jepara):
    save(pembina_mojokerto, "35.76", "newly_poor_school_child", params={"max_decile": 5})
    miji = kit.family(kader_miji, posyandu_miji, ("Rina", "F", years_ago(10), "anak"))
    jepara = kit.family(kader_jepara, posyandu_jepara, ("Sari", "F", years_ago(10), "anak"), head="Slamet")
    kit.condition(miji, decile=5)
    kit.condition(jepara, decile=5)
    alerts_evaluate([posyandu_miji.pk, posyandu_jepara.pk], today=kit.today())
    assert Alert.objects.filter(household=miji, rule="newly_poor_school_child").count() == 1
    assert not Alert.objects.filter(household=jepara).exists()  # Jepara keeps the default: decile ≤ 4
    assert AuditEntry.objects.filter(action="alerts.rule_setting.saved").count() == 1


def test_a_rule_switched_off_raises_nothing_there(pembina_mojokerto, kader_miji, posyandu_miji):
    save(pembina_mojokerto, MOJOKERTO, "rtlh_baby", active=False)
    home = kit.family(kader_miji, posyandu_miji, ("Bayi Ara", "F", months_ago(2), "anak"))
    kit.condition(home, house="rtlh")
    alerts_evaluate([posyandu_miji.pk], today=kit.today())
    assert not Alert.objects.filter(household=home, rule="rtlh_baby").exists()


def test_switching_a_rule_off_closes_its_alerts_as_rule_off_there_only(pembina_mojokerto, kader_miji,
                                                                         posyandu_miji, kader_jepara, posyandu_jepara):
    miji = kit.family(kader_miji, posyandu_miji, ("Bayi Ara", "F", months_ago(2), "anak"))
    jepara = kit.family(kader_jepara, posyandu_jepara, ("Bayi Sari", "F", months_ago(2), "anak"), head="Slamet")
    kit.condition(miji, house="rtlh")
    kit.condition(jepara, house="rtlh")
    alerts_evaluate([posyandu_miji.pk, posyandu_jepara.pk], today=kit.today())
    save(pembina_mojokerto, MOJOKERTO, "rtlh_baby", active=False)
    alerts_evaluate([posyandu_miji.pk, posyandu_jepara.pk], today=kit.today())
    closed = Alert.objects.get(household=miji, rule="rtlh_baby")
    assert (closed.status, closed.close_note) == (Alert.Status.RESOLVED, "rule_off")
    assert Alert.objects.get(household=jepara, rule="rtlh_baby").status == Alert.Status.OPEN  # Jepara's rule is on
    kit.condition(jepara, house="layak")  # the house repaired: its facts are gone
    alerts_evaluate([posyandu_jepara.pk], today=kit.today())
    fixed = Alert.objects.get(household=jepara, rule="rtlh_baby")
    assert (fixed.status, fixed.close_note) == (Alert.Status.RESOLVED, "facts_gone")


def test_the_explanation_shows_the_kabkota_parameters():
    rule = rules.get("newly_poor_school_child")
    with translation.override("en"):
        assert "at most 4" in rules.explanation(rule, {}) and "7–15 years" in rules.explanation(rule, {})
        assert "at most 5" in rules.explanation(rule, {"max_decile": 5})


def test_bad_parameters_are_field_errors(pembina_mojokerto):
    with pytest.raises(DomainError) as caught:
        save(pembina_mojokerto, MOJOKERTO, "newly_poor_school_child",
             params={"max_decile": "empat", "colour": 1, "min_age": 7})
    assert set(caught.value.field_errors) == {"params.max_decile", "params.colour"}
    with pytest.raises(DomainError) as caught:
        save(pembina_mojokerto, MOJOKERTO, "pregnant_at_risk", params={"lila_below_cm": "abc"})
    assert "params.lila_below_cm" in caught.value.field_errors
    with pytest.raises(DomainError) as caught:
        save(pembina_mojokerto, MOJOKERTO, "malnourished_child_no_aid", params={"lhfa": ["tall"]})
    assert "params.lhfa" in caught.value.field_errors
    with pytest.raises(DomainError) as caught:
        save(pembina_mojokerto, MOJOKERTO, "newly_poor_school_child", params={"min_age": 16})  # above max 15
    assert "params.min_age" in caught.value.field_errors


def test_only_the_pembina_of_that_kabkota_may_tune(pembina_mojokerto, kader_miji, camat_kranggan):
    for user, region in ((kader_miji, MOJOKERTO), (camat_kranggan, MOJOKERTO), (pembina_mojokerto, JEPARA)):
        with pytest.raises(NotInScope):
            save(user, region, "rtlh_baby", active=False)


@pytest.mark.parametrize(("rule", "params", "refused"), [
    ("newly_poor_school_child", {"max_decile": 0}, True),
    ("newly_poor_school_child", {"max_decile": 11}, True),  # DTSEN has ten deciles
    ("newly_poor_school_child", {"max_decile": 10}, False),
    ("malnourished_child_no_aid", {"max_months": 61}, True),  # the WHO standards stop at 60 months
    ("pregnant_at_risk", {"systolic": 79}, True),
    ("pregnant_at_risk", {"lila_below_cm": "14.9"}, True),
    ("pregnant_at_risk", {"lila_below_cm": "35", "systolic": 250, "diastolic": 40}, False),
])
def test_parameters_stay_within_what_they_can_mean(pembina_mojokerto, rule, params, refused):
    if refused:
        with pytest.raises(DomainError) as caught:
            save(pembina_mojokerto, MOJOKERTO, rule, params=params)
        assert set(caught.value.field_errors) == {f"params.{key}" for key in params}
    else:
        assert save(pembina_mojokerto, MOJOKERTO, rule, params=params).params == {
            key: str(value) if isinstance(value, str) else value for key, value in params.items()}


def test_a_large_kabkota_is_evaluated_by_a_job_a_small_one_at_once(pembina_mojokerto, kader_miji, posyandu_miji,
                                                                    monkeypatch, django_capture_on_commit_callbacks):
    from simpul.alerts import services, tasks

    home = kit.family(kader_miji, posyandu_miji, ("Bayi Ara", "F", months_ago(2), "anak"))
    kit.condition(home, house="rtlh")
    queued = []
    job = tasks.kabkota_evaluate
    monkeypatch.setattr(tasks, "kabkota_evaluate", SimpleNamespace(enqueue=queued.append))
    with django_capture_on_commit_callbacks(execute=True):
        save(pembina_mojokerto, MOJOKERTO, "rtlh_baby", params={"max_months": 6})
    assert queued == [] and Alert.objects.filter(household=home, rule="rtlh_baby").count() == 1  # at once
    monkeypatch.setattr(services, "INLINE_POSYANDU", 0)
    with django_capture_on_commit_callbacks(execute=True):
        save(pembina_mojokerto, MOJOKERTO, "rtlh_baby", active=False)
    assert queued == [MOJOKERTO]  # handed to the worker; the request did not evaluate
    assert Alert.objects.get(household=home, rule="rtlh_baby").status == Alert.Status.OPEN
    assert job.call(MOJOKERTO) == 1  # what the worker runs: the city's one posyandu
    assert Alert.objects.get(household=home, rule="rtlh_baby").status != Alert.Status.OPEN


def test_a_failed_evaluation_after_the_change_keeps_the_saved_setting(pembina_mojokerto, monkeypatch, caplog,
                                                                     django_capture_on_commit_callbacks):
    from simpul.alerts import services

    def broken(code, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "region_evaluate", broken)
    with django_capture_on_commit_callbacks(execute=True):
        setting = save(pembina_mojokerto, MOJOKERTO, "rtlh_baby", active=False)
    assert not setting.active and setting.pk is not None
    assert "evaluation after the rule change failed for 3576" in caplog.text
