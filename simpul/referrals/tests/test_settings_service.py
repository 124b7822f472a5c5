"""The pembina's settings services: agencies, categories and routing rules of one kab/kota."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import JEPARA, KRANGGAN, MERI, MIJI, MOJOKERTO, agency, make_user
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.referrals.models import Agency, Category, RoutingRule
from simpul.referrals.services.routing import route_for
from simpul.referrals.services.settings import (
    agency_create,
    agency_set_active,
    agency_update,
    category_update,
    kabkota_managed,
    may_edit_categories,
    rule_create,
    rule_delete,
    rule_update,
)
from simpul.referrals.tests.kit import move, record
from simpul.regions.models import Region

pytestmark = pytest.mark.django_db
PRAJURITKULON = "357601"  # another kecamatan of Kota Mojokerto
MENTIKAN = "3576011003"  # a kelurahan of Prajuritkulon


@pytest.fixture
def pembina_jepara(db):
    return make_user("pembina.jepara", Role.PEMBINA, region=JEPARA)


@pytest.fixture
def pembina_kranggan(db):
    """A pembina over one kecamatan only: holds the permission but no whole kab/kota."""
    return make_user("pembina.kranggan", Role.PEMBINA, region=KRANGGAN)


@pytest.fixture
def mojokerto():
    return Region.objects.get(code=MOJOKERTO)


def category(code):
    return Category.objects.get(code=code)


def errors_of(excinfo) -> set[str]:
    return set(excinfo.value.field_errors)


def new_agency(user, kabkota, code="uptd_rusun", fields=("perumahan",), **extra):
    data = {"name": "UPTD Rumah Susun", "short_name": "UPTD Rusun", "kind": "unit", **extra}
    return agency_create(actor=user, scope=scope_for(user), kabkota=kabkota, code=code, fields=list(fields), **data)


# --- Who manages what ------------------------------------------------------------------------------------

def test_each_pembina_manages_only_their_own_kab_kota(pembina_mojokerto, pembina_jepara, pembina_kranggan,
                                                      kader_miji, opd_perkim, lurah_miji):
    assert [r.code for r in kabkota_managed(scope_for(pembina_mojokerto))] == [MOJOKERTO]
    assert [r.code for r in kabkota_managed(scope_for(pembina_jepara))] == [JEPARA]
    for user in (pembina_kranggan, kader_miji, opd_perkim, lurah_miji):
        assert not kabkota_managed(scope_for(user)).exists()
    assert may_edit_categories(scope_for(pembina_mojokerto))
    assert not may_edit_categories(scope_for(pembina_kranggan))


# --- Agencies --------------------------------------------------------------------------------------------

def test_it_creates_an_agency_of_the_kab_kota_with_an_audit_entry(pembina_mojokerto, mojokerto):
    made = new_agency(pembina_mojokerto, mojokerto, fields=["perumahan", "sosial"], email="rusun@mojokertokota.go.id",
                      area_code=KRANGGAN)
    made.refresh_from_db()
    assert (made.region_id, made.code, made.fields, made.area_id, made.active) == (
        MOJOKERTO, "uptd_rusun", ["perumahan", "sosial"], KRANGGAN, True)
    entry = AuditEntry.objects.get(action="referrals.agency.created", object_id=str(made.pk))
    assert (entry.actor_id, entry.region_code) == (pembina_mojokerto.pk, MOJOKERTO)


@pytest.mark.parametrize(("changes", "field"), [
    ({"code": "dinsos"}, "code"),  # already an agency of Kota Mojokerto
    ({"code": "Dinas Baru"}, "code"),
    ({"code": ""}, "code"),
    ({"name": "  "}, "name"),
    ({"short_name": "x" * 41}, "short_name"),
    ({"kind": "bumn"}, "kind"),
    ({"fields": []}, "fields"),
    ({"fields": ["pertanian"]}, "fields"),
    ({"email": "bukan-email"}, "email"),
    ({"area_code": "332001"}, "area"),  # a kecamatan of Jepara
    ({"area_code": MOJOKERTO}, "area"),  # the kab/kota itself is not an area inside it
])
def test_it_refuses_a_bad_agency_and_writes_nothing(pembina_mojokerto, mojokerto, changes, field):
    count = Agency.objects.count()
    data = {"code": "uptd_rusun", **changes}
    with pytest.raises(DomainError) as excinfo:
        new_agency(pembina_mojokerto, mojokerto, **data)
    assert field in errors_of(excinfo)
    assert Agency.objects.count() == count
    assert not AuditEntry.objects.filter(action="referrals.agency.created").exists()


def test_the_same_code_is_fine_in_another_kab_kota(pembina_jepara):
    made = new_agency(pembina_jepara, Region.objects.get(code=JEPARA), code="uptd_rusun")
    assert made.region_id == JEPARA


@pytest.mark.parametrize("persona", ["pembina_jepara", "pembina_kranggan", "kader_miji", "lurah_miji", "opd_perkim",
                                     "camat_kranggan", "admin_user"])
def test_no_one_else_may_create_an_agency_in_mojokerto(request, persona, mojokerto):
    user = request.getfixturevalue(persona)
    with pytest.raises(NotInScope):
        new_agency(user, mojokerto)
    assert not Agency.objects.filter(code="uptd_rusun").exists()


def test_it_updates_an_agency_and_logs_what_changed(pembina_mojokerto):
    dinsos = agency(MOJOKERTO, "dinsos")
    agency_update(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), agency=dinsos,
                  name="Dinas Sosial P3A Kota Mojokerto", short_name="Dinsos P3A", kind="dinas", fields=["sosial"],
                  email="dinsos@mojokertokota.go.id")
    dinsos.refresh_from_db()
    assert (dinsos.short_name, dinsos.email, dinsos.code) == ("Dinsos P3A", "dinsos@mojokertokota.go.id", "dinsos")
    entry = AuditEntry.objects.get(action="referrals.agency.updated", object_id=str(dinsos.pk))
    assert entry.changes["short_name"] == ["Dinsos", "Dinsos P3A"]
    assert "kind" not in entry.changes


def test_an_agency_cannot_drop_a_field_its_rules_still_route(pembina_mojokerto):
    perkim = agency(MOJOKERTO, "perkim")  # the seeded rule sends perumahan to Perkim
    with pytest.raises(DomainError) as excinfo:
        agency_update(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), agency=perkim,
                      name=perkim.name, short_name=perkim.short_name, kind=perkim.kind, fields=["sosial"])
    assert errors_of(excinfo) == {"fields"}
    perkim.refresh_from_db()
    assert perkim.fields == ["perumahan"]


def test_an_agency_cannot_shrink_to_an_area_its_rules_reach_beyond(pembina_mojokerto):
    perkim = agency(MOJOKERTO, "perkim")  # its rule covers the whole kab/kota
    with pytest.raises(DomainError) as excinfo:
        agency_update(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), agency=perkim,
                      name=perkim.name, short_name=perkim.short_name, kind=perkim.kind, fields=["perumahan"],
                      area_code=KRANGGAN)
    assert errors_of(excinfo) == {"area"}


def test_the_jepara_pembina_cannot_edit_a_mojokerto_agency(pembina_jepara):
    perkim = agency(MOJOKERTO, "perkim")
    with pytest.raises(NotInScope):
        agency_update(actor=pembina_jepara, scope=scope_for(pembina_jepara), agency=perkim, name="Diubah",
                      short_name="Diubah", kind="dinas", fields=["perumahan"])
    with pytest.raises(NotInScope):
        agency_set_active(actor=pembina_jepara, scope=scope_for(pembina_jepara), agency=perkim, active=False)
    perkim.refresh_from_db()
    assert (perkim.short_name, perkim.active) == ("Dinas Perkim", True)


def test_an_agency_with_open_referrals_cannot_be_deactivated_until_they_close(
        pembina_mojokerto, kader_miji, lurah_miji, opd_perkim, family_miji):
    perkim = agency(MOJOKERTO, "perkim")
    referral = record(kader_miji, household=family_miji)
    move(lurah_miji, referral, "verify")
    move(lurah_miji, referral, "forward", agency=perkim)
    with pytest.raises(DomainError) as excinfo:
        agency_set_active(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), agency=perkim, active=False)
    assert excinfo.value.code == "conflict"
    perkim.refresh_from_db()
    assert perkim.active

    move(opd_perkim, referral, "reject", note="Sudah menerima bantuan RTLH tahun lalu.")
    agency_set_active(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), agency=perkim, active=False)
    perkim.refresh_from_db()
    assert not perkim.active
    assert AuditEntry.objects.filter(action="referrals.agency.deactivated", object_id=str(perkim.pk)).exists()
    # Its rules are skipped now: an RTLH of Miji finds no agency until it is reactivated.
    assert route_for(category("prk_rtlh"), MIJI) is None
    agency_set_active(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), agency=perkim, active=True)
    assert route_for(category("prk_rtlh"), MIJI) == perkim


# --- Categories ------------------------------------------------------------------------------------------

def test_it_changes_sla_documents_and_confidentiality_with_an_audit_entry(pembina_mojokerto):
    rtlh = category("prk_rtlh")
    category_update(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), category=rtlh, sla_working_days=3,
                    confidential=True, active=True,
                    required_documents=[{"type": "kk", "count": 1}, {"type": "house_photo", "count": 4}])
    rtlh.refresh_from_db()
    assert (rtlh.sla_working_days, rtlh.confidential) == (3, True)
    assert rtlh.required_documents == [{"type": "kk", "count": 1}, {"type": "house_photo", "count": 4}]
    entry = AuditEntry.objects.get(action="referrals.category.updated", object_id=str(rtlh.pk))
    assert entry.changes["sla_working_days"] == [5, 3]
    assert entry.changes["required_documents"][1] == "kk×1, house_photo×4"


def test_a_new_sla_applies_to_referrals_recorded_afterwards(pembina_mojokerto, kader_miji, family_miji):
    # Recorded Friday 14 August 2026. Monday 17 August is Independence Day: the three working days after the
    # recording are Tuesday 18, Wednesday 19 and Thursday 20 August (the default five would end Monday 24).
    friday = dt.datetime(2026, 8, 14, 9, 0, tzinfo=timezone.get_current_timezone())
    before = record(kader_miji, household=family_miji, now=friday)
    category_update(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), category=category("prk_rtlh"),
                    sla_working_days=3, confidential=False, active=True,
                    required_documents=category("prk_rtlh").required_documents)
    after = record(kader_miji, household=family_miji, now=friday)
    before.refresh_from_db()
    assert before.due_on == dt.date(2026, 8, 24)
    assert after.due_on == dt.date(2026, 8, 20)


@pytest.mark.parametrize("code", ["trb_kdrt", "trb_narkoba", "trb_perdagangan_orang"])
def test_a_built_in_confidential_category_stays_confidential(pembina_mojokerto, code):
    item = category(code)
    with pytest.raises(DomainError) as excinfo:
        category_update(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), category=item,
                        sla_working_days=item.sla_working_days, confidential=False, active=True,
                        required_documents=item.required_documents)
    assert errors_of(excinfo) == {"confidential"}
    item.refresh_from_db()
    assert item.confidential


def test_another_category_may_be_made_confidential_and_back(pembina_mojokerto):
    item = category("sos_anak_telantar")
    scope = scope_for(pembina_mojokerto)
    for value in (True, False):
        category_update(actor=pembina_mojokerto, scope=scope, category=item, sla_working_days=5, confidential=value,
                        active=True, required_documents=item.required_documents)
        item.refresh_from_db()
        assert item.confidential is value


@pytest.mark.parametrize(("changes", "field"), [
    ({"sla_working_days": 0}, "sla_working_days"),
    ({"sla_working_days": 61}, "sla_working_days"),
    ({"sla_working_days": "5"}, "sla_working_days"),
    ({"required_documents": [{"type": "sertifikat_emas", "count": 1}]}, "required_documents"),
    ({"required_documents": [{"type": "ktp", "count": 0}]}, "required_documents"),
    ({"required_documents": [{"type": "ktp", "count": 6}]}, "required_documents"),
    ({"required_documents": [{"type": "ktp", "count": 1}, {"type": "ktp", "count": 2}]}, "required_documents"),
])
def test_it_refuses_bad_category_settings(pembina_mojokerto, changes, field):
    item = category("dik_tidak_sekolah")
    data = {"sla_working_days": 7, "confidential": False, "active": True, "required_documents": [], **changes}
    with pytest.raises(DomainError) as excinfo:
        category_update(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), category=item, **data)
    assert errors_of(excinfo) == {field}
    item.refresh_from_db()
    assert (item.sla_working_days, len(item.required_documents)) == (5, 3)


def test_a_deactivated_category_can_no_longer_be_recorded(pembina_mojokerto, kader_miji, family_miji):
    item = category("prk_relokasi")
    category_update(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), category=item, sla_working_days=5,
                    confidential=False, active=False, required_documents=item.required_documents)
    with pytest.raises(DomainError) as excinfo:
        record(kader_miji, category="prk_relokasi", household=family_miji)
    assert "category" in excinfo.value.field_errors


def test_only_a_pembina_of_a_whole_kab_kota_may_edit_categories(pembina_kranggan, kader_miji, opd_dinsos):
    item = category("prk_rtlh")
    data = {"sla_working_days": 9, "confidential": False, "active": True, "required_documents": []}
    with pytest.raises(DomainError) as excinfo:
        category_update(actor=pembina_kranggan, scope=scope_for(pembina_kranggan), category=item, **data)
    assert excinfo.value.code == "forbidden"
    for user in (kader_miji, opd_dinsos):
        with pytest.raises(NotInScope):
            category_update(actor=user, scope=scope_for(user), category=item, **data)
    item.refresh_from_db()
    assert item.sla_working_days == 5


# --- Routing rules ---------------------------------------------------------------------------------------

def test_it_creates_a_rule_that_routes_new_referrals(pembina_mojokerto, mojokerto):
    bpbd = agency(MOJOKERTO, "bpbd")  # handles perumahan too
    rule = rule_create(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), kabkota=mojokerto,
                       field="perumahan", category_id=category("prk_rusak_bencana").pk, agency_id=bpbd.pk)
    assert (rule.region_id, rule.area_id, rule.updated_by_id) == (MOJOKERTO, None, pembina_mojokerto.pk)
    assert route_for(category("prk_rusak_bencana"), MIJI) == bpbd
    assert route_for(category("prk_rtlh"), MIJI) == agency(MOJOKERTO, "perkim")
    entry = AuditEntry.objects.get(action="referrals.routing_rule.created", object_id=str(rule.pk))
    assert entry.changes == {"field": "perumahan", "category": "prk_rusak_bencana", "area": "", "agency": "bpbd"}


def test_a_puskesmas_takes_rules_only_inside_its_kecamatan(pembina_mojokerto, mojokerto):
    puskesmas = agency(MOJOKERTO, f"pkm-{KRANGGAN}")
    scope = scope_for(pembina_mojokerto)
    for area in ("", PRAJURITKULON, MENTIKAN):
        with pytest.raises(DomainError) as excinfo:
            rule_create(actor=pembina_mojokerto, scope=scope, kabkota=mojokerto, field="kesehatan", area_code=area,
                        agency_id=puskesmas.pk)
        assert errors_of(excinfo) == {"area"}
    rule = rule_create(actor=pembina_mojokerto, scope=scope, kabkota=mojokerto, field="kesehatan", area_code=MIJI,
                       agency_id=puskesmas.pk)
    assert route_for(category("kes_rujukan"), MIJI) == puskesmas
    assert route_for(category("kes_rujukan"), MENTIKAN) == agency(MOJOKERTO, "dinkes")
    assert rule.area_id == MIJI


@pytest.mark.parametrize(("data", "field"), [
    ({"agency": ("3320", "perkim")}, "agency"),  # Jepara's Perkim
    ({"area_code": "3320010001"}, "area"),  # a desa of Jepara (whatever its number, it is outside 3576)
    ({"area_code": "9999"}, "area"),
    ({"field": "pertanian"}, "field"),
    ({"category": "dik_tidak_sekolah"}, "category"),  # an education category under perumahan
    ({"agency": (MOJOKERTO, "dinsos")}, "agency"),  # Dinsos does not handle perumahan
    ({"area_code": "", "category": None}, "__all__"),  # the seeded perumahan → Perkim rule exists
])
def test_it_refuses_a_bad_rule_and_writes_nothing(pembina_mojokerto, mojokerto, data, field):
    count = RoutingRule.objects.count()
    kabkota, code = data.get("agency", (MOJOKERTO, "perkim"))
    chosen = data.get("category", "prk_rtlh")
    with pytest.raises(DomainError) as excinfo:
        rule_create(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), kabkota=mojokerto,
                    field=data.get("field", "perumahan"), category_id=category(chosen).pk if chosen else None,
                    area_code=data.get("area_code", KRANGGAN), agency_id=agency(kabkota, code).pk)
    assert errors_of(excinfo) == {field}
    assert RoutingRule.objects.count() == count


def test_a_rule_cannot_point_to_an_inactive_agency(pembina_mojokerto, mojokerto):
    made = new_agency(pembina_mojokerto, mojokerto)
    agency_set_active(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), agency=made, active=False)
    with pytest.raises(DomainError) as excinfo:
        rule_create(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), kabkota=mojokerto,
                    field="perumahan", area_code=KRANGGAN, agency_id=made.pk)
    assert errors_of(excinfo) == {"agency"}


def test_the_jepara_pembina_cannot_touch_mojokerto_rules(pembina_jepara, mojokerto):
    rule = RoutingRule.objects.get(region_id=MOJOKERTO, field="perumahan", category=None, area=None)
    scope = scope_for(pembina_jepara)
    with pytest.raises(NotInScope):
        rule_create(actor=pembina_jepara, scope=scope, kabkota=mojokerto, field="perumahan", area_code=KRANGGAN,
                    agency_id=agency(MOJOKERTO, "bpbd").pk)
    with pytest.raises(NotInScope):
        rule_update(actor=pembina_jepara, scope=scope, rule=rule, field="perumahan",
                    agency_id=agency(MOJOKERTO, "bpbd").pk)
    with pytest.raises(NotInScope):
        rule_delete(actor=pembina_jepara, scope=scope, rule=rule)
    rule.refresh_from_db()
    assert rule.agency == agency(MOJOKERTO, "perkim")


def test_it_updates_a_rule_but_not_into_a_twin_of_another(pembina_mojokerto, mojokerto):
    scope = scope_for(pembina_mojokerto)
    bpbd = agency(MOJOKERTO, "bpbd")
    rule = rule_create(actor=pembina_mojokerto, scope=scope, kabkota=mojokerto, field="perumahan",
                       area_code=KRANGGAN, agency_id=bpbd.pk)
    rule_update(actor=pembina_mojokerto, scope=scope, rule=rule, field="perumahan", area_code=MIJI, agency_id=bpbd.pk)
    rule.refresh_from_db()
    assert rule.area_id == MIJI
    entry = AuditEntry.objects.get(action="referrals.routing_rule.updated", object_id=str(rule.pk))
    assert entry.changes == {"area": [KRANGGAN, MIJI]}
    with pytest.raises(DomainError) as excinfo:
        rule_update(actor=pembina_mojokerto, scope=scope, rule=rule, field="perumahan", area_code="",
                    agency_id=bpbd.pk)  # the seeded whole-kab/kota perumahan rule
    assert errors_of(excinfo) == {"__all__"}
    rule.refresh_from_db()
    assert rule.area_id == MIJI


def test_deleting_a_rule_falls_back_to_the_less_specific_one(pembina_mojokerto, mojokerto):
    scope = scope_for(pembina_mojokerto)
    bpbd = agency(MOJOKERTO, "bpbd")
    rule = rule_create(actor=pembina_mojokerto, scope=scope, kabkota=mojokerto, field="perumahan",
                       area_code=MERI, agency_id=bpbd.pk)
    assert route_for(category("prk_rtlh"), MERI) == bpbd
    rule_delete(actor=pembina_mojokerto, scope=scope, rule=rule)
    assert not RoutingRule.objects.filter(pk=rule.pk).exists()
    assert route_for(category("prk_rtlh"), MERI) == agency(MOJOKERTO, "perkim")
    assert AuditEntry.objects.filter(action="referrals.routing_rule.deleted", object_id=str(rule.pk)).exists()
