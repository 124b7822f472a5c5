"""The monthly report section, against counts made by hand from a small data set.

People, not screenings, are counted: someone screened twice in the month counts once, in the column of
their latest screening that month, and in a finding row if any screening that month found it.
"""

import pytest

from simpul.accounts.scope import scope_for
from simpul.reports import sections
from simpul.screening.report import monthly_counts, screening_section
from simpul.screening.services import ScreeningInput, screening_correct
from simpul.screening.tests.kit import NOW, D, adl, resident, screen

pytestmark = pytest.mark.django_db
NOVEMBER = D(2026, 11, 1)


@pytest.fixture
def month_data(kader_miji, kader_meri, posyandu_miji, posyandu_meri, family_miji):
    k, p = kader_miji, posyandu_miji
    members = {m.full_name: m for m in family_miji.members.all()}
    budi, siti = members["Budi Santoso"], members["Siti Aminah"]
    dimas = resident(k, p, "Dimas", "M", D(2012, 11, 20))  # 13 on 3 Nov
    putri = resident(k, p, "Putri", "F", D(2015, 6, 1))  # 11
    joko = resident(k, p, "Joko", "M", D(1980, 1, 1))
    sumini = resident(k, p, "Mbah Sumini", "F", D(1955, 1, 10))
    karto = resident(k, p, "Mbah Karto", "M", D(1950, 2, 2))
    harto = resident(k, p, "Pak Harto", "M", D(1966, 11, 15))  # turns 60 on 15 Nov
    meri = resident(kader_meri, posyandu_meri, "Warga Meri", "M", D(1970, 1, 1))

    # remaja
    screen(k, dimas, screened_on=D(2026, 11, 3), weight_kg="69.1", height_cm=160, haemoglobin_g_dl="11.0",
           systolic=110, diastolic=70)  # obese for age; Hb < 12.0 (12–14 y): anaemic
    screen(k, putri, screened_on=D(2026, 11, 3), haemoglobin_g_dl="12.0")  # 11 y: cut-off 11.5, not anaemic
    # dewasa
    screen(k, budi, screened_on=D(2026, 11, 3), systolic=150, diastolic=95, glucose_mg_dl=150)
    screen(k, budi, screened_on=D(2026, 11, 20), systolic=130, diastolic=80, glucose_mg_dl=210)  # same person
    screen(k, siti, screened_on=D(2026, 11, 10), haemoglobin_g_dl="11.9", weight_kg=75, height_cm=160,
           waist_cm="92.5")  # anaemic, obese (BMI 29.3), central obesity
    screen(k, joko, screened_on=D(2026, 10, 31), systolic=160, diastolic=100)  # October: not counted
    # lansia
    screen(k, sumini, screened_on=D(2026, 11, 10), systolic=145, diastolic=85, glucose_mg_dl=199,
           adl=adl(adl_mobility=1, adl_stairs=0, adl_bathing=0, adl_dressing=1))  # Barthel 14
    wrong = screen(k, karto, screened_on=D(2026, 11, 10), glucose_mg_dl=200, haemoglobin_g_dl="12.5", adl=adl())
    screening_correct(actor=k, scope=scope_for(k), screening=wrong, reason="GDS salah ketik", now=NOW,
                      data=ScreeningInput(screened_on=D(2026, 11, 10), glucose_mg_dl=120, haemoglobin_g_dl="12.5",
                                          adl=adl()))  # men ≥ 15: Hb < 13.0 anaemic; glucose now normal
    screen(k, harto, screened_on=D(2026, 11, 2), systolic=150, diastolic=90)  # 59: dewasa
    screen(k, harto, screened_on=D(2026, 11, 20), systolic=120, diastolic=80)  # 60: lansia, counts there
    # another posyandu
    screen(kader_meri, meri, screened_on=D(2026, 11, 10), systolic=170, diastolic=100)
    return posyandu_miji


# Hand count, columns (remaja, dewasa, lansia):
EXPECTED = {
    "screened": (2, 2, 3),  # Dimas, Putri | Budi (twice), Siti | Sumini, Karto, Harto
    "hypertension": (0, 1, 2),  # Budi (3 Nov) | Sumini, Harto (2 Nov, as dewasa then)
    "glucose_checked": (0, 1, 2),  # Budi | Sumini, Karto
    "hyperglycaemia": (0, 1, 0),  # Budi 210 | Sumini 199 no, Karto corrected to 120
    "hb_checked": (2, 1, 1),  # Dimas, Putri | Siti | Karto
    "anaemia": (1, 1, 1),  # Dimas 11.0 | Siti 11.9 | Karto 12.5
    "obese": (1, 1, 0),  # Dimas (BMI-for-age) | Siti (BMI 29.3)
    "central_obesity": (0, 1, 0),  # Siti 92.5 cm
    "adl_checked": (0, 0, 2),  # Sumini, Karto
    "adl_dependent": (0, 0, 1),  # Sumini 14/20
}


def test_the_section_matches_the_hand_count(month_data):
    section = screening_section(month_data, NOVEMBER)
    assert section.key == "screening" and len(section.columns) == 3
    assert {row.key: row.values for row in section.rows} == EXPECTED
    assert all(isinstance(v, int) for row in section.rows for v in row.values)
    assert [row.key for row in section.rows] == list(EXPECTED)


def test_plain_counts_and_another_month(month_data):
    counts = monthly_counts(month_data.pk, NOVEMBER)
    assert counts["screened"] == {"remaja": 2, "dewasa": 2, "lansia": 3}
    october = monthly_counts(month_data.pk, D(2026, 10, 1))
    assert october["screened"] == {"remaja": 0, "dewasa": 1, "lansia": 0}
    assert october["hypertension"] == {"remaja": 0, "dewasa": 1, "lansia": 0}


def test_the_other_posyandu_counts_only_its_own(month_data, posyandu_meri):
    counts = monthly_counts(posyandu_meri.pk, NOVEMBER)
    assert counts["screened"] == {"remaja": 0, "dewasa": 1, "lansia": 0}
    assert counts["hypertension"]["dewasa"] == 1


def test_the_section_is_registered_after_the_others():
    registered = {item.key: item for item in sections.registered()}
    assert registered["screening"].order == 50 and registered["screening"].builder is screening_section
