"""Reads: who sees which screening, the attendance list, the yearly SPM helper and the day's findings."""

import pytest

from simpul.accounts.scope import scope_for
from simpul.core.errors import NotInScope
from simpul.health.findings import Finding, Reason
from simpul.health.growth.assessment import growth_assess
from simpul.registry.models import Person
from simpul.screening import selectors
from simpul.screening.services import ScreeningInput, screening_correct
from simpul.screening.tests.kit import DAY, NOW, D, adl, resident, screen

pytestmark = pytest.mark.django_db
OUTSIDERS = ["kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan", "pembina_mojokerto", "opd_dinsos",
             "admin_user"]


@pytest.fixture
def people(kader_miji, posyandu_miji, family_miji):
    members = {p.full_name: p for p in family_miji.members.all()}
    return {
        "budi": members["Budi Santoso"], "siti": members["Siti Aminah"], "aisyah": members["Aisyah Putri"],
        "mbah": resident(kader_miji, posyandu_miji, "Mbah Sumini", "F", D(1955, 1, 10), rt="001"),
        "dimas": resident(kader_miji, posyandu_miji, "Dimas", "M", D(2012, 11, 20), rt="003"),
        "adik": resident(kader_miji, posyandu_miji, "Adik", "M", D(2018, 5, 1)),
    }


def test_the_health_kader_and_the_nakes_see_and_outsiders_do_not(request, kader_miji, bidan_kranggan, people):
    s = screen(kader_miji, people["budi"], weight_kg=70)
    for user in (kader_miji, bidan_kranggan):
        assert list(selectors.screenings_visible(scope_for(user))) == [s]
        assert selectors.screening_get(scope_for(user), s.pk) == s
        assert list(selectors.screenings_for_person(scope_for(user), people["budi"])) == [s]
    for name in OUTSIDERS:
        scope = scope_for(request.getfixturevalue(name))
        assert not selectors.screenings_visible(scope).exists()
        with pytest.raises(NotInScope):
            selectors.screening_get(scope, s.pk)
        with pytest.raises(NotInScope):
            selectors.screenings_for_person(scope, people["budi"])


def test_history_is_newest_first_and_hides_corrected_rows(kader_miji, people):
    old = screen(kader_miji, people["budi"], weight_kg=70, screened_on=D(2026, 5, 10))
    wrong = screen(kader_miji, people["budi"], weight_kg=90, screened_on=D(2026, 8, 10))
    fixed = screening_correct(actor=kader_miji, scope=scope_for(kader_miji), screening=wrong, reason="salah",
                              data=ScreeningInput(screened_on=D(2026, 8, 10), weight_kg=72), now=NOW)
    scope = scope_for(kader_miji)
    assert list(selectors.screenings_for_person(scope, people["budi"])) == [fixed, old]
    assert list(selectors.screenings_for_person(scope, people["budi"], include_superseded=True)) == [fixed, wrong, old]


def test_screening_targets_lists_adolescents_adults_and_elderly_in_stage_order(kader_miji, bidan_kranggan, people):
    dead = resident(kader_miji, people["budi"].posyandu, "Mbah Karto", "M", D(1940, 1, 1))
    Person.objects.filter(pk=dead.pk).update(life_status="deceased", life_status_date=D(2026, 1, 1))
    latest = screen(kader_miji, people["budi"], weight_kg=70, screened_on=D(2026, 6, 1))
    screen(kader_miji, people["budi"], weight_kg=71, screened_on=D(2026, 3, 1))
    for user in (kader_miji, bidan_kranggan):
        targets = selectors.screening_targets(scope_for(user), posyandu_id=people["budi"].posyandu_id, on=DAY)
        # remaja (Dimas), dewasa by RW/RT then name (Budi, Siti: same household), lansia (Mbah Sumini).
        assert [(t.person.full_name, t.life_stage, t.age_years) for t in targets] == [
            ("Dimas", "remaja", 14), ("Budi Santoso", "dewasa", 41), ("Siti Aminah", "dewasa", 38),
            ("Mbah Sumini", "lansia", 71)]
        assert targets[1].latest == latest and targets[0].latest is None


def test_screening_targets_on_an_earlier_day_uses_the_stage_then(kader_miji, people):
    targets = selectors.screening_targets(scope_for(kader_miji), posyandu_id=people["budi"].posyandu_id,
                                          on=D(2022, 11, 19))
    # Dimas was 9 (school age) then: not listed.
    assert [t.person.full_name for t in targets] == ["Budi Santoso", "Siti Aminah", "Mbah Sumini"]


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_screening_targets_fail_closed(request, people, outsider):
    with pytest.raises(NotInScope):
        selectors.screening_targets(scope_for(request.getfixturevalue(outsider)),
                                    posyandu_id=people["budi"].posyandu_id, on=DAY)


def test_screened_in_year_counts_each_person_once(kader_miji, posyandu_meri, kader_meri, people):
    screen(kader_miji, people["budi"], weight_kg=70, screened_on=D(2026, 3, 1))
    screen(kader_miji, people["budi"], weight_kg=71, screened_on=D(2026, 11, 20))
    screen(kader_miji, people["siti"], weight_kg=60, screened_on=D(2025, 12, 31))  # last year
    wrong = screen(kader_miji, people["mbah"], weight_kg=50, screened_on=D(2026, 1, 1))
    screening_correct(actor=kader_miji, scope=scope_for(kader_miji), screening=wrong, reason="salah",
                      data=ScreeningInput(screened_on=D(2026, 1, 1), weight_kg=52), now=NOW)
    screen(kader_miji, people["dimas"], weight_kg=48, screened_on=D(2026, 2, 2))
    other = resident(kader_meri, posyandu_meri, "Warga Meri", "M", D(1970, 1, 1))
    screen(kader_meri, other, weight_kg=70, screened_on=D(2026, 2, 2))
    scope = scope_for(kader_miji)
    assert list(selectors.screened_in_year(scope, year=2026)) == [
        people["budi"], people["dimas"], people["mbah"]]  # by name; Meri is outside the scope
    assert list(selectors.screened_in_year(scope, year=2025)) == [people["siti"]]
    # SPM usia produktif (15–59) and lansia (≥ 60), by the age on the screening day
    assert list(selectors.screened_in_year(scope, year=2026, min_age=15, max_age=59)) == [people["budi"]]
    assert list(selectors.screened_in_year(scope, year=2026, min_age=60)) == [people["mbah"]]
    posyandu = people["budi"].posyandu_id
    assert selectors.screened_in_year(scope, year=2026, posyandu_id=posyandu).count() == 3
    assert selectors.screened_in_year(scope, year=2026, region_prefix="3576031002").count() == 3
    assert selectors.screened_in_year(scope, year=2026, region_prefix="3576031003").count() == 0
    assert selectors.screened_in_year(scope_for(kader_meri), year=2026).count() == 1


def test_day_findings_lists_each_reason_with_its_value(kader_miji, kader_meri, posyandu_meri, people):
    screen(kader_miji, people["budi"], systolic=150, diastolic=95, glucose_mg_dl=230, weight_kg=70, height_cm=170)
    screen(kader_miji, people["siti"], haemoglobin_g_dl="10.5", weight_kg=75, height_cm=160, waist_cm="92.5")
    screen(kader_miji, people["mbah"], adl=adl(adl_mobility=1, adl_stairs=0, adl_bathing=0, adl_dressing=1),
           systolic=130, diastolic=85)  # Barthel 14
    screen(kader_miji, people["dimas"], weight_kg="69.1", height_cm=160)  # BMI-for-age > +2 SD
    joko = resident(kader_miji, people["budi"].posyandu, "Joko", "M", D(1980, 1, 1))
    screen(kader_miji, joko, systolic=120, diastolic=80, glucose_mg_dl=110)  # nothing to refer
    screen(kader_miji, joko, systolic=170, diastolic=100, screened_on=D(2026, 11, 19))  # another day
    meri = resident(kader_meri, posyandu_meri, "Warga Meri", "M", D(1970, 1, 1))
    screen(kader_meri, meri, systolic=170, diastolic=100)  # another posyandu
    z = growth_assess(sex="M", birth_date=D(2012, 11, 20), measured_on=DAY, weight_kg=69.1, length_height_cm=160.0,
                      position="standing", now=NOW).z["bmifa"]
    expected = [
        Finding(people["budi"].pk, Reason.HYPERTENSION, "TD 150/95"),
        Finding(people["budi"].pk, Reason.HYPERGLYCAEMIA, "GDS 230 mg/dL"),
        Finding(people["dimas"].pk, Reason.OBESITY, f"IMT/U z {z:.2f}"),
        Finding(people["mbah"].pk, Reason.FUNCTIONAL_DEPENDENCE, "ADL 14/20"),
        Finding(people["siti"].pk, Reason.ANAEMIA, "Hb 10.5 g/dL"),
        Finding(people["siti"].pk, Reason.OBESITY, "IMT 29.3; LP 92.5 cm"),  # 75.0 / 1.6² = 29.30
    ]
    posyandu = people["budi"].posyandu_id
    assert selectors.day_findings(scope_for(kader_miji), posyandu_id=posyandu, day=DAY) == expected
    assert [f.label for f in expected]  # every reason has a label in the shared vocabulary


def test_day_findings_for_the_nakes_and_nothing_for_outsiders(request, kader_miji, bidan_kranggan, people):
    screen(kader_miji, people["budi"], systolic=150, diastolic=95)
    posyandu = people["budi"].posyandu_id
    assert selectors.day_findings(scope_for(bidan_kranggan), posyandu_id=posyandu, day=DAY) == [
        Finding(people["budi"].pk, Reason.HYPERTENSION, "TD 150/95")]
    for name in OUTSIDERS:
        assert selectors.day_findings(scope_for(request.getfixturevalue(name)), posyandu_id=posyandu, day=DAY) == []


def test_day_findings_judges_the_latest_screening_of_the_day_and_skips_corrected_rows(kader_miji, people):
    screen(kader_miji, people["budi"], systolic=150, diastolic=95)
    screen(kader_miji, people["budi"], systolic=125, diastolic=80, now=NOW.replace(hour=11))  # measured again
    wrong = screen(kader_miji, people["siti"], haemoglobin_g_dl="9.0")
    screening_correct(actor=kader_miji, scope=scope_for(kader_miji), screening=wrong, reason="salah ketik",
                      data=ScreeningInput(screened_on=DAY, haemoglobin_g_dl="13.0"), now=NOW)
    assert selectors.day_findings(scope_for(kader_miji), posyandu_id=people["budi"].posyandu_id, day=DAY) == []
