"""What a resolution writes back to the registry, so the SPM engine sees the service delivered."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from conftest import MOJOKERTO, make_user
from simpul.accounts.roles import Role
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError
from simpul.referrals.models import Category, Referral
from simpul.referrals.services import route_for
from simpul.referrals.tests.kit import move, record
from simpul.registry.models import HouseholdCondition, Person

VISIT = "Kunjungan rumah: kondisi sesuai laporan."
DONE = "Sudah ditangani oleh dinas."
RESOLVED_AT = dt.datetime(2026, 11, 20, 3, tzinfo=dt.UTC)  # Friday 20 November 2026, 10:00 WIB
SURVEYED_ON = dt.date(2026, 8, 1)
# The category codes and the agency each goes to in Kota Mojokerto (taxonomy.FIELD_ROUTES).
AGENCY_FOR = {"prk": "perkim", "pu": "dpupr", "sos": "dinsos", "dik": "disdik"}
_officers = itertools.count()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def survey(family_miji, kader_miji):
    """What the kader saw in August: an unfit house, an unprotected well, no toilet, BPNT food aid."""
    return HouseholdCondition.objects.create(
        household=family_miji, observed_on=SURVEYED_ON, house="rtlh", water_source="sumur_tak_terlindung",
        sanitation="tidak_ada", aid_programmes=["bpnt"], dtsen_decile=2, recorded_by=kader_miji)


@pytest.fixture
def child(family_miji):
    return family_miji.members.get(full_name="Aisyah Putri")


def with_agency(kader, lurah, category: str, **subject) -> tuple[Referral, object]:
    """A referral of this category accepted by its routed agency, and that agency's officer."""
    code = AGENCY_FOR[category.split("_")[0]]
    officer = make_user(f"opd.{code}.{next(_officers)}", Role.OPD, region=MOJOKERTO, agency_code=code)
    referral = record(kader, category=category, **subject)
    referral = move(lurah, referral, "verify", note=VISIT)
    agency = route_for(Category.objects.get(code=category), referral.desa_id)
    assert agency.code == code
    referral = move(lurah, referral, "forward", agency=agency)
    return move(officer, referral, "accept"), officer


def conditions(household) -> list[HouseholdCondition]:
    return list(HouseholdCondition.objects.filter(household=household).order_by("observed_on", "pk"))


def resolve(officer, referral, outcome, detail=None):
    return move(officer, referral, "resolve", outcome=outcome, note=DONE, detail=detail, now=RESOLVED_AT)


def refused_resolve(officer, referral, outcome, detail, field):
    before = (Referral.objects.get(pk=referral.pk).state, HouseholdCondition.objects.count(),
              list(Person.objects.values_list("pk", "education_status", "version")))
    with pytest.raises(DomainError) as caught:
        resolve(officer, referral, outcome, detail)
    assert field in caught.value.field_errors, caught.value.field_errors
    assert (Referral.objects.get(pk=referral.pk).state, HouseholdCondition.objects.count(),
            list(Person.objects.values_list("pk", "education_status", "version"))) == before


# --- house ----------------------------------------------------------------------------------------------


def test_an_rtlh_made_livable_adds_a_house_observation_and_keeps_the_rest(kader_miji, lurah_miji, family_miji,
                                                                          survey):
    referral, officer = with_agency(kader_miji, lurah_miji, "prk_rtlh", household=family_miji)
    referral = resolve(officer, referral, "house_livable")
    old, new = conditions(family_miji)
    assert old.pk == survey.pk and old.house == "rtlh"  # history kept, not overwritten
    assert (new.house, new.source, new.referral, new.observed_on, new.recorded_by) == (
        "layak", "referral", referral, dt.date(2026, 11, 20), officer)
    assert (new.water_source, new.sanitation, new.aid_programmes, new.dtsen_decile) == (
        "sumur_tak_terlindung", "tidak_ada", ["bpnt"], 2)
    assert AuditEntry.objects.filter(action="household.condition_from_referral",
                                     object_id=str(family_miji.pk)).exists()


def test_a_house_without_any_earlier_survey_gets_its_first_observation(kader_miji, lurah_miji, family_miji):
    referral, officer = with_agency(kader_miji, lurah_miji, "prk_rusak_bencana", household=family_miji)
    resolve(officer, referral, "house_livable")
    (only,) = conditions(family_miji)
    assert (only.house, only.water_source, only.sanitation, only.aid_programmes) == ("layak", "", "", [])


def test_a_relocated_household(kader_miji, lurah_miji, family_miji, survey):
    referral, officer = with_agency(kader_miji, lurah_miji, "prk_relokasi", household=family_miji)
    resolve(officer, referral, "relocated")
    assert conditions(family_miji)[-1].house == "relokasi"


# --- water and sanitation -------------------------------------------------------------------------------


def test_water_with_a_safe_source(kader_miji, lurah_miji, family_miji, survey):
    referral, officer = with_agency(kader_miji, lurah_miji, "pu_air_minum", household=family_miji)
    refused_resolve(officer, referral, "water_safe", {"water_source": "sumur_tak_terlindung"}, "water_source")
    refused_resolve(officer, referral, "water_safe", {"water_source": "air_permukaan"}, "water_source")
    refused_resolve(officer, referral, "water_safe", {}, "water_source")
    resolve(officer, referral, "water_safe", {"water_source": "perpipaan"})
    new = conditions(family_miji)[-1]
    assert (new.water_source, new.water_safe, new.house, new.sanitation) == ("perpipaan", True, "rtlh", "tidak_ada")


def test_sanitation_with_a_proper_toilet(kader_miji, lurah_miji, family_miji, survey):
    referral, officer = with_agency(kader_miji, lurah_miji, "pu_jamban", household=family_miji)
    refused_resolve(officer, referral, "toilet_proper", {"sanitation": "sendiri_tanpa_septik"}, "sanitation")
    refused_resolve(officer, referral, "toilet_proper", {"sanitation": "tidak_ada"}, "sanitation")
    resolve(officer, referral, "toilet_proper", {"sanitation": "bersama_septik"})
    new = conditions(family_miji)[-1]
    assert (new.sanitation, new.sanitation_proper, new.water_source) == ("bersama_septik", True,
                                                                        "sumur_tak_terlindung")


# --- aid ------------------------------------------------------------------------------------------------------


def test_aid_adds_the_programme(kader_miji, lurah_miji, family_miji, survey):
    referral, officer = with_agency(kader_miji, lurah_miji, "sos_usulan_bansos", household=family_miji)
    refused_resolve(officer, referral, "aid_granted", {"programme": "bansos_gaib"}, "programme")
    refused_resolve(officer, referral, "aid_granted", {}, "programme")
    resolve(officer, referral, "aid_granted", {"programme": "pkh"})
    assert conditions(family_miji)[-1].aid_programmes == ["bpnt", "pkh"]


def test_aid_already_received_is_listed_once(kader_miji, lurah_miji, family_miji, survey):
    referral, officer = with_agency(kader_miji, lurah_miji, "sos_jatuh_miskin", household=family_miji)
    resolve(officer, referral, "aid_granted", {"programme": "bpnt"})
    assert conditions(family_miji)[-1].aid_programmes == ["bpnt"]
    again, officer = with_agency(kader_miji, lurah_miji, "sos_usulan_bansos", household=family_miji)
    resolve(officer, again, "aid_granted", {"programme": "pbi_jkn"})
    resolve_twice, officer = with_agency(kader_miji, lurah_miji, "sos_usulan_bansos", household=family_miji)
    resolve(officer, resolve_twice, "aid_granted", {"programme": "pbi_jkn"})
    assert conditions(family_miji)[-1].aid_programmes == ["bpnt", "pbi_jkn"]


def test_a_basic_needs_service_writes_nothing_to_the_household(kader_miji, lurah_miji, family_miji, child):
    referral, officer = with_agency(kader_miji, lurah_miji, "sos_anak_telantar", person=child)
    referral = resolve(officer, referral, "basic_needs_served")
    assert (referral.state, referral.outcome, conditions(family_miji)) == ("resolved", "basic_needs_served", [])


# --- education -------------------------------------------------------------------------------------------


def test_education_sets_the_childs_status(kader_miji, lurah_miji, child):
    referral, officer = with_agency(kader_miji, lurah_miji, "dik_belum_paud", person=child)
    version = child.version
    refused_resolve(officer, referral, "enrolled", {"level": "universitas"}, "level")
    refused_resolve(officer, referral, "enrolled", {"level": "not_in_school"}, "level")
    refused_resolve(officer, referral, "enrolled", {}, "level")
    resolve(officer, referral, "enrolled", {"level": "paud", "school_name": "PAUD Tunas Bangsa"})
    child.refresh_from_db()
    assert (child.education_status, child.school_name, child.version, child.updated_by) == (
        "paud", "PAUD Tunas Bangsa", version + 1, officer)
    assert AuditEntry.objects.filter(action="person.education_from_referral", object_id=str(child.pk)).exists()


def test_education_keeps_the_school_name_when_none_is_given(kader_miji, lurah_miji, child):
    Person.objects.filter(pk=child.pk).update(school_name="SD Negeri Miji 1", education_status="not_in_school")
    referral, officer = with_agency(kader_miji, lurah_miji, "dik_tidak_sekolah", person=child)
    resolve(officer, referral, "enrolled", {"level": "sd"})
    child.refresh_from_db()
    assert (child.education_status, child.school_name) == ("sd", "SD Negeri Miji 1")


# --- "handled" and wrong outcomes -------------------------------------------------------------------------


@pytest.mark.parametrize(("category", "subject"), [("prk_rtlh", "household"), ("pu_air_minum", "household"),
                                                   ("pu_jamban", "household"), ("sos_usulan_bansos", "household"),
                                                   ("dik_tidak_sekolah", "person")])
def test_handled_writes_nothing(kader_miji, lurah_miji, family_miji, child, survey, category, subject):
    before = (conditions(family_miji), list(Person.objects.values_list("pk", "education_status", "version")))
    referral, officer = with_agency(kader_miji, lurah_miji, category,
                                    **({"household": family_miji} if subject == "household" else {"person": child}))
    referral = resolve(officer, referral, "handled")
    assert (referral.state, referral.outcome) == ("resolved", "handled")
    assert (conditions(family_miji), list(Person.objects.values_list("pk", "education_status", "version"))) == before


def test_an_outcome_of_another_kind_is_refused(kader_miji, lurah_miji, family_miji, survey):
    referral, officer = with_agency(kader_miji, lurah_miji, "prk_rtlh", household=family_miji)
    for outcome in ("water_safe", "enrolled", "aid_granted", "relocated", "done", ""):
        refused_resolve(officer, referral, outcome, {"water_source": "perpipaan", "level": "sd", "programme": "pkh"},
                        "outcome")
