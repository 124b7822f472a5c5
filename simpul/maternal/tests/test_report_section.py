"""The monthly report section against a hand-built month with hand-counted numbers."""

import pytest

from simpul.accounts.scope import scope_for
from simpul.maternal.report import maternal_section
from simpul.maternal.services import AncVisitInput, anc_visit_correct
from simpul.maternal.tests.kit import NOW, D, add_woman, close, nifas, register, siti, visit
from simpul.reports.sections import registered

pytestmark = pytest.mark.django_db
NOVEMBER = D(2026, 11, 1)


@pytest.fixture
def november(kader_miji, kader_meri, posyandu_miji, posyandu_meri, family_miji):
    k = kader_miji
    woman = {name: add_woman(k, posyandu_miji, name, birth) for name, birth in [
        ("Dewi", D(1994, 2, 3)), ("Ani", D(1998, 6, 7)), ("Fitri", D(1993, 1, 2)), ("Eka", D(1996, 8, 9)),
        ("Rina", D(1990, 4, 5)), ("Tuti", D(1992, 4, 5))]}
    # Siti: pregnant all month; two November visits (KEK, then high blood pressure), one in October.
    p = register(k, siti(family_miji), hpht=D(2026, 6, 1), registered_on=D(2026, 7, 27))
    visit(k, p, D(2026, 10, 20), iron_tablets=30)
    visit(k, p, D(2026, 11, 3), muac_cm="22.0", iron_tablets=30)
    visit(k, p, D(2026, 11, 14), systolic=145, diastolic=92, iron_tablets=30)
    # Dewi: KEK (23.4) and 140/80 on 5 November, delivered 10 November, two nifas visits (vitamin A once).
    p = register(k, woman["Dewi"], hpht=D(2026, 2, 1))
    visit(k, p, D(2026, 11, 5), muac_cm="23.4", systolic=140, diastolic=80)
    close(k, p, on=D(2026, 11, 10))
    nifas(k, p, D(2026, 11, 12), vitamin_a=True)
    nifas(k, p, D(2026, 11, 20))
    # Ani: recorded on 20 November, one visit by the kader with normal values.
    p = register(k, woman["Ani"], hpht=D(2026, 9, 1), registered_on=D(2026, 11, 20))
    visit(k, p, D(2026, 11, 20), examiner="kader", muac_cm="25.0", systolic=120, diastolic=80, iron_tablets=30)
    # Fitri: delivered 1 October; a nifas visit on 2 November with vitamin A.
    p = close(k, register(k, woman["Fitri"], hpht=D(2026, 1, 1)), on=D(2026, 10, 1))
    nifas(k, p, D(2026, 11, 2), vitamin_a=True)
    # Eka: miscarriage on 5 November (ended, not delivered).
    close(k, register(k, woman["Eka"], hpht=D(2026, 8, 1)), status="ended", on=D(2026, 11, 5))
    # Rina: never closed, HPHT 1 December 2025 (over 45 weeks by 30 November): not counted.
    register(k, woman["Rina"], hpht=D(2025, 12, 1), registered_on=D(2026, 1, 20))
    # Tuti: a visit typed with LiLA 20.0, corrected to 24.0 (the old row does not count).
    p = register(k, woman["Tuti"], hpht=D(2026, 4, 1))
    wrong = visit(k, p, D(2026, 11, 15), muac_cm="20.0", iron_tablets=10)
    anc_visit_correct(actor=k, scope=scope_for(k), visit=wrong, reason="salah ketik", now=NOW,
                      data=AncVisitInput(visited_on=D(2026, 11, 15), examiner="bidan", muac_cm="24.0",
                                         iron_tablets=10))
    # Another posyandu's mother: never in Miji's report.
    meri = register(kader_meri, add_woman(kader_meri, posyandu_meri, "Wulan", D(1991, 1, 1)), hpht=D(2026, 5, 1))
    visit(kader_meri, meri, D(2026, 11, 10), muac_cm="20.0", iron_tablets=30)


def test_the_numbers_of_november(posyandu_miji, november):
    section = maternal_section(posyandu_miji, NOVEMBER)
    assert section.key == "maternal" and len(section.columns) == 1
    assert {row.key: row.values for row in section.rows} == {
        "pregnant": (3,),  # Siti, Ani, Tuti (Dewi delivered, Eka ended, Rina over 45 weeks)
        "pregnant_new": (1,),  # Ani
        "anc_women": (4,),  # Siti, Dewi, Ani, Tuti
        "anc_visits": (5,),  # Siti 2, Dewi 1, Ani 1, Tuti 1 (the corrected one)
        "anc_kek": (2,),  # Siti 22.0, Dewi 23.4
        "anc_hypertension": (2,),  # Siti 145/92, Dewi 140/80
        "iron_tablets": (100,),  # 30 + 30 + 0 + 30 + 10
        "nifas_women": (2,),  # Dewi, Fitri
        "nifas_vitamin_a": (2,),  # Dewi (once), Fitri
        "deliveries": (1,),  # Dewi
    }
    assert all(isinstance(v, int) for row in section.rows for v in row.values)


def test_october_and_an_empty_posyandu(posyandu_miji, posyandu_meri, november):
    october = {row.key: row.values[0] for row in maternal_section(posyandu_miji, D(2026, 10, 1)).rows}
    # End of October: Siti, Dewi, Eka, Tuti; not Rina (1 December to 31 October is 334 days, over 315),
    # not Ani (recorded in November), not Fitri (delivered 1 October). One visit (Siti, 20 October).
    assert october["pregnant"] == 4 and october["anc_visits"] == 1 and october["iron_tablets"] == 30
    assert october["deliveries"] == 1  # Fitri
    meri = {row.key: row.values[0] for row in maternal_section(posyandu_meri, NOVEMBER).rows}
    assert meri["anc_kek"] == 1 and meri["pregnant"] == 1 and meri["deliveries"] == 0


def test_the_section_is_registered_for_the_monthly_report():
    entry = {item.key: item for item in registered()}["maternal"]
    assert entry.order == 40 and entry.builder is maternal_section
