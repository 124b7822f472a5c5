"""Vector forms of the health rules (rules/health.py): under_five_package, anc_pattern, monthly_follow_up.

Each form must give exactly ``engine.count``'s cells; see simpul/spm/tests/test_fastpath_health.py. The records
are read once per area as small integer tables keyed by person (or pregnancy), grouped in SQL to one row per
person (months as bit sets, one column per dose), and joined to the area's resident rows with
``searchsorted``.

Why the rules vectorise exactly:

- ``under_five_package``: a month of the year counts for a child when, on that month's "as of" day, the child
  lived (by ``Area.present``, so desa by desa like the engine) in the posyandu judged and was under 60 months;
  the weighings and heights are then counted over those months only, and the share is ceil(n × e / 12).
- Immunisation complete for age depends on no interval: ``immunization.rules.evaluate`` calls a dose that is
  not given "overdue" from its overdue age and "missed" from its latest age; the previous dose and the
  interval only decide between "due" and "not yet", which do not make a record incomplete. So a dose makes the
  child incomplete on day ``d`` exactly when min(overdue age, latest age) ≤ d and it was not given by ``d``.
- ``anc_pattern`` judges a pregnancy on its end day, with the contacts of its whole course: the verdict does
  not change once the end day is past, only whether it is counted yet.
- ``monthly_follow_up``: served when every month from the month found (January when found earlier) to the
  as-of month has a check on or before the as-of day.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
from django.db import connection

from simpul.health.models import Measurement
from simpul.immunization import schedule
from simpul.immunization.models import ImmunizationRecord
from simpul.maternal.models import AncVisit, Pregnancy
from simpul.maternal.rules import DELIVERY_FROM_DAYS, HEALTH_WORKERS, Examiner
from simpul.registry.models import Person
from simpul.screening.models import Screening
from simpul.serviceday.models import Service, ServiceDay, ServiceGiven
from simpul.spm import catalogue, engine
from simpul.spm.fastpath import NEVER, Added, Area, Units, _big, _day, _days_sql, _ints, vector
from simpul.spm.periods import month_end

MONTHS = 13  # columns indexed by month number; column 0 unused
CHILDREN = "health.children."  # cache names of ``_Children``


def _months_sql(column: str, condition: str) -> str:
    """The months of the group's rows meeting ``condition`` as a bit set (bit m: month m), in one integer.

    Summing the distinct values of 2^month (or 0) is a bitwise OR that both databases can do."""
    if connection.vendor == "postgresql":
        bit = f"(1::bigint << EXTRACT(MONTH FROM {column})::int)"
    else:
        bit = f"(1 << CAST(strftime('%m', {column}) AS INTEGER))"
    return f"SUM(DISTINCT CASE WHEN {condition} THEN {bit} ELSE 0 END)"


def _first_sql(condition: str, column: str) -> str:
    """The earliest day of ``column`` among the group's rows meeting ``condition`` (NEVER when none)."""
    return f"COALESCE(MIN(CASE WHEN {condition} THEN {_days_sql(column)} END), {NEVER})"


def _has(months: np.ndarray) -> np.ndarray:
    """Bit sets of months → a (n, 13) boolean table indexed by month number."""
    return ((months[:, None] >> np.arange(MONTHS)) & 1).astype(bool)


def _positions(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Where each value is in the sorted ``keys``; -1 when absent (tables keep a fill row last, so -1 finds it)."""
    if not len(keys):
        return np.full(len(values), -1, dtype=np.int64)
    at = np.clip(np.searchsorted(keys, values), 0, len(keys) - 1)
    return np.where(keys[at] == values, at, -1)


def _per_person(rows: np.ndarray, fill: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows (person, values...) sorted by person → the people, and their values with a last row of ``fill``
    (for people without a row: ``_positions`` gives them -1)."""
    return rows[:, 0], np.vstack([rows[:, 1:], np.full((1, rows.shape[1] - 1), fill, dtype=np.int64)])


def _merged(people: np.ndarray, values: np.ndarray, rows: list[tuple], combine: np.ufunc) -> tuple[np.ndarray, np.ndarray]:
    """``_per_person``'s people and values (fill row last) with ``rows`` (person, values...) folded in by
    ``combine`` (bit sets: ``bitwise_or``; first days: ``minimum``), as if read together."""
    if not rows:
        return people, values
    new = np.array(rows, dtype=np.int64).reshape(len(rows), values.shape[1] + 1)
    together = np.union1d(people, new[:, 0])
    out = np.empty((len(together) + 1, values.shape[1]), dtype=np.int64)
    out[:] = values[-1]  # people first seen here start from the fill row
    out[np.searchsorted(together, people)] = values[:-1]
    combine.at(out, np.searchsorted(together, new[:, 0]), new[:, 1:])
    return together, out


def records_added(area: Area, added: Added) -> bool:
    """Fold ``added`` into what ``area`` has read for the rules here, if that is all it has read from record
    tables; False when something else was read (the caller then forgets the records and reads again)."""
    read = area.records_read()
    if any(not str(name).startswith(CHILDREN) for name in read):
        return False
    for children in read.values():
        children.add(added)
    return True


def _age_months(area: Area, rows: np.ndarray, day: dt.date) -> np.ndarray:
    """``data.age_in_months`` of the residents of ``rows`` on ``day``."""
    md = area.birth_md[rows]
    return (day.year - area.birth_year[rows]) * 12 + day.month - md // 100 - (day.day < md % 100)


def _after(span: schedule.Span, births: np.ndarray) -> np.ndarray:
    """``span.after(birth)`` as day numbers: calendar months (clamped to the month's last day), then days."""
    dates = births.astype("datetime64[D]")
    months = dates.astype("datetime64[M]")
    day_of_month = (dates - months.astype("datetime64[D]")).astype(np.int64)
    target = months + span.months
    first = target.astype("datetime64[D]")
    length = ((target + 1).astype("datetime64[D]") - first).astype(np.int64)
    return first.astype(np.int64) + np.minimum(day_of_month, length - 1) + span.days


# --- kes.balita ----------------------------------------------------------------------------------------


def _child_cutoff(area: Area, max_months: int) -> dt.date:
    """Born before this, a resident is over ``max_months`` months old for the whole year: not loaded."""
    return dt.date(area.year - max_months // 12 - 2, 1, 1)


class _Children:
    """Records of the area's young children: per person, the months of the year with a weighing, a height or a
    vitamin A capsule, and the day each dose of the schedule was given; plus their resident rows grouped by
    (person, desa), so that where a child lived at each month's end can be looked up per desa as the engine
    does.

    Months are enough, not days: records are read up to ``Area.last_day`` (the engine's ``data.end``), and a
    record of month m ≤ the as-of month is then on or before the as-of day (the month's end, or today).
    """

    def __init__(self, area: Area, cutoff: dt.date):
        self.area = area
        self.doses = schedule.applicable()
        young = area.birth >= _day(cutoff)
        if area.names_people(young):
            # A small area (a desa's list): its young children by id, a few index probes per table.
            born, joins = area.people_filter("x.person_id", young), ""
        else:
            # A kab/kota: the range of its residents' ids, the young ones picked by their birth date.
            born = f"p.birth_date >= '{cutoff}' AND {area.people_filter('x.person_id')}"
            joins = f"JOIN {Person._meta.db_table} p ON p.id = x.person_id"
        first, last = area.first_day, area.last_day
        day = "x.measured_on"
        rows = _ints(
            f"SELECT {_big('x.person_id')}, {_big(_months_sql(day, 'x.weight_kg IS NOT NULL'))}, "  # noqa: S608
            f"{_big(_months_sql(day, 'x.length_height_cm IS NOT NULL'))} "
            f"FROM {Measurement._meta.db_table} x {joins} "
            f"WHERE x.superseded_by_id IS NULL AND {day} >= '{first}' AND {day} <= '{last}' AND {born} "
            f"GROUP BY x.person_id ORDER BY 1",
            3,
        )
        self.measured_people, self.measured_months = _per_person(rows, 0)
        rows = _ints(
            f"SELECT {_big('x.person_id')}, {_big(_months_sql('d.held_on', '1 = 1'))} "  # noqa: S608
            f"FROM {ServiceGiven._meta.db_table} x JOIN {ServiceDay._meta.db_table} d ON d.id = x.day_id {joins} "
            f"WHERE x.kind = '{Service.VITAMIN_A}' AND d.held_on >= '{first}' AND d.held_on <= '{last}' "
            f"AND {born} GROUP BY x.person_id ORDER BY 1",
            2,
        )
        self.capsule_people, self.capsule_months = _per_person(rows, 0)
        # JE is left out (not required: endemic areas are not recorded), as by the engine.
        doses = ", ".join(_big(_first_sql(f"x.dose = '{dose.code}'", "x.given_on")) for dose in self.doses)
        rows = _ints(
            f"SELECT {_big('x.person_id')}, {doses} FROM {ImmunizationRecord._meta.db_table} x {joins} "  # noqa: S608
            f"WHERE {born} GROUP BY x.person_id ORDER BY 1",
            1 + len(self.doses),
        )
        self.dosed_people, self.given = _per_person(rows, NEVER)
        # The young children's resident rows, grouped by (person, desa).
        self.rows = np.flatnonzero(area.birth >= _day(cutoff))
        keys = area.person[self.rows] * 1_000_000 + area.desa[self.rows]
        _unique, self.group_of_row = np.unique(keys, return_inverse=True)
        self.group_of_row = self.group_of_row.reshape(-1)
        self.groups = len(_unique)
        # Where each young child's row finds its records: looked up once, not once per month.
        persons = area.person[self.rows]
        self.measured_at = _positions(self.measured_people, persons)
        self.capsule_at = _positions(self.capsule_people, persons)
        self.dosed_at = _positions(self.dosed_people, persons)
        # Per row and dose: the day from which the dose, not given, makes the record incomplete — its overdue
        # age, or its latest age when earlier (it is then "missed").
        births = area.birth[self.rows]
        self.incomplete_from = np.zeros((len(self.rows), len(self.doses)), dtype=np.int64)
        for index, dose in enumerate(self.doses):
            self.incomplete_from[:, index] = _after(dose.overdue, births)
            if dose.latest is not None:
                self.incomplete_from[:, index] = np.minimum(self.incomplete_from[:, index],
                                                            _after(dose.latest, births))
        self._where: dict[int, np.ndarray] = {}

    def add(self, added: Added) -> None:
        """Take in records just inserted, as the queries above would now read them: a batch's tally counts
        again without reading the tables again (``spm.incremental``). New records are never superseded; a
        measurement outside the year's days is not read, a dose of any day is (its first day per dose)."""
        area = self.area
        measured = [(person, 1 << day.month if weight else 0, 1 << day.month if height else 0)
                    for person, day, weight, height in added.measured if area.first_day <= day <= area.last_day]
        self.measured_people, self.measured_months = _merged(
            self.measured_people, self.measured_months, measured, np.bitwise_or)
        column = {dose.code: index for index, dose in enumerate(self.doses)}
        doses = []
        for person, code, day in added.doses:
            if code in column:  # JE and other doses outside the package are not read either
                row = [NEVER] * len(self.doses)
                row[column[code]] = _day(day)
                doses.append((person, *row))
        self.dosed_people, self.given = _merged(self.dosed_people, self.given, doses, np.minimum)
        persons = area.person[self.rows]
        self.measured_at = _positions(self.measured_people, persons)
        self.dosed_at = _positions(self.dosed_people, persons)

    def where(self, month: int) -> np.ndarray:
        """Per group: the posyandu index where the child lived on the month's as-of day (-1: not here)."""
        if month not in self._where:
            at = np.full(self.groups, -1, dtype=np.int64)
            day = engine.as_of_day(self.area.year, month, self.area.today)
            here = np.flatnonzero(self.area.present(day)[self.rows])
            at[self.group_of_row[here]] = self.area.posyandu[self.rows[here]]
            self._where[month] = at
        return self._where[month]


@vector("under_five_package", read_cost=3.0)
def under_five_package(area: Area, indicator: catalogue.Indicator, as_of: dt.date) -> tuple[np.ndarray, np.ndarray]:
    params = indicator.params
    low, high = params["min_months"], params["max_months"]
    cutoff = _child_cutoff(area, high)
    children: _Children = area.cached(f"{CHILDREN}{cutoff}", lambda a: _Children(a, cutoff))
    size = len(area.person)
    present = area.present(as_of)
    # Only the young children's rows can be in the sasaran (``cutoff`` is more than ``high`` months back).
    local = np.flatnonzero(present[children.rows])
    rows = children.rows[local]
    age = _age_months(area, rows, as_of)
    keep = (age >= low) & (age <= high)
    local, rows = local[keep], rows[keep]
    group, posyandu = children.group_of_row[local], area.posyandu[rows]
    month = as_of.month
    # Months lived here up to the as-of month (e >= 1: the as-of month is one). The engine also asks for the
    # age limit at each month's end, which holds here: under ``high`` months on the as-of day, a child was
    # under it at every earlier day.
    here = np.zeros((len(rows), MONTHS), dtype=bool)
    for m in range(1, month + 1):
        here[:, m] = children.where(m)[group] == posyandu
    lived = here.sum(axis=1)
    ok = np.ones(len(rows), dtype=bool)
    measured = children.measured_months[children.measured_at[local]]
    for column, per_year in ((0, params["weighings"]), (1, params["heights"])):
        have = (here & _has(measured[:, column])).sum(axis=1)
        ok &= have >= -(-per_year * lived // 12)
    capsules = _has(children.capsule_months[children.capsule_at[local], 0])
    for m in params["vitamin_a_months"]:
        if month_end(area.year, m) > as_of:
            continue
        old_enough = _age_months(area, rows, dt.date(area.year, m, 1)) >= params["vitamin_a_from_months"]
        ok &= ~(here[:, m] & old_enough & ~capsules[:, m])
    given = children.given[children.dosed_at[local]]
    today = _day(as_of)
    ok &= ~((children.incomplete_from[local] <= today) & (given > today)).any(axis=1)
    sasaran = np.zeros(size, dtype=bool)
    sasaran[rows] = True
    served = np.zeros(size, dtype=bool)
    served[rows[ok]] = True
    return sasaran, served


# --- kes.ibu_hamil -------------------------------------------------------------------------------------


class _Pregnancies:
    """The area's pregnancies ending in the year, each joined to the posyandu where the mother lived on its
    end day (one unit per desa, as ``Area.present``), and whether its contacts meet the pattern."""

    def __init__(self, area: Area, params: dict):
        first, last = area.first_day, area.last_day
        end = "COALESCE(x.delivered_on, x.ended_on, x.hpl)"
        in_year = (f"((x.delivered_on >= '{first}' AND x.delivered_on <= '{last}') "
                   f"OR (x.ended_on >= '{first}' AND x.ended_on <= '{last}') "
                   f"OR (x.status = '{Pregnancy.Status.ONGOING}' AND x.hpl >= '{first}' AND x.hpl <= '{last}'))")
        table = Pregnancy._meta.db_table
        ended = f"CASE WHEN x.status = '{Pregnancy.Status.ENDED}' THEN 1 ELSE 0 END"
        ended_on = f"COALESCE({_days_sql('x.ended_on')}, {NEVER})"
        rows = _ints(
            f"SELECT DISTINCT {_big('x.id')}, {_big('x.person_id')}, {_big(_days_sql('x.hpht'))}, "  # noqa: S608
            f"{_big(_days_sql(end))}, {_big(ended)}, {_big(ended_on)} "
            f"FROM {table} x WHERE {in_year} AND {area.people_filter('x.person_id')} ORDER BY 1",
            6,
        )
        ids, mothers, hpht, ends, ended, ended_on = rows.T if len(rows) else np.zeros((6, 0), np.int64)
        early = (ended == 1) & (ended_on - hpht < DELIVERY_FROM_DAYS)
        workers = ", ".join(f"'{examiner}'" for examiner in sorted(HEALTH_WORKERS))
        doctor = f"CASE WHEN v.examiner = '{Examiner.DOCTOR}' THEN 1 ELSE 0 END"
        visits = _ints(
            f"SELECT DISTINCT {_big('v.pregnancy_id')}, {_big(_days_sql('v.visited_on'))}, "  # noqa: S608
            f"{_big('v.trimester')}, {_big(doctor)} "
            f"FROM {AncVisit._meta.db_table} v JOIN {table} x ON x.id = v.pregnancy_id "
            f"JOIN {Person._meta.db_table} vp ON vp.id = v.person_id AND vp.duplicate_of_id IS NULL "
            f"WHERE v.superseded_by_id IS NULL AND v.visited_on <= '{last}' AND v.examiner IN ({workers}) "
            f"AND {in_year} AND {area.people_filter('v.person_id')}",
            4,
        )
        served = self._served(params, ids, hpht, ends, visits)
        # One unit per pregnancy and desa where the mother lived on the end day: rows are ordered by person
        # and start, so the first row found per (pregnancy, desa) is the stay the engine takes.
        low = np.searchsorted(area.person, mothers, "left")
        counts = np.searchsorted(area.person, mothers, "right") - low
        pregnancy = np.repeat(np.arange(len(ids)), counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        row = np.repeat(low, counts) + offsets
        day = ends[pregnancy]
        lived = ((area.start[row] <= day) & (area.end[row] >= day) & (area.birth[row] <= day)
                 & (area.gone[row] > day) & ~early[pregnancy] & (day >= _day(first)))
        pregnancy, row = pregnancy[lived], row[lived]
        _unique, once = np.unique(pregnancy * 1_000_000 + area.desa[row], return_index=True)
        pregnancy, row = pregnancy[once], row[once]
        self.end = ends[pregnancy]
        self.posyandu = area.posyandu[row]
        self.served = served[pregnancy]

    @staticmethod
    def _served(params: dict, ids: np.ndarray, hpht: np.ndarray, ends: np.ndarray, visits: np.ndarray) -> np.ndarray:
        n = len(ids)
        at = _positions(ids, visits[:, 0]) if len(visits) else np.zeros(0, np.int64)
        keep = at >= 0
        visits, at = visits[keep], at[keep]
        day, trimester, doctor = visits[:, 1], visits[:, 2], visits[:, 3]
        keep = (hpht[at] <= day) & (day <= ends[at])
        at, day, trimester, doctor = at[keep], day[keep], trimester[keep], doctor[keep]

        def distinct_days(key: np.ndarray, size: int) -> np.ndarray:
            pairs = np.unique(np.stack([key, day], axis=1), axis=0) if len(key) else np.zeros((0, 2), np.int64)
            return np.bincount(pairs[:, 0], minlength=size)

        served = distinct_days(at, n) >= params["visits"]
        by_trimester = distinct_days(at * 4 + trimester, n * 4).reshape(n, 4)
        for name, need in params["per_trimester"].items():
            served &= by_trimester[:, int(name)] >= need
        doctors = np.bincount(at[doctor == 1] * 4 + trimester[doctor == 1], minlength=n * 4).reshape(n, 4)
        for name in params["doctor_trimesters"]:
            served &= doctors[:, int(name)] > 0
        return served


@vector("anc_pattern", read_cost=1.7)
def anc_pattern(area: Area, indicator: catalogue.Indicator, as_of: dt.date) -> Units:
    found: _Pregnancies = area.cached(f"health.pregnancies.{indicator.code}",
                                      lambda a: _Pregnancies(a, indicator.params))
    judged = found.end <= _day(as_of)
    return Units(posyandu=found.posyandu[judged], served=found.served[judged])


# --- kes.hipertensi, kes.diabetes ----------------------------------------------------------------------

MEASURES = {"blood_pressure": "systolic", "glucose": "glucose_mg_dl"}


def _has_flag_sql(flag: str) -> str:
    if not re.fullmatch(r"[a-z_]+", flag):
        raise ValueError(f"unexpected flag code {flag!r}")
    if connection.vendor == "postgresql":
        return f"s.flags @> '[\"{flag}\"]'::jsonb"
    return f"EXISTS (SELECT 1 FROM json_each(s.flags) WHERE json_each.value = '{flag}')"  # noqa: S608


def _follow_up_pairs(indicator: catalogue.Indicator) -> tuple[tuple[str, str], ...]:
    """The (flag, measure) pairs of every follow-up indicator: one pass over the screenings serves them all."""
    pairs = {(i.params["flag"], i.params["measure"]) for i in catalogue.COMPUTED if i.rule == "monthly_follow_up"}
    return tuple(sorted(pairs | {(indicator.params["flag"], indicator.params["measure"])}))


class _FollowUps:
    """Per person found with one of the flags, and per (flag, measure) pair: the day of the first current
    screening that raised the flag (any year up to ``Area.last_day``; NEVER when not), and the months of the
    year with the measure taken (a bit set: months suffice, as for the children's records)."""

    def __init__(self, area: Area, pairs: tuple[tuple[str, str], ...]):
        day, first = "s.screened_on", area.first_day
        this_year = f"{day} >= '{first}'"
        flags = [_has_flag_sql(flag) for flag, _measure in pairs]
        columns = ", ".join(
            f"{_big(_first_sql(flagged, day))}, {_big(_months_sql(day, f's.{MEASURES[measure]} IS NOT NULL AND {this_year}'))}"
            for flagged, (_flag, measure) in zip(flags, pairs, strict=True))
        any_flag = " OR ".join(flags)
        current = f"s.superseded_by_id IS NULL AND {day} <= '{area.last_day}' AND {area.people_filter('s.person_id')}"
        # Only the people found with a flag are grouped (a semi-join on the flagged rows, the inner ``s``
        # shadowing the outer): grouping every screened person and keeping the flagged ones cost twice as much.
        rows = _ints(
            f"SELECT {_big('s.person_id')}, {columns} FROM {Screening._meta.db_table} s "  # noqa: S608
            f"WHERE {current} AND s.person_id IN (SELECT s.person_id FROM {Screening._meta.db_table} s "
            f"WHERE {current} AND ({any_flag})) GROUP BY s.person_id ORDER BY 1",
            1 + 2 * len(pairs),
        )
        self.people, values = _per_person(rows, 0)
        self.found = values[:, 0::2]
        self.found[-1] = NEVER
        self.checked = values[:, 1::2]
        self.column = {pair: index for index, pair in enumerate(pairs)}
        self.at_row = _positions(self.people, area.person)  # per resident row, looked up once for all months


@vector("monthly_follow_up", read_cost=2.0)
def monthly_follow_up(area: Area, indicator: catalogue.Indicator, as_of: dt.date) -> tuple[np.ndarray, np.ndarray]:
    params = indicator.params
    pairs = _follow_up_pairs(indicator)
    records: _FollowUps = area.cached(f"health.follow_ups.{pairs}", lambda a: _FollowUps(a, pairs))
    column = records.column[(params["flag"], params["measure"])]
    size = len(area.person)
    today = _day(as_of)
    rows = np.flatnonzero(area.present(as_of))
    at = records.at_row[rows]
    found = records.found[at, column]
    keep = (found <= today) & (area.age_years(as_of)[rows] >= params["min_years"])
    rows, at, found = rows[keep], at[keep], found[keep]
    # The month found, or January when found in an earlier year.
    found_dates = found.astype("datetime64[D]")
    first = np.where(found >= _day(area.first_day),
                     found_dates.astype("datetime64[M]").astype(np.int64) % 12 + 1, 1)
    owed = ((1 << (as_of.month + 1)) - 1) & ~((1 << first) - 1)  # bits first..as-of month
    served_rows = (records.checked[at, column] & owed) == owed
    sasaran = np.zeros(size, dtype=bool)
    sasaran[rows] = True
    served = np.zeros(size, dtype=bool)
    served[rows[served_rows]] = True
    return sasaran, served
