"""The kader's growth page and measurement form: errors per field, outsiders get 404."""

import datetime as dt
from decimal import Decimal

import pytest

from conftest import make_user
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.health.models import Measurement
from simpul.health.services import MeasurementInput, measurement_record

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def child(family_miji):
    return family_miji.members.get(full_name="Aisyah Putri")


def growth_url(child):
    return f"/kesehatan/orang/{child.pk}/pertumbuhan/"


def record_url(child):
    return f"/kesehatan/orang/{child.pk}/ukur/"


def form(**extra):
    data = {"measured_on": "2025-01-14", "weight_kg": "8.9", "length_height_cm": "74", "position": "recumbent",
            "head_circumference_cm": "", "muac_cm": ""}
    data.update(extra)
    return data


def test_the_kader_records_and_sees_z_scores_and_labels(client, kader_miji, child):
    client.force_login(kader_miji)
    response = client.post(record_url(child), form())
    assert response.status_code == 302 and response["Location"].endswith(growth_url(child))
    page = client.get(growth_url(child))
    assert page.status_code == 200
    html = page.content.decode()
    m = Measurement.objects.get()
    assert f"{m.z_wfa:.2f}".replace(".", ",") in html or f"{m.z_wfa:.2f}" in html
    row = page.context["rows"][0]
    assert row["m"] == m and row["gain"].status == "B" and row["labels"]["wfa"]  # first weighing: B
    assert 'name="weight_kg"' in html  # the form is on the page for a health kader


def test_errors_are_shown_per_field_and_nothing_is_saved(client, kader_miji, child):
    client.force_login(kader_miji)
    response = client.post(record_url(child), form(weight_kg="90", length_height_cm="300"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "weight_kg" in errors and "length_height_cm" in errors
    assert Measurement.objects.count() == 0


def test_a_double_submit_saves_once(client, kader_miji, child):
    client.force_login(kader_miji)
    key = client.get(record_url(child)).context["form"].initial["client_uuid"]
    client.post(record_url(child), form(client_uuid=str(key)))
    client.post(record_url(child), form(client_uuid=str(key)))
    assert Measurement.objects.count() == 1


def test_flags_are_shown_for_review(client, kader_miji, child):
    measurement_record(actor=kader_miji, scope=scope_for(kader_miji), person=child,
                       data=MeasurementInput(measured_on=dt.date(2025, 1, 14), weight_kg="19.8"))
    client.force_login(kader_miji)
    assert 'role="note"' in client.get(growth_url(child)).content.decode()


def test_the_bidan_reads_records_and_validates(client, kader_miji, bidan_kranggan, child):
    m = measurement_record(actor=kader_miji, scope=scope_for(kader_miji), person=child,
                           data=MeasurementInput(measured_on=dt.date(2025, 1, 14), weight_kg="8.9"))
    client.force_login(bidan_kranggan)
    page = client.get(growth_url(child))
    assert page.status_code == 200 and page.context["form"] is not None
    assert client.get(record_url(child)).status_code == 200
    client.post(f"/kesehatan/ukuran/{m.pk}/validasi/")
    m.refresh_from_db()
    assert m.validated_by == bidan_kranggan


def test_the_kader_corrects(client, kader_miji, child):
    m = measurement_record(actor=kader_miji, scope=scope_for(kader_miji), person=child,
                           data=MeasurementInput(measured_on=dt.date(2025, 1, 14), weight_kg="19.8"))
    client.force_login(kader_miji)
    url = f"/kesehatan/ukuran/{m.pk}/koreksi/"
    assert client.get(url).status_code == 200
    assert client.post(url, form(weight_kg="9.8", reason="")).status_code == 200  # reason required
    assert client.post(url, form(weight_kg="9.8", reason="typo")).status_code == 302
    m.refresh_from_db()
    assert m.superseded_by.weight_kg == Decimal("9.8")


@pytest.mark.parametrize("outsider", ["kader_meri", "kader_jepara", "opd_dinsos"])
def test_outsiders_get_nothing(client, request, kader_miji, child, outsider):
    measurement_record(actor=kader_miji, scope=scope_for(kader_miji), person=child,
                       data=MeasurementInput(measured_on=dt.date(2025, 1, 14), weight_kg="8.9"))
    client.force_login(request.getfixturevalue(outsider))
    assert client.get(growth_url(child)).status_code in (403, 404)
    assert client.post(record_url(child), form()).status_code in (403, 404)
    assert Measurement.objects.count() == 1


def test_a_kader_of_another_field_gets_404(client, child, posyandu_miji):
    kader = make_user("kader.pendidikan", Role.KADER, posyandu=posyandu_miji, fields=["pendidikan"])
    client.force_login(kader)
    assert client.get(growth_url(child)).status_code == 404
    assert client.post(record_url(child), form()).status_code == 404
    assert Measurement.objects.count() == 0
