"""Simpul's load benchmarks, each against a baseline measured in the same run (see bench/README.md).

    .venv/bin/python bench/run.py                 # SQLite: (a) all regions, (b) demo_load
    .venv/bin/python bench/run.py --pg            # the same on PostgreSQL too
    .venv/bin/python bench/run.py --seed-pg       # plus (c) seed_region 3522 at scale 1 on PostgreSQL (~2 min)

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", action="store_true", help="also run (a) and (b) on PostgreSQL")
    parser.add_argument("--seed-pg", action="store_true", help="also run (c) seed_region on PostgreSQL")
    parser.add_argument("--pg-url", default=DEFAULT_PG, help=f"throwaway PostgreSQL database (default {DEFAULT_PG})")
    parser.add_argument("--region", default="3522", help="region for (c) (default 3522, Kab. Bojonegoro)")
    parser.add_argument("--scale", default="1", help="scale for (c) (default 1, the real population)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per task; the median is shown (default 1)")
    args = parser.parse_args()

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    databases = [Database(f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}")]
    if args.pg or args.seed_pg:
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


if __name__ == "__main__":
    main()
