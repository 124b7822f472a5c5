"""Seeding a region with synthetic posyandu, households and residents, in one transaction.

Seeded rows are recognisable: households and residents are created by the
inactive system user ``simpul.seeder`` (and so are the audit entries and the
posyandu status history), which is how ``--replace`` finds exactly what an
earlier seed made and nothing a person entered.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError
from simpul.demo.bulk import writer_for_connection
from simpul.demo.generate import DesaPlan
from simpul.demo.parallel import default_workers, generate_rows
from simpul.demo.posyandu_seed import posyandu_ensure
from simpul.demo.worker import GenerationContext
from simpul.regions.models import Region
from simpul.registry.models import Consent, DuplicateCandidate, Household, Person, Residence

SEEDER_USERNAME = "simpul.seeder"
RESIDENTS_PER_DESA = 3000  # at scale 1: Kab. Bojonegoro's 430 desa make about 1.3 M residents
MEAN_HOUSEHOLD_SIZE = 3.02  # what simpul.demo.families produces (bench/calibrate_pyramid.py)
DESA_SIZE_SIGMA = 0.35  # desa differ in size: log-normal around the mean


@dataclass
class SeedResult:
    villages: int = 0
    posyandu_created: int = 0
    kader: int = 0
    board: int = 0
    households: int = 0
    people: int = 0
    residences: int = 0
    audit: int = 0
    replaced_households: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return self.households + self.people + self.residences + self.audit


class AlreadySeeded(DomainError):
    pass


def seeder_user():
    """The system user that seeded rows are created by; it cannot log in."""
    user, created = get_user_model().objects.get_or_create(
        username=SEEDER_USERNAME, defaults={"is_active": False, "first_name": "Data", "last_name": "sintetis"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def seeded_households(prefix: str):
    return Household.objects.filter(created_by__username=SEEDER_USERNAME, desa__code__startswith=prefix)


def villages_under(region_code: str) -> list[Region]:
    return list(Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=region_code).order_by("code"))


def households_by_scale(villages: list[Region], *, scale: float, seed: int) -> dict[str, int]:
    """Households per desa for ``scale`` × :data:`RESIDENTS_PER_DESA` residents on average.

    Desa sizes vary log-normally (σ = 0.35) around the mean; every desa gets at least one household.
    """
    mean_factor = math.exp(DESA_SIZE_SIGMA**2 / 2)  # the mean of a log-normal(0, σ)
    result = {}
    for desa in villages:
        rng = random.Random(f"simpul-demo-size:{seed}:{desa.code}")
        residents = RESIDENTS_PER_DESA * scale * rng.lognormvariate(0, DESA_SIZE_SIGMA) / mean_factor
        result[desa.code] = max(1, round(residents / MEAN_HOUSEHOLD_SIZE))
    return result


def households_split(villages: list[Region], *, total: int, seed: int) -> dict[str, int]:
    """``total`` households spread over the desa with uneven weights, summing exactly to ``total``."""
    rng = random.Random(f"simpul-demo-split:{seed}")
    weights = [rng.uniform(0.6, 1.4) for _ in villages]
    shares = [total * w / sum(weights) for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(villages)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return {desa.code: count for desa, count in zip(villages, counts, strict=True)}


def seeded_delete(prefix: str, seeder_id: int) -> int:
    """Remove what an earlier seed of this region made (households, residents and their rows), set-based.

    A resident someone added to a seeded household, or any newer record that
    protects a seeded resident, makes the delete fail rather than vanish.
    """
    like = f"{prefix}%"
    person, household = Person._meta.db_table, Household._meta.db_table
    seeded_people = f"SELECT id FROM {person} WHERE created_by_id = %s AND desa_id LIKE %s"  # noqa: S608
    with connection.cursor() as cursor:
        for table, column in ((Residence._meta.db_table, "person_id"), (Consent._meta.db_table, "person_id"),
                              (DuplicateCandidate._meta.db_table, "person_id"),
                              (DuplicateCandidate._meta.db_table, "other_id")):
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({seeded_people})", [seeder_id, like])  # noqa: S608
        cursor.execute(f"DELETE FROM {person} WHERE created_by_id = %s AND desa_id LIKE %s", [seeder_id, like])  # noqa: S608
        cursor.execute(f"DELETE FROM {household} WHERE created_by_id = %s AND desa_id LIKE %s", [seeder_id, like])  # noqa: S608
        deleted = cursor.rowcount
    AuditEntry.objects.filter(
        actor_id=seeder_id, region_code__startswith=prefix,
        action__in=["registry.household.registered", "registry.person.registered"],
    ).delete()
    return deleted


def _city(name: str) -> str:
    for prefix in ("Kabupaten ", "Kab. ", "Kota "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _plans(villages: list[Region], households: dict[str, int], slots) -> list[DesaPlan]:
    parents = {r.code: r.name for r in Region.objects.filter(
        code__in={d.code[:6] for d in villages} | {d.code[:4] for d in villages})}
    return [
        DesaPlan(code=d.code, name=d.name, kecamatan_name=parents.get(d.code[:6], ""),
                 city=_city(parents.get(d.code[:4], "")), households=households[d.code], posyandu=slots[d.code])
        for d in villages
    ]


def _taken(prefix: str, seeder_id: int) -> tuple[set[str], set[str], set[str]]:
    """NIK/KK hashes and provisional ids already used by rows someone entered (not by a seed)."""
    people = Person.objects.exclude(created_by_id=seeder_id)
    nik = set(people.exclude(nik_hash=None).values_list("nik_hash", flat=True))
    provisional = set(people.filter(provisional_id__startswith=f"TMP-{prefix}").values_list("provisional_id", flat=True))
    kk = set(Household.objects.exclude(created_by_id=seeder_id).exclude(kk_hash=None).values_list("kk_hash", flat=True))
    return nik, kk, provisional


def region_seed(*, region_code: str, households: dict[str, int] | Callable[[list[Region]], dict[str, int]], seed: int,
                replace: bool = False, now: dt.datetime | None = None, audit: bool = True, workers: int | None = None,
                progress: Callable[[int, int, int, float], None] | None = None) -> SeedResult:
    """Seed every desa under ``region_code`` (kab/kota, kecamatan or desa); all of it or none of it.

    ``workers``: processes generating residents (default: one for small seeds, every core for big ones).
    """
    now = now or timezone.now()
    villages = villages_under(region_code)
    if not villages:
        raise DomainError(f"No desa/kelurahan under {region_code}: load the regions first.")
    result = SeedResult(villages=len(villages))
    clock = time.perf_counter()
    with transaction.atomic():
        seeder = seeder_user()
        earlier = seeded_households(region_code).exists()
        if earlier and not replace:
            raise AlreadySeeded(f"Region {region_code} already has seeded households (use --replace).")
        counts = households(villages) if callable(households) else households
        expected = round(sum(counts.values()) * MEAN_HOUSEHOLD_SIZE)
        mark = time.perf_counter()
        posyandu = posyandu_ensure(villages=villages, households=counts, seed=seed, seeder=seeder, now=now)
        result.posyandu_created, result.kader, result.board = posyandu.created, posyandu.kader, posyandu.board
        result.seconds["posyandu"] = time.perf_counter() - mark

        mark = time.perf_counter()
        taken_nik, taken_kk, taken_provisional = _taken(region_code, seeder.pk)
        replaced = Person.objects.filter(created_by=seeder, desa__code__startswith=region_code).count() if earlier else 0
        writer = writer_for_connection(expected_people=expected, replaced_people=replaced)
        context = GenerationContext(
            seed=seed, now=now, seeder_id=seeder.pk, audit=audit, vendor=writer.vendor,
            taken_nik=frozenset(taken_nik), taken_kk=frozenset(taken_kk), taken_provisional=frozenset(taken_provisional),
            known_kecamatan=frozenset(Region.objects.filter(level=Region.Level.DISTRICT).values_list("code", flat=True)),
        )
        writer.begin()
        if earlier:
            # After begin(): on a large PostgreSQL load the foreign keys are suspended by now,
            # so the delete queues no per-row checks.
            deleted_at = time.perf_counter()
            result.replaced_households = seeded_delete(region_code, seeder.pk)
            result.seconds["delete"] = time.perf_counter() - deleted_at
        plans = _plans(villages, counts, posyandu.slots)
        done = 0
        for desa_count, rows in generate_rows(plans, context, workers=workers or default_workers(expected)):
            writer.write(rows)
            done += desa_count
            if progress:
                progress(done, len(plans), writer.count("person"), time.perf_counter() - mark)
        writer.finish()
        result.seconds["households"] = time.perf_counter() - mark
        result.seconds.update(writer.seconds)
        mark = time.perf_counter()
    result.seconds["commit"] = time.perf_counter() - mark
    result.seconds["total"] = time.perf_counter() - clock
    result.households, result.people = writer.count("household"), writer.count("person")
    result.residences, result.audit = writer.count("residence"), writer.count("audit")
    return result
