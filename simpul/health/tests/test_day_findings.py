"""health.selectors.day_findings: what the bidan is told about the children measured on a posyandu day.

The z-scores below are the growth engine's (tested against WHO in test_growth_*); two are worked by hand
from WHO's LMS rows (L = 1 for length, so z = (x/M − 1)/S):

* Aisyah, girl, 411 days, 69.0 cm lying: M 75.8079, S 0.03505 → (69/75.8079 − 1)/0.03505 = −2.56: stunted.
* Dedi, boy, 730 days, 76.0 cm lying: M 87.8018, S 0.03479 → (76/87.8018 − 1)/0.03479 = −3.86: severely stunted.

Aisyah's weighings: 6.5 kg on 2 Jan (B), 6.4 kg on 1 Feb (12 months: −100 g < KBM 200 g, T), 6.2 kg on
1 Mar (13 months: −200 g < KBM 200 g, T again: 2T). KBM 200 g from 12 months (kbm.py, ADR 0007).
LiLA cut-off 12.5 cm for 6–59 months (domain.md §3.3).
"""

import pytest
from django.utils import translation

from conftest import MOJOKERTO, make_user
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.core.errors import NotInScope
from simpul.health.findings import Finding
from simpul.health.selectors import day_findings
from simpul.health.services import MeasurementInput, measurement_correct
from simpul.health.tests.kit import D, add_child, at, check, measure

pytestmark = [pytest.mark.django_db]

DAY = D(2025, 3, 1)


@pytest.fixture
def day(kader_miji, kader_meri, posyandu_miji, posyandu_meri, family_miji):
    k = kader_miji
    aisyah = family_miji.members.get(full_name="Aisyah Putri")  # girl, 15 Jan 2024
    measure(k, aisyah, D(2025, 1, 2), weight_kg="6.5")
    measure(k, aisyah, D(2025, 2, 1), weight_kg="6.4")
    measure(k, aisyah, DAY, weight_kg="6.2", length_height_cm="69.0", position="recumbent", muac_cm="12.0")
    bima = add_child(k, posyandu_miji, "Bima Saputra", D(2022, 3, 10))  # 35 months: normal growth
    measure(k, bima, DAY, weight_kg="14.0", length_height_cm="95.0", position="standing")
    check(k, bima, DAY, no=3)  # 3 of the 9 items for 24–36 months not yet
    citra = add_child(k, posyandu_miji, "Citra Lestari", D(2024, 9, 1), sex="F")  # 6 months exactly
    measure(k, citra, DAY, weight_kg="19.0", muac_cm="12.5")  # typing slip: WHO flags BB/U; LiLA not below 12.5
    check(k, citra, D(2025, 2, 28), no=4)  # another day: not today's finding
    dedi = add_child(k, posyandu_miji, "Dedi Kurniawan", D(2023, 3, 2))  # 730 days
    measure(k, dedi, DAY, length_height_cm="76.0", position="recumbent")
    eka = add_child(k, posyandu_miji, "Eka Putri", D(2024, 10, 15), sex="F")  # 4 months: no LiLA rule yet
    measure(k, eka, DAY, weight_kg="6.0", muac_cm="11.0")
    check(k, eka, DAY, no=1)  # doubtful: not for the bidan's list
    fajar = add_child(k, posyandu_miji, "Fajar Nugroho", D(2023, 3, 1))
    wrong = measure(k, fajar, DAY, weight_kg="5.0")  # typed wrong, corrected the same day
    measurement_correct(actor=k, scope=scope_for(k), measurement=wrong, reason="salah ketik",
                        data=MeasurementInput(measured_on=DAY, weight_kg="12.0"), now=at(DAY))
    ilham = add_child(k, posyandu_miji, "Ilham Ramadhan", D(2020, 3, 1))  # 60 months: past the LiLA rule
    measure(k, ilham, DAY, weight_kg="17.0", muac_cm="12.0")
    gani = add_child(k, posyandu_miji, "Gani Pratama", D(2023, 3, 1))
    measure(k, gani, D(2025, 2, 28), length_height_cm="76.0", position="standing")  # the day before
    hadi = add_child(kader_meri, posyandu_meri, "Hadi Meri", D(2023, 3, 2))
    measure(kader_meri, hadi, DAY, length_height_cm="76.0", position="recumbent")  # another posyandu
    return {"aisyah": aisyah, "bima": bima, "citra": citra, "dedi": dedi}


def expected(c):
    return [
        Finding(c["aisyah"].pk, "two_t", "\u2212200 g < KBM 200 g"),
        Finding(c["aisyah"].pk, "bgm", "BB/U \u22123.39"),
        Finding(c["aisyah"].pk, "stunted", "PB/U \u22122.56"),
        Finding(c["aisyah"].pk, "wasted", "BB/PB \u22122.88"),
        Finding(c["aisyah"].pk, "severely_underweight", "BB/U \u22123.39"),
        Finding(c["aisyah"].pk, "low_muac", "LiLA 12.0 cm"),
        Finding(c["bima"].pk, "development_delay", "3/9 tidak (24–36 bln)"),
        Finding(c["citra"].pk, "implausible", "BB/U +9.82"),
        Finding(c["dedi"].pk, "severely_stunted", "PB/U \u22123.86"),
    ]


def test_the_findings_of_the_day(kader_miji, posyandu_miji, day):
    with translation.override("en"):
        assert day_findings(scope_for(kader_miji), posyandu_id=posyandu_miji.pk, day=DAY) == expected(day)


def test_the_bidan_and_the_dinkes_get_the_same_list(bidan_kranggan, posyandu_miji, day):
    dinkes = make_user("opd.dinkes", Role.OPD, region=MOJOKERTO, fields=["kesehatan"])
    for user in (bidan_kranggan, dinkes):
        assert day_findings(scope_for(user), posyandu_id=posyandu_miji.pk, day=DAY) == expected(day)


def test_a_quiet_day_has_no_findings(kader_miji, posyandu_miji, day):
    assert day_findings(scope_for(kader_miji), posyandu_id=posyandu_miji.pk, day=D(2025, 3, 2)) == []


def test_the_other_posyandu_sees_only_its_own(kader_meri, posyandu_meri, day):
    (finding,) = day_findings(scope_for(kader_meri), posyandu_id=posyandu_meri.pk, day=DAY)
    assert (finding.reason, finding.detail) == ("severely_stunted", "PB/U \u22123.86")


@pytest.mark.parametrize("persona", ["kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan",
                                     "pembina_mojokerto", "opd_dinsos", "admin_user"])
def test_outsiders_are_refused(request, posyandu_miji, day, persona):
    with pytest.raises(NotInScope):
        day_findings(scope_for(request.getfixturevalue(persona)), posyandu_id=posyandu_miji.pk, day=DAY)


def test_an_unknown_posyandu_is_refused(kader_miji, day):
    with pytest.raises(NotInScope):
        day_findings(scope_for(kader_miji), posyandu_id=999999, day=DAY)


def test_jepara_day(kader_jepara, kader_miji, posyandu_jepara):
    joko = add_child(kader_jepara, posyandu_jepara, "Joko Jepara", D(2023, 3, 2))
    measure(kader_jepara, joko, DAY, length_height_cm="76.0", position="recumbent", muac_cm="12.4")
    assert day_findings(scope_for(kader_jepara), posyandu_id=posyandu_jepara.pk, day=DAY) == [
        Finding(joko.pk, "severely_stunted", "PB/U \u22123.86"), Finding(joko.pk, "low_muac", "LiLA 12.4 cm")]
    with pytest.raises(NotInScope):
        day_findings(scope_for(kader_miji), posyandu_id=posyandu_jepara.pk, day=DAY)
