"""The pembina's settings pages: who gets in, what they edit, and the routing preview."""

import re

import pytest

from conftest import JEPARA, KRANGGAN, MERI, MIJI, MOJOKERTO, agency, make_user
from simpul.accounts.roles import Role
from simpul.referrals.models import Agency, Category, RoutingRule
from simpul.referrals.tests.kit import move, record

pytestmark = pytest.mark.django_db
BASE = "/rujukan/pengaturan"
MENTIKAN = "3576011003"  # Kelurahan Mentikan, Kecamatan Prajuritkulon


@pytest.fixture
def pembina_jepara(db):
    return make_user("pembina.jepara", Role.PEMBINA, region=JEPARA)


@pytest.fixture
def pembina_kranggan(db):
    return make_user("pembina.kranggan", Role.PEMBINA, region=KRANGGAN)


def seeded_rule(field="perumahan"):
    return RoutingRule.objects.get(region_id=MOJOKERTO, field=field, category=None, area=None)


def category(code):
    return Category.objects.get(code=code)


def pages():
    rule = seeded_rule()
    return [f"{BASE}/", f"{BASE}/instansi/", f"{BASE}/instansi/baru/",
            f"{BASE}/instansi/{agency(MOJOKERTO, 'perkim').pk}/", f"{BASE}/kategori/",
            f"{BASE}/kategori/{category('prk_rtlh').pk}/", f"{BASE}/aturan/", f"{BASE}/aturan/baru/",
            f"{BASE}/aturan/{rule.pk}/", f"{BASE}/aturan/{rule.pk}/hapus/"]


def docs_post(rows, extra=1) -> dict:
    data = {"docs-TOTAL_FORMS": str(len(rows) + extra), "docs-INITIAL_FORMS": "0", "docs-MIN_NUM_FORMS": "0",
            "docs-MAX_NUM_FORMS": "1000"}
    for index, (doc_type, count) in enumerate([*rows, *[("", "")] * extra]):
        data[f"docs-{index}-type"], data[f"docs-{index}-count"] = doc_type, count
    return data


def preview(client, category_code, desa) -> str | None:
    """The agency code the rules page names for a referral of this category from this desa ("" for none)."""
    html = client.get(f"{BASE}/aturan/", {"wilayah": MOJOKERTO, "category": category(category_code).pk,
                                          "desa": desa}).content.decode()
    found = re.search(r'data-preview-agency="([^"]*)"', html)
    return found.group(1) if found else None


# --- Who gets in -----------------------------------------------------------------------------------------

def test_the_pembina_opens_every_settings_page(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    for url in pages():
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["kader_miji", "kader_jepara", "lurah_miji", "operator_miji", "camat_kranggan",
                                     "bidan_kranggan", "opd_dinsos", "opd_perkim_jepara", "admin_user",
                                     "pembina_kranggan"])
def test_everyone_else_is_refused(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in pages():
        assert client.get(url).status_code == 403, url
    before = category("prk_rtlh").sla_working_days
    response = client.post(f"{BASE}/kategori/{category('prk_rtlh').pk}/",
                           {"sla_working_days": "9", "active": "on", **docs_post([])})
    assert response.status_code == 403
    assert category("prk_rtlh").sla_working_days == before


def test_the_jepara_pembina_never_sees_or_edits_mojokerto(client, pembina_jepara):
    client.force_login(pembina_jepara)
    perkim = agency(MOJOKERTO, "perkim")
    rule = seeded_rule()
    for url in (f"{BASE}/instansi/{perkim.pk}/", f"{BASE}/aturan/{rule.pk}/", f"{BASE}/aturan/{rule.pk}/hapus/",
                f"{BASE}/instansi/?wilayah={MOJOKERTO}", f"{BASE}/aturan/?wilayah={MOJOKERTO}",
                f"{BASE}/instansi/baru/?wilayah={MOJOKERTO}"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{BASE}/instansi/{perkim.pk}/status/", {"active": "0"}).status_code == 404
    assert client.post(f"{BASE}/aturan/{rule.pk}/hapus/").status_code == 404
    assert client.post(f"{BASE}/aturan/{rule.pk}/", {"field": "perumahan", "area": "",
                                                      "agency": agency(MOJOKERTO, "bpbd").pk}).status_code == 404
    perkim.refresh_from_db()
    assert perkim.active and RoutingRule.objects.get(pk=rule.pk).agency == perkim
    # Their own lists show Jepara only.
    html = client.get(f"{BASE}/instansi/").content.decode()
    assert f"/instansi/{agency(JEPARA, 'perkim').pk}/" in html
    assert f"/instansi/{perkim.pk}/" not in html and "Kota Mojokerto" not in html
    assert f"/aturan/{rule.pk}/" not in client.get(f"{BASE}/aturan/").content.decode()


# --- Agencies --------------------------------------------------------------------------------------------

def test_the_pembina_adds_an_agency(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    response = client.post(f"{BASE}/instansi/baru/?wilayah={MOJOKERTO}", {
        "code": "uptd_rusun", "name": "UPTD Rumah Susun Kota Mojokerto", "short_name": "UPTD Rusun", "kind": "unit",
        "fields": ["perumahan"], "email": "", "area": ""})
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}/instansi/?wilayah={MOJOKERTO}"
    made = Agency.objects.get(region_id=MOJOKERTO, code="uptd_rusun")
    assert (made.short_name, made.fields, made.area_id) == ("UPTD Rusun", ["perumahan"], None)


def test_a_duplicate_agency_code_is_shown_on_the_form(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    count = Agency.objects.count()
    response = client.post(f"{BASE}/instansi/baru/", {"code": "dinsos", "name": "Dinas Sosial Kedua",
                                                       "short_name": "Dinsos 2", "kind": "dinas", "fields": ["sosial"]})
    assert response.status_code == 400
    assert response.context["form"].errors["code"]
    assert Agency.objects.count() == count


def test_the_pembina_edits_an_agency(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    dinsos = agency(MOJOKERTO, "dinsos")
    response = client.post(f"{BASE}/instansi/{dinsos.pk}/", {
        "name": dinsos.name, "short_name": "Dinsos P3A", "kind": "dinas", "fields": ["sosial", "trantibumlinmas"],
        "email": "dinsos@mojokertokota.go.id", "area": ""})
    assert response.status_code == 302
    dinsos.refresh_from_db()
    assert (dinsos.short_name, dinsos.fields, dinsos.code) == ("Dinsos P3A", ["sosial", "trantibumlinmas"], "dinsos")


def test_deactivating_an_agency_with_open_referrals_is_refused(client, pembina_mojokerto, kader_miji, lurah_miji,
                                                               family_miji):
    perkim = agency(MOJOKERTO, "perkim")
    referral = record(kader_miji, household=family_miji)
    move(lurah_miji, referral, "verify")
    move(lurah_miji, referral, "forward", agency=perkim)
    client.force_login(pembina_mojokerto)
    response = client.post(f"{BASE}/instansi/{perkim.pk}/status/", {"active": "0"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    perkim.refresh_from_db()
    assert perkim.active
    # An agency without open referrals goes; its rules are then marked as skipped.
    bpbd = agency(MOJOKERTO, "bpbd")
    client.post(f"{BASE}/instansi/{bpbd.pk}/status/", {"active": "0"})
    bpbd.refresh_from_db()
    assert not bpbd.active


# --- Categories ------------------------------------------------------------------------------------------

def test_the_pembina_sets_sla_confidentiality_and_documents(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    item = category("pu_jamban")
    response = client.post(f"{BASE}/kategori/{item.pk}/", {
        "sla_working_days": "8", "confidential": "on", "active": "on",
        **docs_post([("photo", "2"), ("kk", "1")], extra=2)})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.sla_working_days, item.confidential, item.active) == (8, True, True)
    assert item.required_documents == [{"type": "photo", "count": 2}, {"type": "kk", "count": 1}]


def test_the_category_form_shows_the_current_documents(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    response = client.get(f"{BASE}/kategori/{category('prk_rtlh').pk}/")
    rows = [(f.initial.get("type"), f.initial.get("count")) for f in response.context["documents"].initial_forms]
    assert ("house_photo", 3) in rows and ("land_proof", 1) in rows and len(rows) == 6


@pytest.mark.parametrize("rows", [[("ktp", "6")], [("ktp", "0")], [("ktp", "")], [("ktp", "1"), ("ktp", "1")]])
def test_bad_document_rows_are_refused(client, pembina_mojokerto, rows):
    client.force_login(pembina_mojokerto)
    item = category("dik_belum_paud")
    response = client.post(f"{BASE}/kategori/{item.pk}/", {"sla_working_days": "5", "active": "on",
                                                           **docs_post(rows)})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.required_documents == [{"type": "kk", "count": 1}]


def test_domestic_violence_cannot_be_made_public(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    item = category("trb_kdrt")
    assert client.get(f"{BASE}/kategori/{item.pk}/").context["form"].fields["confidential"].disabled
    # A browser sends nothing for a disabled box, a crafted request sends "off": both keep it confidential.
    for extra in ({}, {"confidential": ""}):
        response = client.post(f"{BASE}/kategori/{item.pk}/", {"sla_working_days": "3", "active": "on", **extra,
                                                               **docs_post([("reporter_id", "1")])})
        assert response.status_code == 302
        item.refresh_from_db()
        assert (item.confidential, item.sla_working_days) == (True, 3)


# --- Routing rules ---------------------------------------------------------------------------------------

def test_the_pembina_adds_edits_and_deletes_a_rule(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    bpbd, perkim = agency(MOJOKERTO, "bpbd"), agency(MOJOKERTO, "perkim")
    response = client.post(f"{BASE}/aturan/baru/?wilayah={MOJOKERTO}", {
        "field": "perumahan", "category": category("prk_rusak_bencana").pk, "area": "", "agency": bpbd.pk})
    assert response.status_code == 302
    rule = RoutingRule.objects.get(region_id=MOJOKERTO, category=category("prk_rusak_bencana"))
    assert rule.agency == bpbd

    response = client.post(f"{BASE}/aturan/{rule.pk}/", {
        "field": "perumahan", "category": category("prk_rusak_bencana").pk, "area": KRANGGAN, "agency": perkim.pk})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.area_id, rule.agency) == (KRANGGAN, perkim)

    assert client.post(f"{BASE}/aturan/{rule.pk}/hapus/").status_code == 302
    assert not RoutingRule.objects.filter(pk=rule.pk).exists()


def test_a_twin_rule_is_refused_on_the_form(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    count = RoutingRule.objects.count()
    response = client.post(f"{BASE}/aturan/baru/", {"field": "perumahan", "category": "", "area": "",
                                                    "agency": agency(MOJOKERTO, "bpbd").pk})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert RoutingRule.objects.count() == count


def test_the_rule_form_offers_only_agencies_of_the_kab_kota(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    offered = {value for value, _label in client.get(f"{BASE}/aturan/baru/").context["form"].fields["agency"].choices}
    assert agency(MOJOKERTO, "perkim").pk in offered
    assert agency(JEPARA, "perkim").pk not in offered
    response = client.post(f"{BASE}/aturan/baru/", {"field": "perumahan", "category": "", "area": KRANGGAN,
                                                    "agency": agency(JEPARA, "perkim").pk})
    assert response.status_code == 400
    assert not RoutingRule.objects.filter(region_id=MOJOKERTO, field="perumahan", area_id=KRANGGAN).exists()


def test_the_preview_shows_that_the_most_specific_rule_wins(client, pembina_mojokerto):
    """Four hand-built perumahan rules, one per level, each to its own agency:

    category+area (RTLH in Miji) → A, category (RTLH anywhere) → B, field+area (Kranggan) → C,
    field (the seeded rule) → Perkim.
    """
    client.force_login(pembina_mojokerto)
    made = {}
    for code in ("agency_a", "agency_b", "agency_c"):
        response = client.post(f"{BASE}/instansi/baru/", {"code": code, "name": f"Unit {code}", "short_name": code,
                                                           "kind": "unit", "fields": ["perumahan"]})
        assert response.status_code == 302
        made[code] = agency(MOJOKERTO, code)
    rtlh = category("prk_rtlh").pk
    for rule in ({"category": rtlh, "area": MIJI, "agency": made["agency_a"].pk},
                 {"category": rtlh, "area": "", "agency": made["agency_b"].pk},
                 {"category": "", "area": KRANGGAN, "agency": made["agency_c"].pk}):
        assert client.post(f"{BASE}/aturan/baru/", {"field": "perumahan", **rule}).status_code == 302

    assert preview(client, "prk_rtlh", MIJI) == "agency_a"  # category + area
    assert preview(client, "prk_rtlh", MERI) == "agency_b"  # category beats field + area (Meri is in Kranggan)
    assert preview(client, "prk_relokasi", MERI) == "agency_c"  # field + area beats field
    assert preview(client, "prk_relokasi", MENTIKAN) == "perkim"  # field only, outside Kranggan
    # Take the category + area rule away: Miji's RTLH now goes by the category rule.
    rule_a = RoutingRule.objects.get(region_id=MOJOKERTO, agency=made["agency_a"])
    client.post(f"{BASE}/aturan/{rule_a.pk}/hapus/")
    assert preview(client, "prk_rtlh", MIJI) == "agency_b"


def test_the_preview_says_when_no_rule_matches(client, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    seeded_rule("pendidikan").delete()
    assert preview(client, "dik_tidak_sekolah", MIJI) == ""


def test_the_preview_only_takes_a_desa_of_the_kab_kota(client, pembina_mojokerto, jepara_desa):
    client.force_login(pembina_mojokerto)
    assert preview(client, "prk_rtlh", jepara_desa.code) is None
