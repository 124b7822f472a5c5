"""Generated households as database rows, in two steps so that the expensive one can run in parallel.

1. :class:`CopyText` / :class:`SqliteTuples` turn a :class:`SeedHousehold` into
   everything *except* the primary and foreign keys: COPY text lines for
   PostgreSQL, parameter tuples for SQLite. This is most of the formatting work
   and it can happen in a worker process.
2. :func:`assemble` puts the keys in front, in order, in the parent process.
   Because the key columns come first in the column lists below, that is a
   cheap string (or tuple) concatenation per row.

Values are in each backend's own storage form, the one Django itself writes:
on SQLite a UUID is 32 hex digits, a datetime naive UTC text, a bool 0/1, JSON
text as ``json.dumps`` makes it.
"""

from __future__ import annotations

import json

from simpul.audit.models import AuditEntry
from simpul.demo.generate import SeedHousehold
from simpul.registry.models import Household, Person, Residence

# Key columns first: they are the only part the parent fills in.
HOUSEHOLD_COLUMNS = (
    "id", "client_uuid", "created_at", "created_by_id", "updated_at", "updated_by_id", "version", "posyandu_id",
    "desa_id", "kk_cipher", "kk_hash", "address", "rt", "rw", "dusun", "latitude", "longitude", "status", "head_name",
)
PERSON_COLUMNS = (
    "id", "household_id", "client_uuid", "created_at", "created_by_id", "updated_at", "updated_by_id", "version",
    "posyandu_id", "desa_id", "full_name", "sex", "birth_date", "birth_date_estimated", "nik_cipher", "nik_hash",
    "nik_last4", "nik_status", "nik_warnings", "provisional_id", "relationship", "phone", "mother_name",
    "education_status", "school_name", "disability_type", "life_status", "life_status_date", "duplicate_of_id",
)
RESIDENCE_COLUMNS = ("id", "person_id", "household_id", "posyandu_id", "desa_id", "start_date", "end_date", "reason")
AUDIT_COLUMNS = ("id", "object_id", "changes", "actor_id", "action", "object_type", "region_code", "at")

TABLES = {
    "household": (Household, HOUSEHOLD_COLUMNS),
    "person": (Person, PERSON_COLUMNS),
    "residence": (Residence, RESIDENCE_COLUMNS),
    "audit": (AuditEntry, AUDIT_COLUMNS),
}


def check_columns() -> None:
    """Fail loudly when a model gained or lost a column these writers do not know about."""
    for model, columns in TABLES.values():
        actual = {f.column for f in model._meta.concrete_fields}
        if actual != set(columns):
            raise RuntimeError(
                f"{model._meta.db_table} columns changed: missing {sorted(actual - set(columns))}, "
                f"unknown {sorted(set(columns) - actual)}; update simpul/demo/rows.py"
            )


# Plain tuples, because they cross process boundaries: pickling them is six times cheaper than objects.
#   HouseholdRows = (household row without id,
#                    "registered" audit row without id and object_id, or None,
#                    [MemberRows, ...])
#   MemberRows = (person row without id and household_id,
#                 residence row without id, person_id and household_id,
#                 (full name as JSON, rest of the audit row) when added after the household, or None)
HouseholdRows = tuple


NULL = "\\N"  # COPY text format's NULL


def copy_escape(value: str) -> str:
    """Escape a text value for COPY's text format (names are plain, but never trust that)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def household_audit_json(household: SeedHousehold) -> str:
    """The changes ``household_register`` audits, as json.dumps writes them (rt and rw are digits)."""
    return (f'{{"members": {len(household.members)}, "posyandu": {household.posyandu_id}, '
            f'"rt": "{household.rt}", "rw": "{household.rw}"}}')


class CopyText:
    """PostgreSQL COPY text lines, keys left out."""

    vendor = "postgresql"

    def __init__(self, *, seeder_id: int, audit: bool):
        self.seeder = seeder_id
        self.audit = audit

    def households(self, households: list[SeedHousehold]) -> list[HouseholdRows]:
        seeder, esc, result = self.seeder, copy_escape, []
        for household in households:
            created = household.created_at.isoformat(" ")
            posyandu, desa = household.posyandu_id, household.desa_id
            members = []
            rows = (
                (
                    f"{household.client_uuid}\t{created}\t{seeder}\t{created}\t{seeder}\t1\t{posyandu}\t{desa}\t"
                    f"{household.kk_cipher}\t{household.kk_hash or NULL}\t{esc(household.address)}\t{household.rt}\t"
                    f"{household.rw}\t{esc(household.dusun)}\t{NULL}\t{NULL}\tactive\t{esc(household.head_name)}\n"
                ),
                (f"{household_audit_json(household)}\t{seeder}\tregistry.household.registered\t"
                 f"registry.household\t{desa}\t{created}\n") if self.audit else None,
                members,
            )
            for person in household.members:
                person_created = created if person.created_at is household.created_at else person.created_at.isoformat(" ")
                late = None
                if self.audit and person.created_at is not household.created_at:
                    late = (
                        esc(json.dumps(person.full_name)),
                        f"{seeder}\tregistry.person.registered\tregistry.person\t{desa}\t{person_created}\n",
                    )
                members.append((
                    (
                        f"{person.client_uuid}\t{person_created}\t{seeder}\t{person_created}\t{seeder}\t1\t"
                        f"{posyandu}\t{desa}\t{esc(person.full_name)}\t{person.sex}\t{person.birth_date.isoformat()}\t"
                        f"{'t' if person.birth_date_estimated else 'f'}\t{person.nik_cipher}\t"
                        f"{person.nik_hash or NULL}\t{person.nik_last4}\t{person.nik_status}\t"
                        f"{esc(person.nik_warnings)}\t{person.provisional_id}\t{person.relationship}\t{person.phone}\t"
                        f"{esc(person.mother_name)}\t{person.education_status}\t{esc(person.school_name)}\t"
                        f"{person.disability_type}\talive\t{NULL}\t{NULL}\n"
                    ),
                    f"{posyandu}\t{desa}\t{person.registered_on.isoformat()}\t{NULL}\tregistered\n",
                    late,
                ))
            result.append(rows)
        return result


class SqliteTuples:
    """SQLite parameter tuples, keys left out."""

    vendor = "sqlite"

    def __init__(self, *, seeder_id: int, audit: bool):
        self.seeder = seeder_id
        self.audit = audit

    def households(self, households: list[SeedHousehold]) -> list[HouseholdRows]:
        seeder, result = self.seeder, []
        for household in households:
            created = household.created_at.replace(tzinfo=None).isoformat(" ")  # naive UTC, as Django stores it
            posyandu, desa = household.posyandu_id, household.desa_id
            members = []
            rows = (
                (household.client_uuid, created, seeder, created, seeder, 1, posyandu, desa,
                           household.kk_cipher, household.kk_hash, household.address, household.rt, household.rw,
                           household.dusun, None, None, "active", household.head_name),
                (household_audit_json(household), seeder, "registry.household.registered", "registry.household",
                 desa, created) if self.audit else None,
                members,
            )
            for person in household.members:
                person_created = created if person.created_at is household.created_at else (
                    person.created_at.replace(tzinfo=None).isoformat(" "))
                late = None
                if self.audit and person.created_at is not household.created_at:
                    late = (json.dumps(person.full_name),
                            (seeder, "registry.person.registered", "registry.person", desa, person_created))
                members.append((
                    (person.client_uuid, person_created, seeder, person_created, seeder, 1, posyandu, desa,
                            person.full_name, person.sex, person.birth_date.isoformat(),
                            int(person.birth_date_estimated), person.nik_cipher, person.nik_hash, person.nik_last4,
                            person.nik_status, person.nik_warnings, person.provisional_id, person.relationship,
                            person.phone, person.mother_name, person.education_status, person.school_name,
                            person.disability_type, "alive", None, None),
                    (posyandu, desa, person.registered_on.isoformat(), None, "registered"),
                    late,
                ))
            result.append(rows)
        return result


RENDERERS = {CopyText.vendor: CopyText, SqliteTuples.vendor: SqliteTuples}


class KeyCounter:
    """The next free primary key of each table; :func:`assemble` takes them in order."""

    def __init__(self, first: dict[str, int]):
        self.first = dict(first)
        self.next = dict(first)

    def used(self, table: str) -> int:
        return self.next[table] - self.first[table]


def assemble(batch: list[HouseholdRows], keys: KeyCounter, *, text: bool) -> dict[str, list]:
    """Give every row its keys: COPY lines (``text``) or full parameter tuples, per table."""
    households, people, residences, audit = [], [], [], []
    h, p, r, a = keys.next["household"], keys.next["person"], keys.next["residence"], keys.next["audit"]
    for household, household_audit, members in batch:
        if text:
            households.append(f"{h}\t{household}")
        else:
            households.append((h, *household))
        for person, residence, late_audit in members:
            if text:
                people.append(f"{p}\t{h}\t{person}")
                residences.append(f"{r}\t{p}\t{h}\t{residence}")
            else:
                people.append((p, h, *person))
                residences.append((r, p, h, *residence))
            r += 1
            if late_audit is not None:
                name_json, rest = late_audit
                changes = f'{{"household": {h}, "full_name": {name_json}}}'
                audit.append(f"{a}\t{p}\t{changes}\t{rest}" if text else (a, str(p), changes, *rest))
                a += 1
            p += 1
        if household_audit is not None:
            audit.append(f"{a}\t{h}\t{household_audit}" if text else (a, str(h), *household_audit))
            a += 1
        h += 1
    keys.next.update(household=h, person=p, residence=r, audit=a)
    return {"household": households, "person": people, "residence": residences, "audit": audit}
