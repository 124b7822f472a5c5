"""Target-group rules against hand-computed expectations (ages in completed years, both ends included)."""

import datetime as dt

import pytest

from simpul.programmes import eligibility
from simpul.programmes.tests.kit import condition, family, today, years_ago


@pytest.fixture
def village(kader_miji, posyandu_miji, kader_meri, posyandu_meri):
    """Miji: Mbah Darmo alone (70); the poor Budi family (decile 3); the Joko family whose earner can no longer
    work (decile 7), with a grandmother (65) and a disabled wife. Meri: Mbah Sri alone (80), another posyandu."""
    darmo = family(kader_miji, posyandu_miji, ("Mbah Darmo", "M", years_ago(70), "kepala"))
    budi = family(
        kader_miji,
        posyandu_miji,
        ("Budi Santoso", "M", years_ago(40), "kepala"),
        ("Siti Aminah", "F", years_ago(35), "istri"),
        ("Rina", "F", years_ago(10), "anak"),  # turns 10 today: in 10–18
        ("Dewi", "F", years_ago(18), "anak"),  # turns 18 today: still in 10–18
        ("Sari", "F", years_ago(19), "anak"),  # 19 today: out of 10–18, in 19–59
        ("Bayu", "M", years_ago(10, plus_days=1), "anak"),
    )  # 10 tomorrow: 9 today
    joko = family(
        kader_miji,
        posyandu_miji,
        ("Joko", "M", years_ago(45), "kepala"),
        ("Ani", "F", years_ago(59), "istri", {"disability_type": "physical"}),
        ("Mbah Sumi", "F", years_ago(65), "orang_tua"),
    )
    sri = family(kader_meri, posyandu_meri, ("Mbah Sri", "F", years_ago(80), "kepala"))
    condition(budi, decile=3)
    condition(joko, decile=7, earners="tunggal_tak_mampu", on=today() - dt.timedelta(days=10))
    return {"darmo": darmo, "budi": budi, "joko": joko, "sri": sri}


def names(code, params, posyandu, on=None):
    from simpul.registry.models import Person

    ids = [e.person_id for e in eligibility.eligible(code, params, [posyandu.pk], on or today())]
    return sorted(Person.objects.filter(pk__in=ids).values_list("full_name", flat=True))


@pytest.mark.django_db
def test_lansia_alone_is_the_only_member_aged_60_or_more(village, posyandu_miji, posyandu_meri):
    assert names("lansia_alone", {}, posyandu_miji) == ["Mbah Darmo"]  # Mbah Sumi lives with her son
    assert names("lansia_alone", {}, posyandu_meri) == ["Mbah Sri"]
    assert names("lansia_alone", {"min_age": 75}, posyandu_miji) == []


@pytest.mark.django_db
def test_lansia_and_poor_families(village, posyandu_miji):
    assert names("lansia", {}, posyandu_miji) == ["Mbah Darmo", "Mbah Sumi"]
    # The head of the decile-3 household joins the elders; Joko's family (decile 7) does not.
    assert names("lansia_or_poor", {}, posyandu_miji) == ["Budi Santoso", "Mbah Darmo", "Mbah Sumi"]
    assert names("lansia_or_poor", {"max_decile": 2}, posyandu_miji) == ["Mbah Darmo", "Mbah Sumi"]


@pytest.mark.django_db
def test_age_range_includes_both_ends(village, posyandu_miji):
    assert names("age_range", {}, posyandu_miji) == ["Dewi", "Rina"]
    assert names("age_range", {"min_age": 18, "max_age": 19}, posyandu_miji) == ["Dewi", "Sari"]


@pytest.mark.django_db
def test_poor_women_19_to_59_in_decile_5_or_lower(village, posyandu_miji):
    assert names("poor_women", {}, posyandu_miji) == ["Sari", "Siti Aminah"]
    assert names("poor_women", {"max_decile": 7}, posyandu_miji) == ["Ani", "Sari", "Siti Aminah"]


@pytest.mark.django_db
def test_disability(village, posyandu_miji):
    assert names("disability", {}, posyandu_miji) == ["Ani"]


@pytest.mark.django_db
def test_earner_rules_read_the_latest_recorded_situation(village, posyandu_miji):
    assert names("earner_unable", {}, posyandu_miji) == ["Ani", "Joko"]  # 18–59 of the household
    assert names("single_earner", {}, posyandu_miji) == ["Ani"]  # women only
    # A later observation that did not ask (a referral's write-back) leaves the answer standing...
    condition(village["joko"], decile=7, earners="")
    assert names("earner_unable", {}, posyandu_miji) == ["Ani", "Joko"]
    # ...and a new answer replaces it: the husband works again, alone.
    condition(village["joko"], decile=7, earners="tunggal")
    assert names("earner_unable", {}, posyandu_miji) == []
    assert names("single_earner", {}, posyandu_miji) == ["Ani"]


@pytest.mark.django_db
def test_as_of_a_date_before_anyone_lived_here_nobody_is_eligible(village, posyandu_miji):
    assert names("lansia", {}, posyandu_miji, on=today() - dt.timedelta(days=1)) == []
    # The situation recorded 10 days ago holds 5 days later; the decile of today's Budi survey does not yet.
    assert eligibility.eligible("poor_women", {}, [posyandu_miji.pk], today() - dt.timedelta(days=5)) == []


@pytest.mark.django_db
def test_a_person_who_moved_away_or_died_drops_out(village, posyandu_miji, kader_miji):
    from simpul.registry.models import Person

    Person.objects.filter(full_name="Mbah Sumi").update(
        life_status=Person.LifeStatus.DECEASED, life_status_date=today()
    )
    assert names("lansia", {}, posyandu_miji) == ["Mbah Darmo"]


def test_parameters_are_checked_against_the_defaults():
    assert eligibility.clean_params("age_range", {"min_age": 12})[0] == {"min_age": 12}
    assert "min_age" in eligibility.clean_params("age_range", {"min_age": 20})[1]  # above max 18
    assert "foo" in eligibility.clean_params("lansia", {"foo": 1})[1]
    assert "max_decile" in eligibility.clean_params("poor_women", {"max_decile": 11})[1]
    assert "min_age" in eligibility.clean_params("lansia", {"min_age": True})[1]
    assert "target_rule" in eligibility.clean_params("nope", {})[1]
    assert eligibility.eligible("", {}, [], today()) == []
    assert "70" in eligibility.describe("lansia", {"min_age": 70})
