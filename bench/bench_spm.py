"""SPM benchmarks (issue 5, "Performance"), each beside a baseline measured in the same process and database.

Run by ``bench/run.py --spm`` through ``bench/task.py spm REGION SCALE PARTS`` against a throwaway PostgreSQL
database; can also be run by hand against an already seeded one (``--reuse``):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/simpul_bench_spm SIMPUL_ENV=development \\
        .venv/bin/python bench/bench_spm.py --scale 1 --parts seed,recompute,api,unserved,ingest

Parts:
  seed       seed_region (residents) + ilp_seed (a year of posyandu records up to AS_OF), timed for information
  recompute  counters.rebuild (the engine, per desa) and fastpath.rebuild, beside DuckDB over Parquet exports
  api        GET /api/v1/spm/achievement?region=..&period=YEAR&by=children as pembina, beside /healthz
  unserved   GET /api/v1/spm/unserved for one desa as the desa user
  ingest     one posyandu day of weighings and doses for the posyandu of a few desa through the services
             (per record, per posyandu-day transaction, and the batch services), beside COPY of the same rows
             into constraint-free copies of the tables
Prints one JSON line (the last line) with every figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

AS_OF = dt.date(2026, 11, 22)  # the seed's "today"; the services write on the real today (after it)
YEAR = 2026
COUNTER_TODAY = dt.date(2026, 12, 31)  # counters for all 12 months of the year (December is empty of records)
REQUESTS = 200


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2), "n": len(ordered)}


# --- seed ----------------------------------------------------------------------------------------------------

def part_seed(region: str, scale: str) -> dict:
    from simpul.demo.ilp_seed import ilp_seed

    started = time.perf_counter()
    call_command("seed_region", "--region", region, "--scale", scale, "--seed", "42", "--as-of", AS_OF.isoformat(),
                 "--no-audit", "--workers", "2", stdout=io.StringIO())
    residents_s = time.perf_counter() - started
    log(f"  residents seeded in {residents_s:.0f} s")
    result = ilp_seed(region_code=region, seed=42, today=AS_OF)
    log(f"  posyandu records {result.rows}, {result.referrals} referrals in {result.seconds['total']:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM registry_person WHERE desa_id LIKE %s", [f"{region}%"])
        people = cursor.fetchone()[0]
    return {"residents": people, "residents_seconds": round(residents_s, 1), "records": result.rows,
            "records_total": sum(result.rows.values()), "referrals": result.referrals,
            "records_seconds": {k: round(v, 1) for k, v in result.seconds.items()}}


# --- recompute -----------------------------------------------------------------------------------------------

def counter_snapshot(region: str) -> tuple[list, list]:
    from simpul.spm.models import Counter, RegionCounter

    return (sorted(Counter.objects.filter(desa_code__startswith=region, year=YEAR).values_list(
                "posyandu_id", "indicator", "month", "denominator", "numerator", "pending")),
            sorted(RegionCounter.objects.filter(region_code__startswith=region[:2], year=YEAR).values_list(
                "region_code", "indicator", "month", "denominator", "numerator", "pending")))


def export_parquet(region: str, folder: Path) -> dict:
    """The records the covered rules read, as Parquet (untimed): stays with the person's dates, screenings."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    queries = {
        "stays": ("SELECT r.person_id AS person, r.posyandu_id AS posyandu, pos.desa_id AS desa, "
                  "r.start_date AS start_d, COALESCE(r.end_date, DATE '9999-12-31') AS end_d, "
                  "p.birth_date AS birth, CASE WHEN p.life_status <> 'alive' THEN "
                  f"COALESCE(p.life_status_date, LEAST(DATE '{YEAR}-12-31', DATE '{COUNTER_TODAY}')) "
                  "ELSE DATE '9999-12-31' END AS gone "
                  "FROM registry_residence r JOIN registry_person p ON p.id = r.person_id "
                  "JOIN posyandu_posyandu pos ON pos.id = r.posyandu_id "
                  f"WHERE pos.desa_id LIKE '{region}%' AND p.duplicate_of_id IS NULL"),
        "screenings": ("SELECT s.person_id AS person, s.screened_on FROM screening_screening s "
                       "WHERE s.superseded_by_id IS NULL"),
    }
    sizes = {}
    for name, sql in queries.items():
        with connection.cursor() as cursor:
            cursor.execute(sql)
            columns = [c.name for c in cursor.description]
            rows = cursor.fetchall()
        table = pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})
        pq.write_table(table, folder / f"{name}.parquet")
        sizes[name] = len(rows)
    return sizes


def duckdb_counts(folder: Path, indicators) -> tuple[float, dict]:
    """The same cells as the covered rules, per posyandu and month, rolled up to desa/kecamatan/kab: timed."""
    import duckdb

    bands = " UNION ALL ".join(
        f"SELECT '{i.code}' AS code, {i.params['min_years']} AS lo, {i.params.get('max_years') or 999} AS hi"
        for i in indicators)
    sql = f"""
    WITH months AS (SELECT m::INTEGER AS m, LEAST(last_day(make_date({YEAR}, m::INTEGER, 1)),
                                                  DATE '{COUNTER_TODAY}') AS as_of FROM range(1, 13) t(m)),
    present AS (
        SELECT months.m, months.as_of, s.person, s.posyandu, s.desa, s.birth
        FROM read_parquet('{folder}/stays.parquet') s JOIN months
          ON s.start_d <= months.as_of AND s.end_d >= months.as_of AND s.birth <= months.as_of
             AND s.gone > months.as_of
        QUALIFY row_number() OVER (PARTITION BY months.m, s.person, s.desa ORDER BY s.start_d) = 1),
    firsts AS (SELECT person, MIN(screened_on) AS first_on FROM read_parquet('{folder}/screenings.parquet')
               WHERE screened_on BETWEEN DATE '{YEAR}-01-01' AND LEAST(DATE '{YEAR}-12-31', DATE '{COUNTER_TODAY}')
               GROUP BY person),
    aged AS (SELECT p.*, year(p.as_of) - year(p.birth)
                     - CASE WHEN month(p.birth) * 100 + day(p.birth) > month(p.as_of) * 100 + day(p.as_of)
                            THEN 1 ELSE 0 END AS age, f.first_on
             FROM present p LEFT JOIN firsts f USING (person)),
    cells AS (SELECT b.code, a.posyandu, a.desa, a.m, COUNT(*) AS den,
                     COUNT(*) FILTER (WHERE a.first_on <= a.as_of) AS num
              FROM aged a JOIN ({bands}) b ON a.age BETWEEN b.lo AND b.hi
              GROUP BY ALL)
    SELECT code, m, posyandu, desa, substr(desa, 1, 6) AS kec, substr(desa, 1, 4) AS kab,
           SUM(den) AS den, SUM(num) AS num
    FROM cells GROUP BY GROUPING SETS ((code, m, posyandu, desa), (code, m, desa), (code, m, kec), (code, m, kab))
    """
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    started = time.perf_counter()
    rows = con.execute(sql).fetchall()
    seconds = time.perf_counter() - started
    cells = {}
    for code, month, posyandu, desa, kec, kab, den, num in rows:
        key = (("p", posyandu) if posyandu is not None else ("r", desa) if desa is not None else
               ("r", kec) if kec is not None else ("r", kab))
        cells[(code, month, *key)] = (int(den), int(num))
    return seconds, cells


def part_recompute(region: str, engine_rebuild: bool) -> dict:
    from simpul.posyandu.models import Posyandu
    from simpul.spm import counters, fastpath

    vector, rest = fastpath.covered()
    out: dict = {"indicators_vector": [i.code for i in vector], "indicators_engine": [i.code for i in rest]}
    if engine_rebuild:
        started = time.perf_counter()
        counters.rebuild(region, YEAR, today=COUNTER_TODAY)
        out["engine_rebuild_seconds"] = round(time.perf_counter() - started, 2)
        engine_cells = counter_snapshot(region)
        log(f"  counters.rebuild: {out['engine_rebuild_seconds']} s, {len(engine_cells[0])} posyandu cells")
    result = fastpath.rebuild(region, YEAR, today=COUNTER_TODAY)
    out["fastpath_seconds"] = round(result.seconds["total"], 2)
    out["fastpath_phases"] = {k: round(v, 2) for k, v in result.seconds.items()}
    out["cells"] = result.cells
    log(f"  fastpath.rebuild: {out['fastpath_seconds']} s {out['fastpath_phases']}")
    fast_cells = counter_snapshot(region)
    if engine_rebuild:
        out["fastpath_equals_engine"] = fast_cells == engine_cells
    # DuckDB's side is written for the screening rules only (the other vector forms have no DuckDB twin yet):
    # the like-for-like ratio compares the columnar recompute of those indicators with DuckDB's.
    duck_vector = [i for i in vector if i.rule == "screened_in_year"]
    if duck_vector:
        codes = [i.code for i in duck_vector]
        mark = time.perf_counter()
        area = fastpath.area_load(
            list(Posyandu.objects.filter(desa__code__startswith=region).values_list("pk", flat=True)),
            YEAR, today=COUNTER_TODAY)
        fastpath.count(area.posyandu_ids.tolist(), YEAR, today=COUNTER_TODAY, codes=codes, area=area)
        out["fastpath_same_indicators_seconds"] = round(time.perf_counter() - mark, 3)
    if duck_vector:
        vector = duck_vector
        with tempfile.TemporaryDirectory(prefix="simpul-spm-bench-") as folder:
            out["parquet_rows"] = export_parquet(region, Path(folder))
            seconds, duck = duckdb_counts(Path(folder), vector)
        out["duckdb_seconds"] = round(seconds, 3)
        out["duckdb_indicators"] = codes
        out["ratio_same_indicators_vs_duckdb"] = round(out["fastpath_same_indicators_seconds"] / seconds, 2)
        codes = {i.code for i in vector}
        ours = {(code, month, "p", pid): (den, num) for pid, code, month, den, num, _p in fast_cells[0]
                if code in codes}
        ours.update({(code, month, "r", rc): (den, num) for rc, code, month, den, num, _p in fast_cells[1]
                     if code in codes and rc.startswith(region) and (den or num)})
        out["duckdb_equals_fastpath"] = ours == duck
        out["ratio_fastpath_vs_duckdb"] = round(result.seconds["total"] / seconds, 2)
        if engine_rebuild:
            out["ratio_engine_vs_duckdb"] = round(out["engine_rebuild_seconds"] / seconds, 1)
        log(f"  duckdb: {seconds:.3f} s over {out['parquet_rows']}; equal={out['duckdb_equals_fastpath']}")
    return out


# --- dashboard API and unserved list ---------------------------------------------------------------------

def user_with(username: str, role: str, region: str):
    from simpul.accounts.models import Membership
    from simpul.core.choices import ALL_FIELDS

    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        Membership.objects.create(user=user, role=role, region_id=region, fields=sorted(ALL_FIELDS))
    return user


def timed_gets(client: Client, url: str, n: int) -> list[float]:
    for _ in range(5):  # warm-up: first query plans, translation catalogue
        assert client.get(url).status_code == 200, client.get(url).content[:300]
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200
    return samples


def part_api(region: str) -> dict:
    from simpul.accounts.roles import Role

    client = Client()
    client.force_login(user_with("bench.pembina", Role.PEMBINA, region))
    url = f"/api/v1/spm/achievement?region={region[:2]}.{region[2:]}&period={YEAR}&by=children"
    body = client.get(url).json()
    healthz = percentiles(timed_gets(client, "/healthz", REQUESTS))
    achievement = percentiles(timed_gets(client, url, REQUESTS))
    kes = next((r for r in body["indicators"] if r["code"] == "kes.usia_produktif"), None)
    return {"url": url, "achievement": achievement, "healthz": healthz, "children": len(body.get("children", [])),
            "ratio_p95": round(achievement["p95_ms"] / healthz["p95_ms"], 1), "sample_row": kes,
            "percent": {r["code"]: r["percent"] for r in body["indicators"] if r["percent"] is not None}}


def part_unserved(region: str) -> dict:
    from simpul.accounts.roles import Role
    from simpul.posyandu.models import Posyandu
    from simpul.spm import engine

    codes = [i.code for i in engine.computed()]
    code = "kes.balita" if "kes.balita" in codes else next(c for c in codes if c.startswith("kes."))
    # The desa with the most posyandu: the heaviest list.
    desa = (Posyandu.objects.filter(desa__code__startswith=region).values("desa_id")
            .annotate(n=django.db.models.Count("id")).order_by("-n", "desa_id").first()["desa_id"])
    client = Client()
    client.force_login(user_with(f"bench.desa.{desa}", Role.DESA, desa))
    url = f"/api/v1/spm/unserved?indicator={code}&region={desa}&period={YEAR}"
    body = client.get(url).json()
    samples = timed_gets(client, url, 50)
    healthz = percentiles(timed_gets(client, "/healthz", 50))
    return {"url": url, "indicator": code, "kes_balita_registered": "kes.balita" in codes,
            "unserved": percentiles(samples), "healthz": healthz, "count": body["count"],
            "items_on_page": len(body["items"])}


# --- ingest --------------------------------------------------------------------------------------------------

def ingest_inputs(posyandu_ids: list[int], today: dt.date):
    """One posyandu day: a weighing (and length) of every under-five, and each child's next due doses (≤ 2)."""
    from simpul.demo.health_history import MEDIAN, _median
    from simpul.health.services import MeasurementInput
    from simpul.immunization import rules, schedule
    from simpul.immunization.models import ImmunizationRecord
    from simpul.immunization.services import ImmunizationInput
    from simpul.registry.models import Person

    children = list(Person.objects.filter(posyandu_id__in=posyandu_ids, life_status="alive", duplicate_of__isnull=True,
                                          birth_date__gt=schedule.add_months(today, -60)).order_by("pk"))
    given: dict[int, dict[str, dt.date]] = {}
    for person_id, dose, on in ImmunizationRecord.objects.filter(person__in=children).values_list(
            "person_id", "dose", "given_on"):
        given.setdefault(person_id, {})[dose] = on
    work = []
    for child in children:
        months = (today - child.birth_date).days / 30.4375
        weights, lengths = MEDIAN[child.sex]
        work.append(("measurement", child, MeasurementInput(
            measured_on=today, weight_kg=round(_median(weights, months), 2),
            length_height_cm=round(_median(lengths, months), 1),
            position="recumbent" if (today - child.birth_date).days < 731 else "standing")))
        doses = given.get(child.pk, {})
        due = 0
        for dose in schedule.applicable():
            if dose.code in doses or due >= 2:
                continue
            before = schedule.previous(dose)
            if before is not None and before.code not in doses:
                continue
            earliest = rules.earliest_date(dose, child.birth_date, doses) or dose.earliest.after(child.birth_date)
            if earliest <= today and (dose.latest is None or today < dose.latest.after(child.birth_date)):
                work.append(("dose", child, ImmunizationInput(dose=dose.code, given_on=today)))
                doses = {**doses, dose.code: today}
                due += 1
    return work


def bare_copy(table: str, where: str) -> tuple[float, int]:
    """COPY the rows ``where`` selects out (untimed) and into a constraint-free copy of ``table`` (timed)."""
    raw = connection.connection
    bare = f"bench_bare_{table}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {bare}")
        cursor.execute(f"CREATE TABLE {bare} AS SELECT * FROM {table} WHERE 1 = 0")
    data = io.BytesIO()
    with raw.cursor() as cursor, cursor.copy(f"COPY (SELECT * FROM {table} WHERE {where}) TO STDOUT") as copy:
        for chunk in copy:
            data.write(chunk)
    rows = data.getvalue().count(b"\n")
    started = time.perf_counter()
    with transaction.atomic(), raw.cursor() as cursor, cursor.copy(f"COPY {bare} FROM STDIN") as copy:
        copy.write(data.getbuffer())
    return time.perf_counter() - started, rows


def part_ingest(region: str, desa_count: int = 3) -> dict:
    from simpul.accounts.roles import Role
    from simpul.accounts.scope import scope_for
    from simpul.core.errors import DomainError
    from simpul.health.batch import MeasurementItem, measurements_record_batch
    from simpul.health.models import Measurement
    from simpul.health.services import measurement_record
    from simpul.immunization.batch import ImmunizationItem, immunizations_record_batch
    from simpul.immunization.models import ImmunizationRecord
    from simpul.immunization.services import immunization_record
    from simpul.posyandu.models import Posyandu
    from simpul.spm import counters

    today = timezone.localdate()
    nakes = user_with("bench.nakes", Role.NAKES, region)
    scope = scope_for(nakes)
    desas = sorted({d for d in Posyandu.objects.filter(desa__code__startswith=region).values_list("desa_id", flat=True)})
    out = {}
    real_refresh, refreshes = counters.refresh, []

    def timed_refresh(*args, **kwargs):
        began = time.perf_counter()
        try:
            return real_refresh(*args, **kwargs)
        finally:
            refreshes.append(time.perf_counter() - began)

    modes = (("per_record", desas[:desa_count]), ("per_posyandu_day", desas[desa_count:2 * desa_count]),
             ("batch_service", desas[2 * desa_count:3 * desa_count]))
    for mode, chosen in modes:
        posyandu = list(Posyandu.objects.filter(desa_id__in=chosen).order_by("pk").values_list("pk", flat=True))
        work = ingest_inputs(posyandu, today)
        marks = {m: m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                 for m in (Measurement, ImmunizationRecord)}
        refused = 0
        started = time.perf_counter()

        def record(kind, person, data):
            nonlocal refused
            try:
                if kind == "measurement":
                    measurement_record(actor=nakes, scope=scope, person=person, data=data)
                else:
                    immunization_record(actor=nakes, scope=scope, person=person, data=data)
            except DomainError:
                refused += 1

        if mode == "batch_service":
            # The batch service path: one posyandu day per call of measurements_record_batch and
            # immunizations_record_batch in one transaction (validation, vector z-scores, bulk inserts with
            # audit and change feed); the SPM refresh after commit, timed on its own as well.
            refreshes.clear()
            counters.refresh = timed_refresh
            try:
                by_posyandu_batch: dict[int, list] = {}
                for item in work:
                    by_posyandu_batch.setdefault(item[1].posyandu_id, []).append(item)
                for items in by_posyandu_batch.values():
                    with transaction.atomic():
                        answers = measurements_record_batch(actor=nakes, scope=scope, items=[
                            MeasurementItem(person, data) for kind, person, data in items if kind == "measurement"])
                        answers += immunizations_record_batch(actor=nakes, scope=scope, items=[
                            ImmunizationItem(person, data) for kind, person, data in items if kind == "dose"])
                    refused += sum(1 for answer in answers if answer.error is not None)
            finally:
                counters.refresh = real_refresh
        elif mode == "per_record":
            # Each record its own request/transaction: classification, audit, then a counter refresh after commit.
            for kind, person, data in work:
                record(kind, person, data)
        else:
            # A posyandu day sent as one batch per posyandu (one transaction, one refresh per posyandu).
            by_posyandu: dict[int, list] = {}
            for item in work:
                by_posyandu.setdefault(item[1].posyandu_id, []).append(item)
            for items in by_posyandu.values():
                with transaction.atomic():
                    for item in items:
                        record(*item)
        seconds = time.perf_counter() - started
        baseline, rows = 0.0, 0
        for model in (Measurement, ImmunizationRecord):
            s, n = bare_copy(model._meta.db_table, f"id > {marks[model]}")
            baseline += s
            rows += n
        out[mode] = {"desa": chosen, "posyandu": len(posyandu), "inputs": len(work), "refused": refused,
                     "rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds, 1),
                     "copy_seconds": round(baseline, 4), "copy_rows_per_s": round(rows / baseline),
                     "ratio_of_raw": round((rows / seconds) / (rows / baseline), 5)}
        if mode == "batch_service":
            # The same without the SPM refresh (re-judging each posyandu's year), to show where the time goes.
            refresh_seconds = sum(refreshes)
            writes = seconds - refresh_seconds
            out[mode].update({"refresh_seconds": round(refresh_seconds, 3), "write_seconds": round(writes, 3),
                              "rows_per_s_without_refresh": round(rows / writes, 1),
                              "ratio_of_raw_without_refresh": round((rows / writes) / (rows / baseline), 4)})
        log(f"  ingest {mode}: {out[mode]}")
    return out


def run(region: str, scale: str, parts: list[str]) -> dict:
    from simpul.spm import engine

    result: dict = {"region": region, "scale": scale, "year": YEAR, "as_of": AS_OF.isoformat(),
                    "indicators": [i.code for i in engine.computed()]}
    log(f"SPM bench {region} x{scale}: indicators registered {result['indicators']}")
    for part in parts:
        started = time.perf_counter()
        log(f"- {part}")
        if part == "seed":
            result["seed"] = part_seed(region, scale)
        elif part == "recompute":
            result["recompute"] = part_recompute(region, engine_rebuild=True)
        elif part == "counters":
            result["recompute"] = part_recompute(region, engine_rebuild=False)
        elif part == "api":
            result["api"] = part_api(region)
        elif part == "unserved":
            result["unserved"] = part_unserved(region)
        elif part == "ingest":
            result["ingest"] = part_ingest(region)
        log(f"  ({time.perf_counter() - started:.0f} s)")
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--region", default="3522")
    parser.add_argument("--scale", default="1")
    parser.add_argument("--parts", default="seed,recompute,api,unserved,ingest")
    args = parser.parse_args()
    print(json.dumps(run(args.region, args.scale, args.parts.split(","))))
