"""One timed benchmark task, run by bench/run.py in its own process against a throwaway database.

Usage (run.py sets DATABASE_URL, SIMPUL_ENV and SIMPUL_VAR_DIR):
    python bench/task.py regions | demo | seed REGION SCALE | spm REGION SCALE PARTS
Prints one JSON line with the timings.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from simpul.regions.services import read_region_rows, regions_load  # noqa: E402

SEED_TABLES = ("registry_household", "registry_person", "registry_residence", "audit_auditentry")


def bare_table(name: str, like: str) -> str:
    """A copy of ``like``'s columns with no key, index, default or constraint."""
    bare = f"bench_bare_{name}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {bare}")
        cursor.execute(f"CREATE TABLE {bare} AS SELECT * FROM {like} WHERE 1 = 0")
    return bare


def task_regions() -> dict:
    rows = [(code, name, len(code) // 2 if len(code) < 10 else 4, parent or None)
            for code, parent, name in read_region_rows()]
    started = time.perf_counter()
    result = regions_load()
    seconds = time.perf_counter() - started
    assert result.created == len(rows), (result, len(rows))

    bare = bare_table("region", "regions_region")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {bare} (code, name, level, parent_id) VALUES (%s, %s, %s, %s)", rows)
    baseline = time.perf_counter() - started
    return {"rows": len(rows), "seconds": seconds, "baseline": baseline,
            "baseline_path": "executemany into a table without constraints"}


def _seeded_rows() -> int:
    with connection.cursor() as cursor:
        total = 0
        for table in SEED_TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            total += cursor.fetchone()[0]
        return total


def baseline_same_rows() -> tuple[float, str]:
    """Write the rows the seed made, once more, into constraint-free copies of their tables, timed."""
    seconds = 0.0
    if connection.vendor == "postgresql":
        raw = connection.connection
        for table in SEED_TABLES:
            bare = bare_table(table, table)
            with raw.cursor() as cursor:
                data = io.BytesIO()
                with cursor.copy(f"COPY {table} TO STDOUT") as copy:
                    for chunk in copy:
                        data.write(chunk)
            raw.commit()
            started = time.perf_counter()
            with raw.cursor() as cursor:
                with cursor.copy(f"COPY {bare} FROM STDIN") as copy:
                    copy.write(data.getbuffer())
            raw.commit()
            seconds += time.perf_counter() - started
        return seconds, "COPY into tables without constraints"
    for table in SEED_TABLES:
        bare = bare_table(table, table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table}")
            rows = cursor.fetchall()
        columns = len(rows[0]) if rows else 0
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {bare} VALUES ({', '.join(['%s'] * columns)})", rows)
        seconds += time.perf_counter() - started
    return seconds, "executemany into tables without constraints"


def task_demo() -> dict:
    started = time.perf_counter()
    call_command("demo_load", stdout=io.StringIO())
    seconds = time.perf_counter() - started
    rows = _seeded_rows()
    baseline, path = baseline_same_rows()
    return {"rows": rows, "seconds": seconds, "baseline": baseline, "baseline_path": path}


def task_seed(region: str, scale: str) -> dict:
    out = io.StringIO()
    started = time.perf_counter()
    call_command("seed_region", "--region", region, "--scale", scale, "--seed", "42", "--as-of", "2026-11-22",
                 stdout=out)
    seconds = time.perf_counter() - started
    rows = _seeded_rows()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM registry_person WHERE desa_id LIKE %s", [f"{region}%"])
        people = cursor.fetchone()[0]
    baseline, path = baseline_same_rows()
    return {"rows": rows, "people": people, "seconds": seconds, "baseline": baseline, "baseline_path": path,
            "detail": out.getvalue().strip().splitlines()[-1]}


def task_spm(region: str, scale: str, parts: str) -> dict:
    """The SPM benchmarks (bench/bench_spm.py): PARTS is a comma-separated list such as seed,recompute,api."""
    from bench_spm import run

    return run(region, scale, parts.split(","))


if __name__ == "__main__":
    name, *args = sys.argv[1:]
    outcome = {"regions": task_regions, "demo": task_demo, "seed": task_seed, "spm": task_spm}[name](*args)
    print(json.dumps(outcome))
