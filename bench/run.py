"""Simpul's load benchmarks, each against a baseline measured in the same run (see bench/README.md).

    .venv/bin/python bench/run.py                 # SQLite: (a) all regions, (b) demo_load
    .venv/bin/python bench/run.py --pg            # the same on PostgreSQL too
    .venv/bin/python bench/run.py --seed-pg       # plus (c) seed_region 3522 at scale 1 on PostgreSQL (~2 min)
    .venv/bin/python bench/run.py --spm           # SPM: dashboard API, recompute vs DuckDB, unserved, ingest (d-g)
    .venv/bin/python bench/run.py --sync [--sync-url postgres://…/simpul_bench_s1]   # field-app first sync (h)

Every task runs in its own process against a throwaway database: a SQLite file
under var/bench/ or the PostgreSQL database ``simpul_bench``, created empty
and dropped afterwards. The developer's database is never touched.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
PYTHON = sys.executable
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/simpul_bench"


class Database:
    """A throwaway database: created empty and migrated by ``fresh()``, removed by ``drop()``."""

    def __init__(self, url: str):
        self.url = url
        self.vendor = "postgresql" if url.startswith("postgres") else "sqlite"
        if self.vendor == "postgresql":
            self.name = urlparse(url).path.lstrip("/")
            if not self.name.startswith("simpul_bench"):
                raise SystemExit(f"refusing to benchmark in {self.name!r}: the database name must start with simpul_bench")

    def env(self) -> dict[str, str]:
        return {**os.environ, "DATABASE_URL": self.url, "SIMPUL_ENV": "development",
                "SIMPUL_VAR_DIR": str(BENCH_DIR), "SIMPUL_LOG_LEVEL": "WARNING"}

    def fresh(self) -> None:
        self.drop()
        if self.vendor == "postgresql":
            self._admin(f'CREATE DATABASE "{self.name}"')
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=self.env(), check=True)

    def drop(self) -> None:
        if self.vendor == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')
        else:
            path = Path(urlparse(self.url).path)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

    def _admin(self, statement: str) -> None:
        import psycopg

        parsed = urlparse(self.url)
        with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
            conn.execute(statement)

    def task(self, *args: str) -> dict:
        completed = subprocess.run([PYTHON, "bench/task.py", *args], cwd=ROOT, env=self.env(), check=True,
                                   capture_output=True, text=True)
        return json.loads(completed.stdout.strip().splitlines()[-1])


def median_of(runs: list[dict]) -> dict:
    result = dict(runs[-1])
    for key in ("seconds", "baseline"):
        result[key] = statistics.median(r[key] for r in runs)
        result[f"{key}_range"] = (min(r[key] for r in runs), max(r[key] for r in runs))
    result["n"] = len(runs)
    return result


def show(label: str, vendor: str, outcome: dict) -> None:
    seconds, baseline, rows = outcome["seconds"], outcome["baseline"], outcome["rows"]
    n = outcome.get("n", 1)
    spread = "" if n == 1 else f" [{outcome['seconds_range'][0]:.2f}-{outcome['seconds_range'][1]:.2f}]"
    print(f"{label:<34} {vendor:<10} {seconds:8.2f} s{spread}  {rows / seconds:>10,.0f} rows/s   "
          f"baseline {baseline:6.2f} s ({rows / baseline:>10,.0f} rows/s)   ratio {seconds / baseline:5.1f}x   n={n}")
    print(f"{'':<45} rows {rows:,}; baseline = {outcome['baseline_path']}")
    if "detail" in outcome:
        print(f"{'':<45} {outcome['detail']}")


def show_spm(results: list[dict]) -> None:
    """The SPM figures (bench/bench_spm.py), each beside its same-run baseline."""
    for r in results:
        seed = r.get("seed", {})
        print(f"(d-g) SPM {r['region']} x{r['scale']}: {seed.get('residents', 0):,} residents, "
              f"{seed.get('records_total', 0):,} posyandu records {r['year']} (to {r['as_of']}), "
              f"residents seeded in {seed.get('residents_seconds')} s, records in "
              f"{seed.get('records_seconds', {}).get('total')} s")
        print(f"{'':<6}indicators registered: {', '.join(r['indicators'])}")
        if "api" in r:
            a = r["api"]
            print(f"(d) achievement API x{r['scale']}   p50 {a['achievement']['p50_ms']:7.1f} ms  "
                  f"p95 {a['achievement']['p95_ms']:7.1f} ms   baseline /healthz p50 {a['healthz']['p50_ms']:.1f} ms "
                  f"p95 {a['healthz']['p95_ms']:.1f} ms   ratio p95 {a['ratio_p95']}x   n={a['achievement']['n']}, "
                  f"{a['children']} kecamatan rows")
        if "recompute" in r:
            c = r["recompute"]
            print(f"(e) recompute {r['region']} x{r['scale']}, 12 months, every level: vector indicators "
                  f"{c['indicators_vector']}, engine indicators {c['indicators_engine']}")
            if "engine_rebuild_seconds" in c:
                print(f"{'':<6}counters.rebuild (engine, per desa) {c['engine_rebuild_seconds']:8.2f} s   "
                      f"ratio vs DuckDB {c.get('ratio_engine_vs_duckdb')}x")
            print(f"{'':<6}fastpath.rebuild, all indicators    {c['fastpath_seconds']:8.2f} s   "
                  f"phases {c['fastpath_phases']}   reader threads {c.get('fastpath_readers', 0)}")
            if "duckdb_seconds" in c:
                equal = c.get("duckdb_equal_indicators", [])
                print(f"{'':<6}baseline DuckDB over Parquet       {c['duckdb_seconds']:8.3f} s   (faster of "
                      f"{c.get('duckdb_runs_seconds')}; rows {c['parquet_rows']})   ratio "
                      f"{c['ratio_fastpath_vs_duckdb']}x   cells equal: all {c['duckdb_equals_fastpath']}, "
                      f"{len(equal)}/{len(c['duckdb_indicators'])} indicators; fastpath=engine "
                      f"{c.get('fastpath_equals_engine')}")
        if "unserved" in r:
            u = r["unserved"]
            print(f"(f) unserved {u['indicator']} one desa   p50 {u['unserved']['p50_ms']:7.1f} ms  "
                  f"p95 {u['unserved']['p95_ms']:7.1f} ms   baseline /healthz p95 {u['healthz']['p95_ms']:.1f} ms   "
                  f"{u['count']} unserved, {u['items_on_page']} on page 1   ({u['url']})")
        for mode, g in r.get("ingest", {}).items():
            print(f"(g) ingest {mode:<17} {g['rows']:>6,} rows in {g['seconds']:7.2f} s  {g['rows_per_s']:>8,.1f} rows/s"
                  f"   baseline COPY back into their own tables {g['real_table_copy_seconds']:.4f} s "
                  f"({g['real_table_copy_rows_per_s']:,} rows/s): ratio {g['ratio_of_real_table_copy']:.4f}   "
                  f"into empty clones of the tables {g['table_copy_seconds']:.4f} s "
                  f"({g['table_copy_rows_per_s']:,} rows/s): ratio {g['ratio_of_table_copy']:.4f}   "
                  f"into bare copies {g['copy_seconds']:.4f} s ({g['copy_rows_per_s']:,} rows/s): ratio "
                  f"{g['ratio_of_raw']:.5f}   ({g['posyandu']} posyandu, {g['refused']} refused)")
            if "job_seconds" in g:
                print(f"{'':<6}then the task/alert job: {g['job_seconds']} s for {g['job_posyandu']} posyandu "
                      f"(ratio with it {g['ratio_of_real_table_copy_with_job']:.4f} of the COPY into the tables, "
                      f"{g['ratio_of_table_copy_with_job']:.4f} of the clones); "
                      f"counters equal the engine on a sample: {g.get('equals_engine_on_sample')}")


def show_sync(label: str, r: dict) -> None:
    """(h) bench/bench_sync.py: a kader's first pull of her posyandu, as the phone pages it."""
    print(f"(h) first sync, {label:<11} {r['database']:<10} {r['first_sync_seconds_best']:8.2f} s  "
          f"{r['pages']} pages, {r['json_bytes']:,} B JSON, {r['gzip_bytes']:,} B gzip   later sync "
          f"{r['later_sync_seconds']:.3f} s, {r['later_sync_json_bytes']} B")
    print(f"{'':<45} posyandu {r['posyandu']} ({r['residents']:,} residents): rows {r['rows']}")


def sync_bench(db: Database, *args: str) -> dict:
    completed = subprocess.run([PYTHON, "bench/bench_sync.py", "--limit", "500", *args], cwd=ROOT, env=db.env(),
                               check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", action="store_true", help="also run (a) and (b) on PostgreSQL")
    parser.add_argument("--seed-pg", action="store_true", help="also run (c) seed_region on PostgreSQL")
    parser.add_argument("--pg-url", default=DEFAULT_PG, help=f"throwaway PostgreSQL database (default {DEFAULT_PG})")
    parser.add_argument("--region", default="3522", help="region for (c) (default 3522, Kab. Bojonegoro)")
    parser.add_argument("--scale", default="1", help="scale for (c) (default 1, the real population)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per task; the median is shown (default 1)")
    parser.add_argument("--spm", action="store_true", help="SPM benchmarks (d-g) on PostgreSQL, at --spm-scales")
    parser.add_argument("--spm-scales", default="1,2", help="population scales for the SPM bench (default 1,2)")
    parser.add_argument("--sync", action="store_true", help="(h) field-app first sync, demo city, on PostgreSQL")
    parser.add_argument("--sync-url", default="", help="with --sync: also the largest posyandu of this seeded "
                        "database (kept; only the kader bench_sync_kader is written)")
    args = parser.parse_args()

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    databases = [Database(f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}")]
    if args.pg or args.seed_pg or args.spm or args.sync:
        if shutil.which("pg_isready") and subprocess.run(["pg_isready", "-q", "-h", urlparse(args.pg_url).hostname or
                                                          "127.0.0.1"]).returncode != 0:
            raise SystemExit("PostgreSQL is not answering; start it or leave out --pg/--seed-pg")
    if args.pg:
        databases.append(Database(args.pg_url))

    print(f"Simpul bench, {time.strftime('%Y-%m-%d %H:%M')}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs")
    for db in databases:
        regions, demo = [], []
        for _ in range(args.repeat):
            db.fresh()
            try:
                regions.append(db.task("regions"))
                demo.append(db.task("demo"))
            finally:
                db.drop()
        show("(a) regions_load, all regions", db.vendor, median_of(regions))
        show("(b) demo_load", db.vendor, median_of(demo))
    if args.seed_pg:
        db = Database(args.pg_url)
        seeds = []
        for _ in range(args.repeat):
            db.fresh()
            try:
                seeds.append(db.task("seed", args.region, args.scale))
            finally:
                db.drop()
        show(f"(c) seed_region {args.region} x{args.scale}", db.vendor, median_of(seeds))
    if args.spm:
        # One throwaway database per scale; the big data set is generated once and every figure read from it.
        results = []
        for index, scale in enumerate(args.spm_scales.split(",")):
            db = Database(args.pg_url + "_spm")
            # The engine's own rebuild (minutes per 100 k residents) only at small scales; the suite holds the
            # columnar recompute equal to it cell for cell (simpul/spm/tests/test_fastpath*.py).
            recompute = "recompute" if float(scale) <= 0.1 else "counters"
            parts = f"seed,{recompute},api,unserved,ingest" if index == 0 else "seed,counters,api,unserved"
            db.fresh()
            try:
                completed = subprocess.run([PYTHON, "bench/task.py", "spm", args.region, scale, parts], cwd=ROOT,
                                           env=db.env(), check=True, stdout=subprocess.PIPE, text=True)
                results.append(json.loads(completed.stdout.strip().splitlines()[-1]))
            finally:
                db.drop()
        show_spm(results)
    if args.sync:
        db = Database(args.pg_url + "_sync")
        db.fresh()
        try:
            show_sync("demo city", sync_bench(db, "--load"))
        finally:
            db.drop()
        if args.sync_url:
            # A database seeded and kept by someone else (e.g. simpul_bench_s1): never migrated, never dropped.
            show_sync("seeded", sync_bench(Database(args.sync_url), "--read-only", "--kader", "bench_sync_kader"))


if __name__ == "__main__":
    main()
