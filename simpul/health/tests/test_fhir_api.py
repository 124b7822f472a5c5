"""GET /api/v1/fhir/persons/{id}: the health rule, the FHIR media type, and the export in the access log."""

import json

import pytest

from conftest import MOJOKERTO, make_user
from simpul.accounts.roles import Role
from simpul.api.auth import token_issue
from simpul.audit.models import AccessLog
from simpul.health import fhir
from simpul.health.tests.kit import D, add_child, measure

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def child(family_miji):
    return family_miji.members.get(full_name="Aisyah Putri")


def get(client, user, person_id):
    raw, _token = token_issue(user=user)
    return client.get(f"/api/v1/fhir/persons/{person_id}", HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_kader_exports_a_valid_bundle_and_the_export_is_logged(client, kader_miji, child):
    measure(kader_miji, child, D(2025, 1, 14), weight_kg="8.9", length_height_cm="74", position="recumbent")
    response = get(client, kader_miji, child.pk)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert response["Cache-Control"] == "private, no-store"
    bundle = json.loads(response.content)
    fhir.validate(bundle)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient", "Observation", "Observation"]
    log = AccessLog.objects.get(action="export", object_id=str(child.pk))
    assert log.actor == kader_miji and log.detail == "fhir" and log.region_code == child.desa_id


def test_the_session_works_for_the_download_link(client, bidan_kranggan, child):
    client.force_login(bidan_kranggan)
    assert client.get(f"/api/v1/fhir/persons/{child.pk}").status_code == 200


def test_the_dinkes_officer_of_the_regency_may_export(client, child):
    dinkes = make_user("opd.dinkes", Role.OPD, region=MOJOKERTO, fields=["kesehatan"])
    assert get(client, dinkes, child.pk).status_code == 200


@pytest.mark.parametrize("persona", ["kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan",
                                     "pembina_mojokerto", "opd_dinsos", "admin_user"])
def test_everyone_else_gets_404(client, request, child, persona):
    response = get(client, request.getfixturevalue(persona), child.pk)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not AccessLog.objects.filter(action="export").exists()


def test_a_kader_of_another_field_gets_404(client, posyandu_miji, child):
    teacher = make_user("kader.guru", "kader", posyandu=posyandu_miji, fields=["pendidikan"])
    assert get(client, teacher, child.pk).status_code == 404


def test_jepara_child_is_jeparas(client, kader_jepara, kader_miji, posyandu_jepara):
    joko = add_child(kader_jepara, posyandu_jepara, "Joko Jepara", D(2025, 3, 1))
    assert get(client, kader_jepara, joko.pk).status_code == 200
    assert get(client, kader_miji, joko.pk).status_code == 404


def test_an_unknown_person_is_404(client, kader_miji, child):
    assert get(client, kader_miji, 999999).status_code == 404


def test_anonymous_is_401(client, child):
    assert client.get(f"/api/v1/fhir/persons/{child.pk}").status_code == 401
