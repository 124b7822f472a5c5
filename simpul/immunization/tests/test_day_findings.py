"""immunization.selectors.day_findings: overdue doses of the children seen on a posyandu day.

Worked by hand from domain.md §3.7 and the working ages in schedule.py (as in test_due_list.py), on
20 March 2024:

* Bima, born 1 Jun 2023 (9 months 19 days), only HB0/BCG/OPV1: the 2-month doses were overdue from
  1 Sep 2023, IPV1 from 1 Nov 2023 — DPT-HB-Hib 1, OPV 2, Rotavirus 1, PCV 1, IPV 1 (DPT-HB-Hib 2 etc.
  are overdue too but wait for dose 1, so they are not on the day's list); MR1 is only due.
* Aisyah (2 months 5 days) and Citra (10 days) have doses due, none overdue; Fajar is up to date.
"""

import pytest
from django.utils import translation

from conftest import person_input, register_family
from simpul.accounts.scope import scope_for
from simpul.core.errors import NotInScope
from simpul.health.findings import Finding
from simpul.immunization.selectors import day_findings
from simpul.immunization.tests.kit import D, add_child, aisyah, give

pytestmark = [pytest.mark.django_db]

DAY = D(2024, 3, 20)
BIMA_OVERDUE = "DPT-HB-Hib 1, OPV 2, Rotavirus 1, PCV 1, IPV 1"


@pytest.fixture
def children(kader_miji, posyandu_miji, family_miji):
    a = aisyah(family_miji)
    give(kader_miji, a, {"hb0": D(2024, 1, 15), "bcg": D(2024, 2, 10), "opv1": D(2024, 2, 10)})
    b = add_child(kader_miji, posyandu_miji, "Bima Saputra", D(2023, 6, 1), rt="005")
    give(kader_miji, b, {"hb0": D(2023, 6, 1), "bcg": D(2023, 6, 20), "opv1": D(2023, 6, 20)})
    c = add_child(kader_miji, posyandu_miji, "Citra Lestari", D(2024, 3, 10))
    f = add_child(kader_miji, posyandu_miji, "Fajar Nugroho", D(2024, 1, 1))
    give(kader_miji, f, {"hb0": D(2024, 1, 1), "bcg": D(2024, 1, 20), "opv1": D(2024, 1, 20),
                         "dpt_hb_hib1": D(2024, 3, 1), "opv2": D(2024, 3, 1), "rv1": D(2024, 3, 1),
                         "pcv1": D(2024, 3, 1)})
    # Gita has overdue doses too, but did not come this day.
    g = add_child(kader_miji, posyandu_miji, "Gita Absen", D(2023, 6, 1))
    return {"aisyah": a, "bima": b, "citra": c, "fajar": f, "gita": g,
            "budi": family_miji.members.get(full_name="Budi Santoso")}


def seen(children, *names):
    return [children[n].pk for n in names]


def findings(user, posyandu, person_ids, day=DAY):
    with translation.override("en"):
        return day_findings(scope_for(user), posyandu_id=posyandu.pk, day=day, person_ids=person_ids)


def test_only_the_children_seen_with_overdue_doses(kader_miji, posyandu_miji, children):
    ids = seen(children, "aisyah", "bima", "citra", "fajar", "budi")  # Budi is an adult: not assessed
    assert findings(kader_miji, posyandu_miji, ids) == [
        Finding(children["bima"].pk, "immunization_overdue", BIMA_OVERDUE)]


GITA_OVERDUE = "BCG, OPV 1, DPT-HB-Hib 1, Rotavirus 1, PCV 1, IPV 1"


def test_the_bidan_gets_the_same_in_person_order(bidan_kranggan, posyandu_miji, children):
    assert findings(bidan_kranggan, posyandu_miji, seen(children, "gita", "bima")) == [
        Finding(children["bima"].pk, "immunization_overdue", BIMA_OVERDUE),
        Finding(children["gita"].pk, "immunization_overdue", GITA_OVERDUE),
    ]


def test_gita_with_nothing_given(kader_miji, posyandu_miji, children):
    # Born 1 Jun 2023, nothing recorded, on 20 Mar 2024 (9 months 19 days): HB0 is missed (after 7 days),
    # BCG and OPV1 overdue from 1 Jul 2023, DPT-HB-Hib 1, RV1 and PCV1 from 1 Sep 2023 and IPV1 from
    # 1 Nov 2023 can be given; OPV2 waits for OPV1 (interval), MR1 (due 1 Mar 2024) is not yet overdue.
    assert findings(kader_miji, posyandu_miji, seen(children, "gita")) == [
        Finding(children["gita"].pk, "immunization_overdue", GITA_OVERDUE)]


def test_doses_given_after_the_day_do_not_count(kader_miji, posyandu_miji, children):
    give(kader_miji, children["bima"], {"dpt_hb_hib1": D(2024, 3, 25)})
    assert findings(kader_miji, posyandu_miji, seen(children, "bima")) == [
        Finding(children["bima"].pk, "immunization_overdue", BIMA_OVERDUE)]
    # A week later, dose 1 counts and dose 2 (interval 1 month) cannot be given yet.
    assert findings(kader_miji, posyandu_miji, seen(children, "bima"), day=D(2024, 3, 27)) == [
        Finding(children["bima"].pk, "immunization_overdue", "OPV 2, Rotavirus 1, PCV 1, IPV 1")]


def test_nobody_seen_nothing_found(kader_miji, posyandu_miji, children):
    assert findings(kader_miji, posyandu_miji, []) == []


def test_a_child_the_user_may_not_see_is_left_out(kader_miji, kader_jepara, posyandu_miji, posyandu_jepara,
                                                  children):
    joko = add_child(kader_jepara, posyandu_jepara, "Joko Jepara", D(2023, 6, 1))
    assert findings(kader_miji, posyandu_miji, [joko.pk, children["bima"].pk]) == [
        Finding(children["bima"].pk, "immunization_overdue", BIMA_OVERDUE)]
    assert findings(kader_jepara, posyandu_jepara, [joko.pk]) == [
        Finding(joko.pk, "immunization_overdue", GITA_OVERDUE)]  # born the same day as Gita, nothing given


@pytest.mark.parametrize("persona", ["kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan",
                                     "pembina_mojokerto", "opd_dinsos", "admin_user"])
def test_outsiders_are_refused(request, posyandu_miji, children, persona):
    with pytest.raises(NotInScope):
        findings(request.getfixturevalue(persona), posyandu_miji, seen(children, "bima"))


def test_a_family_member_past_five_is_not_assessed(kader_miji, posyandu_miji):
    household = register_family(kader_miji, posyandu_miji, head="Ibu Lima", members=[
        person_input("Ibu Lima", "F", D(1990, 1, 1), "kepala"),
        person_input("Lima Tahun", "M", D(2019, 3, 20), "anak", mother_name="Ibu Lima"),  # 60 months on DAY
    ])
    five = household.members.get(full_name="Lima Tahun")
    assert findings(kader_miji, posyandu_miji, [five.pk]) == []
