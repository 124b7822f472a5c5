"""Reads for the field app: references in a push, and the change feed a kader's phone pulls.

The feed (decision 0017) has two phases behind one opaque cursor:

* ``snap`` — the first sync: everything in the kader's scope, kind by kind in id order, paged. Before
  it starts, the position of the change log is taken (the high-water mark), so whatever changes while
  the phone pages through the snapshot reaches it afterwards from the log.
* ``log`` — later syncs: rows of ``SyncChange`` at or from her posyandu after the cursor, in
  (txid, id) order, each answered with the row's *current* state, or a ``drop`` when she may no
  longer see it (moved out, died, merged, a pregnancy closed, a measurement corrected).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass

from django.db import connection
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm, Role
from simpul.accounts.scope import Scope, require_scope
from simpul.core.choices import SpmField
from simpul.core.errors import DomainError, NotInScope
from simpul.health.selectors import health_scope, measurements_visible
from simpul.immunization.selectors import records_visible
from simpul.lib.nik import mask_nik
from simpul.maternal.models import Pregnancy
from simpul.maternal.selectors import pregnancies_visible
from simpul.registry.models import Household, Person
from simpul.registry.presenters import may_see
from simpul.registry.selectors import persons_visible
from simpul.serviceday.models import Attendance, ServiceDay, ServiceGiven
from simpul.serviceday.selectors import days_visible
from simpul.sync.models import SyncChange
from simpul.tasks.selectors import rows as task_rows
from simpul.tasks.selectors import tasks_visible

# New kinds go at the end: a cursor holds an index into this tuple and the number of kinds it was made for.
KINDS = ("household", "person", "measurement", "immunization", "pregnancy", "day", "attendance", "service")
HEALTH_KINDS = frozenset({"measurement", "immunization", "pregnancy", "day", "attendance", "service"})
CHILD_KINDS = ("measurement", "immunization", "pregnancy")
MAX_LIMIT = 500
DEFAULT_LIMIT = 200
DAY_WINDOW_DAYS = 31  # serviceday.services.days.LATE_OPEN_DAYS: an older day can no longer be opened


# --- who may sync, and references of a push ---------------------------------------------------------

def require_field_app(scope: Scope | None) -> Scope:
    """The scope narrowed to the user's kader grants; 403 (in Bahasa) for every other role."""
    grants = require_scope(scope).grants_with(Role.KADER)
    if not grants:
        raise DomainError(_("Only a kader can sync the field app."), code="forbidden")
    return Scope(user_id=scope.user_id, grants=grants)


def own_posyandu_id(scope: Scope) -> int | None:
    ids = set(scope.posyandu_ids(Perm.REGISTER))
    return ids.pop() if len(ids) == 1 else None


def household_ref(scope: Scope, *, pk: int | None, client_uuid) -> Household | None:
    qs = require_scope(scope).filter(Household.objects.all(), Perm.VIEW_PERSON)
    if pk is not None:
        return qs.filter(pk=pk).first()
    return qs.filter(client_uuid=client_uuid).first() if client_uuid is not None else None


def household_for_edit(scope: Scope, pk) -> Household | None:
    return household_ref(scope, pk=pk, client_uuid=None)


def person_ref(scope: Scope, *, pk: int | None, client_uuid) -> Person | None:
    qs = require_scope(scope).filter(Person.objects.all(), Perm.VIEW_PERSON).select_related("household")
    if pk is not None:
        return qs.filter(pk=pk).first()
    return qs.filter(client_uuid=client_uuid).first() if client_uuid is not None else None


def people_ref(scope: Scope, *, pks, client_uuids) -> dict:
    """``person_ref`` for many references at once (a pushed posyandu day): the people in scope among them,
    keyed ``("pk", id)`` and ``("uuid", client UUID)``; a reference missing is not in scope (or not there)."""
    qs = require_scope(scope).filter(Person.objects.all(), Perm.VIEW_PERSON).select_related("household")
    found: dict = {}
    pks, client_uuids = sorted(set(pks)), sorted(set(client_uuids), key=str)
    for start in range(0, max(len(pks), len(client_uuids)), 500):
        for person in qs.filter(Q(pk__in=pks[start : start + 500]) | Q(client_uuid__in=client_uuids[start : start + 500])):
            found[("pk", person.pk)] = found[("uuid", person.client_uuid)] = person
    return found


def day_for_sync(scope: Scope, pk: int):
    day = days_visible(scope).filter(pk=pk).first()
    if day is None:
        raise NotInScope()
    return day


# --- rows as the phone stores them: never a full NIK or KK ------------------------------------------

def household_row(h: Household) -> dict:
    return {"id": h.pk, "client_uuid": str(h.client_uuid), "version": h.version, "posyandu_id": h.posyandu_id,
            "desa_code": h.desa_id, "head_name": h.head_name, "kk": mask_nik(h.kk) if h.kk_cipher else "",
            "address": h.address, "rt": h.rt, "rw": h.rw, "dusun": h.dusun,
            "latitude": None if h.latitude is None else float(h.latitude),
            "longitude": None if h.longitude is None else float(h.longitude),
            "status": h.status, "updated_at": h.updated_at.isoformat()}


def person_row(p: Person, scope: Scope) -> dict:
    return {"id": p.pk, "client_uuid": str(p.client_uuid), "version": p.version, "household_id": p.household_id,
            "posyandu_id": p.posyandu_id, "desa_code": p.desa_id, "full_name": p.full_name, "sex": p.sex,
            "birth_date": p.birth_date.isoformat(), "birth_date_estimated": p.birth_date_estimated,
            "nik": mask_nik(p.nik) if p.nik_cipher else "", "nik_status": p.nik_status,
            "provisional_id": p.provisional_id, "relationship": p.relationship, "mother_name": p.mother_name,
            "education_status": p.education_status,
            "disability_type": p.disability_type if may_see(scope, p, "disability_type") else None,
            "life_status": p.life_status, "updated_at": p.updated_at.isoformat()}


def _number(value):
    return None if value is None else float(value)


def measurement_row(m) -> dict:
    return {"id": m.pk, "client_uuid": str(m.client_uuid), "person_id": m.person_id,
            "measured_on": m.measured_on.isoformat(), "weight_kg": _number(m.weight_kg),
            "length_height_cm": _number(m.length_height_cm), "position": m.position or None,
            "head_circumference_cm": _number(m.head_circumference_cm), "muac_cm": _number(m.muac_cm),
            "oedema": m.oedema, "age_days": m.age_days, "z": m.z, "classification": m.classification,
            "flags": list(m.flags), "validated": m.validated_at is not None}


def immunization_row(r) -> dict:
    return {"id": r.pk, "client_uuid": str(r.client_uuid), "person_id": r.person_id, "dose": r.dose,
            "given_on": r.given_on.isoformat(), "vaccine": r.vaccine, "place": r.place}


def pregnancy_row(p) -> dict:
    return {"id": p.pk, "client_uuid": str(p.client_uuid), "person_id": p.person_id,
            "registered_on": p.registered_on.isoformat(), "hpht": p.hpht.isoformat(), "hpl": p.hpl.isoformat(),
            "gravida": p.gravida, "para": p.para, "abortus": p.abortus, "status": p.status}


def day_row(d: ServiceDay) -> dict:
    return {"id": d.pk, "client_uuid": str(d.client_uuid), "posyandu_id": d.posyandu_id,
            "held_on": d.held_on.isoformat(), "starts_at": d.starts_at.strftime("%H:%M") if d.starts_at else None,
            "place": d.place, "status": d.status}


def attendance_row(a: Attendance) -> dict:
    return {"id": a.pk, "client_uuid": str(a.client_uuid), "day_id": a.day_id, "person_id": a.person_id,
            "group": a.group, "walk_in": a.walk_in}


def service_row(g: ServiceGiven) -> dict:
    return {"id": g.pk, "client_uuid": str(g.client_uuid), "day_id": g.day_id, "person_id": g.person_id,
            "kind": g.kind, "quantity": g.quantity, "detail": g.detail}


def task_row(row) -> dict:
    """A task as the phone shows it: who, what for, why (the sentences in the reader's language), by when."""
    task = row.task
    return {"id": task.pk, "indicator": task.indicator, "indicator_name": row.indicator, "field": task.field,
            "subject_kind": task.subject_kind, "person_id": task.person_id, "household_id": task.household_id,
            "name": row.name, "sentences": row.sentences, "pending": task.pending,
            "due_on": row.due_on.isoformat() if row.due_on else None}


# --- the feed ---------------------------------------------------------------------------------------

def _has_health(scope: Scope) -> bool:
    return any(SpmField.HEALTH in g.fields for g in scope.grants)


def _querysets(scope: Scope) -> dict[str, QuerySet]:
    """What the kader may hold on her phone, per kind: alive residents of her posyandu and their records."""
    persons = persons_visible(scope)
    person_ids = persons.values("pk")
    sets = {
        "household": scope.filter(Household.objects.all(), Perm.VIEW_PERSON).filter(status=Household.Status.ACTIVE),
        "person": persons,
    }
    if _has_health(scope):
        sets["measurement"] = measurements_visible(scope).filter(person__in=person_ids)
        sets["immunization"] = records_visible(scope).filter(person__in=person_ids)
        sets["pregnancy"] = pregnancies_visible(scope).filter(status=Pregnancy.Status.ONGOING,
                                                              person__in=person_ids)
        # The posyandu days she can still run: scheduled or open, not older than a late opening allows.
        days = health_scope(scope).filter(ServiceDay.objects.all(), Perm.VIEW_HEALTH).filter(
            status__in=[ServiceDay.Status.SCHEDULED, ServiceDay.Status.OPEN],
            held_on__gte=timezone.localdate() - dt.timedelta(days=DAY_WINDOW_DAYS))
        sets["day"] = days
        sets["attendance"] = Attendance.objects.filter(day__in=days.values("pk"))
        sets["service"] = ServiceGiven.objects.filter(day__in=days.values("pk"))
    return sets


def _row(kind: str, obj, scope: Scope) -> dict:
    if kind == "household":
        return household_row(obj)
    if kind == "person":
        return person_row(obj, scope)
    return {"measurement": measurement_row, "immunization": immunization_row, "pregnancy": pregnancy_row,
            "day": day_row, "attendance": attendance_row, "service": service_row}[kind](obj)


@dataclass
class Cursor:
    phase: str  # "snap" or "log"
    scope_key: str
    txid: int = 0  # log position (txid, id); in "snap", the high-water mark to continue from
    log_id: int = 0
    kind: int = 0  # snapshot: index into KINDS and the last id sent of it
    after: int = 0
    tasks: str = ""  # digest of the open tasks the phone holds (tasks are replaced whole, see feed_pull)
    # How many KINDS the feed had when the cursor was made (5 before the posyandu-day kinds). A phone
    # whose cursor predates a kind would never receive that kind's existing rows from the log: it
    # starts the snapshot over, once.
    kinds: int = 5

    def encode(self) -> str:
        return base64.urlsafe_b64encode(json.dumps(asdict(self), separators=(",", ":")).encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            raw = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            cursor = cls(**raw)
            if cursor.phase not in {"snap", "log"} or not all(
                    isinstance(getattr(cursor, n), int) and getattr(cursor, n) >= 0
                    for n in ("txid", "log_id", "kind", "after", "kinds")) or not isinstance(cursor.tasks, str):
                raise ValueError
            return cursor
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            message = _("This sync position is not valid. Sync again from the start.")
            raise DomainError(message, field_errors={"cursor": [message]}) from None


def _scope_key(scope: Scope) -> str:
    """Which places the feed covers: a cursor made for other places starts over."""
    places = sorted((g.posyandu_id or 0, g.region_prefix or "", ",".join(sorted(g.fields))) for g in scope.grants)
    return hashlib.sha256(repr(places).encode()).hexdigest()[:16]


def _pg_positions() -> tuple[int, int | None]:
    """(oldest running transaction id, this transaction's id or None) on PostgreSQL."""
    with connection.cursor() as c:
        c.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, "
                  "pg_current_xact_id_if_assigned()::text::bigint")
        xmin, own = c.fetchone()
    return xmin, own


def _high_water() -> tuple[int, int]:
    """A log position such that every change not yet visible now lies after it."""
    if connection.vendor != "postgresql":
        # SQLite has one writer at a time: ids are handed out in commit order.
        return 0, SyncChange.objects.aggregate(m=Max("id"))["m"] or 0
    xmin, own = _pg_positions()
    if own is not None and own == xmin:
        # Our own transaction is the oldest running one (tests run in one): all of it is visible to us.
        return own, SyncChange.objects.filter(txid=own).aggregate(m=Max("id"))["m"] or 0
    return xmin, 0


def _settled() -> Q:
    """Log rows of transactions that can no longer commit anything before them (see decision 0017)."""
    if connection.vendor != "postgresql":
        return Q()
    xmin, own = _pg_positions()
    return Q(txid__lt=xmin) | Q(txid=own) if own is not None else Q(txid__lt=xmin)


def feed_pull(scope: Scope | None, *, cursor: str | None, limit: int = DEFAULT_LIMIT) -> dict:
    scope = require_field_app(scope)
    limit = max(1, min(int(limit or DEFAULT_LIMIT), MAX_LIMIT))
    key = _scope_key(scope)
    position = Cursor.decode(cursor) if cursor else None
    reset = position is not None and (position.scope_key != key or position.kinds != len(KINDS))
    if position is None or reset:
        txid, log_id = _high_water()
        position = Cursor(phase="snap", scope_key=key, txid=txid, log_id=log_id, kinds=len(KINDS))
    out = {kind: [] for kind in KINDS}
    if position.phase == "snap":
        has_more = _snapshot_page(scope, position, out, limit)
        drop: list[dict] = []
    else:
        has_more, drop = _log_page(scope, position, out, limit)
    replace = []
    if not has_more:
        replace = _tasks(scope, position, out)
    return {"changes": out, "drop": drop, "next_cursor": position.encode(), "has_more": has_more, "reset": reset,
            "replace": replace}


def _tasks(scope: Scope, position: Cursor, out: dict) -> list[str]:
    """Her open tasks, whole, on the last page when they changed since the phone's copy.

    Tasks are opened and closed in bulk by the SPM refresh (``bulk_create``/``update``: no signals), so
    the change log cannot carry them. A posyandu has tens to a few hundred open tasks: the phone gets the
    whole list again whenever its digest of (id, updated_at) differs, and replaces its own, so a closed
    task disappears at the next pull.
    """
    tasks = tasks_visible(scope)
    digest = hashlib.sha256(repr(list(tasks.values_list("pk", "updated_at"))).encode()).hexdigest()[:16]
    if digest == position.tasks:
        return []
    position.tasks = digest
    out["task"] = [task_row(row) for row in task_rows(tasks)]
    return ["task"]


def _snapshot_page(scope: Scope, position: Cursor, out: dict, limit: int) -> bool:
    sets = _querysets(scope)
    remaining = limit
    while position.kind < len(KINDS) and remaining > 0:
        kind = KINDS[position.kind]
        qs = sets.get(kind)
        rows = list(qs.filter(pk__gt=position.after).order_by("pk")[:remaining + 1]) if qs is not None else []
        page = rows[:remaining]
        out[kind].extend(_row(kind, obj, scope) for obj in page)
        remaining -= len(page)
        if len(rows) > len(page):
            position.after = page[-1].pk
            return True
        position.kind, position.after = position.kind + 1, 0
    if position.kind < len(KINDS):
        return True
    # Snapshot done: the phone continues from the log position taken before it started.
    position.phase, position.kind, position.after = "log", 0, 0
    return _log_rows(scope, position).exists()


def _log_rows(scope: Scope, position: Cursor) -> QuerySet[SyncChange]:
    here = scope.q(Perm.VIEW_PERSON, region_field="desa_code", posyandu_field="posyandu_id")
    left = scope.q(Perm.VIEW_PERSON, region_field="prev_desa_code", posyandu_field="prev_posyandu_id")
    if here is None:
        return SyncChange.objects.none()
    qs = SyncChange.objects.filter(here | left).filter(_settled()).filter(
        Q(txid__gt=position.txid) | Q(txid=position.txid, id__gt=position.log_id))
    if not _has_health(scope):
        qs = qs.exclude(kind__in=HEALTH_KINDS)
    return qs.order_by("txid", "id")


def _log_page(scope: Scope, position: Cursor, out: dict, limit: int) -> tuple[bool, list[dict]]:
    rows = list(_log_rows(scope, position).values("id", "txid", "kind", "object_id", "prev_posyandu_id")[:limit + 1])
    page = rows[:limit]
    if page:
        position.txid, position.log_id = page[-1]["txid"], page[-1]["id"]
    wanted: dict[str, set[int]] = {}
    arrived: set[int] = set()  # residents who moved in: their history comes with them
    for row in page:
        wanted.setdefault(row["kind"], set()).add(row["object_id"])
        if row["kind"] == "person" and row["prev_posyandu_id"] is not None:
            arrived.add(row["object_id"])
    sets = _querysets(scope)
    drop = []
    for kind in KINDS:
        ids = wanted.get(kind, set())
        if not ids:
            continue
        found = list(sets[kind].filter(pk__in=ids).order_by("pk")) if kind in sets else []
        out[kind].extend(_row(kind, obj, scope) for obj in found)
        drop.extend({"kind": kind, "id": pk} for pk in sorted(ids - {obj.pk for obj in found}))
    person_ids = arrived & {row["id"] for row in out["person"]}
    for kind in CHILD_KINDS:
        if person_ids and kind in sets:
            sent = {row["id"] for row in out[kind]}
            out[kind].extend(_row(kind, obj, scope) for obj in sets[kind].filter(person_id__in=person_ids)
                             .order_by("pk") if obj.pk not in sent)
    return len(rows) > limit, drop
