"""Reads: who sees pregnancies, the posyandu's ibu hamil and ibu nifas on a date, anc_progress."""

import datetime as dt

import pytest

from conftest import MOJOKERTO, make_user
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.core.errors import NotInScope
from simpul.maternal import selectors
from simpul.maternal.tests.kit import D, add_woman, close, nifas, register, siti, visit
from simpul.registry.models import Person

pytestmark = pytest.mark.django_db
ON = D(2026, 11, 22)


@pytest.fixture
def miji(kader_miji, posyandu_miji, family_miji):
    """The Miji posyandu's mothers on 22 November 2026, built by hand."""
    w = {
        "siti": siti(family_miji),  # RT 002 / RW 004
        "dewi": add_woman(kader_miji, posyandu_miji, "Dewi Lestari", D(1994, 2, 3), rt="001"),
        "rina": add_woman(kader_miji, posyandu_miji, "Rina Wati", D(1990, 4, 5), rt="001"),
        "ani": add_woman(kader_miji, posyandu_miji, "Ani Yulia", D(1998, 6, 7), rt="001", rw="001"),
        "eka": add_woman(kader_miji, posyandu_miji, "Eka Sari", D(1996, 8, 9), rt="005"),
        "fitri": add_woman(kader_miji, posyandu_miji, "Fitri Ayu", D(1993, 1, 2), rt="005"),
    }
    p = {
        # Ongoing: HPHT 1 June, day 174 on 22 November (24 weeks 6 days, TM II).
        "siti": register(kader_miji, w["siti"], hpht=D(2026, 6, 1), registered_on=D(2026, 7, 27), gravida=2, para=1),
        # Delivered 1 November: day 21 of nifas on 22 November.
        "dewi": close(kader_miji, register(kader_miji, w["dewi"], hpht=D(2026, 2, 1)), on=D(2026, 11, 1)),
        # Never closed: HPHT 1 December 2025 is 356 days before 22 November (over 45 weeks).
        "rina": register(kader_miji, w["rina"], hpht=D(2025, 12, 1), registered_on=D(2026, 1, 20)),
        # Recorded only on 20 November (HPHT 1 September).
        "ani": register(kader_miji, w["ani"], hpht=D(2026, 9, 1), registered_on=D(2026, 11, 20)),
        # Ended (miscarriage) on 1 October.
        "eka": close(kader_miji, register(kader_miji, w["eka"], hpht=D(2026, 8, 1)), status="ended",
                     on=D(2026, 10, 1)),
        # Delivered 1 October: 52 days before 22 November, no longer nifas.
        "fitri": close(kader_miji, register(kader_miji, w["fitri"], hpht=D(2026, 1, 1)), on=D(2026, 10, 1)),
    }
    return w, p


def names(items):
    return [item.person.full_name for item in items]


def test_pregnant_women_on_a_date(kader_miji, posyandu_miji, miji):
    scope = scope_for(kader_miji)
    # By RW, then RT, then name: Ani (RW 001), then RW 004: Siti (RT 002).
    assert names(selectors.pregnant_women(scope, posyandu_id=posyandu_miji.pk, on=ON)) == ["Ani Yulia", "Siti Aminah"]
    # On 15 November Ani was not recorded yet.
    assert names(selectors.pregnant_women(scope, posyandu_id=posyandu_miji.pk, on=D(2026, 11, 15))) == ["Siti Aminah"]
    # On 15 September: Dewi and Fitri (delivered later), Rina (day 288, under 45 weeks), Siti; not Eka
    # (recorded only on 26 September) nor Ani. RW 004 for all, then RT 001, 002, 005.
    on_sept = selectors.pregnant_women(scope, posyandu_id=posyandu_miji.pk, on=D(2026, 9, 15))
    assert names(on_sept) == ["Dewi Lestari", "Rina Wati", "Siti Aminah", "Fitri Ayu"]


def test_the_list_shows_age_hpl_visits_and_flags(kader_miji, posyandu_miji, miji):
    _w, p = miji
    visit(kader_miji, p["siti"], D(2026, 8, 1), examiner="bidan", muac_cm="22.0")  # day 61: TM I
    visit(kader_miji, p["siti"], D(2026, 10, 1), examiner="kader", muac_cm="24.0", systolic=145, diastolic=92)
    siti_row = [w for w in selectors.pregnant_women(scope_for(kader_miji), posyandu_id=posyandu_miji.pk, on=ON)
                if w.person.full_name == "Siti Aminah"][0]
    assert (siti_row.age.weeks, siti_row.age.rest_days, siti_row.age.trimester) == (24, 6, 2)
    assert siti_row.pregnancy.hpl == D(2027, 3, 8)  # doy(1 Jun) 152 + 280 = 432 - 365 = 67 -> 8 March 2027
    assert siti_row.progress.total_contacts == 1 and siti_row.progress.kader_contacts == 1
    assert siti_row.kek is False and siti_row.hypertension is True  # the latest LiLA is 24.0


def test_nifas_women_are_those_delivered_0_to_42_days_before(kader_miji, posyandu_miji, miji):
    scope = scope_for(kader_miji)
    assert [p.person.full_name for p in selectors.nifas_women(scope, posyandu_id=posyandu_miji.pk, on=ON)] == [
        "Dewi Lestari"]
    # On 12 November Fitri is on day 42 (30 days of October after the 1st + 12) and Dewi on day 11.
    on_12 = selectors.nifas_women(scope, posyandu_id=posyandu_miji.pk, on=D(2026, 11, 12))
    assert [p.person.full_name for p in on_12] == ["Fitri Ayu", "Dewi Lestari"]


def test_pregnancies_left_open_past_45_weeks_are_listed_to_close(kader_miji, posyandu_miji, miji):
    scope = scope_for(kader_miji)
    assert [p.person.full_name for p in selectors.pregnancies_to_close(scope, posyandu_id=posyandu_miji.pk, on=ON)] == [
        "Rina Wati"]


def test_a_woman_who_died_leaves_the_list(kader_miji, posyandu_miji, miji):
    w, _p = miji
    Person.objects.filter(pk=w["ani"].pk).update(life_status="deceased", life_status_date=D(2026, 11, 21))
    assert names(selectors.pregnant_women(scope_for(kader_miji), posyandu_id=posyandu_miji.pk, on=ON)) == [
        "Siti Aminah"]


@pytest.mark.parametrize("outsider", ["kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan",
                                      "pembina_mojokerto", "opd_dinsos", "admin_user"])
def test_outsiders_see_nothing(request, posyandu_miji, miji, outsider):
    _w, p = miji
    scope = scope_for(request.getfixturevalue(outsider))
    assert not selectors.pregnancies_visible(scope).exists()
    with pytest.raises(NotInScope):
        selectors.pregnancy_get(scope, p["siti"].pk)
    with pytest.raises(NotInScope):
        selectors.pregnant_women(scope, posyandu_id=posyandu_miji.pk, on=ON)
    with pytest.raises(NotInScope):
        selectors.woman_get(scope, p["siti"].person_id)
    assert selectors.day_findings(scope, posyandu_id=posyandu_miji.pk, day=ON) == []


@pytest.mark.parametrize("insider", ["kader_miji", "bidan_kranggan"])
def test_the_kader_and_bidan_see_them(request, posyandu_miji, miji, insider):
    scope = scope_for(request.getfixturevalue(insider))
    assert selectors.pregnancies_visible(scope).count() == 6
    assert selectors.pregnancies_visible(scope, posyandu_id=posyandu_miji.pk, person_id=miji[0]["siti"].pk).count() == 1


def test_the_dinkes_officer_reads_them(miji):
    dinkes = make_user("opd.dinkes", Role.OPD, region=MOJOKERTO, fields=["kesehatan"])
    scope = scope_for(dinkes)
    assert selectors.pregnancies_visible(scope).count() == 6
    assert selectors.woman_get(scope, miji[0]["siti"].pk)


def test_a_kader_of_another_field_sees_nothing(posyandu_miji, miji):
    teacher = make_user("kader.guru", Role.KADER, posyandu=posyandu_miji, fields=["pendidikan"])
    assert not selectors.pregnancies_visible(scope_for(teacher)).exists()


def test_a_man_has_no_kia_page(kader_miji, family_miji):
    with pytest.raises(NotInScope):
        selectors.woman_get(scope_for(kader_miji), family_miji.members.get(full_name="Budi Santoso").pk)


def test_the_posyandu_she_moved_to_sees_her_pregnancy(kader_miji, kader_meri, posyandu_meri, miji):
    w, p = miji
    Person.objects.filter(pk=w["siti"].pk).update(posyandu=posyandu_meri, desa_id=posyandu_meri.desa_id)
    scope = scope_for(kader_meri)
    assert list(selectors.pregnancies_visible(scope)) == [p["siti"]]
    assert names(selectors.pregnant_women(scope, posyandu_id=posyandu_meri.pk, on=ON)) == ["Siti Aminah"]


def test_anc_progress_of_a_stored_pregnancy(kader_miji, bidan_kranggan, family_miji):
    p = register(kader_miji, siti(family_miji), hpht=D(2026, 1, 1))
    # The standard pattern of test_rules, recorded through the service.
    for day, examiner in [(D(2026, 2, 15), "bidan"), (D(2026, 3, 20), "doctor"), (D(2026, 5, 1), "bidan"),
                          (D(2026, 6, 10), "bidan"), (D(2026, 8, 1), "doctor"), (D(2026, 9, 1), "bidan")]:
        visit(bidan_kranggan, p, day, examiner=examiner)
    progress = selectors.anc_progress(p, on=D(2026, 9, 25))
    assert not progress.met and [(r.code, r.done, r.state) for r in progress.missing] == [("contacts_tm3", 2, "open")]
    visit(bidan_kranggan, p, D(2026, 9, 20), examiner="bidan")
    assert selectors.anc_progress(p, on=D(2026, 9, 25)).met
    close(kader_miji, p, on=D(2026, 10, 5))
    nifas(kader_miji, p, D(2026, 10, 10))
    assert selectors.anc_progress(p, on=dt.date(2026, 11, 1)).met


def test_blood_pressures_for_the_fhir_export(kader_miji, family_miji):
    from simpul.health import fhir
    from simpul.maternal.selectors import bp_readings

    p = register(kader_miji, siti(family_miji), hpht=D(2026, 1, 1))
    visit(kader_miji, p, D(2026, 3, 1), systolic=120, diastolic=80)
    visit(kader_miji, p, D(2026, 2, 1), muac_cm="25.0")  # no blood pressure
    close(kader_miji, p, on=D(2026, 10, 5))
    nifas(kader_miji, p, D(2026, 10, 8), systolic=145, diastolic=92)
    assert bp_readings(p.person) == [(D(2026, 3, 1), 120, 80), (D(2026, 10, 8), 145, 92)]
    assert bp_readings in fhir.bp_readings
