"""The KMS images and the printable KMS PDF: who may fetch them, what they hold, and the access log."""

import io

import pytest
from pypdf import PdfReader

from conftest import make_user
from simpul.accounts.scope import scope_for
from simpul.audit.models import AccessLog
from simpul.health.services import MeasurementInput, measurement_correct
from simpul.health.tests.kit import D, add_child, at, measure, parse_svg

pytestmark = [pytest.mark.django_db]

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def child(family_miji):
    return family_miji.members.get(full_name="Aisyah Putri")  # girl, born 15 Jan 2024


def urls(child):
    base = f"/kesehatan/orang/{child.pk}"
    return [f"{base}/kms-bb.svg", f"{base}/kms-tb.svg", f"{base}/kms.pdf"]


def test_the_kader_gets_both_charts_with_the_childs_points(client, kader_miji, child):
    measure(kader_miji, child, D(2025, 1, 14), weight_kg="8.9", length_height_cm="74", position="recumbent")
    old = measure(kader_miji, child, D(2025, 2, 14), weight_kg="19.2")
    measurement_correct(actor=kader_miji, scope=scope_for(kader_miji), measurement=old, reason="typo",
                        data=MeasurementInput(measured_on=D(2025, 2, 14), weight_kg="9.2"), now=at(D(2025, 2, 14)))
    client.force_login(kader_miji)
    response = client.get(f"/kesehatan/orang/{child.pk}/kms-bb.svg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["Cache-Control"] == "private, no-store"
    root = parse_svg(response.content)
    assert root.get("data-sex") == "F" and root.get("data-index") == "wfa"
    # The corrected 19.2 kg is not drawn; the correction is.
    assert [c.get("data-value") for c in root.findall(f"{SVG}circle")] == ["8.9", "9.2"]
    tb = parse_svg(client.get(f"/kesehatan/orang/{child.pk}/kms-tb.svg").content)
    assert [c.get("data-value") for c in tb.findall(f"{SVG}circle")] == ["74"]
    assert AccessLog.objects.filter(object_id=str(child.pk), detail="kms-wfa.svg", actor=kader_miji).exists()


def test_the_growth_page_embeds_both_charts_and_the_pdf_link(client, kader_miji, child):
    client.force_login(kader_miji)
    html = client.get(f"/kesehatan/orang/{child.pk}/pertumbuhan/").content.decode()
    for url in urls(child):
        assert url in html
    assert f'/api/v1/fhir/persons/{child.pk}' in html


def test_the_pdf_holds_the_measurement_rows_and_is_logged_as_an_export(client, bidan_kranggan, kader_miji, child):
    measure(kader_miji, child, D(2025, 1, 14), weight_kg="8.9", length_height_cm="74", position="recumbent")
    measure(kader_miji, child, D(2025, 2, 14), weight_kg="9.2")
    client.force_login(bidan_kranggan)
    response = client.get(f"/kesehatan/orang/{child.pk}/kms.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Aisyah Putri" in text
    assert "2025-01-14" in text and "2025-02-14" in text
    assert ("8,9" in text or "8.9" in text) and ("9,2" in text or "9.2" in text) and "74" in text
    log = AccessLog.objects.get(action="export", object_id=str(child.pk))
    assert log.actor == bidan_kranggan and log.detail == "kms.pdf" and log.region_code == child.desa_id


@pytest.mark.parametrize("persona", ["kader_meri", "kader_jepara", "lurah_miji"])
def test_outsiders_get_404(client, request, child, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in urls(child):
        assert client.get(url).status_code == 404, url
    assert not AccessLog.objects.filter(action="export").exists()


@pytest.mark.parametrize("persona", ["camat_kranggan", "pembina_mojokerto", "opd_dinsos", "admin_user"])
def test_roles_without_person_access_are_refused(client, request, child, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in urls(child):
        assert client.get(url).status_code in {403, 404}, url


def test_a_kader_of_another_field_in_the_same_posyandu_gets_404(client, posyandu_miji, child):
    client.force_login(make_user("kader.guru", "kader", posyandu=posyandu_miji, fields=["pendidikan"]))
    for url in urls(child):
        assert client.get(url).status_code == 404, url


def test_jepara_child_is_jeparas(client, kader_jepara, kader_miji, posyandu_jepara):
    child = add_child(kader_jepara, posyandu_jepara, "Joko Jepara", D(2025, 3, 1))
    measure(kader_jepara, child, D(2025, 9, 1), weight_kg="7.6")
    client.force_login(kader_jepara)
    svg = parse_svg(client.get(f"/kesehatan/orang/{child.pk}/kms-bb.svg").content)
    assert svg.get("data-sex") == "M" and len(svg.findall(f"{SVG}circle")) == 1
    client.force_login(kader_miji)
    for url in urls(child):
        assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_login(client, child):
    for url in urls(child):
        assert client.get(url).status_code == 302
