"""The early-warning rule ``only_earner_unable`` (issue 7) over the recorded income-earner situation."""

import datetime as dt

import pytest

from simpul.accounts.scope import scope_for
from simpul.alerts import presenters
from simpul.alerts.models import Alert
from simpul.alerts.services import alerts_evaluate
from simpul.programmes.earners import household_earners_record
from simpul.programmes.tests.kit import condition, family, today, years_ago
from simpul.registry.models import HouseholdCondition

RULE = "only_earner_unable"


@pytest.fixture
def joko(kader_miji, posyandu_miji):
    home = family(
        kader_miji,
        posyandu_miji,
        ("Joko", "M", years_ago(45), "kepala"),
        ("Ani", "F", years_ago(40), "istri"),
    )
    condition(home, decile=6, on=today() - dt.timedelta(days=30))
    return home


def open_alerts(home):
    return list(Alert.objects.filter(household=home, rule=RULE, status=Alert.Status.OPEN))


@pytest.mark.django_db
def test_the_only_earner_who_can_no_longer_work_alerts_dinsos(joko, kader_miji, posyandu_miji):
    alerts_evaluate([posyandu_miji.pk], today=today())
    assert open_alerts(joko) == []  # never asked: no alert
    household_earners_record(
        actor=kader_miji,
        scope=scope_for(kader_miji),
        household=joko,
        earners="tunggal",
        observed_on=today() - dt.timedelta(days=5),
    )
    alerts_evaluate([posyandu_miji.pk], today=today())
    assert open_alerts(joko) == []  # one earner who works: a target group, not an alert
    household_earners_record(
        actor=kader_miji,
        scope=scope_for(kader_miji),
        household=joko,
        earners="tunggal_tak_mampu",
        observed_on=today(),
    )
    alerts_evaluate([posyandu_miji.pk], today=today())
    [alert] = open_alerts(joko)
    assert [(f["code"], f["value"]) for f in alert.facts] == [("earner_situation", "tunggal_tak_mampu")]
    label = str(HouseholdCondition.Earners.ONE_CANNOT_WORK.label)
    assert presenters.reasons(alert, people={}, names=False, health=False, today=today()) == [label]
    # The same facts are not raised twice; a later survey that did not ask keeps the alert open.
    condition(joko, decile=6)
    alerts_evaluate([posyandu_miji.pk], today=today())
    assert len(open_alerts(joko)) == 1
    # He works again: the alert resolves by itself.
    household_earners_record(
        actor=kader_miji, scope=scope_for(kader_miji), household=joko, earners="beberapa", observed_on=today()
    )
    alerts_evaluate([posyandu_miji.pk], today=today())
    assert open_alerts(joko) == []
    assert Alert.objects.get(household=joko, rule=RULE).status == Alert.Status.RESOLVED


@pytest.mark.django_db
def test_only_the_registering_roles_of_the_place_record_it(joko, lurah_miji, kader_meri):
    from simpul.core.errors import NotInScope

    for user in (lurah_miji, kader_meri):
        with pytest.raises(NotInScope):
            household_earners_record(
                actor=user, scope=scope_for(user), household=joko, earners="tidak_ada", observed_on=today()
            )
