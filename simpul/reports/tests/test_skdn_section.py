"""SKDN and nutrition status of October 2026, for a small data set worked out by hand.

Nine children (Kelurahan Miji, registered 1 July 2026). Age bands by completed months on 31 October.
KBM (docs/decisions/0007-kbm-table.md): 4 months 600 g, 9–10 months 300 g, 12–59 months 200 g.

=====  ===  ==========  ===========================================  ====  =============================
child  sex  born        weighings (kg)                               band  expected October
=====  ===  ==========  ===========================================  ====  =============================
Adi    L    2026-06-10  12 Sep 5.3; 5 Oct 5.6; 12 Oct 6.0             0–5   S K D N (12 Oct counts: +700 ≥ 600;
                                                                            5 Oct alone would be T)
Bunga  P    2025-12-01  15 Aug 7.9; 15 Sep 8.0; 15 Oct 8.2            6–11  S K D T 2T (+200 < 300 after T)
Citra  P    2024-11-20  20 Oct 10.0                                    12–23 S K D B (first weighing)
Dodi   L    2024-03-03  10 Aug 12.0; 3 Oct 12.5 / 92.0 cm standing    24–35 S K D O (not weighed in Sep)
Eka    L    2022-05-15  10 Jul 15.0                                    36–59 S K, absent
Fajar  L    2021-10-20  5 Sep 16.0; 5 Oct 16.1                        36–59 D T, not S (60 months on 31 Oct,
                                                                            59 on the weighing): "not in K"
Gita   P    2023-01-10  never                                          36–59 S only
Hana   P    2025-05-05  10 Sep 10.0; 10 Oct 10.3, moved to Meri 20 Oct 12–23 D N at Miji, not in K there;
                                                                            S K absent at Meri
Irfan  L    2024-10-31  30 Sep 7.0; 30 Oct 7.2 / 79.0 cm lying        24–35 S K D N BGM (+200 ≥ 200; 23 months
                                                                            on the weighing, 24 on 31 Oct)
=====  ===  ==========  ===========================================  ====  =============================

Nutrition classes from the WHO 2006 tables (Permenkes 2/2020 bands): Irfan 7.2 kg at 23 months is below
BB/U −3 SD (about 8.5 kg: severely underweight); 79.0 cm is between TB/U −3 SD (about 77.3 cm) and −2 SD
(about 80.3 cm: stunted); 7.2 kg at 79 cm is below BB/TB −3 SD (about 8.2 kg: severely wasted). Dodi
12.5 kg, 92 cm at 31 months is within ±1 SD on every index (normal). Every other weight is within −2 to
+1 SD for age (BB/U normal); they have no length, so BB/TB and TB/U are "not measured".
"""

import datetime as dt

import pytest

from conftest import MERI, MIJI
from simpul.accounts.scope import scope_for
from simpul.health.models import Measurement
from simpul.health.services import MeasurementInput, measurement_correct
from simpul.reports.skdn import nutrition_section, skdn_counts
from simpul.reports.tests.kit import NOW, OCT, SEP

pytestmark = pytest.mark.django_db

BAND = {"0-5": 0, "6-11": 1, "12-23": 2, "24-35": 3, "36-59": 4}


def cells(*entries):
    """("0-5", "L", 1), ... → the 13 columns: 5 bands × (L, P), total L, total P, total."""
    values = [0] * 13
    for band, sex, n in entries:
        female = 1 if sex == "P" else 0
        values[BAND[band] * 2 + female] += n
        values[10 + female] += n
        values[12] += n
    return values


EXPECTED_MIJI = {
    "s": cells(("0-5", "L", 1), ("6-11", "P", 1), ("12-23", "P", 1), ("24-35", "L", 2), ("36-59", "L", 1),
               ("36-59", "P", 1)),
    "k": cells(("0-5", "L", 1), ("6-11", "P", 1), ("12-23", "P", 1), ("24-35", "L", 2), ("36-59", "L", 1)),
    "d": cells(("0-5", "L", 1), ("6-11", "P", 1), ("12-23", "P", 2), ("24-35", "L", 2), ("36-59", "L", 1)),
    "n": cells(("0-5", "L", 1), ("12-23", "P", 1), ("24-35", "L", 1)),
    "t": cells(("6-11", "P", 1), ("36-59", "L", 1)),
    "o": cells(("24-35", "L", 1)),
    "b": cells(("12-23", "P", 1)),
    "two_t": cells(("6-11", "P", 1)),
    "bgm": cells(("24-35", "L", 1)),
    "absent": cells(("36-59", "L", 1)),
    "d_not_in_k": cells(("12-23", "P", 1), ("36-59", "L", 1)),
}
EXPECTED_MERI = {key: cells() for key in EXPECTED_MIJI} | {
    "s": cells(("12-23", "P", 1)), "k": cells(("12-23", "P", 1)), "absent": cells(("12-23", "P", 1)),
}


def test_skdn_of_the_hand_built_month_matches_the_hand_count(october, posyandu_miji, posyandu_meri):
    assert posyandu_miji.desa_id == MIJI and posyandu_meri.desa_id == MERI
    assert skdn_counts(posyandu_miji, OCT) == EXPECTED_MIJI
    assert skdn_counts(posyandu_meri, OCT) == EXPECTED_MERI


def test_the_nutrition_status_of_the_children_weighed(october, posyandu_miji):
    rows = {row.key: list(row.values) for row in nutrition_section(posyandu_miji, OCT).rows}
    zero = cells()
    assert rows["wfa_severely_underweight"] == cells(("24-35", "L", 1))  # Irfan
    assert rows["wfa_normal"] == cells(("0-5", "L", 1), ("6-11", "P", 1), ("12-23", "P", 2), ("24-35", "L", 1),
                                       ("36-59", "L", 1))
    assert rows["wfa_underweight"] == rows["wfa_risk_of_overweight"] == rows["wfa_unknown"] == zero
    assert rows["wflh_severely_wasted"] == cells(("24-35", "L", 1))  # Irfan
    assert rows["wflh_normal"] == cells(("24-35", "L", 1))  # Dodi
    assert rows["lhfa_stunted"] == cells(("24-35", "L", 1))  # Irfan
    assert rows["lhfa_normal"] == cells(("24-35", "L", 1))  # Dodi
    no_length = cells(("0-5", "L", 1), ("6-11", "P", 1), ("12-23", "P", 2), ("36-59", "L", 1))
    assert rows["wflh_unknown"] == rows["lhfa_unknown"] == no_length
    for key in ("wflh_wasted", "wflh_possible_risk_of_overweight", "wflh_overweight", "wflh_obese",
                "lhfa_severely_stunted", "lhfa_tall"):
        assert rows[key] == zero, key


def test_september_counts_fajar_in_s_and_the_first_weighings_as_b(october, posyandu_miji):
    counts = skdn_counts(posyandu_miji, SEP)
    # Weighed in September: Adi, Fajar, Hana, Irfan for the first time (B); Bunga +100 g < 300 (T).
    assert counts["d"][12] == 5
    assert counts["b"][12] == 4 and counts["t"][12] == 1
    assert counts["s"][12] == 9  # all nine lived in Miji on 30 September; Fajar was still 59 months
    assert counts["k"][12] == 7  # Citra and Gita had not been weighed yet
    assert counts["s"][8:10] == [2, 1]  # 36–59: Eka and Fajar (L), Gita (P)



def test_correcting_a_weighing_changes_that_month_and_the_next(kader_both, october, posyandu_miji):
    wrong = Measurement.objects.get(person=october["Bunga"], measured_on=dt.date(2026, 9, 15))
    before_sep, before_oct = skdn_counts(posyandu_miji, SEP), skdn_counts(posyandu_miji, OCT)
    measurement_correct(actor=kader_both, scope=scope_for(kader_both), measurement=wrong, now=NOW,
                        data=MeasurementInput(measured_on=dt.date(2026, 9, 15), weight_kg="8.3"), reason="salah ketik")
    after_sep, after_oct = skdn_counts(posyandu_miji, SEP), skdn_counts(posyandu_miji, OCT)
    # September: +400 g ≥ 300 → N instead of T. October: 8.3 → 8.2 is still T, but no longer 2T.
    assert (before_sep["n"][12], before_sep["t"][12]) == (0, 1)
    assert (after_sep["n"][12], after_sep["t"][12]) == (1, 0)
    assert before_oct["two_t"] == cells(("6-11", "P", 1)) and after_oct["two_t"] == cells()
    assert after_oct["t"] == before_oct["t"] and after_oct["d"] == before_oct["d"]
