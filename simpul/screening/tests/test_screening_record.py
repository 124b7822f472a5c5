"""screening_record: values stored and judged by the cited cut-offs, impossible input refused with nothing
written, idempotent by client UUID, and only the health kader and the nakes of the place may record."""

import uuid
from decimal import Decimal

import pytest

from conftest import make_user
from simpul.accounts.roles import Role
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.health.growth.assessment import growth_assess
from simpul.registry.models import Person
from simpul.screening.models import Screening
from simpul.screening.tests.kit import DAY, NOW, D, adl, counts, resident, screen

pytestmark = pytest.mark.django_db


@pytest.fixture
def budi(family_miji):
    return family_miji.members.get(full_name="Budi Santoso")  # man, born 1985-03-02: 41 years on DAY


@pytest.fixture
def siti(family_miji):
    return family_miji.members.get(full_name="Siti Aminah")  # woman, born 1988-07-09: 38 years


@pytest.fixture
def mbah(kader_miji, posyandu_miji):
    return resident(kader_miji, posyandu_miji, "Mbah Sumini", "F", D(1955, 1, 10))  # 71 years


def test_it_stores_values_computed_categories_flags_and_an_audit_entry(kader_miji, siti):
    s = screen(kader_miji, siti, weight_kg="75.04", height_cm="160", waist_cm="92.5", systolic=150, diastolic=95,
               glucose_mg_dl=230, haemoglobin_g_dl="10.5", smoking="no")
    s.refresh_from_db()
    assert (s.person_id, s.posyandu_id, s.desa_id) == (siti.pk, siti.posyandu_id, siti.desa_id)
    assert s.screened_on == DAY and s.age_years == 38 and s.life_stage == "dewasa"
    assert s.weight_kg == Decimal("75.0") and s.height_cm == Decimal("160.0")  # stored to 0.1
    assert s.bmi == Decimal("29.3")  # 75.0 / 1.60² = 29.296…
    assert s.bmi_category == "obese" and s.z_bmifa is None and s.class_bmifa == ""
    assert s.anaemia_cutoff == Decimal("12.0")  # non-pregnant woman ≥ 15 years
    assert s.flags == ["hypertension", "hyperglycaemia", "anaemia", "obesity", "central_obesity"]
    assert s.recorded_by == kader_miji and s.created_at == NOW
    entry = AuditEntry.objects.get(action="screening.screening.recorded", object_id=str(s.pk))
    assert entry.changes["systolic"] == 150 and entry.region_code == siti.desa_id


def test_a_healthy_adult_has_no_flag(kader_miji, budi):
    s = screen(kader_miji, budi, weight_kg=70, height_cm=170, waist_cm=85, systolic=120, diastolic=80,
               glucose_mg_dl=110, haemoglobin_g_dl="14.2", smoking="yes")
    assert s.flags == [] and s.bmi == Decimal("24.2") and s.bmi_category == "normal" and s.smoking == "yes"


@pytest.mark.parametrize(("systolic", "diastolic", "flagged"), [
    (139, 89, False), (140, 80, True), (120, 90, True), (139, 90, True), (140, 89, True)])
def test_blood_pressure_boundaries(kader_miji, budi, systolic, diastolic, flagged):
    s = screen(kader_miji, budi, systolic=systolic, diastolic=diastolic)
    assert ("hypertension" in s.flags) is flagged


@pytest.mark.parametrize(("glucose", "flagged"), [(199, False), (200, True)])
def test_glucose_boundary(kader_miji, budi, glucose, flagged):
    assert ("hyperglycaemia" in screen(kader_miji, budi, glucose_mg_dl=glucose).flags) is flagged


@pytest.mark.parametrize(("name", "sex", "birth", "hb", "pregnant", "cutoff", "flagged"), [
    # WHO 2011 table 1, at the cut-off and 0.1 below it
    ("Putri", "F", D(2015, 6, 1), "11.4", False, "11.5", True),  # 11 years: 5–11 y band
    ("Putri", "F", D(2015, 6, 1), "11.5", False, "11.5", False),
    ("Bagus", "M", D(2013, 3, 1), "11.9", False, "12.0", True),  # 13 years: 12–14 y band
    ("Bagus", "M", D(2013, 3, 1), "12.0", False, "12.0", False),
    ("Rina", "F", D(1990, 5, 17), "11.9", False, "12.0", True),  # woman ≥ 15, not pregnant
    ("Rina", "F", D(1990, 5, 17), "12.0", False, "12.0", False),
    ("Rina", "F", D(1990, 5, 17), "10.9", True, "11.0", True),  # pregnant
    ("Rina", "F", D(1990, 5, 17), "11.0", True, "11.0", False),
    ("Joko", "M", D(1990, 5, 17), "12.9", False, "13.0", True),  # man ≥ 15
    ("Joko", "M", D(1990, 5, 17), "13.0", False, "13.0", False),
    ("Tono", "M", D(2011, 1, 5), "12.9", False, "13.0", True),  # a 15-year-old boy is a man for WHO
])
def test_anaemia_by_age_and_sex(kader_miji, posyandu_miji, name, sex, birth, hb, pregnant, cutoff, flagged):
    person = resident(kader_miji, posyandu_miji, name, sex, birth)
    s = screen(kader_miji, person, haemoglobin_g_dl=hb, pregnant=pregnant)
    assert s.anaemia_cutoff == Decimal(cutoff)
    assert ("anaemia" in s.flags) is flagged


@pytest.mark.parametrize(("weight", "klass", "flags"), [
    # WHO 2007 BMI-for-age, boys, row 14:0 of the z-score table: −2 SD 15.5, median 19.0, +1 SD 21.8,
    # +2 SD 25.9 kg/m². Height 160 cm (2.56 m²).
    ("38.4", "thin", []),  # BMI 15.0: between −3 and −2 SD
    ("48.6", "normal", []),  # BMI 19.0: the median
    ("60.2", "overweight", []),  # BMI 23.5: between +1 and +2 SD
    ("69.1", "obese", ["obesity"]),  # BMI 27.0: above +2 SD
])
def test_a_14_year_old_gets_who_2007_bmi_for_age(kader_miji, posyandu_miji, weight, klass, flags):
    boy = resident(kader_miji, posyandu_miji, "Dimas", "M", D(2012, 11, 20))  # exactly 14 years on DAY
    s = screen(kader_miji, boy, weight_kg=weight, height_cm="160", systolic=110, diastolic=70)
    assert s.life_stage == "remaja" and s.age_years == 14
    assert s.class_bmifa == klass and s.bmi_category == "" and s.flags == flags
    engine = growth_assess(sex="M", birth_date=boy.birth_date, measured_on=DAY, weight_kg=float(weight),
                           length_height_cm=160.0, position="standing", now=NOW)
    assert s.z_bmifa == engine.z["bmifa"]  # from the shared engine, not recomputed
    if klass == "normal":
        assert abs(s.z_bmifa) < 0.05


@pytest.mark.parametrize(("weight", "bmi", "category", "obese"), [
    ("69.1", "27.0", "overweight", False),  # 26.99 → 27.0: "gemuk tingkat ringan"
    ("69.4", "27.1", "obese", True),  # 27.11 → 27.1: "gemuk tingkat berat"
    ("64.3", "25.1", "overweight", False),  # 25.117
    ("64.0", "25.0", "normal", False),
    ("47.4", "18.5", "normal", False),  # 18.516
    ("47.1", "18.4", "thin", False),  # 18.398
    ("43.5", "17.0", "thin", False),  # 16.992
    ("43.3", "16.9", "severely_thin", False),  # 16.914
])
def test_adult_bmi_categories_through_the_service(kader_miji, budi, weight, bmi, category, obese):
    s = screen(kader_miji, budi, weight_kg=weight, height_cm="160")
    assert s.bmi == Decimal(bmi) and s.bmi_category == category
    assert ("obesity" in s.flags) is obese


def test_pregnancy_gives_no_bmi_category_nor_central_obesity(kader_miji, siti):
    s = screen(kader_miji, siti, weight_kg=80, height_cm=155, waist_cm=100, pregnant=True)
    assert s.bmi == Decimal("33.3") and s.bmi_category == "" and s.flags == []


@pytest.mark.parametrize(("sex", "waist", "flagged"), [("M", "90", False), ("M", "90.1", True),
                                                       ("F", "80", False), ("F", "80.1", True)])
def test_central_obesity_boundaries(kader_miji, posyandu_miji, sex, waist, flagged):
    person = resident(kader_miji, posyandu_miji, "Warga", sex, D(1980, 1, 1))
    assert ("central_obesity" in screen(kader_miji, person, waist_cm=waist).flags) is flagged


@pytest.mark.parametrize(("items", "score", "category", "flagged"), [
    (adl(), 20, "independent", False),
    (adl(adl_bathing=0), 19, "mild", True),
    # 20 − 3 (mobility 0) − 2 (stairs 0) − 1 (transfer 2) − 1 (bathing 0) − 1 (dressing 1) = 12
    (adl(adl_mobility=0, adl_stairs=0, adl_transfer=2, adl_bathing=0, adl_dressing=1), 12, "mild", True),
    (adl(adl_mobility=0, adl_stairs=0, adl_transfer=1, adl_bathing=0, adl_dressing=1), 11, "moderate", True),
    # 20 − 3 − 2 − 2 (transfer 1) − 1 − 2 (dressing 0) − 1 (grooming 0) = 9
    (adl(adl_mobility=0, adl_stairs=0, adl_transfer=1, adl_bathing=0, adl_dressing=0, adl_grooming=0), 9,
     "moderate", True),
    (adl(adl_mobility=0, adl_stairs=0, adl_transfer=1, adl_bathing=0, adl_dressing=0, adl_grooming=0,
         adl_toilet=1), 8, "severe", True),
    ({name: 0 for name in adl()} | {"adl_feeding": 2, "adl_bowels": 2, "adl_bladder": 1}, 5, "severe", True),
    ({name: 0 for name in adl()} | {"adl_feeding": 2, "adl_bowels": 2}, 4, "total", True),
    ({name: 0 for name in adl()}, 0, "total", True),
])
def test_barthel_score_category_and_flag(kader_miji, mbah, items, score, category, flagged):
    s = screen(kader_miji, mbah, adl=items)
    assert s.life_stage == "lansia" and s.adl_score == score and s.adl_category == category
    assert ("functional_dependence" in s.flags) is flagged
    assert s.adl_items == items


BAD = [
    ({"weight_kg": "1.9"}, "weight_kg"), ({"weight_kg": "300.1"}, "weight_kg"), ({"weight_kg": 0}, "weight_kg"),
    ({"weight_kg": float("nan")}, "weight_kg"), ({"weight_kg": "abc"}, "weight_kg"),
    ({"height_cm": "49.9"}, "height_cm"), ({"height_cm": "250.1"}, "height_cm"),
    ({"waist_cm": "29.9"}, "waist_cm"), ({"waist_cm": "251"}, "waist_cm"),
    ({"systolic": 300, "diastolic": 20}, "diastolic"),  # BP 300/20
    ({"systolic": 59, "diastolic": 40}, "systolic"), ({"systolic": 301, "diastolic": 90}, "systolic"),
    ({"systolic": 250, "diastolic": 201}, "diastolic"),
    ({"systolic": 120, "diastolic": 120}, "diastolic"), ({"systolic": 90, "diastolic": 110}, "diastolic"),
    ({"systolic": 120}, "diastolic"), ({"diastolic": 80}, "systolic"),
    ({"systolic": "120.5", "diastolic": 80}, "systolic"),
    ({"glucose_mg_dl": 19}, "glucose_mg_dl"), ({"glucose_mg_dl": 801}, "glucose_mg_dl"),
    ({"glucose_mg_dl": "150.5"}, "glucose_mg_dl"),
    ({"haemoglobin_g_dl": "1.9"}, "haemoglobin_g_dl"), ({"haemoglobin_g_dl": "25.1"}, "haemoglobin_g_dl"),
    ({"smoking": "sometimes"}, "smoking"),
    ({"weight_kg": 70, "screened_on": D(2026, 11, 23)}, "screened_on"),  # future
    ({"weight_kg": 70, "screened_on": D(1985, 3, 1)}, "screened_on"),  # before birth
    ({"weight_kg": 70, "screened_on": None}, "screened_on"),
    ({}, "__all__"),  # nothing screened
    ({"smoking": "unknown"}, "__all__"),
    ({"weight_kg": 70, "adl": adl()}, "adl_feeding"),  # Barthel is for the elderly
    ({"weight_kg": 70, "pregnant": True}, "pregnant"),  # Budi is a man
]


@pytest.mark.parametrize(("values", "field"), BAD)
def test_impossible_input_is_refused_per_field_and_nothing_is_written(kader_miji, budi, values, field):
    before = counts()
    with pytest.raises(DomainError) as exc:
        screen(kader_miji, budi, **values)
    assert field in exc.value.field_errors
    assert counts() == before


@pytest.mark.parametrize("values", [
    {"weight_kg": 2, "height_cm": 50}, {"weight_kg": 300, "height_cm": 250}, {"waist_cm": 30},
    {"waist_cm": 250}, {"systolic": 300, "diastolic": 200}, {"systolic": 60, "diastolic": 30},
    {"glucose_mg_dl": 20}, {"glucose_mg_dl": 800}, {"haemoglobin_g_dl": 2}, {"haemoglobin_g_dl": 25},
    {"smoking": "no"},
])
def test_the_limits_themselves_are_accepted(kader_miji, budi, values):
    assert screen(kader_miji, budi, **values).pk


def test_every_problem_is_reported_at_once(kader_miji, budi):
    with pytest.raises(DomainError) as exc:
        screen(kader_miji, budi, weight_kg=1, height_cm=300, systolic=300, diastolic=20, glucose_mg_dl=900)
    assert set(exc.value.field_errors) == {"weight_kg", "height_cm", "diastolic", "glucose_mg_dl"}


def test_fields_that_do_not_fit_an_adolescent_are_refused(kader_miji, posyandu_miji):
    teen = resident(kader_miji, posyandu_miji, "Putri", "F", D(2012, 2, 2))
    with pytest.raises(DomainError) as exc:
        screen(kader_miji, teen, weight_kg=40, waist_cm=70, glucose_mg_dl=100, smoking="no")
    assert set(exc.value.field_errors) == {"waist_cm", "glucose_mg_dl", "smoking"}
    assert Screening.objects.count() == 0


@pytest.mark.parametrize(("items", "fields"), [
    ({"adl_feeding": 2}, {"adl_bathing", "adl_stairs"}),  # one item only: the others are asked for
    (adl(adl_bathing=2), {"adl_bathing"}),  # bathing scores 0 or 1
    (adl(adl_mobility=4), {"adl_mobility"}),
    (adl(adl_feeding=-1), {"adl_feeding"}),
    (adl(adl_feeding="x"), {"adl_feeding"}),
])
def test_barthel_items_are_checked(kader_miji, mbah, items, fields):
    before = counts()
    with pytest.raises(DomainError) as exc:
        screen(kader_miji, mbah, adl=items)
    assert fields <= set(exc.value.field_errors)
    assert counts() == before


def test_children_under_ten_are_not_screened_here(kader_miji, posyandu_miji):
    child = resident(kader_miji, posyandu_miji, "Adik", "M", D(2018, 5, 1))
    with pytest.raises(DomainError) as exc:
        screen(kader_miji, child, weight_kg=25)
    assert "__all__" in exc.value.field_errors and Screening.objects.count() == 0


def test_someone_no_longer_living_here_cannot_be_screened(kader_miji, budi):
    Person.objects.filter(pk=budi.pk).update(life_status="deceased", life_status_date=D(2026, 10, 1))
    budi.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        screen(kader_miji, budi, weight_kg=70)
    assert "screened_on" in exc.value.field_errors
    assert screen(kader_miji, budi, weight_kg=70, screened_on=D(2026, 9, 30)).pk  # before the death: allowed


def test_the_same_client_uuid_returns_the_stored_screening(kader_miji, budi):
    key = uuid.uuid4()
    first = screen(kader_miji, budi, weight_kg=70, client_uuid=key)
    again = screen(kader_miji, budi, weight_kg=99, client_uuid=str(key))
    assert again.pk == first.pk and again.weight_kg == Decimal("70.0")
    assert counts() == (1, 1)


def test_a_client_uuid_of_another_person_is_refused(kader_miji, budi, siti):
    key = uuid.uuid4()
    screen(kader_miji, budi, weight_kg=70, client_uuid=key)
    with pytest.raises(DomainError) as exc:
        screen(kader_miji, siti, weight_kg=60, client_uuid=key)
    assert "client_uuid" in exc.value.field_errors and Screening.objects.count() == 1


def test_a_bad_client_uuid_is_a_field_error(kader_miji, budi):
    with pytest.raises(DomainError) as exc:
        screen(kader_miji, budi, weight_kg=70, client_uuid="not-a-uuid")
    assert "client_uuid" in exc.value.field_errors


def test_the_nakes_of_the_area_may_record(bidan_kranggan, budi):
    assert screen(bidan_kranggan, budi, systolic=150, diastolic=90).recorded_by == bidan_kranggan


@pytest.mark.parametrize("outsider", ["kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan",
                                      "pembina_mojokerto", "opd_dinsos", "admin_user"])
def test_outsiders_cannot_record(request, budi, outsider):
    with pytest.raises(NotInScope):
        screen(request.getfixturevalue(outsider), budi, weight_kg=70)
    assert counts() == (0, 0)


def test_a_kader_of_another_field_cannot_record(posyandu_miji, budi):
    teacher = make_user("kader.guru", Role.KADER, posyandu=posyandu_miji, fields=["pendidikan"])
    with pytest.raises(NotInScope):
        screen(teacher, budi, weight_kg=70)
