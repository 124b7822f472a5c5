"""seed_demo: mothers for each demo kader's posyandu through the services, once."""

import pytest

from conftest import make_user, person_input, register_family
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.maternal.demo import seed_demo
from simpul.maternal.models import AncVisit, NifasVisit, Pregnancy
from simpul.maternal.selectors import day_findings, nifas_women, pregnant_women
from simpul.maternal.tests.kit import D

pytestmark = pytest.mark.django_db
TODAY = D(2026, 11, 22)


def women(user, posyandu, births):
    register_family(user, posyandu, head="Kepala", members=[
        person_input(f"Ibu {i}", "F", birth, "kepala" if i == 0 else "famili_lain") for i, birth in enumerate(births)])


def test_it_seeds_each_demo_posyandu_once(kader_miji, kader_meri, posyandu_miji, posyandu_meri):
    # Miji: five women 20-40, one of 19 and one of 45 (never picked); Meri: two women 20-40.
    women(kader_miji, posyandu_miji, [D(1990, 1, 1), D(1995, 5, 5), D(2000, 3, 3), D(1988, 8, 8), D(2002, 2, 2),
                                      D(2007, 6, 1), D(1981, 1, 1)])
    women(kader_meri, posyandu_meri, [D(1992, 2, 2), D(1999, 9, 9)])
    created = seed_demo(seed=7, today=TODAY)
    # Miji: four plans: 1 + 2 visits, 1 + 5, 1 + 1, 1 + 3 + nifas 1 = 16; Meri: the first two plans = 3 + 6.
    assert created == 25
    assert Pregnancy.objects.count() + AncVisit.objects.count() + NifasVisit.objects.count() == 25
    ages = {p.person.birth_date for p in Pregnancy.objects.select_related("person")}
    assert D(2007, 6, 1) not in ages and D(1981, 1, 1) not in ages
    assert AncVisit.objects.filter(muac_cm="22.5").exists()
    assert AncVisit.objects.filter(systolic=145, diastolic=92).exists()
    scope = scope_for(kader_miji)
    assert len(pregnant_women(scope, posyandu_id=posyandu_miji.pk, on=TODAY)) == 3
    assert len(nifas_women(scope, posyandu_id=posyandu_miji.pk, on=TODAY)) == 1
    # The high blood pressure was taken ten days ago at the posyandu: it shows in that day's findings.
    reasons = {f.reason for f in day_findings(scope, posyandu_id=posyandu_miji.pk, day=D(2026, 11, 12))}
    assert reasons == {"pregnancy_hypertension"}
    assert seed_demo(seed=7, today=TODAY) == 0


def test_without_demo_kader_nothing_is_seeded(posyandu_miji):
    make_user("kader.lain", Role.KADER, posyandu=posyandu_miji)
    assert seed_demo(seed=1, today=TODAY) == 0 and Pregnancy.objects.count() == 0
