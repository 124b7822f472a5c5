"""route_for and agency_serves with the seeded rules of Kota Mojokerto and Kab. Jepara."""

from __future__ import annotations

import pytest

from conftest import JEPARA, KRANGGAN, MERI, MIJI, MOJOKERTO, agency
from simpul.referrals.models import Agency, Category, RoutingRule
from simpul.referrals.selectors import agencies_for
from simpul.referrals.services import route_for
from simpul.referrals.services.routing import agency_serves
from simpul.regions.models import Region

PRAJURITKULON = "357601"
pytestmark = pytest.mark.django_db


def category(code: str) -> Category:
    return Category.objects.get(code=code)


@pytest.fixture
def prajuritkulon_desa(db):
    return Region.objects.filter(code__startswith=PRAJURITKULON, level=Region.Level.VILLAGE).order_by("code").first()


# The seeded routes, written out from issue 4 and taxonomy's design: field → dinas, five categories elsewhere.
@pytest.mark.parametrize(("code", "agency_code"), [
    ("prk_rtlh", "perkim"), ("prk_relokasi", "perkim"), ("pu_air_minum", "dpupr"), ("pu_sarana_rt", "dpupr"),
    ("dik_tidak_sekolah", "disdik"), ("sos_usulan_bansos", "dinsos"), ("kes_rujukan", "dinkes"),
    ("trb_ketertiban", "satpolpp"), ("trb_narkoba", "satpolpp"), ("trb_kebakaran", "damkar"),
    ("trb_bencana", "bpbd"), ("trb_rawan_bencana", "bpbd"), ("trb_kdrt", "uptd_ppa"),
    ("trb_perdagangan_orang", "uptd_ppa"),
])
def test_the_seeded_route_of_a_miji_need(code, agency_code):
    found = route_for(category(code), MIJI)
    assert (found.code, found.region_id) == (agency_code, MOJOKERTO)


def test_rtlh_in_mojokerto_goes_to_perkim(db):
    assert route_for(category("prk_rtlh"), MIJI) == agency(MOJOKERTO, "perkim")


def test_fire_goes_to_damkar_not_satpol_pp(db):
    assert route_for(category("trb_kebakaran"), MERI) == agency(MOJOKERTO, "damkar")


def test_an_aspiration_goes_to_the_kecamatan_office_of_the_desa(prajuritkulon_desa):
    kranggan_office = route_for(category("asp_umum"), MIJI)
    assert kranggan_office == agency(MOJOKERTO, f"kec-{KRANGGAN}") and kranggan_office.area_id == KRANGGAN
    assert route_for(category("asp_umum"), prajuritkulon_desa.code) == agency(MOJOKERTO, f"kec-{PRAJURITKULON}")


def test_a_jepara_desa_is_routed_in_jepara_never_to_mojokerto(jepara_desa):
    for code in ("prk_rtlh", "trb_kebakaran", "trb_kdrt", "asp_umum", "kes_rujukan"):
        found = route_for(category(code), jepara_desa.code)
        assert found.region_id == JEPARA, code
        assert found != route_for(category(code), MIJI)
    assert route_for(category("prk_rtlh"), jepara_desa.code) == agency(JEPARA, "perkim")
    assert route_for(category("asp_umum"), jepara_desa.code).area_id == jepara_desa.code[:6]


def test_the_most_specific_rule_wins_and_an_inactive_agency_falls_back(db):
    rtlh, perkim, bpbd = category("prk_rtlh"), agency(MOJOKERTO, "perkim"), agency(MOJOKERTO, "bpbd")
    kranggan_office = agency(MOJOKERTO, f"kec-{KRANGGAN}")
    dinsos = agency(MOJOKERTO, "dinsos")
    RoutingRule.objects.create(region_id=MOJOKERTO, field="perumahan", area_id=KRANGGAN, agency=kranggan_office)
    assert route_for(rtlh, MIJI) == kranggan_office  # field + area beats field
    RoutingRule.objects.create(region_id=MOJOKERTO, field="perumahan", category=rtlh, agency=bpbd)
    assert route_for(rtlh, MIJI) == bpbd  # category beats field + area
    RoutingRule.objects.create(region_id=MOJOKERTO, field="perumahan", category=rtlh, area_id=KRANGGAN,
                               agency=dinsos)
    assert route_for(rtlh, MIJI) == dinsos  # category + area beats all
    RoutingRule.objects.create(region_id=MOJOKERTO, field="perumahan", category=rtlh, area_id=MIJI, agency=perkim)
    assert route_for(rtlh, MIJI) == perkim  # a desa rule is narrower than a kecamatan rule
    assert route_for(rtlh, MERI) == dinsos  # …and only for that desa
    assert route_for(category("prk_relokasi"), MIJI) == kranggan_office  # other categories keep field + area
    Agency.objects.filter(pk=perkim.pk).update(active=False)
    assert route_for(rtlh, MIJI) == dinsos


def test_no_rule_no_agency(db):
    RoutingRule.objects.filter(region_id=MOJOKERTO, field="perumahan").delete()
    assert route_for(category("prk_rtlh"), MIJI) is None


def test_which_agencies_serve_a_desa(jepara_desa, prajuritkulon_desa):
    assert agency_serves(agency(MOJOKERTO, "perkim"), MIJI)
    assert agency_serves(agency(MOJOKERTO, f"kec-{KRANGGAN}"), MIJI)
    assert agency_serves(agency(MOJOKERTO, f"pkm-{KRANGGAN}"), MERI)
    assert not agency_serves(agency(MOJOKERTO, f"kec-{KRANGGAN}"), prajuritkulon_desa.code)
    assert not agency_serves(agency(JEPARA, "perkim"), MIJI)
    assert not agency_serves(agency(MOJOKERTO, "perkim"), jepara_desa.code)
    closed = agency(MOJOKERTO, "dinsos")
    closed.active = False
    assert not agency_serves(closed, MIJI)
    # The forward/redirect choice list agrees with agency_serves.
    listed = list(agencies_for(MIJI))
    assert listed and all(agency_serves(a, MIJI) for a in listed)
    assert agency(MOJOKERTO, f"kec-{PRAJURITKULON}") not in listed and agency(JEPARA, "perkim") not in listed
