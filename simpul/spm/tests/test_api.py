"""/api/v1/spm: achievement per region and period, the unserved list, and who must not see what."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import KRANGGAN, MIJI, MOJOKERTO, clock_at, register_family
from conftest import bearer as auth
from simpul.audit.models import AccessLog
from simpul.spm.models import ExternalFigure, OfficialSasaran, Target

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_the_test_day():
    # The figures and the report months are of November 2026: the clock is there, whatever the calendar says.
    with clock_at(dt.date(2026, 11, 23)):
        yield


@pytest.fixture
def counted(kader_miji, posyandu_miji, django_capture_on_commit_callbacks):
    """Two families in Miji: four residents aged 15–59 (none screened), two toddlers."""
    with django_capture_on_commit_callbacks(execute=True):
        register_family(kader_miji, posyandu_miji)
        register_family(kader_miji, posyandu_miji, head="Joko Susilo", rt="003")
    return posyandu_miji


def row(body, code):
    return next(item for item in body["indicators"] if item["code"] == code)


def test_pembina_sees_all_29_indicators_of_the_city(client, counted, pembina_mojokerto):
    response = client.get("/api/v1/spm/achievement", {"region": "35.76"}, **auth(pembina_mojokerto))
    assert response.status_code == 200
    body = response.json()
    assert body["region"]["code"] == MOJOKERTO and len(body["indicators"]) == 29
    productive = row(body, "kes.usia_produktif")
    # 4 adults aged 15–59, none screened: 0 / 4 = 0.0 %.
    assert (productive["numerator"], productive["denominator"], productive["percent"]) == (0, 4, 0.0)
    assert productive["source"] == "simpul" and productive["target"] == 100.0
    assert row(body, "kes.tb")["source"] == "external" and row(body, "kes.tb")["denominator"] is None


def test_children_break_the_city_down_by_kecamatan(client, counted, pembina_mojokerto):
    body = client.get("/api/v1/spm/achievement", {"region": MOJOKERTO, "by": "children"},
                      **auth(pembina_mojokerto)).json()
    by_code = {child["region"]["code"]: row(child, "kes.usia_produktif")["denominator"] for child in body["children"]}
    assert by_code[KRANGGAN] == 4
    assert sum(by_code.values()) == 4


def test_targets_official_sasaran_and_external_figures_are_shown(client, counted, pembina_mojokerto):
    Target.objects.create(region_id=MOJOKERTO, indicator="kes.usia_produktif", year=2026, percent=90)
    OfficialSasaran.objects.create(region_id=MOJOKERTO, indicator="kes.usia_produktif", year=2026, count=10)
    # Two kecamatan report TB figures; the city is their sum: (3+5)/(4+6) = 8/10 = 80 %.
    ExternalFigure.objects.create(region_id=KRANGGAN, indicator="kes.tb", year=2026, month=11, denominator=4,
                                  numerator=3, source="SITB")
    ExternalFigure.objects.create(region_id="357601", indicator="kes.tb", year=2026, month=11, denominator=6,
                                  numerator=5, source="SITB")
    body = client.get("/api/v1/spm/achievement", {"region": MOJOKERTO, "period": "2026"},
                      **auth(pembina_mojokerto)).json()
    productive = row(body, "kes.usia_produktif")
    assert productive["target"] == 90.0
    assert productive["official_sasaran"] == 10 and productive["registration_gap"] == 10 - 4
    tb = row(body, "kes.tb")
    assert (tb["numerator"], tb["denominator"], tb["percent"]) == (8, 10, 80.0)


def test_an_opd_sees_only_its_field(client, counted, opd_dinsos):
    body = client.get("/api/v1/spm/achievement", {"region": MOJOKERTO}, **auth(opd_dinsos)).json()
    assert {item["field"] for item in body["indicators"]} == {"sosial"}
    assert len(body["indicators"]) == 5


def test_nobody_sees_a_region_outside_their_area(client, counted, kader_jepara, camat_kranggan):
    assert client.get("/api/v1/spm/achievement", {"region": MOJOKERTO},
                      **auth(kader_jepara)).status_code == 404
    assert client.get("/api/v1/spm/achievement", {"region": MOJOKERTO},
                      **auth(camat_kranggan)).status_code == 404
    assert client.get("/api/v1/spm/achievement", {"region": KRANGGAN},
                      **auth(camat_kranggan)).status_code == 200


def test_a_kader_reads_her_posyandu_not_the_village(client, counted, kader_miji, kader_meri):
    mine = client.get("/api/v1/spm/achievement", {"posyandu": counted.pk}, **auth(kader_miji))
    assert mine.status_code == 200 and row(mine.json(), "kes.usia_produktif")["denominator"] == 4
    assert client.get("/api/v1/spm/achievement", {"region": MIJI}, **auth(kader_miji)).status_code == 404
    assert client.get("/api/v1/spm/achievement", {"posyandu": counted.pk}, **auth(kader_meri)).status_code == 404


def test_bad_input_is_422_with_field_errors(client, counted, pembina_mojokerto):
    for params, field in (({"region": MOJOKERTO, "period": "2026-Q7"}, "period"),
                          ({"region": MOJOKERTO, "field": "olahraga"}, "field"),
                          ({"region": MOJOKERTO, "by": "siblings"}, "by"),
                          ({}, "region")):
        response = client.get("/api/v1/spm/achievement", params, **auth(pembina_mojokerto))
        assert response.status_code == 422, params
        assert field in response.json()["errors"], params


def test_the_kader_gets_names_and_reasons(client, counted, kader_miji):
    response = client.get("/api/v1/spm/unserved", {"indicator": "kes.usia_produktif", "posyandu": counted.pk},
                          **auth(kader_miji))
    assert response.status_code == 200
    body = response.json()
    assert body["names_visible"] is True and body["count"] == 4
    names = sorted(item["name"] for item in body["items"])
    assert names == ["Budi Santoso", "Joko Susilo", "Siti Aminah", "Siti Aminah"]
    assert all(item["missing"][0]["code"] == "screening" for item in body["items"])
    assert all(item["missing"][0]["text"] for item in body["items"])
    assert AccessLog.objects.filter(action="spm.unserved", actor=kader_miji).count() == 1


def test_the_camat_and_pembina_see_masked_rows(client, counted, camat_kranggan, pembina_mojokerto):
    for user in (camat_kranggan, pembina_mojokerto):
        body = client.get("/api/v1/spm/unserved", {"indicator": "kes.usia_produktif", "region": MIJI},
                          **auth(user)).json()
        assert body["names_visible"] is False and body["count"] == 4
        assert {item["name"] for item in body["items"]} == {"B*** S***", "S*** A***", "J*** S***"}
        assert all(item["id"] is None for item in body["items"])


def test_the_lurah_sees_names_but_not_health_detail(client, counted, lurah_miji):
    body = client.get("/api/v1/spm/unserved", {"indicator": "kes.usia_produktif", "region": MIJI},
                      **auth(lurah_miji)).json()
    # Health detail of named people is for the kader and nakes, never the desa (issue 3).
    assert body["names_visible"] is False


def test_the_list_is_per_village_or_posyandu(client, counted, pembina_mojokerto, kader_jepara):
    response = client.get("/api/v1/spm/unserved", {"indicator": "kes.usia_produktif", "region": MOJOKERTO},
                          **auth(pembina_mojokerto))
    assert response.status_code == 422 and "region" in response.json()["errors"]
    external = client.get("/api/v1/spm/unserved", {"indicator": "kes.tb", "region": MIJI},
                          **auth(pembina_mojokerto))
    assert external.status_code == 422 and "indicator" in external.json()["errors"]
    assert client.get("/api/v1/spm/unserved", {"indicator": "kes.usia_produktif", "region": MIJI},
                      **auth(kader_jepara)).status_code == 404


def test_an_opd_cannot_list_another_field(client, counted, opd_dinsos):
    assert client.get("/api/v1/spm/unserved", {"indicator": "kes.usia_produktif", "region": MIJI},
                      **auth(opd_dinsos)).status_code == 404
