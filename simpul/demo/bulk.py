"""Set-based writes of generated households, residents and residences into Django's tables.

The ORM's ``bulk_create`` costs 30-45 µs a row in Python (perf-limits.md §4);
these writers bypass it: PostgreSQL gets ``COPY … FROM STDIN`` text, SQLite one
``executemany`` per table, both inside the caller's transaction. Primary keys are
assigned here, from a range taken once from the table's sequence while the
tables are locked against other writers, so households, people and residences
can reference each other without a round trip per row.

Values are written in each backend's own storage form, the one Django itself
writes: on SQLite a UUID is 32 hex digits, a datetime naive UTC text, a bool 0/1.
The column lists are checked against the models at start, so a new column
fails loudly here instead of being silently left out.
"""

from __future__ import annotations

import json
import time

from django.db import connection

from simpul.audit.models import AuditEntry
from simpul.demo import pgload
from simpul.demo.generate import SeedHousehold
from simpul.registry.models import Household, Person, Residence

HOUSEHOLD_COLUMNS = (
    "id", "client_uuid", "created_at", "created_by_id", "updated_at", "updated_by_id", "version", "posyandu_id",
    "desa_id", "kk_cipher", "kk_hash", "address", "rt", "rw", "dusun", "latitude", "longitude", "status", "head_name",
)
PERSON_COLUMNS = (
    "id", "client_uuid", "created_at", "created_by_id", "updated_at", "updated_by_id", "version", "household_id",
    "posyandu_id", "desa_id", "full_name", "sex", "birth_date", "birth_date_estimated", "nik_cipher", "nik_hash",
    "nik_last4", "nik_status", "nik_warnings", "provisional_id", "relationship", "phone", "mother_name",
    "education_status", "school_name", "disability_type", "life_status", "life_status_date", "duplicate_of_id",
)
RESIDENCE_COLUMNS = ("id", "person_id", "household_id", "posyandu_id", "desa_id", "start_date", "end_date", "reason")
AUDIT_COLUMNS = ("id", "actor_id", "action", "object_type", "object_id", "region_code", "changes", "at")

TABLES = (
    (Household, HOUSEHOLD_COLUMNS),
    (Person, PERSON_COLUMNS),
    (Residence, RESIDENCE_COLUMNS),
    (AuditEntry, AUDIT_COLUMNS),
)


def check_columns() -> None:
    for model, columns in TABLES:
        actual = {f.column for f in model._meta.concrete_fields}
        if actual != set(columns):
            raise RuntimeError(
                f"{model._meta.db_table} columns changed: missing {sorted(actual - set(columns))}, "
                f"unknown {sorted(set(columns) - actual)}; update simpul/demo/bulk.py"
            )


class Counts:
    def __init__(self) -> None:
        self.households = 0
        self.people = 0
        self.residences = 0
        self.audit = 0

    @property
    def rows(self) -> int:
        return self.households + self.people + self.residences + self.audit


class _Ids:
    """The next free primary key per table; the writer hands them out and reports the last one used."""

    def __init__(self, first: dict[str, int]):
        self.next = dict(first)

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


def _household_audit(household: SeedHousehold) -> dict:
    return {"members": len(household.members), "posyandu": household.posyandu_id, "rt": household.rt,
            "rw": household.rw}


class BaseWriter:
    """Turns generated households into rows; subclasses decide how rows reach the database."""

    def __init__(self, *, seeder_id: int, audit: bool = True):
        check_columns()
        self.seeder_id = seeder_id
        self.audit = audit
        self.counts = Counts()
        self.ids: _Ids | None = None
        self.seconds: dict[str, float] = {}

    def begin(self) -> None:
        raise NotImplementedError

    def write(self, households: list[SeedHousehold]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        raise NotImplementedError


NULL = "\\N"  # COPY text format's NULL


def _esc_copy(value: str) -> str:
    """Escape a text value for COPY's text format."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


class PostgresCopyWriter(BaseWriter):
    """COPY text streams into the four tables, one COPY per table per batch, from a background thread.

    With ``suspend_constraints`` (a large load) the tables' secondary indexes,
    unique constraints and foreign keys are dropped for the load and rebuilt at
    :meth:`finish`, see :mod:`simpul.demo.pgload`.
    """

    tables = {
        "household": Household._meta.db_table,
        "person": Person._meta.db_table,
        "residence": Residence._meta.db_table,
        "audit": AuditEntry._meta.db_table,
    }
    columns = {"household": HOUSEHOLD_COLUMNS, "person": PERSON_COLUMNS, "residence": RESIDENCE_COLUMNS,
               "audit": AUDIT_COLUMNS}

    def __init__(self, *, seeder_id: int, audit: bool = True, suspend_constraints: bool = False):
        super().__init__(seeder_id=seeder_id, audit=audit)
        self.suspend_constraints = suspend_constraints
        self._suspended = None
        self._copy: pgload.CopyThread | None = None

    def begin(self) -> None:
        tables = list(self.tables.values())
        with connection.cursor() as cursor:
            # Other writers wait until we commit; readers go on. Holding the lock makes the id range ours.
            cursor.execute("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE".format(", ".join(tables)))
            first = {}
            for key, table in self.tables.items():
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
                first[key] = cursor.fetchone()[0]
        if self.suspend_constraints:
            started = time.perf_counter()
            self._suspended = pgload.suspend(tables)
            self.seconds["suspend"] = time.perf_counter() - started
        self.ids = _Ids(first)
        self._first = dict(first)
        self._copy = pgload.CopyThread(connection.connection)  # the psycopg 3 connection under Django's

    def write(self, households: list[SeedHousehold]) -> None:
        buffers = self._render(households)
        self._copy.submit([
            (f"COPY {self.tables[key]} ({', '.join(self.columns[key])}) FROM STDIN", "".join(lines))
            for key, lines in buffers.items() if lines
        ])

    def finish(self) -> None:
        started = time.perf_counter()
        self._copy.close()
        self.seconds["copy_drain"] = time.perf_counter() - started
        with connection.cursor() as cursor:
            for key, table in self.tables.items():
                last = self.ids.next[key] - 1
                if last >= self._first[key]:
                    cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, last])
        if self._suspended is not None:
            started = time.perf_counter()
            pgload.restore(self._suspended)
            self.seconds["restore"] = time.perf_counter() - started

    def _render(self, households: list[SeedHousehold]) -> dict[str, list[str]]:
        ids, seeder, counts = self.ids, self.seeder_id, self.counts
        out: dict[str, list[str]] = {"household": [], "person": [], "residence": [], "audit": []}
        hh_lines, person_lines, res_lines, audit_lines = out["household"], out["person"], out["residence"], out["audit"]
        for household in households:
            hh_id = ids.take("household")
            created = f"{household.created_at:%Y-%m-%d %H:%M:%S}+00"
            posyandu, desa = household.posyandu_id, household.desa_id
            hh_lines.append(
                f"{hh_id}\t{household.client_uuid}\t{created}\t{seeder}\t{created}\t{seeder}\t1\t{posyandu}\t{desa}\t"
                f"{household.kk_cipher}\t{household.kk_hash or NULL}\t{_esc_copy(household.address)}\t{household.rt}\t"
                f"{household.rw}\t{_esc_copy(household.dusun)}\t{NULL}\t{NULL}\tactive\t{_esc_copy(household.head_name)}\n"
            )
            for person in household.members:
                person_id = ids.take("person")
                if person.created_at is household.created_at:
                    person_created = created
                else:
                    person_created = f"{person.created_at:%Y-%m-%d %H:%M:%S}+00"
                person_lines.append(
                    f"{person_id}\t{person.client_uuid}\t{person_created}\t{seeder}\t{person_created}\t{seeder}\t1\t"
                    f"{hh_id}\t{posyandu}\t{desa}\t{_esc_copy(person.full_name)}\t{person.sex}\t"
                    f"{person.birth_date.isoformat()}\t{'t' if person.birth_date_estimated else 'f'}\t"
                    f"{person.nik_cipher}\t{person.nik_hash or NULL}\t{person.nik_last4}\t{person.nik_status}\t"
                    f"{_esc_copy(person.nik_warnings)}\t{person.provisional_id}\t{person.relationship}\t{person.phone}\t"
                    f"{_esc_copy(person.mother_name)}\t{person.education_status}\t{_esc_copy(person.school_name)}\t"
                    f"{person.disability_type}\talive\t{NULL}\t{NULL}\n"
                )
                start = person.registered_on.isoformat()
                res_lines.append(f"{ids.take('residence')}\t{person_id}\t{hh_id}\t{posyandu}\t{desa}\t{start}\t{NULL}\tregistered\n")
                if self.audit and person.created_at is not household.created_at:
                    changes = _esc_copy(json.dumps({"household": hh_id, "full_name": person.full_name}))
                    audit_lines.append(
                        f"{ids.take('audit')}\t{seeder}\tregistry.person.registered\tregistry.person\t{person_id}\t"
                        f"{desa}\t{changes}\t{person_created}\n"
                    )
            if self.audit:
                changes = _esc_copy(json.dumps(_household_audit(household)))
                audit_lines.append(
                    f"{ids.take('audit')}\t{seeder}\tregistry.household.registered\tregistry.household\t{hh_id}\t"
                    f"{desa}\t{changes}\t{created}\n"
                )
        counts.households += len(hh_lines)
        counts.people += len(person_lines)
        counts.residences += len(res_lines)
        counts.audit += len(audit_lines)
        return out


class SqliteWriter(BaseWriter):
    """One executemany per table per batch, inside the caller's (IMMEDIATE) transaction."""

    def begin(self) -> None:
        first = {}
        with connection.cursor() as cursor:
            for key, model in (("household", Household), ("person", Person), ("residence", Residence),
                               ("audit", AuditEntry)):
                table = model._meta.db_table
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608 - table name from _meta
                highest = cursor.fetchone()[0]
                # AUTOINCREMENT never reuses ids, even of deleted rows: start above its counter too.
                cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s", [table])
                first[key] = max(highest, cursor.fetchone()[0]) + 1
        self.ids = _Ids(first)

    def write(self, households: list[SeedHousehold]) -> None:
        rows = self._render(households)
        with connection.cursor() as cursor:
            for key, model, columns in (("household", Household, HOUSEHOLD_COLUMNS), ("person", Person, PERSON_COLUMNS),
                                        ("residence", Residence, RESIDENCE_COLUMNS),
                                        ("audit", AuditEntry, AUDIT_COLUMNS)):
                if rows[key]:
                    cursor.executemany(
                        f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) '  # noqa: S608
                        f"VALUES ({', '.join(['%s'] * len(columns))})",
                        rows[key],
                    )

    def finish(self) -> None:
        """Nothing to do: inserting explicit ids moves SQLite's AUTOINCREMENT counter itself."""

    def _render(self, households: list[SeedHousehold]) -> dict[str, list[tuple]]:
        ids, seeder, counts = self.ids, self.seeder_id, self.counts
        out: dict[str, list[tuple]] = {"household": [], "person": [], "residence": [], "audit": []}
        for household in households:
            hh_id = ids.take("household")
            created = f"{household.created_at:%Y-%m-%d %H:%M:%S}"  # Django keeps naive UTC text on SQLite
            posyandu, desa = household.posyandu_id, household.desa_id
            out["household"].append((
                hh_id, household.client_uuid, created, seeder, created, seeder, 1, posyandu, desa,
                household.kk_cipher, household.kk_hash, household.address, household.rt, household.rw,
                household.dusun, None, None, "active", household.head_name,
            ))
            for person in household.members:
                person_id = ids.take("person")
                person_created = created if person.created_at is household.created_at else (
                    f"{person.created_at:%Y-%m-%d %H:%M:%S}")
                out["person"].append((
                    person_id, person.client_uuid, person_created, seeder, person_created, seeder, 1, hh_id,
                    posyandu, desa, person.full_name, person.sex, person.birth_date.isoformat(),
                    int(person.birth_date_estimated), person.nik_cipher, person.nik_hash, person.nik_last4,
                    person.nik_status, person.nik_warnings, person.provisional_id, person.relationship, person.phone,
                    person.mother_name, person.education_status, person.school_name, person.disability_type,
                    "alive", None, None,
                ))
                out["residence"].append((ids.take("residence"), person_id, hh_id, posyandu, desa,
                                         person.registered_on.isoformat(), None, "registered"))
                if self.audit and person.created_at is not household.created_at:
                    out["audit"].append((
                        ids.take("audit"), seeder, "registry.person.registered", "registry.person", str(person_id),
                        desa, json.dumps({"household": hh_id, "full_name": person.full_name}), person_created,
                    ))
            if self.audit:
                out["audit"].append((
                    ids.take("audit"), seeder, "registry.household.registered", "registry.household", str(hh_id),
                    desa, json.dumps(_household_audit(household)), created,
                ))
        counts.households += len(out["household"])
        counts.people += len(out["person"])
        counts.residences += len(out["residence"])
        counts.audit += len(out["audit"])
        return out


def writer_for_connection(*, seeder_id: int, audit: bool = True, expected_people: int = 0) -> BaseWriter:
    if connection.vendor == "postgresql":
        return PostgresCopyWriter(seeder_id=seeder_id, audit=audit,
                                  suspend_constraints=_worth_suspending(expected_people))
    if connection.vendor == "sqlite":
        return SqliteWriter(seeder_id=seeder_id, audit=audit)
    raise RuntimeError(f"no bulk writer for {connection.vendor}")


SUSPEND_MIN_PEOPLE = 50_000


def _worth_suspending(expected_people: int) -> bool:
    """Rebuilding indexes pays off for a load that is large, also compared with what the table holds."""
    if expected_people < SUSPEND_MIN_PEOPLE:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass",
                       [Person._meta.db_table])
        existing = cursor.fetchone()[0]
    return expected_people >= existing // 4
