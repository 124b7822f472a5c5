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
  ingest     a month of posyandu days (every under-five weighed and measured, due doses) through the
             services: single services on one posyandu / one desa for context, then the batch services (COPY,
             counters moved by the difference, tasks and alerts in a job timed apart) for the posyandu of
             BENCH_INGEST_DESA desa (default 40, 0 = all), one posyandu day or one desa per transaction;
             each beside COPY of the same rows into constraint-free copies of the tables
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
    """The records every computed indicator reads, as Parquet (untimed): ``bench/duckdb_spm.py``."""
    import duckdb_spm

    return duckdb_spm.export(region, folder)


def duckdb_counts(folder: Path, indicators) -> tuple[float, dict]:
    """DuckDB's cells of ``indicators``, per posyandu and month and rolled up to desa/kecamatan/kab: timed."""
    import duckdb_spm

    return duckdb_spm.counts(folder, YEAR, COUNTER_TODAY, indicators)


def part_recompute(region: str, engine_rebuild: bool) -> dict:
    from simpul.spm import counters, fastpath

    vector, rest = fastpath.covered()
    out: dict = {"indicators_vector": [i.code for i in vector], "indicators_engine": [i.code for i in rest]}
    if engine_rebuild:
        started = time.perf_counter()
        counters.rebuild(region, YEAR, today=COUNTER_TODAY)
        out["engine_rebuild_seconds"] = round(time.perf_counter() - started, 2)
        engine_cells = counter_snapshot(region)
        log(f"  counters.rebuild: {out['engine_rebuild_seconds']} s, {len(engine_cells[0])} posyandu cells")
    # DuckDB first, then Simpul's recompute, then DuckDB again: the machine's load drifts during a run, and
    # the ratio is taken against the faster of DuckDB's two runs (the baseline at its best).
    from simpul.spm import engine

    indicators = list(engine.computed())
    with tempfile.TemporaryDirectory(prefix="simpul-spm-bench-") as folder:
        out["parquet_rows"] = export_parquet(region, Path(folder))
        before, duck = duckdb_counts(Path(folder), indicators)
        result = fastpath.rebuild(region, YEAR, today=COUNTER_TODAY)
        after, _cells = duckdb_counts(Path(folder), indicators)
    out["fastpath_seconds"] = round(result.seconds["total"], 2)
    out["fastpath_readers"] = result.readers
    out["fastpath_phases"] = {k: round(v, 2) for k, v in result.seconds.items()}
    out["cells"] = result.cells
    log(f"  fastpath.rebuild: {out['fastpath_seconds']} s {out['fastpath_phases']}")
    fast_cells = counter_snapshot(region)
    if engine_rebuild:
        out["fastpath_equals_engine"] = fast_cells == engine_cells
    seconds = min(before, after)
    out["duckdb_seconds"] = round(seconds, 3)
    out["duckdb_runs_seconds"] = [round(before, 3), round(after, 3)]
    out["duckdb_indicators"] = [i.code for i in indicators]
    ours = {(code, month, "p", pid): (den, num, pending) for pid, code, month, den, num, pending in fast_cells[0]}
    ours.update({(code, month, "r", rc): (den, num, pending) for rc, code, month, den, num, pending in fast_cells[1]
                 if rc.startswith(region)})
    out["duckdb_cells"] = len(duck)
    out["duckdb_equals_fastpath"] = ours == duck
    out["duckdb_equal_indicators"] = sorted(
        i.code for i in indicators
        if {k: v for k, v in ours.items() if k[0] == i.code} == {k: v for k, v in duck.items() if k[0] == i.code})
    out["ratio_fastpath_vs_duckdb"] = round(result.seconds["total"] / seconds, 2)
    if engine_rebuild:
        out["ratio_engine_vs_duckdb"] = round(out["engine_rebuild_seconds"] / seconds, 1)
    log(f"  duckdb: {before:.3f} / {after:.3f} s over {out['parquet_rows']}; equal={out['duckdb_equals_fastpath']} "
        f"ratio={out['ratio_fastpath_vs_duckdb']}")
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
    # The same list for the next ten largest desa, one request each (their first: no sentence of theirs made
    # yet), as each desa's own user: the cold read a kader meets when she opens her list.
    cold = []
    for other in (Posyandu.objects.filter(desa__code__startswith=region).values("desa_id")
                  .annotate(n=django.db.models.Count("id")).order_by("-n", "desa_id")[1:11]):
        other_client = Client()
        other_client.force_login(user_with(f"bench.desa.{other['desa_id']}", Role.DESA, other["desa_id"]))
        started = time.perf_counter()
        response = other_client.get(f"/api/v1/spm/unserved?indicator={code}&region={other['desa_id']}&period={YEAR}")
        cold.append(time.perf_counter() - started)
        assert response.status_code == 200
    return {"url": url, "indicator": code, "kes_balita_registered": "kes.balita" in codes,
            "unserved": percentiles(samples), "healthz": healthz, "count": body["count"],
            "items_on_page": len(body["items"]), "first_read_other_desa": percentiles(cold)}


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


def _copied_out(table: str, where: str) -> tuple[io.BytesIO, int]:
    """The rows ``where`` selects, as COPY text (untimed), and how many."""
    data = io.BytesIO()
    with connection.connection.cursor() as cursor, \
            cursor.copy(f"COPY (SELECT * FROM {table} WHERE {where}) TO STDOUT") as copy:
        for chunk in copy:
            data.write(chunk)
    return data, data.getvalue().count(b"\n")


def _timed_copy_in(target: str, data: io.BytesIO) -> float:
    """Seconds to COPY ``data`` into ``target`` with every deferred key checked (inside the caller's transaction)."""
    started = time.perf_counter()
    with connection.connection.cursor() as cursor:
        with cursor.copy(f"COPY {target} FROM STDIN") as copy:
            copy.write(data.getbuffer())
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return time.perf_counter() - started


def bare_copy(table: str, where: str) -> tuple[float, int]:
    """COPY the rows ``where`` selects out (untimed) and into a constraint-free copy of ``table`` (timed)."""
    bare = f"bench_bare_{table}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {bare}")
        cursor.execute(f"CREATE TABLE {bare} AS SELECT * FROM {table} WHERE 1 = 0")
    data, rows = _copied_out(table, where)
    with transaction.atomic():
        return _timed_copy_in(bare, data), rows


def table_copy(table: str, where: str) -> tuple[float, int]:
    """COPY the rows ``where`` selects (out untimed) into a clone of ``table`` with its indexes, checks, unique
    constraints and foreign keys (the keys checked before the clock stops): the raw write of the same rows into
    a table like their own, without Simpul's services. The clone starts empty, so its indexes are smaller than
    the real ones: if anything this baseline is faster than a COPY into the real table would be."""
    clone = f"bench_clone_{table}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {clone}")
        cursor.execute(f"CREATE TABLE {clone} (LIKE {table} INCLUDING ALL)")
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
        for name, definition in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {clone} ADD CONSTRAINT {name}_clone {definition}")
    data, rows = _copied_out(table, where)
    with transaction.atomic():
        seconds = _timed_copy_in(clone, data)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {clone}")
    return seconds, rows


def real_table_copy(table: str, where: str) -> tuple[float, int]:
    """The rows ``where`` selects COPYed back into their own table, with its real size, indexes, checks and
    keys (checked before the clock stops): taken out (untimed, the delete in the same transaction), COPYed in
    (timed), and all rolled back, so the table is left as it was. The rows' old index entries, dead to this
    transaction, are still there while they go back in: if anything that makes this baseline a little slower
    than a COPY of new rows would be."""
    data, rows = _copied_out(table, where)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {where}")
        seconds = _timed_copy_in(table, data)
        transaction.set_rollback(True)
    return seconds, rows


def _kes_balita_cells(posyandu_ids: list[int]) -> list:
    from simpul.spm.models import Counter

    return sorted(Counter.objects.filter(posyandu_id__in=posyandu_ids, indicator="kes.balita", year=YEAR).values_list(
        "posyandu_id", "month", "denominator", "numerator", "pending"))


def _batched(work: list, key) -> list[list]:
    groups: dict = {}
    for item in work:
        groups.setdefault(key(item), []).append(item)
    return list(groups.values())


def part_ingest(region: str, limit_desa: int | None = 40) -> dict:
    """A month of posyandu days (one day per posyandu: weighing + length of every under-five, due doses).

    Context on one posyandu / one desa: the single services, per record and per posyandu-day transaction
    (each write refreshes its posyandu's counters after commit). The month itself through the batch services
    (COPY, vector z-scores, counters moved by the difference in the same transaction; the kader's tasks and
    early-warning rules deferred to a job, run and timed here separately), in two batch sizes: one posyandu
    day per transaction (half the desa), one desa's month per transaction (the other half). Each beside a
    COPY of the same rows into constraint-free copies of the tables. ``limit_desa`` (env BENCH_INGEST_DESA,
    0 = every desa): the batch modes take the first that many desa after the two of the context modes, by
    code — at ~1,000 rows/s through the batch path a whole kabupaten at scale 1 (~150,000 rows) would take
    minutes. Counters are first rebuilt as of today
    (``fastpath``, untimed) — an incremental update adds differences to counters that are current — and
    afterwards compared with the engine judging a sample of the posyandu from the records.
    """
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
    from simpul.spm import engine, fastpath, incremental

    today = timezone.localdate()
    nakes = user_with("bench.nakes", Role.NAKES, region)
    scope = scope_for(nakes)
    desas = sorted({d for d in Posyandu.objects.filter(desa__code__startswith=region).values_list("desa_id", flat=True)})
    started = time.perf_counter()
    fastpath.rebuild(region, YEAR, today=today)
    out: dict = {}
    log(f"  counters rebuilt as of {today} in {time.perf_counter() - started:.1f} s (untimed)")
    rest = desas[2:2 + limit_desa] if limit_desa else desas[2:]
    modes = (("per_record", desas[:1], 1), ("per_posyandu_day", desas[1:2], None),
             ("batch_posyandu_day", rest[:len(rest) // 2], None), ("batch_desa", rest[len(rest) // 2:], None))
    real_enqueue = incremental._enqueue
    enqueued: set[int] = set()

    def enqueue(posyandu_ids, day, codes):
        # Queued as in production (a row for the task worker); what it is handed is run below, timed apart.
        enqueued.update(posyandu_ids)
        real_enqueue(posyandu_ids, day, codes)

    for mode, chosen, first_n in modes:
        posyandu = list(Posyandu.objects.filter(desa_id__in=chosen).order_by("pk").values_list("pk", flat=True))
        posyandu = posyandu[:first_n] if first_n else posyandu
        work = ingest_inputs(posyandu, today)
        marks = {m: m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                 for m in (Measurement, ImmunizationRecord)}
        refused = 0

        def record(kind, person, data):
            nonlocal refused
            try:
                if kind == "measurement":
                    measurement_record(actor=nakes, scope=scope, person=person, data=data)
                else:
                    immunization_record(actor=nakes, scope=scope, person=person, data=data)
            except DomainError:
                refused += 1

        enqueued.clear()
        incremental._enqueue = enqueue
        began = time.perf_counter()
        try:
            if mode.startswith("batch"):
                key = (lambda item: item[1].posyandu_id) if mode == "batch_posyandu_day" else (lambda item: item[1].desa_id)
                for items in _batched(work, key):
                    # One transaction per batch: both services share its counter tally (each child judged
                    # before and after once); the job for the kader's tasks is queued on commit.
                    with transaction.atomic(), incremental.tallying(today=today):
                        answers = measurements_record_batch(actor=nakes, scope=scope, items=[
                            MeasurementItem(person, data) for kind, person, data in items if kind == "measurement"])
                        answers += immunizations_record_batch(actor=nakes, scope=scope, items=[
                            ImmunizationItem(person, data) for kind, person, data in items if kind == "dose"])
                    refused += sum(1 for answer in answers if answer.error is not None)
            elif mode == "per_record":
                for kind, person, data in work:
                    record(kind, person, data)
            else:
                for items in _batched(work, lambda item: item[1].posyandu_id):
                    with transaction.atomic():
                        for item in items:
                            record(*item)
        finally:
            incremental._enqueue = real_enqueue
        seconds = time.perf_counter() - began
        baseline, into_table, into_real, rows = 0.0, 0.0, 0.0, 0
        for model in (Measurement, ImmunizationRecord):
            s, n = bare_copy(model._meta.db_table, f"id > {marks[model]}")
            baseline += s
            rows += n
            into_table += table_copy(model._meta.db_table, f"id > {marks[model]}")[0]
            into_real += real_table_copy(model._meta.db_table, f"id > {marks[model]}")[0]
        # Three baselines: the same rows COPYed back into their own tables (rolled back: what a raw write of
        # these rows costs this database), into empty clones of the tables (indexes, checks, foreign keys, but
        # small indexes) and into constraint-free copies (the bare minimum).
        out[mode] = {"desa": len(chosen), "posyandu": len(posyandu), "inputs": len(work), "refused": refused,
                     "rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds, 1),
                     "real_table_copy_seconds": round(into_real, 4),
                     "real_table_copy_rows_per_s": round(rows / into_real),
                     "ratio_of_real_table_copy": round(into_real / seconds, 4),
                     "table_copy_seconds": round(into_table, 4), "table_copy_rows_per_s": round(rows / into_table),
                     "ratio_of_table_copy": round(into_table / seconds, 4),
                     "copy_seconds": round(baseline, 4), "copy_rows_per_s": round(rows / baseline),
                     "ratio_of_raw": round(baseline / seconds, 5)}
        if mode.startswith("batch"):
            began = time.perf_counter()
            incremental.listeners_run(frozenset(enqueued), today=today)
            job = time.perf_counter() - began
            out[mode].update({"job_posyandu": len(enqueued), "job_seconds": round(job, 2),
                              "ratio_of_real_table_copy_with_job": round(into_real / (seconds + job), 4),
                              "ratio_of_table_copy_with_job": round(into_table / (seconds + job), 4),
                              "ratio_of_raw_with_job": round(baseline / (seconds + job), 5)})
            # Exactness at scale: the counters the batches moved equal the engine judging the records, on a
            # sample of the posyandu (the engine costs ~0.1 ms a verdict; the tests check every cell).
            moved = sorted(enqueued) or posyandu  # the posyandu whose counters moved, else any of the mode's
            sample = moved[:: max(1, len(moved) // 40)]
            expected = sorted((pid, month, *cell) for (code, pid, month), cell in engine.count(
                sample, YEAR, today=today, codes=["kes.balita"]).items())
            out[mode]["equals_engine_on_sample"] = _kes_balita_cells(sample) == expected
            out[mode]["sample_posyandu"] = len(sample)
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
            result["ingest"] = part_ingest(region, limit_desa=int(os.environ.get("BENCH_INGEST_DESA", "40")) or None)
        log(f"  ({time.perf_counter() - started:.0f} s)")
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--region", default="3522")
    parser.add_argument("--scale", default="1")
    parser.add_argument("--parts", default="seed,recompute,api,unserved,ingest")
    args = parser.parse_args()
    print(json.dumps(run(args.region, args.scale, args.parts.split(","))))
