"""The dashboard API reads a fixed number of queries, whatever the number of regions shown, and reading the
place and its children together gives what reading them apart gives."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import KRANGGAN, MIJI, MOJOKERTO, clock_at, register_family
from simpul.accounts.scope import scope_for
from simpul.spm import selectors
from simpul.spm.counters import rebuild
from simpul.spm.models import ExternalFigure, OfficialSasaran, Target
from simpul.spm.periods import parse

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)
REGISTERED = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)  # before TODAY
# session, user, memberships (the scope); the place; its children; counters, external figures, official
# sasaran, targets — one query each for the place and all its children.
QUERIES = 9


@pytest.fixture(autouse=True)
def _on_the_test_day():
    # The external figures are of November 2026: the clock is there, whatever the calendar says.
    with clock_at(TODAY):
        yield


@pytest.fixture
def figures(kader_miji, posyandu_miji, pembina_mojokerto):
    """Two families in Miji, counters rebuilt, and figures entered at the city, a kecamatan and a desa."""
    register_family(kader_miji, posyandu_miji, now=REGISTERED)
    register_family(kader_miji, posyandu_miji, head="Joko Susilo", rt="003", now=REGISTERED)
    rebuild(MOJOKERTO, 2026, today=TODAY)
    Target.objects.create(region_id=MOJOKERTO, indicator="kes.usia_produktif", year=2026, percent=90)
    Target.objects.create(region_id=KRANGGAN, indicator="kes.usia_produktif", year=2026, percent=80)
    OfficialSasaran.objects.create(region_id=MIJI, indicator="kes.usia_produktif", year=2026, count=7)
    OfficialSasaran.objects.create(region_id=KRANGGAN, indicator="kes.balita", year=2026, count=30)
    ExternalFigure.objects.create(
        region_id=KRANGGAN, indicator="kes.tb", year=2026, month=11, denominator=4, numerator=3, source="SITB"
    )
    ExternalFigure.objects.create(
        region_id=MIJI, indicator="kes.tb", year=2026, month=11, denominator=2, numerator=2, source="SITB"
    )
    ExternalFigure.objects.create(
        region_id="357601", indicator="kes.tb", year=2026, month=11, denominator=6, numerator=5, source="SITB"
    )
    return pembina_mojokerto


def get(client, region):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            "/api/v1/spm/achievement", {"region": region, "period": "2026", "by": "children"}
        )
    assert response.status_code == 200
    return response.json(), len(queries.captured_queries)


def test_the_same_few_queries_for_the_city_a_kecamatan_and_a_desa(client, figures):
    client.force_login(figures)
    city, city_queries = get(client, MOJOKERTO)
    kecamatan, kecamatan_queries = get(client, KRANGGAN)
    desa, desa_queries = get(client, MIJI)
    assert len(city["children"]) == 3 and len(kecamatan["children"]) > 3 and desa["children"]
    assert city_queries == kecamatan_queries == QUERIES
    assert desa_queries == QUERIES + 1  # a desa's children are posyandu: their counters are another table
    # Hand-checked figures through the merged read: the city's TB is its kecamatan's sum (3+5)/(4+6) = 80 %,
    # Kranggan's own figure wins over its desa's; the nearest target applies; Miji's official sasaran of 7
    # against 4 registered adults aged 15–59 leaves a gap of 3.
    tb = {
        child["region"]["code"]: next(r for r in child["indicators"] if r["code"] == "kes.tb")
        for child in city["children"]
    }
    assert (tb[KRANGGAN]["numerator"], tb[KRANGGAN]["denominator"]) == (3, 4)
    city_tb = next(r for r in city["indicators"] if r["code"] == "kes.tb")
    assert (city_tb["numerator"], city_tb["denominator"], city_tb["percent"]) == (8, 10, 80.0)
    productive = next(r for r in city["indicators"] if r["code"] == "kes.usia_produktif")
    assert (productive["numerator"], productive["denominator"], productive["target"]) == (0, 4, 90.0)
    miji = next(child for child in kecamatan["children"] if child["region"]["code"] == MIJI)
    miji_productive = next(r for r in miji["indicators"] if r["code"] == "kes.usia_produktif")
    assert (miji_productive["target"], miji_productive["official_sasaran"]) == (80.0, 7)
    assert miji_productive["registration_gap"] == 3


@pytest.mark.parametrize("region", [MOJOKERTO, KRANGGAN, MIJI])
@pytest.mark.parametrize("field", ["", "kesehatan"])
def test_reading_together_equals_reading_apart(figures, region, field):
    scope = scope_for(figures)
    place = selectors.place_for(scope, region=region)
    period = parse("2026", today=TODAY)
    rows, children = selectors.achievement_and_breakdown(scope, place, period, field=field, today=TODAY)
    assert [r.as_dict() for r in rows] == [
        r.as_dict() for r in selectors.achievement(scope, place, period, field=field, today=TODAY)
    ]
    apart = selectors.breakdown(scope, place, period, field=field, today=TODAY)
    assert [(c, [r.as_dict() for r in rs]) for c, rs in children] == [
        (c, [r.as_dict() for r in rs]) for c, rs in apart
    ]
    assert children  # every place here has children


def test_a_camat_reads_his_kecamatan_in_the_same_queries_and_not_the_city(client, figures, camat_kranggan):
    client.force_login(camat_kranggan)
    body, queries = get(client, KRANGGAN)
    assert queries == QUERIES and body["children"]
    assert client.get("/api/v1/spm/achievement", {"region": MOJOKERTO, "by": "children"}).status_code == 404
