"""A rebuild writes only what differs from the stored counters, and leaves them exactly as a rebuild from empty.

The reference is ``counters.rebuild`` (the engine, writing from scratch): every way a stored counter can be
wrong — a cell too high, a cell no longer counted, an indicator that no longer exists, a missing cell, a
posyandu filed under the wrong desa, a region sum off — must come out equal to it, and the rows that were
already right must not be rewritten (same id, same ``computed_at``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from conftest import MOJOKERTO
from simpul.spm import counters, fastpath
from simpul.spm.models import Counter, RegionCounter
from simpul.spm.tests.test_fastpath import TODAY, region  # noqa: F401 (the seeded kota, a fixture)

pytestmark = pytest.mark.django_db
LONG_AGO = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def stored() -> tuple[list, list]:
    return (sorted(Counter.objects.values_list("posyandu_id", "desa_code", "indicator", "year", "month",
                                               "denominator", "numerator", "pending")),
            sorted(RegionCounter.objects.values_list("region_code", "level", "indicator", "year", "month",
                                                     "denominator", "numerator", "pending")))


@pytest.fixture
def from_scratch(region):  # noqa: F811
    counters.rebuild(MOJOKERTO, 2026, today=TODAY)
    expected = stored()
    assert len(expected[0]) > 500 and expected[1]
    Counter.objects.update(computed_at=LONG_AGO)
    return expected


def test_a_rebuild_over_right_counters_writes_nothing(from_scratch):
    ids = sorted(Counter.objects.values_list("pk", flat=True))
    result = fastpath.rebuild(MOJOKERTO, 2026, today=TODAY)
    assert result.written == 0
    assert stored() == from_scratch
    assert sorted(Counter.objects.values_list("pk", flat=True)) == ids
    assert not Counter.objects.exclude(computed_at=LONG_AGO).exists()


def test_a_rebuild_mends_every_kind_of_wrong_counter(from_scratch):
    cells = list(Counter.objects.filter(indicator="kes.balita", month=11, denominator__gt=1).order_by("pk"))
    too_high, vanished, misplaced = cells[0], cells[1], cells[2]
    Counter.objects.filter(pk=too_high.pk).update(numerator=too_high.denominator, pending=3)
    Counter.objects.filter(pk=vanished.pk).delete()
    Counter.objects.filter(pk=misplaced.pk).update(desa_code=f"{MOJOKERTO}999999")
    # A row nothing counts: an indicator that no longer exists, and a month the records never reach.
    Counter.objects.create(posyandu_id=too_high.posyandu_id, desa_code=too_high.desa_code, indicator="kes.lama",
                           year=2026, month=3, denominator=4, numerator=1)
    region_row = RegionCounter.objects.filter(region_code=too_high.desa_code, indicator="kes.balita", month=11).get()
    RegionCounter.objects.filter(pk=region_row.pk).update(denominator=region_row.denominator + 7)
    RegionCounter.objects.filter(region_code=too_high.desa_code, indicator="kes.usia_lanjut", month=11).delete()
    untouched = Counter.objects.exclude(pk__in=[too_high.pk, misplaced.pk]).filter(indicator="dik.dasar").first()

    result = fastpath.rebuild(MOJOKERTO, 2026, today=TODAY)

    assert stored() == from_scratch
    # Mended: the cell too high, the deleted one (again there), the misplaced one (replaced), the unknown
    # indicator (gone), the region sum and the missing region row. Nothing else.
    assert result.written == 7
    assert Counter.objects.get(pk=too_high.pk).computed_at > LONG_AGO
    assert not Counter.objects.filter(pk=misplaced.pk).exists()
    assert not Counter.objects.filter(indicator="kes.lama").exists()
    assert Counter.objects.get(pk=untouched.pk).computed_at == LONG_AGO


def test_a_rebuild_from_empty_inserts_every_cell(region):  # noqa: F811
    result = fastpath.rebuild(MOJOKERTO, 2026, today=TODAY)
    rows = stored()
    assert result.written == len(rows[0]) + len([r for r in rows[1] if r[0].startswith(MOJOKERTO)])
    counters.rebuild(MOJOKERTO, 2026, today=TODAY)
    assert stored() == rows


def test_the_rebuild_updates_changed_cells_in_one_statement_on_postgresql(from_scratch):
    if connection.vendor != "postgresql":
        pytest.skip("the array form of the update is PostgreSQL's")
    Counter.objects.filter(indicator="kes.balita").update(numerator=0)
    changed = Counter.objects.filter(indicator="kes.balita").count()
    with CaptureQueriesContext(connection) as queries:
        result = fastpath.rebuild(MOJOKERTO, 2026, today=TODAY, readers=0)
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "spm_counter"')
               or q["sql"].startswith("UPDATE spm_counter")]
    assert changed > 100 and len(updates) == 1
    assert stored() == from_scratch and result.written >= 1


def test_a_rebuild_that_changes_most_counters_replaces_the_area(from_scratch):
    # As after a rule change: updating most rows one by one costs more than deleting and inserting them.
    Counter.objects.update(pending=F("pending") + 1)
    before = set(Counter.objects.values_list("pk", flat=True))
    result = fastpath.rebuild(MOJOKERTO, 2026, today=TODAY)
    assert stored() == from_scratch
    assert not before & set(Counter.objects.values_list("pk", flat=True))
    assert result.written >= 2 * len(from_scratch[0])
    assert not Counter.objects.filter(computed_at=LONG_AGO).exists()
