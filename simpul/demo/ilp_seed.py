"""A year of posyandu (ILP) records for a seeded region, written set-based: ``seed_region --ilp``.

For every posyandu of the region, one posyandu day a month (closed), and on those days what a kader and
bidan record: weight (and in February and August, or now and then, length) of the under-fives who came,
vitamin A in February and August, the immunisation doses of the national schedule (a few children fall
behind on one antigen), pregnancies with their antenatal visits, one screening a year for most adults (and
monthly follow-up of those found with high blood pressure or glucose), the water and sanitation of most
households, and a few referrals. Attendance is high but not perfect, so coverage lands between 80 and 100 %
like a real kab/kota.

The rows are generated from the residents already in the database (one random stream per desa, so the same
seed gives the same records) and written with COPY on PostgreSQL, ``bulk_create`` on SQLite, inside one
transaction. They bypass the services on purpose — a year of a kabupaten is millions of rows — so WHO
z-scores are not computed (the growth engine costs about 0.5 ms a measurement) and no audit entries are
written; ``recorded_by`` is the seeder user, which marks them as synthetic. The SPM counters are not updated
here: run ``manage.py spm_recompute`` afterwards (``seed_region --ilp`` does).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction

from simpul.core.errors import DomainError
from simpul.demo import pgload
from simpul.demo.generate import seeded_uuid
from simpul.demo.health_history import MEDIAN, _median
from simpul.demo.rows import NULL, copy_escape
from simpul.demo.seeding import seeder_user
from simpul.health.models import Measurement
from simpul.immunization import schedule
from simpul.immunization.models import ImmunizationRecord
from simpul.maternal import rules as maternal_rules
from simpul.maternal.models import AncVisit, Pregnancy
from simpul.posyandu.models import Posyandu
from simpul.registry.lifestage import life_stage
from simpul.registry.models import Household, HouseholdCondition, Person, Residence
from simpul.screening.models import Screening
from simpul.serviceday.models import ServiceDay, ServiceGiven

# --- How often things happen (shares of the people concerned) -------------------------------------------
CHILD_HABITS = ((0.88, 0.90, 1.00), (0.09, 0.55, 0.85), (0.03, 0.10, 0.40))  # (share, attendance low, high)
LENGTH_EXTRA = 0.2  # length measured in a month other than February/August
VITAMIN_A_MONTHS = (2, 8)
VITAMIN_A_GIVEN = 0.97
DOSE_GAP = 0.08  # children who stop one antigen's series part-way
SCREENED = {"productive": 0.86, "elderly": 0.9}  # once in the year, 15-59 and 60+
FOLLOW_UP = 0.85  # a flagged adult comes back for a check on a later posyandu day
PREGNANT_PER_YEAR = 0.07  # women 15-45
ANC_ATTENDED = 0.97  # each planned antenatal visit
ANC_WEEKS = ((2, 17), (2, 23), (3, 29), (3, 33), (3, 37))  # after the first visit (trimester 1): (trimester, week)
SURVEYED = 0.92  # households whose water and sanitation were observed in the year
SAFE_WATER = (("perpipaan", 0.34), ("sumur_bor", 0.22), ("sumur_terlindung", 0.2), ("kemasan", 0.12),
              ("mata_air_terlindung", 0.02), ("sumur_tak_terlindung", 0.07), ("air_permukaan", 0.03))
SANITATION = (("sendiri_septik", 0.74), ("bersama_septik", 0.1), ("sendiri_tanpa_septik", 0.12),
              ("tidak_ada", 0.04))
REFERRALS_PER_DESA = 0.15
FLUSH_ROWS = 50_000
SUSPEND_MIN_RESIDENTS = 50_000

# Columns written, per table (every NOT NULL column without a database default is here).
SERVICEDAY = ("id", "client_uuid", "posyandu_id", "desa_id", "held_on", "place", "note", "status",
              "counselling_topics", "counselling_notes", "scheduled_by_id", "scheduled_at", "opened_by_id",
              "opened_at", "closed_by_id", "closed_at", "cancel_reason", "close_summary")
MEASUREMENT = ("client_uuid", "person_id", "posyandu_id", "desa_id", "measured_on", "weight_kg", "length_height_cm",
               "position", "oedema", "age_days", "flags", "class_wfa", "class_lhfa", "class_wflh", "class_bmifa",
               "recorded_by_id", "created_at", "correction_reason")
IMMUNIZATION = ("client_uuid", "person_id", "desa_id", "posyandu_id", "dose", "given_on", "vaccine", "batch_number",
                "given_by", "place", "place_note", "recorded_by_id", "kipi_notes", "kipi_follow_up", "created_at",
                "updated_at")
SERVICE = ("client_uuid", "day_id", "person_id", "kind", "detail", "note", "recorded_by_id", "created_at")
PREGNANCY = ("id", "client_uuid", "person_id", "posyandu_id", "desa_id", "registered_on", "hpht", "hpht_source", "hpl",
             "gravida", "para", "abortus", "status", "delivered_on", "ended_on", "outcome_note", "recorded_by_id",
             "created_at", "updated_at")
ANC = ("client_uuid", "pregnancy_id", "person_id", "posyandu_id", "desa_id", "visited_on", "gestational_days",
       "trimester", "examiner", "iron_tablets", "pmt_given", "tb_symptoms", "referred", "danger_signs", "notes",
       "recorded_by_id", "created_at", "correction_reason", "systolic", "diastolic")
SCREENING = ("client_uuid", "person_id", "posyandu_id", "desa_id", "screened_on", "age_years", "life_stage",
             "pregnant", "systolic", "diastolic", "glucose_mg_dl", "smoking", "bmi_category", "class_bmifa",
             "adl_category", "flags", "recorded_by_id", "created_at", "correction_reason")
CONDITION = ("household_id", "observed_on", "house", "water_source", "sanitation", "aid_programmes", "source", "note",
             "recorded_by_id", "recorded_at")
TABLES = {
    "serviceday": (ServiceDay, SERVICEDAY), "measurement": (Measurement, MEASUREMENT),
    "immunization": (ImmunizationRecord, IMMUNIZATION), "service": (ServiceGiven, SERVICE),
    "pregnancy": (Pregnancy, PREGNANCY), "anc": (AncVisit, ANC), "screening": (Screening, SCREENING),
    "condition": (HouseholdCondition, CONDITION),
}


@dataclass
class IlpResult:
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    referrals: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values()) + self.referrals


class AlreadyRecorded(DomainError):
    pass


@dataclass
class Resident:
    id: int
    posyandu_id: int
    desa_id: str
    household_id: int | None
    sex: str
    birth: dt.date
    since: dt.date  # the residence's start


# --- Writing ----------------------------------------------------------------------------------------------

def _copy_value(value) -> str:
    if value is None:
        return NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return copy_escape(value)
    if isinstance(value, (list, dict)):
        return copy_escape(json.dumps(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    return str(value)  # int, Decimal, date, UUID


class _Writer:
    """Buffers rows per table and writes them: COPY from a thread (PostgreSQL) or bulk_create (SQLite)."""

    def __init__(self, *, big: bool):
        self.vendor = connection.vendor
        self.buffers: dict[str, list[tuple]] = defaultdict(list)
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)
        self.seconds: dict[str, float] = {}
        self._suspended = None
        self._copy = None
        tables = [model._meta.db_table for model, _columns in TABLES.values()]
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Holding the lock makes the id ranges taken below ours until we commit.
                cursor.execute(f"LOCK TABLE {', '.join(tables)} IN SHARE ROW EXCLUSIVE MODE")
            if big:
                started = time.perf_counter()
                self._suspended = pgload.suspend(tables)
                self.seconds["suspend"] = time.perf_counter() - started
            self._copy = pgload.CopyThread(connection.connection)

    def first_id(self, key: str) -> int:
        table = TABLES[key][0]._meta.db_table
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
                return cursor.fetchone()[0]
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608 - name from _meta
            highest = cursor.fetchone()[0]
            cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s", [table])
            return max(highest, cursor.fetchone()[0]) + 1

    def add(self, key: str, row: tuple) -> None:
        self.buffers[key].append(row)
        self.counts[key] += 1

    def flush(self, force: bool = False) -> None:
        if not force and sum(len(rows) for rows in self.buffers.values()) < FLUSH_ROWS:
            return
        # Parents before children: days before services, pregnancies before visits.
        order = ("serviceday", "pregnancy", "measurement", "immunization", "service", "anc", "screening", "condition")
        if self.vendor == "postgresql":
            jobs = []
            for key in order:
                rows = self.buffers.pop(key, None)
                if rows:
                    model, columns = TABLES[key]
                    data = "".join("\t".join([_copy_value(v) for v in row]) + "\n" for row in rows)
                    jobs.append((f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN", data))
            if jobs:
                self._copy.submit(jobs)
            return
        for key in order:
            rows = self.buffers.pop(key, None)
            if rows:
                model, columns = TABLES[key]
                model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows],
                                          batch_size=500)

    def finish(self, last_ids: dict[str, int]) -> None:
        self.flush(force=True)
        if self.vendor != "postgresql":
            return
        started = time.perf_counter()
        self._copy.close()
        self.seconds["copy_drain"] = time.perf_counter() - started
        with connection.cursor() as cursor:
            for key, last in last_ids.items():
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                               [TABLES[key][0]._meta.db_table, last])
        if self._suspended is not None:
            started = time.perf_counter()
            pgload.restore(self._suspended)
            self.seconds["restore"] = time.perf_counter() - started


# --- Generating -------------------------------------------------------------------------------------------

def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    """A moment of the posyandu morning (08:00-12:00 WIB) in UTC."""
    return dt.datetime(day.year, day.month, day.day, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=rng.randrange(14400))


def _pick(rng: random.Random, weighted) -> str:
    draw = rng.random()
    for value, share in weighted:
        draw -= share
        if draw < 0:
            return value
    return weighted[-1][0]


def _months_old(birth: dt.date, on: dt.date) -> int:
    months = (on.year - birth.year) * 12 + on.month - birth.month
    return months - (on.day < birth.day)


def _years_old(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


class _Desa:
    """Everything one desa records in the year, from its own random stream."""

    def __init__(self, generator: IlpGenerator, code: str, posyandu: list[int], residents: list[Resident],
                 households: list[tuple[int, int, dt.date]]):
        self.g = generator
        self.code = code
        self.rng = random.Random(f"simpul-ilp:{generator.seed}:{code}")
        self.posyandu = posyandu
        self.residents = residents
        self.households = households
        self.days: dict[int, list[tuple[int, dt.date]]] = {}  # posyandu -> [(service day id, held_on)]

    def run(self) -> None:
        self._service_days()
        for resident in self.residents:
            days = [d for d in self.days.get(resident.posyandu_id, ()) if d[1] >= resident.since]
            months = _months_old(resident.birth, self.g.end)
            if months < 60 + 12:
                self._child(resident, days)
            years = _years_old(resident.birth, self.g.end)
            if years >= 15:
                self._adult(resident, days, years)
            if resident.sex == "F" and 15 <= _years_old(resident.birth, self.g.start) <= 45:
                self._pregnancy(resident)
        self._conditions()

    def _service_days(self) -> None:
        g, rng = self.g, self.rng
        for posyandu_id in self.posyandu:
            day_of_month = rng.randint(5, 25)
            days = []
            for month in range(1, 13):
                held_on = dt.date(g.year, month, day_of_month)
                if held_on > g.today:
                    break
                opened = _at(held_on, rng)
                day_id = g.next_id("serviceday")
                g.out.add("serviceday", (
                    day_id, seeded_uuid(rng), posyandu_id, self.code, held_on, "", "", "closed", [], "", g.seeder,
                    opened - dt.timedelta(days=20), g.seeder, opened, g.seeder, opened + dt.timedelta(hours=4), "", {},
                ))
                days.append((day_id, held_on))
            self.days[posyandu_id] = days

    def _child(self, child: Resident, days: list[tuple[int, dt.date]]) -> None:
        g, rng = self.g, self.rng
        share, habit = rng.random(), CHILD_HABITS[-1]
        for habit in CHILD_HABITS:
            share -= habit[0]
            if share < 0:
                break
        attendance = rng.uniform(habit[1], habit[2])
        weights, lengths = MEDIAN[child.sex]
        size = rng.gauss(0, 0.07)
        stature = rng.gauss(0, 0.035)
        for day_id, held_on in days:
            if held_on < child.birth or _months_old(child.birth, held_on) >= 60 or rng.random() >= attendance:
                continue
            age_days = (held_on - child.birth).days
            months = age_days / 30.4375
            weight = round(Decimal(_median(weights, months) * (1 + size) + rng.gauss(0, 0.08)), 3)
            length, position = None, ""
            if held_on.month in VITAMIN_A_MONTHS or rng.random() < LENGTH_EXTRA:
                length = round(Decimal(_median(lengths, months) * (1 + stature)), 1)
                position = "recumbent" if age_days < 731 else "standing"
            created = _at(held_on, rng)
            g.out.add("measurement", (
                seeded_uuid(rng), child.id, child.posyandu_id, child.desa_id, held_on, max(weight, Decimal("1.5")),
                length, position, False, age_days, [], "", "", "", "", g.seeder, created, "",
            ))
            if held_on.month in VITAMIN_A_MONTHS and months >= 6 and rng.random() < VITAMIN_A_GIVEN:
                capsule = "blue_100000" if months < 12 else "red_200000"
                g.out.add("service", (seeded_uuid(rng), day_id, child.id, "vitamin_a", capsule, "", g.seeder, created))
        self._doses(child, days)

    def _doses(self, child: Resident, days: list[tuple[int, dt.date]]) -> None:
        """The schedule's doses up to today, each on a posyandu day near its recommended age."""
        g, rng = self.g, self.rng
        if _months_old(child.birth, g.today) >= 36:
            return  # their doses were all given before the records here begin
        stop_antigen = stop_from = None
        if rng.random() < DOSE_GAP:
            stop_antigen = rng.choice(("dpt_hb_hib", "opv", "pcv", "mr", "ipv", "rv"))
            stop_from = rng.randint(1, 2)
        given: dict[str, dt.date] = {}
        for dose in schedule.applicable():
            if dose.antigen == stop_antigen and dose.number >= stop_from:
                continue
            previous = schedule.previous(dose)
            if previous is not None and previous.code not in given:
                continue
            on = dose.recommended.after(child.birth) + dt.timedelta(days=rng.randint(0, 3 if dose.latest else 12))
            if dose.latest is not None and on >= dose.latest.after(child.birth):
                on = dose.latest.after(child.birth) - dt.timedelta(days=1)
            if previous is not None and dose.interval is not None:
                on = max(on, dose.interval.after(given[previous.code]) + dt.timedelta(days=1))
            on = max(on, dose.earliest.after(child.birth))
            if on > g.today:
                break
            given[dose.code] = on
            place = "posyandu" if dose.recommended.months else "puskesmas"
            g.out.add("immunization", (
                seeded_uuid(rng), child.id, child.desa_id, child.posyandu_id, dose.code, on, "", "", "Bidan desa",
                place, "", g.seeder, "", "", _at(on, rng), _at(on, rng),
            ))

    def _adult(self, person: Resident, days: list[tuple[int, dt.date]], years: int) -> None:
        g, rng = self.g, self.rng
        share = SCREENED["elderly" if years >= 60 else "productive"]
        if not days or rng.random() >= share:
            return
        first = rng.randrange(len(days))
        found = False
        systolic = int(rng.gauss(118 + 0.45 * max(years - 30, 0), 14))
        glucose = int(rng.lognormvariate(4.65, 0.25))
        for index, (_day_id, held_on) in enumerate(days[first:]):
            if index and rng.random() >= FOLLOW_UP:
                continue
            sys_now = max(systolic + int(rng.gauss(0, 6)), 85)
            dia_now = min(int(sys_now * 0.63 + rng.gauss(0, 5)), sys_now - 20)
            glucose_now = max(glucose + int(rng.gauss(0, 12)), 60)
            flags = (["hypertension"] if sys_now >= 140 or dia_now >= 90 else []) + (
                ["hyperglycaemia"] if glucose_now >= 200 else [])
            age = _years_old(person.birth, held_on)
            g.out.add("screening", (
                seeded_uuid(rng), person.id, person.posyandu_id, person.desa_id, held_on, age,
                life_stage(person.birth, held_on) or "", False, sys_now, dia_now, glucose_now, "unknown", "", "", "",
                flags, g.seeder, _at(held_on, rng), "",
            ))
            # Found with high blood pressure or glucose: checked again on the following posyandu days.
            found = found or bool(flags)
            if not found:
                break

    def _pregnancy(self, woman: Resident) -> None:
        g, rng = self.g, self.rng
        if rng.random() >= PREGNANT_PER_YEAR:
            return
        hpl = g.start + dt.timedelta(days=rng.randrange(365))
        hpht = hpl - dt.timedelta(days=maternal_rules.HPL_DAYS)
        registered = max(hpht + dt.timedelta(days=rng.randint(49, 80)), woman.since)
        delivered = hpl + dt.timedelta(days=rng.randint(-14, 7))
        closed = delivered if delivered <= g.today else None
        if registered > (closed or g.today) or registered > g.today:
            return
        pregnancy_id = g.next_id("pregnancy")
        gravida = 1 + int(rng.expovariate(1.1))
        created = _at(registered, rng)
        g.out.add("pregnancy", (
            pregnancy_id, seeded_uuid(rng), woman.id, woman.posyandu_id, woman.desa_id, registered, hpht, "lmp", hpl,
            gravida, gravida - 1, 0, "delivered" if closed else "ongoing", closed, None, "", g.seeder, created,
            _at(closed, rng) if closed else created,
        ))
        visits = [(1, registered)] + [
            (trimester, hpht + dt.timedelta(days=week * 7 + rng.randint(-3, 3))) for trimester, week in ANC_WEEKS]
        for number, (_trimester, on) in enumerate(visits):
            if on < registered or on > (closed or g.today) or (number and rng.random() >= ANC_ATTENDED):
                continue
            days = (on - hpht).days
            trimester = maternal_rules.trimester_of(days)
            doctor = (number == 0 and rng.random() < 0.9) or (number == 3 and rng.random() < 0.85)
            systolic = int(rng.gauss(112, 10))
            g.out.add("anc", (
                seeded_uuid(rng), pregnancy_id, woman.id, woman.posyandu_id, woman.desa_id, on, days, trimester,
                "doctor" if doctor else "bidan", 30, False, False, False, [], "", g.seeder, _at(on, rng), "",
                systolic, min(int(systolic * 0.65 + rng.gauss(0, 4)), systolic - 20),
            ))

    def _conditions(self) -> None:
        g, rng = self.g, self.rng
        for household_id, _posyandu_id, registered in self.households:
            if rng.random() >= SURVEYED:
                continue
            first = max(g.start, registered)
            if first > g.end:
                continue
            observed = first + dt.timedelta(days=rng.randint(0, (g.end - first).days))
            g.out.add("condition", (
                household_id, observed, "layak" if rng.random() < 0.93 else "rtlh", _pick(rng, SAFE_WATER),
                _pick(rng, SANITATION), [], "survey", "", g.seeder, _at(observed, rng),
            ))


class IlpGenerator:
    def __init__(self, *, seed: int, year: int, today: dt.date, seeder: int, out: _Writer):
        self.seed = seed
        self.year = year
        self.today = today
        self.start = dt.date(year, 1, 1)
        self.end = min(dt.date(year, 12, 31), today)
        self.seeder = seeder
        self.out = out
        self.ids: dict[str, int] = {}
        self.first: dict[str, int] = {}

    def next_id(self, key: str) -> int:
        if key not in self.ids:
            self.first[key] = self.ids[key] = self.out.first_id(key)
        value = self.ids[key]
        self.ids[key] += 1
        return value

    def last_ids(self) -> dict[str, int]:
        return {key: value - 1 for key, value in self.ids.items() if value > self.first[key]}


def _residents(region_code: str, end: dt.date) -> dict[str, list[Resident]]:
    """Residents living under the region (their current residence), per desa, in id order."""
    rows = (Residence.objects.filter(desa__code__startswith=region_code, end_date__isnull=True, start_date__lte=end,
                                     person__duplicate_of__isnull=True, person__life_status=Person.LifeStatus.ALIVE)
            .order_by("person_id")
            .values_list("person_id", "posyandu_id", "desa_id", "household_id", "person__sex", "person__birth_date",
                         "start_date"))
    by_desa: dict[str, list[Resident]] = defaultdict(list)
    for row in rows.iterator(chunk_size=20_000):
        by_desa[row[2]].append(Resident(*row))
    return by_desa


def _households(region_code: str) -> dict[str, list[tuple[int, int, dt.date]]]:
    by_desa: dict[str, list[tuple[int, int, dt.date]]] = defaultdict(list)
    rows = (Household.objects.filter(desa__code__startswith=region_code, status=Household.Status.ACTIVE)
            .order_by("pk").values_list("pk", "posyandu_id", "desa_id", "created_at"))
    for pk, posyandu_id, desa_id, created in rows.iterator(chunk_size=20_000):
        by_desa[desa_id].append((pk, posyandu_id, created.date()))
    return by_desa


def ilp_seed(*, region_code: str, seed: int, today: dt.date, year: int | None = None,
             progress: Callable[[int, int, float], None] | None = None) -> IlpResult:
    """Generate and write a year of posyandu records for everyone living under ``region_code``; all or nothing.

    ``year`` defaults to ``today``'s; records go up to ``today``. Refused when the seeder already recorded
    measurements there (no replace: delete the region's seed and seed again).
    """
    year = year or today.year
    result = IlpResult()
    clock = time.perf_counter()
    with transaction.atomic():
        seeder = seeder_user()
        if Measurement.objects.filter(recorded_by=seeder, desa__code__startswith=region_code).exists():
            raise AlreadyRecorded(f"Region {region_code} already has seeded posyandu records.")
        end = min(dt.date(year, 12, 31), today)
        mark = time.perf_counter()
        residents = _residents(region_code, end)
        households = _households(region_code)
        posyandu: dict[str, list[int]] = defaultdict(list)
        for pk, desa in Posyandu.objects.filter(desa__code__startswith=region_code).order_by("pk").values_list(
                "pk", "desa_id"):
            posyandu[desa].append(pk)
        result.seconds["read"] = time.perf_counter() - mark
        people = sum(len(v) for v in residents.values())
        out = _Writer(big=people >= SUSPEND_MIN_RESIDENTS)
        generator = IlpGenerator(seed=seed, year=year, today=today, seeder=seeder.pk, out=out)
        mark = time.perf_counter()
        codes = sorted(posyandu)
        for done, code in enumerate(codes, 1):
            _Desa(generator, code, posyandu[code], residents.get(code, []), households.get(code, [])).run()
            out.flush()
            if progress:
                progress(done, len(codes), time.perf_counter() - mark)
        out.finish(generator.last_ids())
        result.seconds["records"] = time.perf_counter() - mark
        result.seconds.update(out.seconds)
        result.rows = dict(out.counts)
        mark = time.perf_counter()
        result.referrals = _referrals(region_code, codes, residents, seed=seed, today=today, seeder=seeder)
        result.seconds["referrals"] = time.perf_counter() - mark
    result.seconds["total"] = time.perf_counter() - clock
    return result


def _referrals(region_code: str, codes: Iterable[str], residents: dict[str, list[Resident]], *, seed: int,
               today: dt.date, seeder) -> int:
    """A few social and public-order referrals, most resolved: through the ORM, there are only a few."""
    from simpul.referrals.models import Category, Referral
    from simpul.referrals.services.routing import route_for
    from simpul.referrals.services.seed import agencies_seed
    from simpul.referrals.services.tickets import ticket_issue
    from simpul.referrals.workdays import add_working_days, holidays_for_span

    kabkota = region_code[:4]
    agencies_seed(kabkota)
    categories = {c.code: c for c in Category.objects.filter(code__in=["sos_lansia_telantar", "trb_ketertiban"])}
    rng = random.Random(f"simpul-ilp-referrals:{seed}:{region_code}")
    made = []
    for code in codes:
        if rng.random() >= REFERRALS_PER_DESA or not residents.get(code):
            continue
        category = categories["sos_lansia_telantar" if rng.random() < 0.6 else "trb_ketertiban"]
        elderly = [r for r in residents[code] if _years_old(r.birth, today) >= 70]
        person = rng.choice(elderly) if elderly and category.subject == "person" else None
        subject = person or rng.choice(residents[code])
        recorded_on = today - dt.timedelta(days=rng.randint(20, 300))
        agency = route_for(category, code)
        resolved = agency is not None and rng.random() < 0.8
        recorded_at = _at(recorded_on, rng)
        closed_on = recorded_on + dt.timedelta(days=rng.randint(3, 15)) if resolved else None
        made.append(Referral(
            ticket=ticket_issue(field=category.field, desa_code=code, on=recorded_on), category=category,
            field=category.field, desa_id=code, posyandu_id=subject.posyandu_id,
            person_id=person.id if person else None, household_id=person.household_id if person else None,
            description="Data sintetis", reporter=seeder, state="resolved" if resolved else "recorded",
            agency=agency if resolved else None, recorded_at=recorded_at, recorded_on=recorded_on,
            due_on=add_working_days(recorded_on, category.sla_working_days,
                                    holidays_for_span(recorded_on, category.sla_working_days)), stage_started_at=recorded_at,
            stage_started_on=recorded_on, closed_at=_at(closed_on, rng) if closed_on else None, closed_on=closed_on,
            outcome="handled" if resolved else "",
        ))
    Referral.objects.bulk_create(made)
    return len(made)
