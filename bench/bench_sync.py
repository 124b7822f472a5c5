"""First sync of the field app (issue 6): time and payload of a kader's first pull, for one demo-city posyandu.

    SIMPUL_ENV=development DATABASE_URL=postgres://postgres@127.0.0.1:5432/simpul_bench_sync \\
        .venv/bin/python bench/bench_sync.py [--load --households 2000] [--limit 200] [--repeat 3]

``--load`` runs ``demo_load`` first (Kota Mojokerto, synthetic); without it the database must hold the demo
already. The posyandu with the most residents is chosen and a throwaway kader (``bench.sync.kader``) is
given that posyandu. Each run pages ``GET /api/v1/sync/pull`` from no cursor until ``has_more`` is false,
as the phone does, through Django's test client (no network: server time only). Reported: wall time of
the whole first sync, pages, rows per kind, JSON bytes and gzip bytes (what a phone downloads behind a
compressing proxy), plus one later sync with nothing changed.

For a shared, seeded database (the Bojonegoro-scale set, ``seed_region 3522``) pass ``--read-only
--kader bench_sync_kader``: the kader user and its membership are the only rows written; every pull (with
its access-log entry and API token) runs inside a transaction that is rolled back. Prints one JSON line last.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/simpul_bench_s1 SIMPUL_ENV=development \
        .venv/bin/python bench/bench_sync.py --read-only --kader bench_sync_kader
"""

from __future__ import annotations

import argparse
import gzip
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

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from simpul.accounts.models import Membership  # noqa: E402
from simpul.accounts.roles import Role  # noqa: E402
from simpul.api.auth import token_issue  # noqa: E402
from simpul.core.choices import ALL_FIELDS  # noqa: E402
from simpul.posyandu.models import Posyandu  # noqa: E402
from simpul.registry.models import Person  # noqa: E402

USERNAME = "bench.sync.kader"


def kader_for(posyandu: Posyandu, username: str = USERNAME, *, read_only: bool = False):
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username=username)
    grant = {"role": Role.KADER, "posyandu": posyandu}
    if read_only and Membership.objects.filter(user=user, **grant).exists():
        return user  # a shared database: write nothing more than the first run did
    Membership.objects.filter(user=user).delete()
    Membership.objects.create(user=user, **grant, fields=sorted(ALL_FIELDS))
    return user


def first_sync(client: Client, headers: dict, limit: int, cursor: str | None = None) -> dict:
    started = time.perf_counter()
    pages, raw, packed, rows = 0, 0, 0, {}
    while True:
        url = f"/api/v1/sync/pull?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(url, **headers)
        assert response.status_code == 200, response.content[:300]
        pages += 1
        raw += len(response.content)
        packed += len(gzip.compress(response.content, compresslevel=6))
        body = json.loads(response.content)
        for kind, items in body["changes"].items():
            rows[kind] = rows.get(kind, 0) + len(items)
        cursor = body["next_cursor"]
        if not body["has_more"]:
            break
    return {"seconds": round(time.perf_counter() - started, 3), "pages": pages, "rows": rows,
            "json_bytes": raw, "gzip_bytes": packed, "cursor": cursor}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--load", action="store_true", help="run demo_load first")
    parser.add_argument("--households", type=int, default=None, help="with --load: households of the demo")
    parser.add_argument("--posyandu", type=int, default=None, help="this posyandu instead of the largest")
    parser.add_argument("--limit", type=int, default=200, help="rows per page, as the phone asks (max 500)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kader", default=USERNAME, help="the kader user to create (or reuse)")
    parser.add_argument("--read-only", action="store_true",
                        help="a shared database: the pulls run in a transaction that is rolled back")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if args.load:
        call_command("demo_load", *(["--households", str(args.households)] if args.households else []))
    if args.posyandu:
        posyandu = Posyandu.objects.get(pk=args.posyandu)
    else:
        top = (Person.objects.filter(posyandu__isnull=False).values("posyandu").annotate(n=Count("id"))
               .order_by("-n").first())
        posyandu = Posyandu.objects.get(pk=top["posyandu"])
    user = kader_for(posyandu, args.kader, read_only=args.read_only)
    with transaction.atomic():
        raw, _token = token_issue(user=user)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        client = Client()
        runs = [first_sync(client, headers, args.limit) for _ in range(max(1, args.repeat))]
        best = min(runs, key=lambda r: r["seconds"])
        later = first_sync(client, headers, args.limit, cursor=best["cursor"])
        if args.read_only:
            transaction.set_rollback(True)
    result = {
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "posyandu": posyandu.pk, "posyandu_name": posyandu.name,
        "residents": Person.objects.filter(posyandu=posyandu).count(),
        "first_sync_seconds_best": best["seconds"], "first_sync_seconds_all": [r["seconds"] for r in runs],
        "pages": best["pages"], "rows": best["rows"], "json_bytes": best["json_bytes"],
        "gzip_bytes": best["gzip_bytes"], "later_sync_seconds": later["seconds"],
        "later_sync_json_bytes": later["json_bytes"],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
