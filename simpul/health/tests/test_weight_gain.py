"""N/T/O/B, 2T and BGM per child and month, against letters worked out by hand from the KBM table.

KBM (g) by completed months: 1: 800, 2: 900, 3: 800, 4: 600, 5: 500, 6: 400, 7: 400, 8: 300, 9: 300,
10: 300, 11: 200, 12–59: 200. BGM thresholds from WHO's published weight-for-age SD tables.
"""

import datetime as dt

import pytest

from conftest import person_input, register_family
from simpul.accounts.scope import scope_for
from simpul.health import kbm
from simpul.health.models import Measurement
from simpul.health.services import MeasurementInput, measurement_correct, measurement_record
from simpul.health.weightgain import completed_months, monthly_status, weight_gain_for

pytestmark = pytest.mark.django_db


def weigh(user, person, day: dt.date, kg):
    return measurement_record(actor=user, scope=scope_for(user), person=person,
                              data=MeasurementInput(measured_on=day, weight_kg=kg))


def letters(gain):
    return None if gain is None else (gain.status, gain.two_t, gain.bgm)


# Aisyah Putri, girl born 2024-01-15 (family_miji). Each row: day, kg, completed months, expected.
AISYAH = [
    (dt.date(2024, 1, 20), "3.2", 0, ("B", False, False)),  # first weighing ever
    (dt.date(2024, 2, 20), "4.1", 1, ("N", False, False)),  # +900 g >= 800
    (dt.date(2024, 3, 20), "4.9", 2, ("T", False, False)),  # +800 g < 900
    (dt.date(2024, 4, 20), "5.5", 3, ("T", True, False)),  # +600 g < 800, T after T: 2T
    (dt.date(2024, 5, 20), "6.1", 4, ("N", False, False)),  # +600 g >= 600 (equal counts as N)
    # June: not weighed
    (dt.date(2024, 7, 20), "6.9", 6, ("O", False, False)),  # weighed before, not last month
    (dt.date(2024, 8, 20), "7.2", 7, ("T", False, False)),  # +300 g < 400 (the 5 August weighing is ignored)
    (dt.date(2024, 9, 20), "7.5", 8, ("N", False, False)),  # +300 g >= 300
]


@pytest.fixture
def aisyah_weighed(kader_miji, family_miji):
    child = family_miji.members.get(full_name="Aisyah Putri")
    for day, kg, _months, _expected in AISYAH:
        weigh(kader_miji, child, day, kg)
    # An earlier weighing the same August: 7.4 kg would have been N (+500 g); the latest one counts.
    weigh(kader_miji, child, dt.date(2024, 8, 5), "7.4")
    return child


def test_the_kbm_table_is_the_documented_one():
    assert [kbm.kbm_grams(m) for m in range(1, 13)] == [800, 900, 800, 600, 500, 400, 400, 300, 300, 300, 200, 200]
    assert kbm.kbm_grams(59) == 200 and kbm.CURRENT.confirmed is False
    with pytest.raises(ValueError):
        kbm.kbm_grams(60)


def test_completed_months():
    born = dt.date(2024, 1, 15)
    assert [completed_months(born, dt.date(2024, m, d)) for m, d in [(1, 20), (2, 14), (2, 15), (8, 5), (8, 20)]] \
        == [0, 0, 1, 6, 7]


def test_each_month_of_one_child_matches_the_hand_worked_letters(aisyah_weighed):
    for day, _kg, months, expected in AISYAH:
        gain = weight_gain_for(aisyah_weighed, day)
        assert letters(gain) == expected, day
        assert gain.age_months == months
    assert weight_gain_for(aisyah_weighed, dt.date(2024, 6, 1)) is None  # not weighed in June
    august = weight_gain_for(aisyah_weighed, dt.date(2024, 8, 1))
    assert (august.gain_g, august.kbm_g, august.weighing.measured_on) == (300, 400, dt.date(2024, 8, 20))


def test_correcting_a_weighing_changes_that_month_and_the_next(kader_miji, aisyah_weighed):
    march = Measurement.objects.get(person=aisyah_weighed, measured_on=dt.date(2024, 3, 20))
    measurement_correct(actor=kader_miji, scope=scope_for(kader_miji), measurement=march,
                        data=MeasurementInput(measured_on=dt.date(2024, 3, 20), weight_kg="5.0"),
                        reason="scale not zeroed")
    # March: 5.0 - 4.1 = +900 g >= 900: N. April: 5.5 - 5.0 = +500 g < 800: T, and no longer 2T.
    assert letters(weight_gain_for(aisyah_weighed, dt.date(2024, 3, 1))) == ("N", False, False)
    april = weight_gain_for(aisyah_weighed, dt.date(2024, 4, 1))
    assert letters(april) == ("T", False, False) and april.gain_g == 500
    # February and May are untouched.
    assert letters(weight_gain_for(aisyah_weighed, dt.date(2024, 2, 1))) == ("N", False, False)
    assert letters(weight_gain_for(aisyah_weighed, dt.date(2024, 5, 1))) == ("N", False, False)


def test_a_correction_can_turn_the_next_month_from_t_to_n(kader_miji, aisyah_weighed):
    march = Measurement.objects.get(person=aisyah_weighed, measured_on=dt.date(2024, 3, 20))
    measurement_correct(actor=kader_miji, scope=scope_for(kader_miji), measurement=march,
                        data=MeasurementInput(measured_on=dt.date(2024, 3, 20), weight_kg="4.7"), reason="typo")
    # March: +600 g < 900: T. April: 5.5 - 4.7 = +800 g >= 800: N.
    assert letters(weight_gain_for(aisyah_weighed, dt.date(2024, 3, 1))) == ("T", False, False)
    assert letters(weight_gain_for(aisyah_weighed, dt.date(2024, 4, 1))) == ("N", False, False)


@pytest.fixture
def april_posyandu(kader_miji, kader_meri, posyandu_miji, posyandu_meri, aisyah_weighed):
    children = register_family(kader_miji, posyandu_miji, head="Joko Susilo", rt="003", members=[
        person_input("Joko Susilo", "M", dt.date(1980, 2, 2), "kepala"),
        person_input("Bima", "M", dt.date(2023, 6, 10), "anak"),
        person_input("Citra", "F", dt.date(2022, 5, 1), "anak"),
        person_input("Dodi", "M", dt.date(2024, 3, 1), "anak"),
        person_input("Eka", "M", dt.date(2019, 1, 1), "anak"),
    ])
    people = {p.full_name: p for p in children.members.all()}
    # Bima: February, then April (not March): O. 6.2 kg at 10 months is below WHO boys' -3 SD (6.6 kg): BGM.
    weigh(kader_miji, people["Bima"], dt.date(2024, 2, 12), "6.8")
    weigh(kader_miji, people["Bima"], dt.date(2024, 4, 12), "6.2")
    # Citra, 23 months: March 10.0, April first typed 10.1 (+100 g < 200: T), corrected to 10.3 (+300 g: N).
    weigh(kader_miji, people["Citra"], dt.date(2024, 3, 5), "10.0")
    wrong = weigh(kader_miji, people["Citra"], dt.date(2024, 4, 5), "10.1")
    measurement_correct(actor=kader_miji, scope=scope_for(kader_miji), measurement=wrong,
                        data=MeasurementInput(measured_on=dt.date(2024, 4, 5), weight_kg="10.3"), reason="typo")
    # Dodi, 1 month: first weighing ever: B.
    weigh(kader_miji, people["Dodi"], dt.date(2024, 4, 2), "3.9")
    # Eka is 63 months old: weighed, but not a balita any more; not counted.
    weigh(kader_miji, people["Eka"], dt.date(2024, 4, 10), "17")
    # A child of the next posyandu weighed in April: not counted here.
    meri = register_family(kader_meri, posyandu_meri, head="Rudi", members=[
        person_input("Rudi", "M", dt.date(1990, 1, 1), "kepala"), person_input("Fajar", "M", dt.date(2023, 1, 1), "anak")])
    weigh(kader_meri, meri.members.get(full_name="Fajar"), dt.date(2024, 4, 15), "11")
    return people


def test_monthly_status_of_a_posyandu(posyandu_miji, april_posyandu, aisyah_weighed):
    status = monthly_status(posyandu_miji, dt.date(2024, 4, 17))
    by_name = {april_posyandu.get(n).pk if n != "Aisyah" else aisyah_weighed.pk: n
               for n in ("Aisyah", "Bima", "Citra", "Dodi")}
    got = {by_name[c.person_id]: letters(c) for c in status.children}
    assert got == {
        "Aisyah": ("T", True, False),
        "Bima": ("O", False, True),
        "Citra": ("N", False, False),
        "Dodi": ("B", False, False),
    }
    assert status.counts == {"D": 4, "N": 1, "T": 1, "O": 1, "B": 1, "2T": 1, "BGM": 1}


def test_d_is_n_plus_t_plus_o_plus_b_in_every_month(posyandu_miji, posyandu_meri, april_posyandu):
    for month in range(1, 13):
        for posyandu in (posyandu_miji, posyandu_meri):
            c = monthly_status(posyandu, dt.date(2024, month, 1)).counts
            assert c["D"] == c["N"] + c["T"] + c["O"] + c["B"], (posyandu, month, c)
            assert c["2T"] <= c["T"] and c["BGM"] <= c["D"]
    assert monthly_status(posyandu_meri, dt.date(2024, 4, 1)).counts["D"] == 1


def test_a_child_weighed_twice_in_a_month_counts_once(posyandu_miji, aisyah_weighed):
    august = monthly_status(posyandu_miji, dt.date(2024, 8, 1))
    assert august.counts["D"] == 1 and letters(august.children[0]) == ("T", False, False)
