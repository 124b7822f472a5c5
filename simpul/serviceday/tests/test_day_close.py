"""Closing the day: the bidan's exact referral list, the absent list, and D = N + T + O + B.

Reference values (WHO Child Growth Standards 2006, boys length-for-age at 24 months, recumbent:
-3 SD 78.7 cm, -2 SD 81.7 cm, median 87.8 cm), Permenkes 2/2020 (pendek between -3 and -2 SD), the KEK
cut-off LiLA < 23.5 cm and hypertension at systolic >= 140 or diastolic >= 90 (domain.md §3.3).
"""

import datetime as dt

import pytest

from conftest import person_input, register_family
from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.maternal.services import AncVisitInput, PregnancyInput, anc_visit_record, pregnancy_register
from simpul.screening.services import ScreeningInput, screening_record
from simpul.serviceday.models import DayAbsence, DayReferral
from simpul.serviceday.services import attendance_record, day_close
from simpul.serviceday.tests.kit import DAY, at, family_with_children, open_day, weigh

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_day(kader_miji, posyandu_miji):
    """A morning at Posyandu Melati Miji, set up so each person has a known outcome."""
    people = family_with_children(kader_miji, posyandu_miji)
    elders = register_family(kader_miji, posyandu_miji, head="Pak Harjo", kk="3576030101200010", members=[
        person_input("Pak Harjo", "M", dt.date(1955, 4, 4), "kepala"),
        person_input("Bu Harjo", "F", dt.date(1958, 8, 8), "istri"),
        person_input("Lestari", "F", dt.date(2000, 2, 2), "anak"),
    ])
    people.update({p.full_name.split()[-1].lower() if p.full_name != "Lestari" else "lestari": p
                   for p in elders.members.all()})
    scope = scope_for(kader_miji)
    # Aisyah: 12.0 kg in September, 11.9 in October, 11.8 today: T twice, so 2T.
    weigh(kader_miji, people["aisyah"], dt.date(2026, 9, 18), 12.0)
    weigh(kader_miji, people["aisyah"], dt.date(2026, 10, 16), 11.9)
    # Lestari is pregnant (HPHT in June); her LiLA today is 22.0 cm: KEK.
    pregnancy = pregnancy_register(actor=kader_miji, scope=scope, person=people["lestari"], data=PregnancyInput(
        registered_on=dt.date(2026, 8, 20), hpht=dt.date(2026, 6, 1), gravida=1), now=at(dt.date(2026, 8, 20)))

    day = open_day(kader_miji, posyandu_miji)
    for key in ("aisyah", "bima", "citra", "rina", "lestari", "harjo"):
        attendance_record(actor=kader_miji, scope=scope, day=day, person=people[key], now=at(DAY))
    weigh(kader_miji, people["aisyah"], DAY, 11.8)
    weigh(kader_miji, people["bima"], DAY, 10.5, length_height_cm=80.5, position="recumbent")  # stunted
    weigh(kader_miji, people["citra"], DAY, 18.0, length_height_cm=110.0, position="standing")  # normal
    anc_visit_record(actor=kader_miji, scope=scope, pregnancy=pregnancy, data=AncVisitInput(
        visited_on=DAY, weight_kg=48, muac_cm=22.0, systolic=110, diastolic=70), now=at(DAY, 3))
    # Pak Harjo: 150/85: hypertension. Rina: 120/80, nothing to refer.
    screening_record(actor=kader_miji, scope=scope, person=people["harjo"], data=ScreeningInput(
        screened_on=DAY, weight_kg=60, height_cm=165, systolic=150, diastolic=85), now=at(DAY, 3))
    screening_record(actor=kader_miji, scope=scope, person=people["rina"], data=ScreeningInput(
        screened_on=DAY, weight_kg=55, height_cm=155, systolic=120, diastolic=80), now=at(DAY, 3))
    day_close(actor=kader_miji, scope=scope, day=day, now=at(DAY, 6))
    day.refresh_from_db()
    return day, people


def _reasons(day) -> dict[str, set[str]]:
    return {r.person.full_name: {item["reason"] for item in r.reasons} for r in DayReferral.objects.filter(day=day)}


def test_the_referral_list_names_exactly_who_needs_the_bidan_and_why(closed_day):
    day, _people = closed_day
    assert _reasons(day) == {
        # No immunisation is recorded for the under-fives, so their doses are overdue as well.
        "Aisyah Putri": {"two_t", "immunization_overdue"},
        "Bima Sakti": {"stunted", "immunization_overdue"},
        "Lestari": {"kek"},
        "Pak Harjo": {"hypertension"},
    }


def test_each_reason_carries_the_value_behind_it(closed_day):
    day, people = closed_day
    lestari = DayReferral.objects.get(day=day, person=people["lestari"])
    assert "22" in lestari.reasons[0]["detail"]
    harjo = DayReferral.objects.get(day=day, person=people["harjo"])
    assert "150" in harjo.reasons[0]["detail"]


def test_the_absent_list_holds_the_expected_who_did_not_come(closed_day):
    day, _people = closed_day
    # Dimas (18 months) was expected and did not come; adults who stayed home are not "absent".
    assert {(a.person.full_name, a.group) for a in DayAbsence.objects.filter(day=day)} == {
        ("Dimas Arya", "bayi_balita")}


def test_the_close_counts_the_day_with_d_equal_to_n_t_o_b(closed_day):
    day, _people = closed_day
    weighing = day.close_summary["weighing"]
    # Aisyah T (and 2T), Bima B (first weighing); Citra is 70 months, outside SKDN.
    assert weighing == {"N": 0, "T": 1, "O": 0, "B": 1, "D": 2, "2T": 1, "BGM": 0}
    assert weighing["D"] == weighing["N"] + weighing["T"] + weighing["O"] + weighing["B"]
    assert day.close_summary["present"] == 6
    assert day.close_summary["referrals"] == 4 and day.close_summary["absent"] == 1
    assert day.close_summary["attended"] == {"bayi_balita": 2, "apras": 1, "dewasa": 1, "ibu_hamil": 1, "lansia": 1}
    assert AuditEntry.objects.filter(action="serviceday.day.closed", object_id=str(day.pk)).exists()


def test_closing_twice_changes_nothing(closed_day, kader_miji):
    day, _people = closed_day
    before = DayReferral.objects.count(), DayAbsence.objects.count()
    day_close(actor=kader_miji, scope=scope_for(kader_miji), day=day, now=at(DAY, 7))
    assert (DayReferral.objects.count(), DayAbsence.objects.count()) == before


def test_a_day_cannot_close_before_it_happens(kader_miji, posyandu_miji):
    day = open_day(kader_miji, posyandu_miji)
    with pytest.raises(DomainError):
        day_close(actor=kader_miji, scope=scope_for(kader_miji), day=day, now=at(DAY - dt.timedelta(days=1)))
    day.refresh_from_db()
    assert day.status == "open"


@pytest.mark.parametrize("persona", ["lurah_miji", "camat_kranggan", "kader_meri", "opd_dinsos"])
def test_only_the_health_team_of_the_posyandu_closes_the_day(request, persona, kader_miji, posyandu_miji):
    day = open_day(kader_miji, posyandu_miji)
    user = request.getfixturevalue(persona)
    with pytest.raises(NotInScope):
        day_close(actor=user, scope=scope_for(user), day=day, now=at(DAY, 6))
