"""Each rule fires on its facts and not without them; the same facts are raised once; changed facts again.

Ages are worked out from today's date by hand: ``years_ago(16, plus_days=1)`` is born one day after the
16th birthday would fall, so the child is 15 today and 16 tomorrow; ``months_ago(11)`` is 11 completed
months (< 12: a baby), ``months_ago(12)`` is 12 (not a baby any more).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from simpul.alerts.models import Alert
from simpul.alerts.services import alerts_evaluate, fingerprint
from simpul.alerts.tests import kit
from simpul.alerts.tests.kit import months_ago, years_ago
from simpul.referrals.tests.kit import record

pytestmark = pytest.mark.django_db


def evaluate(posyandu):
    return alerts_evaluate([posyandu.pk], today=kit.today())


def fired(household, rule):
    return list(Alert.objects.filter(household=household, rule=rule, status=Alert.Status.OPEN))


def codes(alert):
    return sorted((f["code"], f["value"]) for f in alert.facts)


# --- Poor family with a school-age child (decile ≤ 4 or a sos_jatuh_miskin referral; child 7–15) --------


def test_decile_4_with_a_child_of_15_alerts_disdik_and_dinsos(kader_miji, posyandu_miji):
    home = kit.family(kader_miji, posyandu_miji, ("Rina", "F", years_ago(16, plus_days=1), "anak"))
    kit.condition(home, decile=4)
    evaluate(posyandu_miji)
    [alert] = fired(home, "newly_poor_school_child")
    assert alert.agencies == ["disdik", "dinsos"]
    assert codes(alert) == [("dtsen_decile", 4), ("school_age_child", None)]
    assert alert.facts[1]["person"] == kit.member(home, "Rina").pk
    assert alert.posyandu_id == posyandu_miji.pk and alert.desa_id == posyandu_miji.desa_id


def test_decile_5_is_not_poor(kader_miji, posyandu_miji):
    home = kit.family(kader_miji, posyandu_miji, ("Rina", "F", years_ago(10), "anak"))
    kit.condition(home, decile=5)
    evaluate(posyandu_miji)
    assert fired(home, "newly_poor_school_child") == []


def test_a_child_of_16_or_6_is_not_school_age_but_7_is(kader_miji, posyandu_miji):
    older = kit.family(kader_miji, posyandu_miji, ("Dewi", "F", years_ago(16), "anak"),
                       ("Bayu", "M", years_ago(7, plus_days=1), "anak"))  # 16 today; 6 until tomorrow
    seven = kit.family(kader_miji, posyandu_miji, ("Tono", "M", years_ago(7), "anak"), head="Agus Salim")
    kit.condition(older, decile=2)
    kit.condition(seven, decile=2)
    evaluate(posyandu_miji)
    assert fired(older, "newly_poor_school_child") == []
    assert len(fired(seven, "newly_poor_school_child")) == 1


def test_a_jatuh_miskin_referral_makes_a_family_poor_without_a_decile(kader_miji, posyandu_miji):
    home = kit.family(kader_miji, posyandu_miji, ("Rina", "F", years_ago(9), "anak"))
    referral = record(kader_miji, category="sos_jatuh_miskin", household=home, documents=False,
                      description="Ayah kena PHK, keluarga tidak berpenghasilan.")
    evaluate(posyandu_miji)
    [alert] = fired(home, "newly_poor_school_child")
    assert ("referral_poor", referral.ticket) in codes(alert)


# --- Stunted or wasted child (latest valid class) in a family without social aid ------------------------


def test_stunted_toddler_without_aid_alerts_dinkes_and_dinsos(kader_miji, posyandu_miji):
    home = kit.family(kader_miji, posyandu_miji, ("Aisyah", "F", months_ago(24), "anak"))
    kit.condition(home, aid=[])
    kit.measure(kit.member(home, "Aisyah"), lhfa="stunted")
    evaluate(posyandu_miji)
    [alert] = fired(home, "malnourished_child_no_aid")
    assert alert.agencies == ["dinkes", "dinsos"]
    assert codes(alert) == [("lhfa", "stunted"), ("no_social_aid", None)]


def test_no_alert_when_the_family_receives_aid_or_was_never_surveyed(kader_miji, posyandu_miji):
    aided = kit.family(kader_miji, posyandu_miji, ("Aisyah", "F", months_ago(24), "anak"))
    unsurveyed = kit.family(kader_miji, posyandu_miji, ("Putri", "F", months_ago(24), "anak"), head="Agus Salim")
    kit.condition(aided, aid=["pkh"])
    kit.measure(kit.member(aided, "Aisyah"), wflh="severely_wasted")
    kit.measure(kit.member(unsurveyed, "Putri"), wflh="severely_wasted")
    evaluate(posyandu_miji)
    assert fired(aided, "malnourished_child_no_aid") == []
    assert fired(unsurveyed, "malnourished_child_no_aid") == []


def test_the_latest_valid_measurement_decides(kader_miji, posyandu_miji):
    recovered = kit.family(kader_miji, posyandu_miji, ("Aisyah", "F", months_ago(30), "anak"))
    implausible = kit.family(kader_miji, posyandu_miji, ("Putri", "F", months_ago(30), "anak"), head="Agus Salim")
    for home in (recovered, implausible):
        kit.condition(home)
    kit.measure(kit.member(recovered, "Aisyah"), lhfa="stunted", on=kit.today() - dt.timedelta(days=30))
    kit.measure(kit.member(recovered, "Aisyah"), lhfa="normal")  # grew back to normal: no alert
    kit.measure(kit.member(implausible, "Putri"), lhfa="stunted", on=kit.today() - dt.timedelta(days=30))
    # The newer row's length is flagged implausible, so the earlier valid "stunted" still stands.
    kit.measure(kit.member(implausible, "Putri"), lhfa="normal", flags=["implausible_lhfa"])
    evaluate(posyandu_miji)
    assert fired(recovered, "malnourished_child_no_aid") == []
    assert codes(fired(implausible, "malnourished_child_no_aid")[0]) == [("lhfa", "stunted"), ("no_social_aid", None)]


def test_a_child_of_60_months_is_not_under_five(kader_miji, posyandu_miji):
    home = kit.family(kader_miji, posyandu_miji, ("Aisyah", "F", months_ago(60), "anak"))
    kit.condition(home)
    kit.measure(kit.member(home, "Aisyah"), wflh="wasted")
    evaluate(posyandu_miji)
    assert fired(home, "malnourished_child_no_aid") == []


# --- Elder living alone who needs help (ADL) -------------------------------------------------------------


def test_elder_of_60_living_alone_with_adl_dependence_alerts_dinsos(kader_miji, posyandu_miji):
    home = kit.alone(kader_miji, posyandu_miji, birth=years_ago(60))
    kit.screen(home.members.get(), adl="moderate", score=10)
    evaluate(posyandu_miji)
    [alert] = fired(home, "elder_alone_dependent")
    assert alert.agencies == ["dinsos"]
    assert codes(alert) == [("adl_dependence", "moderate"), ("lives_alone", None)]


def test_no_elder_alert_at_59_when_independent_or_not_alone(kader_miji, posyandu_miji):
    young = kit.alone(kader_miji, posyandu_miji, name="Pak Karto", birth=years_ago(60, plus_days=1))  # 59
    independent = kit.alone(kader_miji, posyandu_miji, name="Mbah Sri", sex="F")
    together = kit.family(kader_miji, posyandu_miji, ("Mbah Darmi", "F", years_ago(75), "orang_tua"))
    kit.screen(young.members.get(), adl="severe", score=6)
    kit.screen(independent.members.get(), adl="severe", score=6, on=kit.today() - dt.timedelta(days=60))
    kit.screen(independent.members.get(), adl="independent", score=20)  # the latest screening counts
    kit.screen(kit.member(together, "Mbah Darmi"), adl="total", score=2)
    evaluate(posyandu_miji)
    for home in (young, independent, together):
        assert fired(home, "elder_alone_dependent") == []


# --- Pregnant woman with KEK (LiLA < 23.5) or hypertension (≥ 140/90) ---------------------------------


def test_lila_23_4_is_kek_and_23_5_is_not(kader_miji, posyandu_miji):
    thin = kit.family(kader_miji, posyandu_miji, ("Siti", "F", years_ago(25), "istri"))
    fine = kit.family(kader_miji, posyandu_miji, ("Wati", "F", years_ago(25), "istri"), head="Agus Salim")
    kit.anc(kit.pregnancy(kit.member(thin, "Siti")), lila="23.4")
    kit.anc(kit.pregnancy(kit.member(fine, "Wati")), lila="23.5")
    evaluate(posyandu_miji)
    [alert] = fired(thin, "pregnant_at_risk")
    assert alert.agencies == ["dinkes"]
    assert alert.facts[0]["code"] == "kek" and alert.facts[0]["detail"]["lila_cm"] == "23.4"
    assert fired(fine, "pregnant_at_risk") == []


def test_blood_pressure_140_or_90_is_hypertension_139_89_is_not(kader_miji, posyandu_miji):
    homes = {}
    for name, bp in (("Ani", (140, 80)), ("Ayu", (130, 90)), ("Asih", (139, 89))):
        homes[name] = kit.family(kader_miji, posyandu_miji, (name, "F", years_ago(28), "istri"), head=f"Pak {name}")
        kit.anc(kit.pregnancy(kit.member(homes[name], name)), bp=bp)
    evaluate(posyandu_miji)
    assert [f["code"] for f in fired(homes["Ani"], "pregnant_at_risk")[0].facts] == ["hypertension"]
    assert len(fired(homes["Ayu"], "pregnant_at_risk")) == 1
    assert fired(homes["Asih"], "pregnant_at_risk") == []


def test_the_latest_lila_of_the_pregnancy_counts(kader_miji, posyandu_miji):
    home = kit.family(kader_miji, posyandu_miji, ("Siti", "F", years_ago(25), "istri"))
    preg = kit.pregnancy(kit.member(home, "Siti"))
    kit.anc(preg, lila="22.0", on=kit.today() - dt.timedelta(days=40))
    kit.anc(preg, lila="24.0")
    evaluate(posyandu_miji)
    assert fired(home, "pregnant_at_risk") == []


# --- RTLH house with a baby (< 12 months) ----------------------------------------------------------------


def test_rtlh_house_with_a_baby_of_11_months_alerts_perkim_and_dinkes(kader_miji, posyandu_miji):
    home = kit.family(kader_miji, posyandu_miji, ("Bayi Ara", "F", months_ago(11), "anak"))
    kit.condition(home, house="rtlh")
    evaluate(posyandu_miji)
    [alert] = fired(home, "rtlh_baby")
    assert alert.agencies == ["perkim", "dinkes"]
    assert codes(alert) == [("baby", None), ("house_rtlh", None)]


def test_no_rtlh_alert_for_a_child_of_12_months_or_a_livable_house(kader_miji, posyandu_miji):
    toddler = kit.family(kader_miji, posyandu_miji, ("Ara", "F", months_ago(12), "anak"))
    livable = kit.family(kader_miji, posyandu_miji, ("Bayi Ari", "M", months_ago(3), "anak"), head="Agus Salim")
    kit.condition(toddler, house="rtlh")
    kit.condition(livable, house="rtlh", on=kit.today() - dt.timedelta(days=90))
    kit.condition(livable, house="layak")  # rebuilt since: the latest survey counts
    evaluate(posyandu_miji)
    assert fired(toddler, "rtlh_baby") == []
    assert fired(livable, "rtlh_baby") == []


# --- Disaster-prone household (trb_rawan_bencana referral) with a disabled member ------------------------


def test_disaster_prone_household_with_a_disabled_member_alerts_bpbd(kader_miji, posyandu_miji):
    home = kit.family(kader_miji, posyandu_miji, ("Joko", "M", years_ago(30), "anak", {"disability_type": "physical"}))
    plain = kit.family(kader_miji, posyandu_miji, ("Tini", "F", years_ago(30), "anak"), head="Agus Salim")
    for household in (home, plain):
        record(kader_miji, category="trb_rawan_bencana", household=household, documents=False,
               description="Rumah di tepi sungai, sering banjir.")
    evaluate(posyandu_miji)
    [alert] = fired(home, "disaster_prone_disabled")
    assert alert.agencies == ["bpbd"]
    assert ("disability", "physical") in codes(alert)
    assert fired(plain, "disaster_prone_disabled") == []


def test_a_disabled_member_without_the_referral_raises_nothing(kader_miji, posyandu_miji):
    home = kit.family(kader_miji, posyandu_miji, ("Joko", "M", years_ago(30), "anak", {"disability_type": "mental"}))
    evaluate(posyandu_miji)
    assert not Alert.objects.filter(household=home).exists()


# --- The same facts once; changed facts again; gone facts close the alert --------------------------------


def test_the_same_facts_are_never_raised_twice(kader_miji, posyandu_miji):
    home = kit.family(kader_miji, posyandu_miji, ("Rina", "F", years_ago(10), "anak"))
    kit.condition(home, decile=3)
    assert evaluate(posyandu_miji).raised == 1
    assert evaluate(posyandu_miji).raised == 0
    Alert.objects.filter(household=home).update(status=Alert.Status.DISMISSED, closed_at=dt.datetime(2026, 1, 1,
                                                                                                   tzinfo=dt.UTC))
    kit.condition(home, decile=3)  # surveyed again, same decile: same facts
    assert evaluate(posyandu_miji).raised == 0
    assert Alert.objects.filter(household=home).count() == 1


def test_a_new_measurement_with_the_same_class_is_the_same_fact(kader_miji, posyandu_miji):
    home = kit.family(kader_miji, posyandu_miji, ("Aisyah", "F", months_ago(24), "anak"))
    kit.condition(home)
    kit.measure(kit.member(home, "Aisyah"), lhfa="stunted", on=kit.today() - dt.timedelta(days=30))
    evaluate(posyandu_miji)
    kit.measure(kit.member(home, "Aisyah"), lhfa="stunted")  # next month, still stunted: only the date moved
    assert evaluate(posyandu_miji).raised == 0


def test_changed_facts_raise_again_and_close_the_old_alert(kader_miji, posyandu_miji):
    home = kit.family(kader_miji, posyandu_miji, ("Rina", "F", years_ago(10), "anak"))
    kit.condition(home, decile=4)
    evaluate(posyandu_miji)
    kit.condition(home, decile=2)
    assert evaluate(posyandu_miji).raised == 1
    old, new = Alert.objects.filter(household=home).order_by("id")
    assert (old.status, old.close_note) == (Alert.Status.RESOLVED, "facts_changed")
    assert new.status == Alert.Status.OPEN and ("dtsen_decile", 2) in codes(new)
    kit.condition(home, decile=7)  # no longer poor
    assert evaluate(posyandu_miji).resolved == 1
    new.refresh_from_db()
    assert (new.status, new.close_note) == (Alert.Status.RESOLVED, "facts_gone")


def test_the_same_facts_back_open_the_resolved_alert_again_but_not_a_dismissed_one(kader_miji, posyandu_miji):
    from simpul.accounts.scope import scope_for
    from simpul.alerts.services import alert_dismiss

    home = kit.family(kader_miji, posyandu_miji, ("Rina", "F", years_ago(10), "anak"))
    kit.condition(home, decile=4)
    evaluate(posyandu_miji)
    first = Alert.objects.get(household=home)
    kit.condition(home, decile=7)  # no longer poor: the evaluation resolves it
    evaluate(posyandu_miji)
    kit.condition(home, decile=4)  # poor again, the same facts
    assert evaluate(posyandu_miji).raised == 1
    again = Alert.objects.get(household=home)  # the same alert, not a second one
    assert again.pk == first.pk
    assert (again.status, again.close_note, again.closed_at, again.raised_on) == (
        Alert.Status.OPEN, "", None, kit.today())
    # A person's decision stands: dismissed, then resolved facts coming back do not reopen it.
    alert_dismiss(actor=kader_miji, scope=scope_for(kader_miji), alert_id=again.pk, reason="Sudah dapat PIP")
    kit.condition(home, decile=7)
    evaluate(posyandu_miji)
    kit.condition(home, decile=4)
    assert evaluate(posyandu_miji).raised == 0
    assert Alert.objects.get(household=home).status == Alert.Status.DISMISSED


def test_fingerprint_ignores_the_order_and_the_detail_of_facts():
    a = [{"code": "kek", "person": 1, "value": 9, "detail": {"lila_cm": "22.0"}}, {"code": "baby", "person": 2}]
    b = [{"code": "baby", "person": 2, "value": None}, {"code": "kek", "person": 1, "value": 9,
                                                        "detail": {"lila_cm": "21.0"}}]
    assert fingerprint("x", a) == fingerprint("x", b)
    assert fingerprint("x", a) != fingerprint("y", a)
    assert fingerprint("x", a) != fingerprint("x", [{**a[0], "value": 10}, a[1]])


def test_other_posyandu_are_not_evaluated(kader_miji, posyandu_miji, kader_jepara, posyandu_jepara):
    home = kit.family(kader_jepara, posyandu_jepara, ("Rina", "F", years_ago(10), "anak"), head="Slamet")
    kit.condition(home, decile=1)
    evaluate(posyandu_miji)
    assert not Alert.objects.filter(household=home).exists()


def test_the_command_evaluates_a_region(kader_miji, posyandu_miji, kader_jepara, posyandu_jepara, capsys):
    miji = kit.family(kader_miji, posyandu_miji, ("Rina", "F", years_ago(10), "anak"))
    jepara = kit.family(kader_jepara, posyandu_jepara, ("Sari", "F", years_ago(10), "anak"), head="Slamet")
    kit.condition(miji, decile=1)
    kit.condition(jepara, decile=1)
    call_command("alerts_evaluate", region="35.76")
    assert len(fired(miji, "newly_poor_school_child")) == 1
    assert fired(jepara, "newly_poor_school_child") == []
    assert "1 alerts raised" in capsys.readouterr().out
