"""Posyandu for desa that have none yet: legal data, board, kader, status history, RW/RT subdivisions.

One posyandu per RW, as is usual in East Java, named after a flower with its
number in the desa ("Posyandu Melati 1"). The legal data is deliberately
incomplete here and there — a missing establishment decree, a board without
its treasurer, no registration number yet — because that is what the
readiness view exists to show. A few thousand rows at most, so the ORM's
``bulk_create`` is fast enough.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from simpul.audit.models import AuditEntry
from simpul.core.choices import SpmField
from simpul.demo import names
from simpul.demo.generate import PHONE_PREFIXES, PosyanduSlot
from simpul.demo.rand import choice, randint
from simpul.posyandu.models import BoardMember, Kader, Posyandu, PosyanduStatusChange
from simpul.regions.models import Region, Subdivision, dotted

FIELDS = list(SpmField.values)
# A kader's main field: health still has most kader (ILP needs five for the five steps).
FIELD_WEIGHTS = {"kesehatan": 5, "pendidikan": 2, "pekerjaan_umum": 1, "perumahan": 1, "sosial": 2, "trantibumlinmas": 1}


@dataclass
class PosyanduSet:
    slots: dict[str, tuple[PosyanduSlot, ...]]  # desa code → posyandu to spread households over
    created: int
    kader: int
    board: int


def posyandu_count(rng: random.Random, households: int) -> int:
    """Four to eight per desa, fewer when a tiny sample would leave some without households."""
    return min(randint(rng, 4, 8), max(1, households // 5))


def posyandu_ensure(*, villages: list[Region], households: dict[str, int], seed: int, seeder, now: dt.datetime) -> PosyanduSet:
    """Create posyandu where a desa has none; reuse the posyandu of the others as they are."""
    existing: dict[str, list[Posyandu]] = {}
    inactive: dict[str, int] = {}
    for posyandu in Posyandu.objects.filter(desa__in=villages).order_by("pk"):
        if posyandu.status == Posyandu.Status.ACTIVE:
            existing.setdefault(posyandu.desa_id, []).append(posyandu)
        else:
            inactive[posyandu.desa_id] = inactive.get(posyandu.desa_id, 0) + 1

    slots: dict[str, tuple[PosyanduSlot, ...]] = {}
    plans: list[tuple[random.Random, Region, int, int]] = []
    for desa in villages:
        rng = random.Random(f"simpul-demo-posyandu:{seed}:{desa.code}")
        if desa.code in existing:
            slots[desa.code] = tuple(
                PosyanduSlot(id=p.pk, rw=_rw(p.rw, i), dusun=p.dusun, rts=randint(rng, 4, 8), weight=rng.uniform(0.6, 1.4))
                for i, p in enumerate(existing[desa.code], start=1)
            )
        else:
            # Numbering goes on after any inactive posyandu, so names stay unique in the desa.
            plans.append((rng, desa, posyandu_count(rng, households.get(desa.code, 0)), inactive.get(desa.code, 0)))

    today = now.date()
    new_posyandu: list[Posyandu] = []
    details = []
    for rng, desa, count, skip in plans:
        rural = not desa.code[6] == "1"  # a desa has hamlets (dusun); a kelurahan does not
        hamlets = rng.sample(names.HAMLETS, k=(count + 1) // 2) if rural else []
        for number in range(1 + skip, count + 1 + skip):
            rw = f"{number:03d}"
            legal = _legal(rng, desa.code, number, today)
            posyandu = Posyandu(
                desa=desa, name=f"Posyandu {choice(rng, names.FLOWERS)} {number}", rw=rw,
                dusun=hamlets[(number - 1 - skip) // 2] if rural else "",
                address=f"Jl. {choice(rng, names.STREETS)} No. {randint(rng, 1, 80)}, RW {rw}",
                created_at=now - dt.timedelta(days=randint(rng, 560, 900)), **legal,
            )
            new_posyandu.append(posyandu)
            details.append((rng, desa, posyandu, randint(rng, 4, 8), rng.uniform(0.6, 1.4)))
    Posyandu.objects.bulk_create(new_posyandu, batch_size=1000)

    board: list[BoardMember] = []
    kader: list[Kader] = []
    history: list[PosyanduStatusChange] = []
    audit: list[AuditEntry] = []
    subdivisions: list[tuple[Region, str, str, int]] = []
    for rng, desa, posyandu, rts, weight in details:
        slots.setdefault(desa.code, ())
        slots[desa.code] += (PosyanduSlot(id=posyandu.pk, rw=posyandu.rw, dusun=posyandu.dusun, rts=rts, weight=weight),)
        board += _board(rng, posyandu)
        kader += _kader(rng, posyandu, today)
        history.append(PosyanduStatusChange(
            posyandu=posyandu, status=Posyandu.Status.ACTIVE, reason="created", actor=seeder,
            changed_on=posyandu.sk_date or posyandu.created_at.date(), recorded_at=posyandu.created_at,
        ))
        audit.append(AuditEntry(actor=seeder, action="posyandu.posyandu.created", object_type="posyandu.posyandu",
                                object_id=str(posyandu.pk), region_code=desa.code, changes={"name": posyandu.name},
                                at=posyandu.created_at))
        subdivisions.append((desa, posyandu.dusun, posyandu.rw, rts))
    BoardMember.objects.bulk_create(board, batch_size=2000)
    Kader.objects.bulk_create(kader, batch_size=2000)
    PosyanduStatusChange.objects.bulk_create(history, batch_size=2000)
    AuditEntry.objects.bulk_create(audit, batch_size=2000)
    _subdivisions_create(subdivisions)
    return PosyanduSet(slots=slots, created=len(new_posyandu), kader=len(kader), board=len(board))


def _rw(value: str, number: int) -> str:
    """A posyandu's RW as a household stores it (three digits); its position when it has none."""
    value = (value or "").strip()
    return value.zfill(3) if value.isdigit() and len(value) <= 3 else f"{number:03d}"


def _legal(rng: random.Random, desa_code: str, number: int, today: dt.date) -> dict:
    legal: dict = {}
    if rng.random() < 0.85:
        sk_date = dt.date(randint(rng, 1998, 2023), randint(rng, 1, 12), randint(rng, 1, 28))
        legal.update(sk_number=f"400.5/{randint(rng, 1, 60):02d}/{desa_code}/{sk_date.year}", sk_date=sk_date)
    if rng.random() < 0.7:
        # New boards were appointed after Permendagri 13/2024.
        board_date = min(dt.date(2024, 9, 1) + dt.timedelta(days=randint(rng, 0, 400)), today)
        legal.update(sk_board_number=f"400.5/{randint(rng, 61, 120):03d}/KEP/{desa_code}/{board_date.year}",
                     sk_board_date=board_date)
    if "sk_number" in legal and "sk_board_number" in legal and rng.random() < 0.75:
        legal["registration_number"] = f"{dotted(desa_code)}.{number:03d}"
    return legal


def _woman_or_man(rng: random.Random, women_share: float) -> str:
    sex = "F" if rng.random() < women_share else "M"
    return names.person_name(rng, sex, randint(rng, 1965, 1998))


def _board(rng: random.Random, posyandu: Posyandu) -> list[BoardMember]:
    members = []
    for position, present in (("ketua", 0.92), ("sekretaris", 0.85), ("bendahara", 0.85)):
        if rng.random() < present:
            members.append(BoardMember(posyandu=posyandu, position=position, name=_woman_or_man(rng, 0.85),
                                       since=posyandu.sk_board_date))
    for field in FIELDS:
        if rng.random() < 0.7:
            members.append(BoardMember(posyandu=posyandu, position="ketua_bidang", field=field,
                                       name=_woman_or_man(rng, 0.7), since=posyandu.sk_board_date))
    return members


def _kader(rng: random.Random, posyandu: Posyandu, today: dt.date) -> list[Kader]:
    rows = []
    weights = [FIELD_WEIGHTS[f] for f in FIELDS]
    for index in range(randint(rng, 5, 12)):
        main = "kesehatan" if index < 3 else rng.choices(FIELDS, weights)[0]
        fields = {main}
        if rng.random() < 0.25:
            fields |= set(rng.sample(FIELDS, k=randint(rng, 1, 2)))
        since = today - dt.timedelta(days=randint(rng, 90, 12 * 365))
        active = rng.random() < 0.94
        rows.append(Kader(
            posyandu=posyandu, name=_woman_or_man(rng, 0.9), fields=sorted(fields),
            phone=choice(rng, PHONE_PREFIXES) + f"{randint(rng, 10**7, 10**8 - 1)}",
            sk_number=posyandu.sk_board_number, since=since, active=active,
            until=None if active else min(since + dt.timedelta(days=randint(rng, 60, 900)), today),
        ))
    return rows


def _subdivisions_create(items: list[tuple[Region, str, str, int]]) -> None:
    """Dusun → RW → RT as the desa would define them, for the RWs the new posyandu serve.

    A desa that already defined any subdivision keeps its own and gets none of these.
    """
    defined = set(Subdivision.objects.filter(desa__in={desa for desa, *_ in items}).values_list("desa_id", flat=True))
    items = [item for item in items if item[0].code not in defined]
    dusun_rows: dict[tuple[str, str], Subdivision] = {}
    for desa, dusun, _rw, _rts in items:
        if dusun and (desa.code, dusun) not in dusun_rows:
            dusun_rows[(desa.code, dusun)] = Subdivision(desa=desa, kind=Subdivision.Kind.DUSUN, name=dusun)
    Subdivision.objects.bulk_create(dusun_rows.values(), batch_size=2000)
    rw_rows = [
        (Subdivision(desa=desa, kind=Subdivision.Kind.RW, name=rw, parent=dusun_rows.get((desa.code, dusun))), rts)
        for desa, dusun, rw, rts in items
    ]
    Subdivision.objects.bulk_create([rw for rw, _rts in rw_rows], batch_size=2000)
    Subdivision.objects.bulk_create(
        [Subdivision(desa_id=rw.desa_id, kind=Subdivision.Kind.RT, name=f"{rt:03d}", parent=rw)
         for rw, rts in rw_rows for rt in range(1, rts + 1)],
        batch_size=2000,
    )
