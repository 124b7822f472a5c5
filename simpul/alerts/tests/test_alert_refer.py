"""An alert becomes exactly one referral in one step (right category, subject and agency), or is dismissed."""

from __future__ import annotations

import pytest

from simpul.accounts.scope import scope_for
from simpul.alerts.models import Alert
from simpul.alerts.services import alert_dismiss, alert_refer, alerts_evaluate
from simpul.alerts.tests import kit
from simpul.alerts.tests.kit import months_ago, years_ago
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.referrals.models import Referral
from simpul.referrals.services import route_for
from simpul.referrals.states import State

pytestmark = pytest.mark.django_db


def raise_alert(user, posyandu, rule):
    """One household with the facts of ``rule``; returns its open alert."""
    if rule == "newly_poor_school_child":
        home = kit.family(user, posyandu, ("Rina", "F", years_ago(10), "anak"))
        kit.condition(home, decile=2)
    elif rule == "malnourished_child_no_aid":
        home = kit.family(user, posyandu, ("Aisyah", "F", months_ago(20), "anak"))
        kit.condition(home)
        kit.measure(kit.member(home, "Aisyah"), lhfa="severely_stunted")
    elif rule == "elder_alone_dependent":
        home = kit.alone(user, posyandu)
        kit.screen(home.members.get(), adl="severe", score=6)
    elif rule == "pregnant_at_risk":
        home = kit.family(user, posyandu, ("Siti", "F", years_ago(25), "istri"))
        kit.anc(kit.pregnancy(kit.member(home, "Siti")), lila="21.0")
    elif rule == "rtlh_baby":
        home = kit.family(user, posyandu, ("Bayi Ara", "F", months_ago(4), "anak"))
        kit.condition(home, house="rtlh")
    else:
        from simpul.referrals.tests.kit import record

        home = kit.family(user, posyandu, ("Joko", "M", years_ago(30), "anak", {"disability_type": "physical"}))
        record(user, category="trb_rawan_bencana", household=home, documents=False,
               description="Rumah di tepi sungai, sering banjir.")
    alerts_evaluate([posyandu.pk], today=kit.today())
    return Alert.objects.get(household=home, rule=rule)


def refer(user, alert, **kwargs):
    return alert_refer(actor=user, scope=scope_for(user), alert_id=alert.pk, **kwargs)


# (rule, category chosen or "" for the default, category expected, subject, agency code routed to)
CASES = [
    ("newly_poor_school_child", "", "dik_berisiko_putus", "Rina", "disdik"),
    ("newly_poor_school_child", "sos_usulan_bansos", "sos_usulan_bansos", None, "dinsos"),
    ("malnourished_child_no_aid", "", "kes_rujukan", "Aisyah", "dinkes"),
    ("malnourished_child_no_aid", "sos_usulan_bansos", "sos_usulan_bansos", None, "dinsos"),
    ("elder_alone_dependent", "", "sos_lansia_telantar", "Mbah Darmo", "dinsos"),
    ("pregnant_at_risk", "", "kes_rujukan", "Siti", "dinkes"),
    ("rtlh_baby", "", "prk_rtlh", None, "perkim"),
    ("disaster_prone_disabled", "", "trb_rawan_bencana", "Joko", "bpbd"),
]


@pytest.mark.parametrize(("rule", "chosen", "category", "subject", "agency"), CASES)
def test_it_makes_one_referral_with_the_right_category_and_routing(kader_miji, posyandu_miji, rule, chosen, category,
                                                                   subject, agency):
    alert = raise_alert(kader_miji, posyandu_miji, rule)
    before = Referral.objects.count()
    alert = refer(kader_miji, alert, category=chosen)
    assert Referral.objects.count() == before + 1
    referral = alert.referral
    assert (alert.status, referral.category.code, referral.state) == (Alert.Status.REFERRED, category, State.RECORDED)
    assert referral.household_id == alert.household_id
    assert (referral.person.full_name if referral.person else None) == subject
    assert route_for(referral.category, referral.desa_id).code == agency
    assert referral.reporter == kader_miji and len(referral.description) >= 10
    assert AuditEntry.objects.filter(action="alerts.alert.referred", object_id=str(alert.pk)).count() == 1


def test_a_second_refer_is_refused_and_still_one_referral(kader_miji, posyandu_miji):
    alert = raise_alert(kader_miji, posyandu_miji, "rtlh_baby")
    refer(kader_miji, alert)
    with pytest.raises(DomainError) as caught:
        refer(kader_miji, alert)
    assert caught.value.code == "conflict"
    assert Referral.objects.filter(household=alert.household).count() == 1


def test_a_category_the_rule_does_not_offer_is_a_field_error(kader_miji, posyandu_miji):
    alert = raise_alert(kader_miji, posyandu_miji, "rtlh_baby")
    with pytest.raises(DomainError) as caught:
        refer(kader_miji, alert, category="trb_kebakaran")
    assert "category" in caught.value.field_errors
    alert.refresh_from_db()
    assert alert.status == Alert.Status.OPEN and not Referral.objects.filter(household=alert.household).exists()


def test_outsiders_and_supervisors_cannot_refer_or_dismiss(kader_miji, posyandu_miji, kader_jepara, kader_meri,
                                                           camat_kranggan, opd_dinsos):
    alert = raise_alert(kader_miji, posyandu_miji, "elder_alone_dependent")
    for user in (kader_jepara, kader_meri, camat_kranggan, opd_dinsos):
        with pytest.raises(NotInScope):
            refer(user, alert)
        with pytest.raises(NotInScope):
            alert_dismiss(actor=user, scope=scope_for(user), alert_id=alert.pk, reason="Sudah pindah rumah.")
    alert.refresh_from_db()
    assert alert.status == Alert.Status.OPEN and not Referral.objects.exists()


def test_the_village_office_may_refer(lurah_miji, kader_miji, posyandu_miji):
    alert = raise_alert(kader_miji, posyandu_miji, "newly_poor_school_child")
    assert refer(lurah_miji, alert, category="sos_usulan_bansos").referral.reporter == lurah_miji


def test_dismiss_needs_a_reason_and_is_audited(kader_miji, posyandu_miji):
    alert = raise_alert(kader_miji, posyandu_miji, "elder_alone_dependent")
    with pytest.raises(DomainError) as caught:
        alert_dismiss(actor=kader_miji, scope=scope_for(kader_miji), alert_id=alert.pk, reason=" ok ")
    assert "reason" in caught.value.field_errors
    alert = alert_dismiss(actor=kader_miji, scope=scope_for(kader_miji), alert_id=alert.pk,
                          reason="Anaknya sudah pulang merawat.")
    assert (alert.status, alert.close_note, alert.closed_by) == (Alert.Status.DISMISSED,
                                                                  "Anaknya sudah pulang merawat.", kader_miji)
    entry = AuditEntry.objects.get(action="alerts.alert.dismissed", object_id=str(alert.pk))
    assert entry.changes["reason"] == "Anaknya sudah pulang merawat."
    with pytest.raises(DomainError):
        refer(kader_miji, alert)  # a dismissed alert is closed
