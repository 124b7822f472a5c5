"""The benchmark's DuckDB twin (bench/duckdb_spm.py) computes the same cells as Simpul's recompute.

Issue 5 (e) compares the full recompute with DuckDB running "the equivalent aggregation"; this holds the
twin to that: on generated records with the awkward cases of ``test_fastpath.region`` (a mover, a death, a
duplicate, a corrected screening), every posyandu and region cell of all 21 computed indicators — denominator,
numerator and pending — equals what ``fastpath.rebuild`` stored. PostgreSQL only (the export uses COPY).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from django.db import connection

from conftest import MOJOKERTO
from simpul.spm import catalogue, fastpath
from simpul.spm.models import Counter, RegionCounter
from simpul.spm.tests.test_fastpath import region  # noqa: F401  (fixture)
from simpul.spm.tests.test_fastpath_other import (  # noqa: F401  (fixtures)
    children_miji,
    disaster,
    elderly,
    media,
    records,
    relocation,
    surveyed,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
duckdb_spm = pytest.importorskip("duckdb_spm")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the export reads with COPY"),
]


def stored(prefix: str) -> dict:
    cells = {
        (c, m, "p", p): (d, n, w)
        for p, c, m, d, n, w in Counter.objects.filter(desa_code__startswith=prefix).values_list(
            "posyandu_id", "indicator", "month", "denominator", "numerator", "pending"
        )
    }
    cells.update(
        {
            (c, m, "r", r): (d, n, w)
            for r, c, m, d, n, w in RegionCounter.objects.filter(region_code__startswith=prefix).values_list(
                "region_code", "indicator", "month", "denominator", "numerator", "pending"
            )
        }
    )
    return cells


def assert_same(ours: dict, theirs: dict) -> None:
    for code in sorted(i.code for i in catalogue.COMPUTED):
        mine = {k: v for k, v in ours.items() if k[0] == code}
        twin = {k: v for k, v in theirs.items() if k[0] == code}
        assert twin == mine, code


@pytest.mark.parametrize("today", [dt.date(2026, 12, 31), dt.date(2026, 9, 14)])
def test_duckdb_twin_equals_the_recompute_on_a_generated_city(region, tmp_path, today):  # noqa: F811
    fastpath.rebuild(MOJOKERTO, 2026, today=today)
    ours = stored(MOJOKERTO)
    duckdb_spm.export(MOJOKERTO, tmp_path)
    _seconds, theirs = duckdb_spm.counts(tmp_path, 2026, today)
    assert len(ours) > 1000
    assert {"kes.balita", "kes.ibu_hamil", "kes.hipertensi", "dik.dasar", "pu.air_minum"} <= {
        k[0] for k in ours
    }
    assert_same(ours, theirs)


@pytest.mark.parametrize("today", [dt.date(2026, 11, 23), dt.date(2026, 8, 31)])
def test_duckdb_twin_equals_the_recompute_on_the_hand_made_cases(records, tmp_path, today):  # noqa: F811
    # Houses damaged and restored, referrals across two kelurahan, same-day observations, a household that
    # moved posyandu, education at the edges (test_fastpath_other.records).
    fastpath.rebuild(MOJOKERTO, 2026, today=today)
    ours = stored(MOJOKERTO)
    duckdb_spm.export(MOJOKERTO, tmp_path)
    _seconds, theirs = duckdb_spm.counts(tmp_path, 2026, today)
    assert {"pkp.korban_bencana", "pkp.relokasi", "sos.lansia_telantar", "trantib.kebakaran"} <= {
        k[0] for k in ours
    }
    assert_same(ours, theirs)
