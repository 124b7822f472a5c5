"""DuckDB's side of the SPM recompute benchmark (issue 5 (e)): the 21 computed indicators in SQL over Parquet.

``export`` writes the records an area's indicators read, as they are in the database (residences, people,
screenings, measurements, doses, vitamin A, pregnancies and ANC visits, households and their observations,
referrals and categories), to Parquet — untimed. ``counts`` then computes, in one DuckDB statement, every
(indicator, posyandu, month) cell with the same semantics as ``simpul.spm.engine`` (the reference of
``simpul/spm/fastpath*.py``), rolled up to desa, kecamatan and kab/kota with GROUPING SETS — timed.

The SQL is meant to be DuckDB at its reasonable best, so the comparison is fair: stays are joined to the
months they cover with a range join (not a window per month), person-level facts (first screening, the first
month a follow-up was missed) are joined to the stays before they are expanded to months, all indicators that
count residents are one grouped pass with FILTER aggregates, the latest household observation on a day is an
ASOF join, and the children's year-to-date package is a running window per child and posyandu.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from django.db import connection

from simpul.immunization import schedule
from simpul.maternal.models import Pregnancy
from simpul.maternal.rules import DELIVERY_FROM_DAYS, HEALTH_WORKERS, Examiner
from simpul.referrals.states import State
from simpul.registry.models import Household, HouseholdCondition, Person
from simpul.serviceday.models import Service
from simpul.spm import catalogue
from simpul.spm.periods import month_end, months_through
from simpul.spm.rules.education import EDUCATION, OUT_OF_SCHOOL
from simpul.spm.rules.households import RESTORED_OUTCOMES, STANDARDS
from simpul.spm.rules.referrals import PERSON_SUBJECTS, SERVED_OUTCOMES

FAR = "DATE '9999-12-31'"

# name: (SQL over the database, DuckDB column types). ``{area}`` is the posyandu of the area, ``{people}``
# everyone who ever lived in one of them.
TABLES = {
    "posyandu": (
        "SELECT id, desa_id FROM posyandu_posyandu WHERE id IN {area}",
        {"id": "BIGINT", "desa_id": "VARCHAR"},
    ),
    "residence": (
        "SELECT id, person_id, posyandu_id, household_id, start_date, end_date FROM registry_residence "
        "WHERE posyandu_id IN {area}",
        {
            "id": "BIGINT",
            "person_id": "BIGINT",
            "posyandu_id": "BIGINT",
            "household_id": "BIGINT",
            "start_date": "DATE",
            "end_date": "DATE",
        },
    ),
    "person": (
        "SELECT id, birth_date, household_id, education_status, life_status, life_status_date, "
        "duplicate_of_id FROM registry_person WHERE id IN {people}",
        {
            "id": "BIGINT",
            "birth_date": "DATE",
            "household_id": "BIGINT",
            "education_status": "VARCHAR",
            "life_status": "VARCHAR",
            "life_status_date": "DATE",
            "duplicate_of_id": "BIGINT",
        },
    ),
    "screening": (
        "SELECT id, person_id, screened_on, superseded_by_id, flags, systolic, glucose_mg_dl "
        "FROM screening_screening WHERE person_id IN {people}",
        {
            "id": "BIGINT",
            "person_id": "BIGINT",
            "screened_on": "DATE",
            "superseded_by_id": "BIGINT",
            "flags": "VARCHAR",
            "systolic": "INTEGER",
            "glucose_mg_dl": "DOUBLE",
        },
    ),
    "measurement": (
        "SELECT id, person_id, measured_on, superseded_by_id, weight_kg, length_height_cm "
        "FROM health_measurement WHERE person_id IN {people}",
        {
            "id": "BIGINT",
            "person_id": "BIGINT",
            "measured_on": "DATE",
            "superseded_by_id": "BIGINT",
            "weight_kg": "DOUBLE",
            "length_height_cm": "DOUBLE",
        },
    ),
    "immunization": (
        "SELECT id, person_id, dose, given_on FROM immunization_immunizationrecord "
        "WHERE person_id IN {people}",
        {"id": "BIGINT", "person_id": "BIGINT", "dose": "VARCHAR", "given_on": "DATE"},
    ),
    "service_given": (
        "SELECT g.id, g.person_id, g.kind, d.held_on FROM serviceday_servicegiven g "
        "JOIN serviceday_serviceday d ON d.id = g.day_id WHERE g.person_id IN {people}",
        {"id": "BIGINT", "person_id": "BIGINT", "kind": "VARCHAR", "held_on": "DATE"},
    ),
    "pregnancy": (
        "SELECT id, person_id, hpht, hpl, delivered_on, ended_on, status FROM maternal_pregnancy "
        "WHERE person_id IN {people}",
        {
            "id": "BIGINT",
            "person_id": "BIGINT",
            "hpht": "DATE",
            "hpl": "DATE",
            "delivered_on": "DATE",
            "ended_on": "DATE",
            "status": "VARCHAR",
        },
    ),
    "anc_visit": (
        "SELECT id, pregnancy_id, person_id, visited_on, trimester, examiner, superseded_by_id "
        "FROM maternal_ancvisit WHERE person_id IN {people}",
        {
            "id": "BIGINT",
            "pregnancy_id": "BIGINT",
            "person_id": "BIGINT",
            "visited_on": "DATE",
            "trimester": "INTEGER",
            "examiner": "VARCHAR",
            "superseded_by_id": "BIGINT",
        },
    ),
    "household": (
        "SELECT id, posyandu_id, status FROM registry_household WHERE posyandu_id IN {area}",
        {"id": "BIGINT", "posyandu_id": "BIGINT", "status": "VARCHAR"},
    ),
    "household_condition": (
        "SELECT c.id, c.household_id, c.observed_on, c.water_source, c.sanitation, c.house "
        "FROM registry_householdcondition c JOIN registry_household h ON h.id = c.household_id "
        "WHERE h.posyandu_id IN {area}",
        {
            "id": "BIGINT",
            "household_id": "BIGINT",
            "observed_on": "DATE",
            "water_source": "VARCHAR",
            "sanitation": "VARCHAR",
            "house": "VARCHAR",
        },
    ),
    "referral": (
        "SELECT id, category_id, posyandu_id, person_id, household_id, state, recorded_on, closed_on, "
        "outcome FROM referrals_referral",
        {
            "id": "BIGINT",
            "category_id": "BIGINT",
            "posyandu_id": "BIGINT",
            "person_id": "BIGINT",
            "household_id": "BIGINT",
            "state": "VARCHAR",
            "recorded_on": "DATE",
            "closed_on": "DATE",
            "outcome": "VARCHAR",
        },
    ),
    "category": (
        "SELECT id, code, subject FROM referrals_category",
        {"id": "BIGINT", "code": "VARCHAR", "subject": "VARCHAR"},
    ),
}


def export(region: str, folder: Path) -> dict[str, int]:
    """Write the area's records to ``folder/<table>.parquet`` (CSV through COPY, then DuckDB to Parquet)."""
    import duckdb

    area = f"(SELECT id FROM posyandu_posyandu WHERE desa_id LIKE '{region}%')"
    people = f"(SELECT person_id FROM registry_residence WHERE posyandu_id IN {area})"
    con = duckdb.connect()
    connection.ensure_connection()
    sizes = {}
    for name, (sql, types) in TABLES.items():
        csv = folder / f"{name}.csv"
        with (
            connection.connection.cursor() as cursor,
            open(csv, "wb") as out,
            cursor.copy(
                f"COPY ({sql.format(area=area, people=people)}) TO STDOUT (FORMAT csv, HEADER)"
            ) as copy,
        ):
            for chunk in copy:
                out.write(chunk)
        con.execute(
            f"COPY (SELECT * FROM read_csv('{csv}', header = true, columns = {types!r}, "
            f"allow_quoted_nulls = false)) TO '{folder / name}.parquet' (FORMAT parquet)"
        )
        sizes[name] = con.execute(f"SELECT count(*) FROM '{folder / name}.parquet'").fetchone()[0]
        csv.unlink()
    return sizes


def _q(value) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _in(values) -> str:
    return "(" + ", ".join(_q(v) for v in sorted(str(v) for v in values)) + ")"


def _resident_columns(indicators) -> list[tuple[str, str, str]]:
    """(code, denominator condition, numerator condition) of the indicators counted over present residents."""
    out = []
    for i in indicators:
        p = i.params
        if i.rule == "screened_in_year":
            band = f"age >= {p['min_years']}" + (
                f" AND age <= {p['max_years']}" if p.get("max_years") else ""
            )
            out.append((i.code, band, "first_screen <= as_of"))
        elif i.rule == "in_education":
            band = f"age BETWEEN {p['min_years']} AND {p['max_years']}"
            out.append((i.code, band, f"education IN {_in(p['served'])}"))
        elif i.rule == "in_equivalency":
            band = f"age BETWEEN {p['min_years']} AND {p['max_years']} AND education IN {_in(OUT_OF_SCHOOL)}"
            out.append((i.code, band, f"education = {_q(EDUCATION.EQUIVALENCY)}"))
        elif i.rule == "monthly_follow_up":
            key = f"{p['flag']}_{p['measure']}"
            out.append((i.code, f"found_{key} <= as_of AND age >= {p['min_years']}", f"m < gap_{key}"))
    return out


MEASURES = {"blood_pressure": "systolic", "glucose": "glucose_mg_dl"}


def sql(indicators, year: int, today: dt.date, folder: Path) -> str:
    """One statement: (code, m, posyandu, desa, kec, kab, den, num, pending) for every cell and region."""
    first, last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    months = list(months_through(year, today))
    first_q, last_q = f"DATE '{first}'", f"DATE '{last}'"

    def t(name: str) -> str:
        return f"read_parquet('{folder / name}.parquet')"

    residents = _resident_columns(indicators)
    pairs = sorted(
        {(i.params["flag"], i.params["measure"]) for i in indicators if i.rule == "monthly_follow_up"}
    )
    any_flag = " OR ".join(f"json_contains(flags, '\"{flag}\"')" for flag, _measure in pairs) or "false"
    follow_cols = "".join(
        f", min(screened_on) FILTER (json_contains(flags, '\"{flag}\"')) AS found_{flag}_{measure}, "
        f"bit_or(1 << month(screened_on)) FILTER (screened_on >= {first_q} AND {MEASURES[measure]} IS NOT NULL) "
        f"AS checked_{flag}_{measure}"
        for flag, measure in pairs
    )
    # The first month from the month found (January when found in an earlier year) without a check: served
    # while the judged month is before it.
    gaps = "".join(
        f", CASE WHEN f.found_{k} IS NULL THEN NULL ELSE list_min(list_filter(range(CASE WHEN f.found_{k} >= "
        f"{first_q} THEN month(f.found_{k}) ELSE 1 END, 14), lambda x: (coalesce(f.checked_{k}, 0) >> x) & 1 = 0))"
        f" END AS gap_{k}, f.found_{k}"
        for k in (f"{flag}_{measure}" for flag, measure in pairs)
    )
    resident_aggs = ", ".join(
        f"count(*) FILTER ({den}) AS d{n}, count(*) FILTER (({den}) AND ({num})) AS n{n}"
        for n, (_code, den, num) in enumerate(residents)
    )
    resident_unpivot = " UNION ALL ".join(
        f"SELECT {_q(code)} AS code, m, posyandu, d{n} AS den, n{n} AS num, 0 AS pending FROM resident_cells"
        for n, (code, _den, _num) in enumerate(residents)
    )

    parts = [resident_unpivot] if residents else []
    ctes = [
        f"""
    months AS (SELECT m::INTEGER AS m, LEAST(last_day(make_date({year}, m::INTEGER, 1)), DATE '{today}') AS as_of
               FROM range({months[0]}, {months[-1] + 1}) r(m)),
    pos AS (SELECT id AS posyandu, desa_id AS desa, CAST(desa_id AS BIGINT) AS desa_n FROM {t("posyandu")}),
    first_screen AS (SELECT person_id AS person, min(screened_on) AS first_screen FROM {t("screening")}
                     WHERE superseded_by_id IS NULL AND screened_on BETWEEN {first_q} AND {last_q} GROUP BY ALL),
    follow AS (SELECT person_id AS person {follow_cols} FROM {t("screening")}
               WHERE superseded_by_id IS NULL AND screened_on <= {last_q} AND person_id IN (
                   SELECT person_id FROM {t("screening")} WHERE superseded_by_id IS NULL
                   AND screened_on <= {last_q} AND flags <> '[]' AND ({any_flag}))
               GROUP BY ALL),
    several AS (SELECT r.person_id AS person, pos.desa_n FROM {t("residence")} r JOIN pos ON pos.posyandu = r.posyandu_id
                WHERE r.start_date <= {last_q} AND (r.end_date IS NULL OR r.end_date >= {first_q})
                GROUP BY ALL HAVING count(*) > 1),
    stays AS (
        SELECT r.id AS rid, r.person_id AS person, r.posyandu_id AS posyandu, pos.desa_n, r.start_date AS start_d,
               coalesce(r.end_date, {FAR}) AS end_d, p.birth_date AS birth,
               CASE WHEN p.life_status <> {_q(Person.LifeStatus.ALIVE)}
                    THEN coalesce(p.life_status_date, {last_q}) ELSE {FAR} END AS gone,
               coalesce(r.household_id, p.household_id, 0) AS household,
               coalesce(p.education_status, '') AS education, s.first_screen {gaps},
               v.person IS NOT NULL AS several
        FROM {t("residence")} r JOIN {t("person")} p ON p.id = r.person_id JOIN pos ON pos.posyandu = r.posyandu_id
             LEFT JOIN first_screen s ON s.person = r.person_id LEFT JOIN follow f ON f.person = r.person_id
             LEFT JOIN several v ON v.person = r.person_id AND v.desa_n = pos.desa_n
        WHERE r.start_date <= {last_q} AND (r.end_date IS NULL OR r.end_date >= {first_q})
              AND p.duplicate_of_id IS NULL),
    -- Where each resident lived on each month's day: the stays covering it (a range join), and within a desa
    -- the stay that started first (only people with several stays in one desa need the ranking). Not
    -- materialised: each use reads the columns it needs (filters, such as the children's, go below the join).
    present AS NOT MATERIALIZED (
        SELECT mo.m, mo.as_of, s.* FROM stays s JOIN months mo
            ON mo.as_of BETWEEN s.start_d AND s.end_d AND mo.as_of >= s.birth AND mo.as_of < s.gone
        WHERE NOT s.several
        UNION ALL
        SELECT mo.m, mo.as_of, s.* FROM stays s JOIN months mo
            ON mo.as_of BETWEEN s.start_d AND s.end_d AND mo.as_of >= s.birth AND mo.as_of < s.gone
        WHERE s.several
        QUALIFY row_number() OVER (PARTITION BY mo.m, s.person, s.desa_n ORDER BY s.start_d, s.rid) = 1),
    aged AS (SELECT *, year(as_of) - year(birth)
                       - CASE WHEN month(birth) * 100 + day(birth) > month(as_of) * 100 + day(as_of) THEN 1 ELSE 0 END
                       AS age FROM present),
    resident_cells AS (SELECT m, posyandu, {resident_aggs or "count(*) AS n"} FROM aged GROUP BY ALL)"""
    ]

    if any(i.rule == "household_condition" for i in indicators):
        # The months somebody lived in each active household (a stay of it at its own posyandu).
        ctes.append(f"""
    household_months AS (
        SELECT h.id AS household, h.posyandu_id AS posyandu, mo.m, mo.as_of
        FROM (SELECT household, posyandu, bit_or(1 << m) AS months FROM present WHERE household <> 0
              GROUP BY ALL) l
        JOIN {t("household")} h ON h.id = l.household AND h.posyandu_id = l.posyandu
        JOIN months mo ON (l.months >> mo.m) & 1 = 1
        WHERE h.status = {_q(Household.Status.ACTIVE)})""")
    for indicator in indicators:
        name = indicator.code.replace(".", "_")
        rule, p = indicator.rule, indicator.params
        if rule == "under_five_package":
            ctes.append(_under_five(name, p, year, today, first_q, last_q, t))
        elif rule == "anc_pattern":
            ctes.append(_anc(name, p, first_q, last_q, t))
        elif rule == "household_condition":
            ctes.append(_household(name, p, last_q, t))
        elif rule == "house_restored":
            ctes.append(_house(name, p, first_q, last_q, t))
        elif rule == "referral_resolved":
            ctes.append(_referrals(name, p, first_q, last_q, t))
        else:
            continue
        parts.append(f"SELECT {_q(indicator.code)} AS code, m, posyandu, den, num, pending FROM {name}")
    cells = " UNION ALL ".join(parts)
    return f"""
    WITH {", ".join(ctes)},
    cells AS (SELECT c.*, pos.desa FROM ({cells}) c JOIN pos USING (posyandu) WHERE den + pending > 0)
    SELECT code, m, posyandu, desa, substr(desa, 1, 6) AS kec, substr(desa, 1, 4) AS kab,
           sum(den) AS den, sum(num) AS num, sum(pending) AS pending
    FROM cells
    GROUP BY GROUPING SETS ((code, m, posyandu, desa), (code, m, desa), (code, m, kec), (code, m, kab))"""


def _under_five(name, p, year, today, first_q, last_q, t) -> str:
    cutoff = dt.date(year - p["max_months"] // 12 - 2, 1, 1)
    first_as_of = min(month_end(year, 1), today)
    young = (
        f"((year(DATE '{first_as_of}') - year({{b}})) * 12 + {first_as_of.month} - month({{b}}) "
        f"- CASE WHEN {first_as_of.day} < day({{b}}) THEN 1 ELSE 0 END)"
    )
    doses = " UNION ALL ".join(
        f"SELECT {_q(d.code)} AS dose, {d.overdue.months} AS om, {d.overdue.days} AS od, "
        f"{d.latest.months if d.latest else 'NULL'} AS lm, {d.latest.days if d.latest else 'NULL'} AS ld"
        for d in schedule.applicable()
    )
    vitamin = " OR ".join(
        f"(a.m = {m} AND DATE '{month_end(year, m)}' <= a.as_of)" for m in p["vitamin_a_months"]
    )
    vit_old = (
        f"(({year} - year(a.birth)) * 12 + a.m - month(a.birth) - CASE WHEN 1 < day(a.birth) THEN 1 ELSE 0 END)"
        f" >= {p['vitamin_a_from_months']}"
    )
    age = (
        "(year(r.as_of) - year(r.birth)) * 12 + month(r.as_of) - month(r.birth) "
        "- CASE WHEN day(r.as_of) < day(r.birth) THEN 1 ELSE 0 END"
    )
    return f"""
    {name}_months AS (
        SELECT person_id AS person, month(measured_on) AS m, bool_or(weight_kg IS NOT NULL) AS weighed,
               bool_or(length_height_cm IS NOT NULL) AS measured
        FROM {t("measurement")} WHERE superseded_by_id IS NULL AND measured_on BETWEEN {first_q} AND {last_q}
        GROUP BY ALL),
    {name}_capsules AS (SELECT DISTINCT person_id AS person, month(held_on) AS m FROM {t("service_given")}
                        WHERE kind = {_q(Service.VITAMIN_A)} AND held_on BETWEEN {first_q} AND {last_q}),
    -- Children who are in the age band on some month's day: not over it on the first one.
    {name}_kids AS (SELECT DISTINCT person, birth FROM stays
                    WHERE birth >= DATE '{cutoff}' AND {young.format(b="birth")} <= {p["max_months"]}),
    {name}_given AS (SELECT person_id AS person, dose, min(given_on) AS given_on FROM {t("immunization")}
                     GROUP BY ALL),
    -- A dose not given makes the record incomplete from its overdue age (or its latest age when earlier) until
    -- the day it is given.
    {name}_gaps AS (
        SELECT k.person, LEAST(CAST(k.birth + to_months(d.om) AS DATE) + d.od,
                               coalesce(CAST(k.birth + to_months(d.lm) AS DATE) + d.ld, {FAR})) AS from_d,
               coalesce(g.given_on, {FAR}) AS until_d
        FROM {name}_kids k CROSS JOIN ({doses}) d LEFT JOIN {name}_given g ON g.person = k.person AND g.dose = d.dose
        WHERE from_d < until_d AND until_d > DATE '{first_as_of}' AND from_d <= {last_q}),
    -- The months whose day falls in a gap: from the first day on or after its start to the last before its end
    -- (two ASOF joins against the months), as a bit set per child.
    {name}_incomplete AS (
        SELECT g.person, bit_or(CASE WHEN b.m IS NULL OR a.m IS NULL OR b.m < a.m THEN 0
                                     ELSE (1 << (b.m + 1)) - (1 << a.m) END) AS months
        FROM {name}_gaps g ASOF LEFT JOIN months a ON g.from_d <= a.as_of
             ASOF LEFT JOIN months b ON g.until_d > b.as_of
        GROUP BY g.person),
    -- Running over the months a child lived at one posyandu (present rows, per desa as the engine).
    {name}_here AS (
        SELECT a.m, a.as_of, a.person, a.desa_n, a.posyandu, a.birth,
               coalesce(w.weighed, false)::INTEGER AS weighed, coalesce(w.measured, false)::INTEGER AS measured,
               CASE WHEN ({vitamin}) AND {vit_old} AND c.person IS NULL THEN 1 ELSE 0 END AS vitamin_missed
        FROM present a LEFT JOIN {name}_months w ON w.person = a.person AND w.m = a.m
             LEFT JOIN {name}_capsules c ON c.person = a.person AND c.m = a.m
        WHERE a.birth >= DATE '{cutoff}' AND {young.format(b="a.birth")} <= {p["max_months"]}),
    {name}_running AS (
        SELECT h.*, count(*) OVER w AS lived, sum(weighed) OVER w AS weighings, sum(measured) OVER w AS heights,
               sum(vitamin_missed) OVER w AS missed
        FROM {name}_here h
        WINDOW w AS (PARTITION BY person, desa_n, posyandu ORDER BY m ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)),
    {name} AS (
        SELECT r.m, r.posyandu, count(*) AS den,
               count(*) FILTER (r.weighings >= ({p["weighings"]} * r.lived + 11) // 12
                                AND r.heights >= ({p["heights"]} * r.lived + 11) // 12
                                AND r.missed = 0 AND i.person IS NULL) AS num, 0 AS pending
        FROM {name}_running r LEFT JOIN {name}_incomplete i ON i.person = r.person AND (i.months >> r.m) & 1 = 1
        WHERE {age} BETWEEN {p["min_months"]} AND {p["max_months"]}
        GROUP BY ALL)"""


def _anc(name, p, first_q, last_q, t) -> str:
    ended, ongoing = _q(Pregnancy.Status.ENDED), _q(Pregnancy.Status.ONGOING)
    trimesters = " AND ".join(
        f"count(DISTINCT visited_on) FILTER (trimester = {int(k)}) >= {need}"
        for k, need in p["per_trimester"].items()
    )
    doctors = " AND ".join(f"bool_or(doctor AND trimester = {int(k)})" for k in p["doctor_trimesters"])
    return f"""
    {name}_pregnancies AS (
        SELECT id, person_id AS person, hpht, coalesce(delivered_on, ended_on, hpl) AS end_d,
               coalesce(status = {ended} AND ended_on - hpht < {DELIVERY_FROM_DAYS}, false) AS early
        FROM {t("pregnancy")}
        WHERE delivered_on BETWEEN {first_q} AND {last_q} OR ended_on BETWEEN {first_q} AND {last_q}
              OR (status = {ongoing} AND hpl BETWEEN {first_q} AND {last_q})),
    {name}_served AS (
        SELECT x.id, count(DISTINCT v.visited_on) >= {p["visits"]} AND {trimesters} AND {doctors} AS served
        FROM {name}_pregnancies x
             JOIN (SELECT v.*, v.examiner = {_q(Examiner.DOCTOR)} AS doctor FROM {t("anc_visit")} v
                   JOIN {t("person")} vp ON vp.id = v.person_id AND vp.duplicate_of_id IS NULL
                   WHERE v.superseded_by_id IS NULL AND v.visited_on <= {last_q}
                         AND v.examiner IN {_in(HEALTH_WORKERS)}) v
             ON v.pregnancy_id = x.id AND v.visited_on BETWEEN x.hpht AND x.end_d
        GROUP BY x.id),
    {name}_units AS (
        SELECT x.id, x.end_d, s.posyandu, coalesce(v.served, false) AS served
        FROM {name}_pregnancies x JOIN stays s ON s.person = x.person
             AND x.end_d BETWEEN s.start_d AND s.end_d AND s.birth <= x.end_d AND s.gone > x.end_d
             LEFT JOIN {name}_served v ON v.id = x.id
        WHERE NOT x.early AND x.end_d >= {first_q}
        QUALIFY row_number() OVER (PARTITION BY x.id, s.desa_n ORDER BY s.start_d, s.rid) = 1),
    {name} AS (SELECT mo.m, u.posyandu, count(*) AS den, count(*) FILTER (u.served) AS num, 0 AS pending
               FROM {name}_units u JOIN months mo ON u.end_d <= mo.as_of GROUP BY ALL)"""


def _household(name, p, last_q, t) -> str:
    attribute = p["attribute"]
    meets = STANDARDS[attribute][0]
    return f"""
    -- The value recorded last on each day (a same-day correction has the higher id), valid until the next day
    -- with a value; empty: not asked this time.
    {name}_seen AS (
        SELECT household, observed_on, meets,
               coalesce(lead(observed_on) OVER (PARTITION BY household ORDER BY observed_on), {FAR}) AS until_d
        FROM (SELECT household_id AS household, observed_on, arg_max({attribute} IN {_in(meets)}, id) AS meets
              FROM {t("household_condition")}
              WHERE coalesce({attribute}, '') <> '' AND observed_on <= {last_q} GROUP BY ALL)),
    {name} AS (
        SELECT l.m, l.posyandu, count(s.meets) AS den, count(*) FILTER (s.meets) AS num,
               count(*) FILTER (s.meets IS NULL) AS pending
        FROM household_months l LEFT JOIN {name}_seen s
             ON s.household = l.household AND l.as_of >= s.observed_on AND l.as_of < s.until_d
        GROUP BY ALL)"""


def _house(name, p, first_q, last_q, t) -> str:
    condition, category = p["from"], p["category"]
    livable = _q(HouseholdCondition.House.LIVABLE)
    active = _q(Household.Status.ACTIVE)
    return f"""
    {name}_households AS (SELECT id AS household, posyandu_id AS posyandu FROM {t("household")}
                          WHERE status = {active}),
    {name}_obs AS (SELECT c.household_id AS household, c.observed_on AS day, c.house = {_q(condition)} AS sign,
                          c.house = {livable} AS livable,
                          row_number() OVER (PARTITION BY c.household_id ORDER BY c.observed_on, c.id) AS rn
                   FROM {t("household_condition")} c JOIN {name}_households h ON h.household = c.household_id
                   WHERE coalesce(c.house, '') <> '' AND c.observed_on <= {last_q}),
    {name}_refs AS (SELECT f.household_id AS household, f.recorded_on, f.closed_on,
                           coalesce(f.state = {_q(State.RESOLVED)} AND f.closed_on IS NOT NULL
                                    AND f.outcome IN {_in(RESTORED_OUTCOMES)}, false) AS restored
                    FROM {t("referral")} f JOIN {t("category")} c ON c.id = f.category_id
                         JOIN {name}_households h ON h.household = f.household_id
                    WHERE c.code = {_q(category)} AND f.recorded_on <= {last_q} AND f.state <> {_q(State.REJECTED)}
                          AND (f.closed_on IS NULL OR f.closed_on >= {first_q})),
    {name}_candidates AS (SELECT household FROM {name}_obs WHERE sign UNION SELECT household FROM {name}_refs),
    {name}_judged AS (
        SELECT c.household, mo.m, mo.as_of,
               (SELECT max(rn) FROM {name}_obs o WHERE o.household = c.household AND o.day <= mo.as_of) AS latest,
               coalesce((SELECT max(rn) FROM {name}_obs o WHERE o.household = c.household AND o.day <= {first_q}), 1)
                   AS first_rn
        FROM {name}_candidates c CROSS JOIN months mo),
    {name}_signs AS (
        SELECT j.*, (SELECT max(o.rn) FROM {name}_obs o WHERE o.household = j.household AND o.sign
                     AND o.rn <= j.latest) AS sign_rn
        FROM {name}_judged j),
    {name}_marks AS (
        SELECT s.*, s.sign_rn IS NOT NULL AND s.sign_rn >= s.first_rn AS has_sign,
               (SELECT o.day FROM {name}_obs o WHERE o.household = s.household AND o.rn = s.sign_rn) AS sign_day,
               (SELECT max(recorded_on) FROM {name}_refs r WHERE r.household = s.household
                AND r.recorded_on <= s.as_of) AS last_ref,
               EXISTS (SELECT 1 FROM {name}_refs r WHERE r.household = s.household AND r.recorded_on <= s.as_of
                       AND r.recorded_on >= {first_q}) AS in_year
        FROM {name}_signs s),
    {name}_last AS (
        SELECT m.*, GREATEST(CASE WHEN has_sign THEN sign_day ELSE DATE '0001-01-01' END,
                             coalesce(last_ref, DATE '0001-01-01')) AS last_sign,
               (SELECT o.livable AND o.day >= GREATEST(CASE WHEN has_sign THEN sign_day ELSE DATE '0001-01-01' END,
                                                       coalesce(last_ref, DATE '0001-01-01'))
                FROM {name}_obs o WHERE o.household = m.household AND o.rn = m.latest) AS seen_livable
        FROM {name}_marks m WHERE has_sign OR in_year),
    {name} AS (
        SELECT l.m, h.posyandu, count(*) AS den,
               count(*) FILTER (coalesce(l.seen_livable, false) OR EXISTS (
                   SELECT 1 FROM {name}_refs r WHERE r.household = l.household AND r.restored
                   AND r.recorded_on <= l.as_of AND r.closed_on <= l.as_of AND r.closed_on >= l.last_sign)) AS num,
               0 AS pending
        FROM {name}_last l JOIN {name}_households h USING (household) GROUP BY ALL)"""


def _referrals(name, p, first_q, last_q, t) -> str:
    codes = _in(p["categories"])
    year = (
        f"c.code IN {codes} AND f.recorded_on BETWEEN {first_q} AND {last_q} "
        f"AND f.state <> {_q(State.REJECTED)} AND f.posyandu_id IS NOT NULL"
    )
    here = f"(SELECT id FROM {t('posyandu')})"
    return f"""
    {name}_rows AS (
        SELECT f.id, CASE WHEN f.person_id IS NOT NULL AND c.subject IN {_in(PERSON_SUBJECTS)}
                          THEN f.person_id ELSE -f.id END AS unit,
               f.posyandu_id, f.recorded_on, f.closed_on,
               coalesce(f.state = {_q(State.RESOLVED)} AND f.closed_on IS NOT NULL
                        AND f.outcome IN {_in(SERVED_OUTCOMES)}, false) AS ok
        FROM {t("referral")} f JOIN {t("category")} c ON c.id = f.category_id
        WHERE {year} AND (f.posyandu_id IN {here} OR f.person_id IN (
            SELECT f.person_id FROM {t("referral")} f JOIN {t("category")} c ON c.id = f.category_id
            WHERE {year} AND f.person_id IS NOT NULL AND f.posyandu_id IN {here}))),
    {name}_units AS (
        SELECT mo.m, r.unit, arg_max(r.posyandu_id, (r.recorded_on, r.id)) AS posyandu,
               bool_or(r.ok AND r.closed_on <= mo.as_of) AS served
        FROM {name}_rows r JOIN months mo ON r.recorded_on <= mo.as_of GROUP BY ALL),
    {name} AS (SELECT m, posyandu, count(*) AS den, count(*) FILTER (served) AS num, 0 AS pending
               FROM {name}_units WHERE posyandu IN {here} GROUP BY ALL)"""


def counts(folder: Path, year: int, today: dt.date, indicators=None, threads: int = 2) -> tuple[float, dict]:
    """Run the statement (timed); cells keyed (code, month, "p", posyandu) or (code, month, "r", region code),
    valued (den, num, pending)."""
    import duckdb

    indicators = list(indicators if indicators is not None else catalogue.COMPUTED)
    statement = sql(indicators, year, today, folder)
    con = duckdb.connect()
    con.execute(f"SET threads TO {threads}")
    started = time.perf_counter()
    rows = con.execute(statement).fetchall()
    seconds = time.perf_counter() - started
    cells = {}
    for code, month, posyandu, desa, kec, kab, den, num, pending in rows:
        key = (
            ("p", posyandu)
            if posyandu is not None
            else ("r", desa)
            if desa is not None
            else ("r", kec)
            if kec is not None
            else ("r", kab)
        )
        cells[(code, month, *key)] = (int(den), int(num), int(pending))
    return seconds, cells
