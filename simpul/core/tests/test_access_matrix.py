"""Who may open what: every page and API route is listed here with the personas allowed on a
Kota Mojokerto (Kelurahan Miji) object; everyone else must get 403/404. A new route that is not
listed fails ``test_every_route_is_in_the_matrix``.
"""

import importlib

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from simpul.api.auth import token_issue

PERSONAS = ["kader_miji", "kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan", "bidan_kranggan",
            "pembina_mojokerto", "opd_dinsos", "admin_user"]

# route name -> (url builder, personas who may GET it)
PAGES = {
    "core:home": (lambda o: "/", set(PERSONAS)),
    "regions:browse": (lambda o: "/wilayah/", set(PERSONAS)),
    "regions:browse_code": (lambda o: "/wilayah/3576031002/", set(PERSONAS)),
    "registry:household_list": (lambda o: "/warga/keluarga/",
                                {"kader_miji", "kader_meri", "kader_jepara", "lurah_miji", "bidan_kranggan"}),
    "registry:household_register": (lambda o: "/warga/keluarga/baru/", {"kader_miji", "kader_meri", "kader_jepara"}),
    "registry:household_detail": (lambda o: f"/warga/keluarga/{o['household'].pk}/",
                                  {"kader_miji", "lurah_miji", "bidan_kranggan"}),
    "registry:member_add": (lambda o: f"/warga/keluarga/{o['household'].pk}/anggota-baru/", {"kader_miji"}),
    "registry:person_detail": (lambda o: f"/warga/orang/{o['person'].pk}/", {"kader_miji", "lurah_miji", "bidan_kranggan"}),
    "registry:person_edit": (lambda o: f"/warga/orang/{o['person'].pk}/ubah/", {"kader_miji"}),
    "registry:person_move": (lambda o: f"/warga/orang/{o['person'].pk}/pindah/", {"kader_miji"}),
    "registry:household_move": (lambda o: f"/warga/keluarga/{o['household'].pk}/pindah/", {"kader_miji"}),
    "posyandu:list": (lambda o: "/posyandu/", {"kader_miji", "kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan",
                                               "bidan_kranggan", "pembina_mojokerto"}),
    "posyandu:detail": (lambda o: f"/posyandu/{o['posyandu'].pk}/",
                        {"kader_miji", "lurah_miji", "camat_kranggan", "bidan_kranggan", "pembina_mojokerto"}),
    "health:person_growth": (lambda o: f"/kesehatan/orang/{o['person'].pk}/pertumbuhan/", {"kader_miji",
                                                                                         "bidan_kranggan"}),
    "health:measurement_record": (lambda o: f"/kesehatan/orang/{o['person'].pk}/ukur/", {"kader_miji",
                                                                                         "bidan_kranggan"}),
    "immunization:due_list": (lambda o: f"/imunisasi/posyandu/{o['posyandu'].pk}/jadwal/", {"kader_miji",
                                                                                          "bidan_kranggan"}),
    "immunization:card": (lambda o: f"/imunisasi/orang/{o['person'].pk}/", {"kader_miji", "bidan_kranggan"}),
    "posyandu:legal_edit": (lambda o: f"/posyandu/{o['posyandu'].pk}/legalitas/", {"lurah_miji", "pembina_mojokerto"}),
}
API = {
    "households_list": (lambda o: "/api/v1/households", set(PERSONAS)),  # filtered, checked below
    "household_detail": (lambda o: f"/api/v1/households/{o['household'].pk}", {"kader_miji", "lurah_miji",
                                                                               "bidan_kranggan"}),
    "persons_list": (lambda o: "/api/v1/persons", set(PERSONAS)),
    "person_detail": (lambda o: f"/api/v1/persons/{o['person'].pk}", {"kader_miji", "lurah_miji", "bidan_kranggan"}),
    "posyandu_list": (lambda o: "/api/v1/posyandu", set(PERSONAS)),
    "posyandu_detail": (lambda o: f"/api/v1/posyandu/{o['posyandu'].pk}",
                        {"kader_miji", "lurah_miji", "camat_kranggan", "bidan_kranggan", "pembina_mojokerto"}),
    "posyandu_readiness_view": (lambda o: f"/api/v1/posyandu/{o['posyandu'].pk}/readiness",
                                {"kader_miji", "lurah_miji", "camat_kranggan", "bidan_kranggan", "pembina_mojokerto"}),
    "measurements_list": (lambda o: f"/api/v1/measurements?person_id={o['person'].pk}", set(PERSONAS)),
    "immunization_list": (lambda o: f"/api/v1/immunizations?person_id={o['person'].pk}",
                          {"kader_miji", "bidan_kranggan"}),
    "immunization_status": (lambda o: f"/api/v1/immunizations/status?person_id={o['person'].pk}",
                            {"kader_miji", "bidan_kranggan"}),
    "immunization_due": (lambda o: f"/api/v1/immunizations/due?posyandu_id={o['posyandu'].pk}",
                         {"kader_miji", "bidan_kranggan"}),
    "regions_list": (lambda o: "/api/v1/regions?parent=35.76", set(PERSONAS)),
    "region_detail": (lambda o: "/api/v1/regions/35.76.03.1002", set(PERSONAS)),
}
# Routes that are not object reads (forms that only POST, auth, docs) and where they are tested.
NOT_IN_MATRIX = {
    "registry:consent_add", "registry:consent_withdraw", "registry:duplicate_decide",  # POST only: test_person_actions
    "regions:subdivision_add",  # POST only: regions/tests/test_subdivision_views.py
    "accounts:login", "accounts:logout", "accounts:password_change", "accounts:password_change_done",
    "healthz", "token_create", "token_revoke", "openapi-json", "openapi-view", "household_create", "person_create",
    "person_replace", "api-root",
    "growth_calculate",
    "immunization:kipi", "immunization_create", "immunization_kipi",  # POST only: simpul/immunization/tests
    # Object routes of one measurement: simpul/health/tests/test_measurement_{api,views,correct}.py
    "measurement_detail", "measurement_create", "measurement_correct_view", "measurement_validate_view",
    "health:measurement_correct", "health:measurement_validate",  # POST-only calculator, no stored data: simpul/health/tests/test_growth_api.py
}



def _app_route_modules():
    """Apps may keep their own rows in ``<app>/tests/routes.py`` (PAGES, API, NOT_IN_MATRIX and an
    optional ``extend(objects)`` that adds the objects their URLs need); they are merged here."""
    for config in apps.get_app_configs():
        if not config.name.startswith("simpul."):
            continue
        try:
            yield importlib.import_module(f"{config.name}.tests.routes")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tests.routes":
                raise


APP_ROUTES = list(_app_route_modules())
for _module in APP_ROUTES:
    PAGES.update(getattr(_module, "PAGES", {}))
    API.update(getattr(_module, "API", {}))
    NOT_IN_MATRIX |= set(getattr(_module, "NOT_IN_MATRIX", set()))


def _route_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            ns = f"{item.namespace}:" if item.namespace and item.namespace not in {"admin", "api"} else prefix
            if item.namespace == "admin":
                continue
            yield from _route_names(item, ns if item.namespace != "api" else "")
        elif isinstance(item, URLPattern) and item.name:
            yield f"{prefix}{item.name}"


def test_every_route_is_in_the_matrix():
    names = set(_route_names())
    unknown = names - set(PAGES) - set(API) - NOT_IN_MATRIX
    assert not unknown, f"routes without an access rule in the matrix: {sorted(unknown)}"


@pytest.fixture
def objects(family_miji, posyandu_miji, kader_meri, kader_jepara, lurah_miji, camat_kranggan, bidan_kranggan,
            pembina_mojokerto, opd_dinsos, admin_user):
    objects = {"household": family_miji, "person": family_miji.members.first(), "posyandu": posyandu_miji}
    for module in APP_ROUTES:
        if hasattr(module, "extend"):
            module.extend(objects)
    return objects


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_pages(client, request, objects, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    for name, (url, allowed) in PAGES.items():
        status = client.get(url(objects)).status_code
        if persona in allowed:
            assert status == 200, (name, persona, status)
        else:
            assert status in {403, 404}, (name, persona, status)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_api(client, request, objects, persona):
    user = request.getfixturevalue(persona)
    raw, _token = token_issue(user=user)
    header = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for name, (url, allowed) in API.items():
        response = client.get(url(objects), **header)
        if persona in allowed:
            assert response.status_code == 200, (name, persona, response.status_code)
        else:
            assert response.status_code in {403, 404}, (name, persona, response.status_code)
    # Lists never leak another area's records.
    ids = {h["id"] for h in client.get("/api/v1/households?limit=200", **header).json()["items"]}
    assert (objects["household"].pk in ids) == (persona in API["household_detail"][1])


@pytest.mark.django_db
def test_the_kesehatan_kader_home_links_the_due_list_and_a_kader_of_another_field_does_not(client, posyandu_miji):
    from conftest import make_user

    health = make_user("kader.sehat", "kader", posyandu=posyandu_miji, fields=["kesehatan"])
    teacher = make_user("kader.guru", "kader", posyandu=posyandu_miji, fields=["pendidikan"])
    due = f"/imunisasi/posyandu/{posyandu_miji.pk}/jadwal/"
    client.force_login(health)
    assert due in client.get("/").content.decode()
    client.force_login(teacher)
    assert due not in client.get("/").content.decode()
