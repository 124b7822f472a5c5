"""Vector forms of the education, household and referral rules (rules/education.py, households.py, referrals.py).

Each form must give exactly ``engine.count``'s cells; see simpul/spm/tests/test_fastpath_other.py. What each
mirrors, and how:

- ``in_education`` / ``in_equivalency``: the resident rows of ``Area`` with the (current) education status as a
  small integer code, mapped from the string codes in SQL.
- ``household_condition``: units are the area's active households. A household is in the sasaran on a day when
  a resident row that places someone on that day (``Area.present``) belongs to it — the stay's household, or the
  person's current one when the stay names none — at the household's own posyandu, as the engine's
  ``lives_in``. The latest observation on or before the day per attribute comes from
  (household, day)-sorted arrays and ``searchsorted``; no observation yet is pending.
- ``house_restored``: the few households with a sign of the condition (an observation, or a housing referral);
  the engine's reading of the observation series and of the referrals per household, as array operations.
- ``referral_resolved``: every referral the engine would load (those recorded in these posyandu, and the other
  referrals with a posyandu of the same people), grouped into the engine's units (the person when the referral
  is about a person, else the report itself); each unit counts at the posyandu of its latest referral up to the
  day, and only when that posyandu is one of the area's — so a person referred in two posyandu is counted once,
  whichever posyandu are evaluated together, exactly as the engine does.

SQL here is built from integers, dates, table names and code constants only (no user input).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from simpul.referrals.models import Category, Referral
from simpul.referrals.states import State
from simpul.registry.models import Household, HouseholdCondition
from simpul.spm import catalogue
from simpul.spm.fastpath import NEVER, Area, Units, _big, _day, _days_sql, _ints, vector
from simpul.spm.rules.education import EDUCATION, OUT_OF_SCHOOL
from simpul.spm.rules.households import RESTORED_OUTCOMES, STANDARDS
from simpul.spm.rules.referrals import PERSON_SUBJECTS, SERVED_OUTCOMES

# Composite sort keys (unit index, day): days fit in 32 bits once shifted by OFFSET.
SPAN = 1 << 32
OFFSET = 1 << 31
NONE = -1  # "no such row" in index arrays
EARLIEST = np.iinfo(np.int64).min  # a day before every day ("no sign yet")


def _quote(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _codes_sql(column: str, values: list[str], other: int) -> str:
    """CASE mapping ``values[i]`` to i + 1, the empty string (or NULL) to 0 and anything else to ``other``."""
    whens = " ".join(f"WHEN {_quote(value)} THEN {index}" for index, value in enumerate(values, start=1))
    return f"CASE COALESCE({column}, '') WHEN '' THEN 0 {whens} ELSE {other} END"


def _table(model) -> str:
    return model._meta.db_table


def _lookup(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Index of each of ``keys`` in ``sorted_keys`` (unique, ascending); NONE where absent."""
    if not len(sorted_keys):
        return np.full(len(keys), NONE, dtype=np.int64)
    at = np.clip(np.searchsorted(sorted_keys, keys), 0, len(sorted_keys) - 1)
    return np.where(sorted_keys[at] == keys, at, NONE)


# --- Resident rows with household and education ------------------------------------------------------------

def _education_values() -> list[str]:
    """Every status a rule tests for (the choices, and whatever the catalogue's ``served`` lists name)."""
    served = {value for indicator in catalogue.COMPUTED if indicator.rule == "in_education"
              for value in indicator.params["served"]}
    return sorted(set(EDUCATION.values) | served | set(OUT_OF_SCHOOL))


def education_sql(column: str) -> str:
    """The education status as 1 + index in ``_education_values()``, 0 unknown, -1 anything else (read by
    ``fastpath.area_load`` with the stays)."""
    return _codes_sql(column, _education_values(), -1)


@dataclasses.dataclass
class Members:
    """The area's resident rows with the household each stay belongs to and the education code."""

    household: np.ndarray  # per Area row: household id (stay's, else the person's current one; 0 for none)
    education: np.ndarray  # per Area row: 1 + index in ``_education_values()``, 0 unknown, -1 anything else
    rows: Area  # the Area whose ``present`` these columns follow


def _members(area: Area) -> Members:
    """``area_load`` reads the household and education with the stays, ordered by person, start and id: of
    two identical stays in two households, the one with the lower id places the person, and its row carries
    its household."""
    return Members(household=area.household, education=area.education, rows=area)


def _education(area: Area) -> np.ndarray:
    return area.cached("other_members", _members).education


# --- Education ---------------------------------------------------------------------------------------------

def _code_of(value: str) -> int:
    return _education_values().index(value) + 1


def _of_age(area: Area, indicator: catalogue.Indicator, as_of: dt.date) -> np.ndarray:
    age = area.age_years(as_of)
    return area.present(as_of) & (age >= indicator.params["min_years"]) & (age <= indicator.params["max_years"])


@vector("in_education")
def in_education(area: Area, indicator: catalogue.Indicator, as_of: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """Everyone of age present; served when the status is one of ``served`` (rules/education.py)."""
    sasaran = _of_age(area, indicator, as_of)
    served_codes = [_code_of(value) for value in indicator.params["served"]]
    return sasaran, sasaran & np.isin(_education(area), served_codes)


@vector("in_equivalency")
def in_equivalency(area: Area, indicator: catalogue.Indicator, as_of: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """Of age, present and out of regular school; served when in an equivalency programme."""
    education = _education(area)
    sasaran = _of_age(area, indicator, as_of) & np.isin(education, [_code_of(v) for v in OUT_OF_SCHOOL])
    return sasaran, sasaran & (education == _code_of(EDUCATION.EQUIVALENCY))


# --- Households --------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Households:
    """The area's active households (``rules.households.active_households``) and their members' rows."""

    ids: np.ndarray  # ascending household ids
    posyandu: np.ndarray  # index into ``Area.posyandu_ids``
    member_of: np.ndarray  # per ``Members.rows`` row: index into ``ids`` when that stay makes them a member
    members: Members


def _households(area: Area) -> Households:
    found = _ints(
        f"SELECT {_big('h.id')}, {_big('h.posyandu_id')} FROM {_table(Household)} h "  # noqa: S608
        f"WHERE h.posyandu_id IN ({area._ids_sql()}) AND h.status = {_quote(Household.Status.ACTIVE)} "
        f"ORDER BY h.id",
        2,
    )
    ids, posyandu = found[:, 0], np.searchsorted(area.posyandu_ids, found[:, 1])
    members = area.cached("other_members", _members)
    rows = members.rows
    member_of = _lookup(ids, members.household)
    # Only a stay at the household's own posyandu counts (rules/households.py ``lives_in``).
    known = np.flatnonzero(member_of != NONE)
    elsewhere = rows.posyandu[known] != posyandu[member_of[known]]
    member_of[known[elsewhere]] = NONE
    return Households(ids=ids, posyandu=posyandu, member_of=member_of, members=members)


def _lived_in(area: Area, households: Households, as_of: dt.date) -> np.ndarray:
    """Per household: somebody lived in it (at its posyandu) on ``as_of``."""
    rows = households.members.rows.present(as_of) & (households.member_of != NONE)
    lived = np.zeros(len(households.ids), dtype=bool)
    lived[households.member_of[rows]] = True
    return lived


def _house_values() -> list[str]:
    conditions = {indicator.params["from"] for indicator in catalogue.COMPUTED if indicator.rule == "house_restored"}
    return [HouseholdCondition.House.LIVABLE, *sorted(conditions - {HouseholdCondition.House.LIVABLE})]


def _meets_sql(column: str, meets: frozenset[str]) -> str:
    """1 when the value meets the standard, 2 when it does not, 0 when not recorded this time."""
    values = ", ".join(_quote(value) for value in sorted(meets))
    return f"CASE WHEN COALESCE({column}, '') = '' THEN 0 WHEN {column} IN ({values}) THEN 1 ELSE 2 END"


def _observations(area: Area) -> np.ndarray:
    """Every observation (up to the year's end) of the active households: rows of (household index, day,
    water code, sanitation code, house code), ordered by household, day and id like the engine's."""
    households = area.cached("other_households", _households)
    water, sanitation = STANDARDS["water_source"][0], STANDARDS["sanitation"][0]
    columns = ", ".join([
        _big("c.household_id"), _big(_days_sql("c.observed_on")), _big(_meets_sql("c.water_source", water)),
        _big(_meets_sql("c.sanitation", sanitation)), _big(_codes_sql("c.house", _house_values(), 99)),
    ])
    found = _ints(
        f"SELECT {columns} FROM {_table(HouseholdCondition)} c "  # noqa: S608
        f"JOIN {_table(Household)} h ON h.id = c.household_id "
        f"WHERE h.posyandu_id IN ({area._ids_sql()}) AND h.status = {_quote(Household.Status.ACTIVE)} "
        f"AND c.observed_on <= '{area.last_day}' ORDER BY c.household_id, c.observed_on, c.id",
        5,
    )
    found[:, 0] = _lookup(households.ids, found[:, 0])
    return found


@dataclasses.dataclass
class Series:
    """The observations that recorded one attribute, sorted by (unit index, day, id)."""

    unit: np.ndarray
    day: np.ndarray
    value: np.ndarray
    key: np.ndarray  # unit * SPAN + day + OFFSET, ascending

    @classmethod
    def of(cls, unit: np.ndarray, day: np.ndarray, value: np.ndarray) -> Series:
        return cls(unit, day, value, unit * SPAN + day + OFFSET)

    def latest(self, units: np.ndarray, day: int) -> np.ndarray:
        """Per unit: the position of its latest observation on or before ``day`` (NONE when none), as the
        engine's ``bisect_right(days, day) - 1``; same-day observations keep their id order."""
        at = np.searchsorted(self.key, units * SPAN + day + OFFSET, side="right") - 1
        ok = at >= 0
        ok[ok] = self.unit[at[ok]] == units[ok]
        return np.where(ok, at, NONE)


def _series(area: Area, column: int) -> Series:
    def load(area: Area) -> Series:
        rows = area.cached("other_observations", _observations)
        rows = rows[rows[:, column] != 0]  # an empty value is "not asked this time", not a change
        return Series.of(rows[:, 0], rows[:, 1], rows[:, column])
    return area.cached(f"other_series:{column}", load)


ATTRIBUTE_COLUMN = {"water_source": 2, "sanitation": 3}


@vector("household_condition", read_cost=1.3)
def household_condition(area: Area, indicator: catalogue.Indicator, as_of: dt.date) -> Units:
    """Active households somebody lived in that day; served when the latest value meets the standard,
    pending when the attribute was never observed up to the day."""
    households = area.cached("other_households", _households)
    units = np.flatnonzero(_lived_in(area, households, as_of))
    series = _series(area, ATTRIBUTE_COLUMN[indicator.params["attribute"]])
    latest = series.latest(units, _day(as_of))
    pending = latest == NONE
    served = np.zeros(len(units), dtype=bool)
    served[~pending] = series.value[latest[~pending]] == 1
    return Units(posyandu=households.posyandu[units], served=served, pending=pending)


# --- Houses to restore -------------------------------------------------------------------------------------

def _housing_categories() -> list[str]:
    return sorted({indicator.params["category"] for indicator in catalogue.COMPUTED
                   if indicator.rule == "house_restored"})


def _housing_referrals(area: Area) -> np.ndarray:
    """``rules.households.housing_referrals`` as rows of (household index, category index, recorded day,
    closed day or NEVER, resolved with an outcome that restores the house)."""
    households = area.cached("other_households", _households)
    restored = ", ".join(_quote(value) for value in sorted(RESTORED_OUTCOMES))
    columns = ", ".join([
        _big("f.household_id"), _big(_codes_sql("c.code", _housing_categories(), 0)),
        _big(_days_sql("f.recorded_on")), _big(f"COALESCE({_days_sql('f.closed_on')}, {NEVER})"),
        _big(f"CASE WHEN f.state = {_quote(State.RESOLVED)} AND f.closed_on IS NOT NULL "
             f"AND f.outcome IN ({restored}) THEN 1 ELSE 0 END"),
    ])
    categories = ", ".join(_quote(code) for code in _housing_categories())
    found = _ints(
        f"SELECT {columns} FROM {_table(Referral)} f JOIN {_table(Category)} c ON c.id = f.category_id "  # noqa: S608
        f"JOIN {_table(Household)} h ON h.id = f.household_id "
        f"WHERE c.code IN ({categories}) AND f.recorded_on <= '{area.last_day}' "
        f"AND h.posyandu_id IN ({area._ids_sql()}) AND h.status = {_quote(Household.Status.ACTIVE)} "
        f"AND f.state <> {_quote(State.REJECTED)} AND (f.closed_on IS NULL OR f.closed_on >= '{area.first_day}')",
        5,
    )
    found[:, 0] = _lookup(households.ids, found[:, 0])
    return found


@dataclasses.dataclass
class Houses:
    """One housing indicator's candidate households (any sign of its condition) and their records."""

    household: np.ndarray  # candidate → index into Households.ids
    series: Series  # the house observations of the candidates, unit = candidate index
    is_condition: np.ndarray  # per series row: the observation names this indicator's condition
    referrals: np.ndarray  # rows of (candidate, recorded, closed or NEVER, restored flag)


def _houses(area: Area, indicator: catalogue.Indicator) -> Houses:
    def load(area: Area) -> Houses:
        house = _series(area, 4)
        condition = _house_values().index(indicator.params["from"]) + 1
        referrals = area.cached("other_housing_referrals", _housing_referrals)
        referrals = referrals[referrals[:, 1] == _housing_categories().index(indicator.params["category"]) + 1]
        candidates = np.union1d(house.unit[house.value == condition], referrals[:, 0])
        keep = np.isin(house.unit, candidates)
        series = Series.of(np.searchsorted(candidates, house.unit[keep]), house.day[keep], house.value[keep])
        rows = np.stack([np.searchsorted(candidates, referrals[:, 0]), referrals[:, 2], referrals[:, 3],
                         referrals[:, 4]], axis=1)
        return Houses(candidates, series, series.value == condition, rows)
    return area.cached(f"other_houses:{indicator.code}", load)


@vector("house_restored")
def house_restored(area: Area, indicator: catalogue.Indicator, as_of: dt.date) -> Units:
    """``rules.households.HouseRestored.verdict`` for every candidate household at once."""
    households = area.cached("other_households", _households)
    houses = _houses(area, indicator)
    size = len(houses.household)
    units = np.arange(size, dtype=np.int64)
    day, start = _day(as_of), _day(area.first_day)
    series = houses.series
    # The observations that described the house in the year: from the latest on or before 1 January (or the
    # unit's first) up to the latest on or before the day.
    latest = series.latest(units, day)
    first = np.searchsorted(series.key, units * SPAN)  # the unit's first row (keys of a unit are >= unit * SPAN)
    standing = series.latest(units, start)
    first = np.where(standing != NONE, standing, first)
    # The last sign (an observation naming the condition) among those rows: the latest sign row at or before
    # the unit's latest row, when it is not before the unit's first row of the year.
    seen = latest != NONE
    last_sign_row = np.full(size, NONE, dtype=np.int64)
    if len(series.unit):
        sign_rows = np.maximum.accumulate(np.where(houses.is_condition, np.arange(len(series.unit)), NONE))
        last_sign_row[seen] = sign_rows[latest[seen]]
    has_sign = (last_sign_row != NONE) & (last_sign_row >= first)
    last_sign = np.full(size, EARLIEST, dtype=np.int64)
    last_sign[has_sign] = series.day[last_sign_row[has_sign]]
    refs = houses.referrals
    recorded = refs[refs[:, 1] <= day]
    in_year = np.zeros(size, dtype=bool)
    in_year[recorded[recorded[:, 1] >= start, 0]] = True
    last_ref = np.full(size, EARLIEST, dtype=np.int64)
    np.maximum.at(last_ref, recorded[:, 0], recorded[:, 1])
    sasaran = has_sign | in_year
    last_sign = np.maximum(last_sign, last_ref)
    # Seen livable after the last sign, or a referral resolved with the house restored after it.
    livable = np.zeros(size, dtype=bool)
    livable[seen] = (series.value[latest[seen]] == 1) & (series.day[latest[seen]] >= last_sign[seen])
    restored = recorded[(recorded[:, 3] == 1) & (recorded[:, 2] <= day)]
    by_referral = np.zeros(size, dtype=bool)
    by_referral[restored[restored[:, 2] >= last_sign[restored[:, 0]], 0]] = True
    served = livable | by_referral
    return Units(posyandu=households.posyandu[houses.household[sasaran]], served=served[sasaran])


# --- Referrals ---------------------------------------------------------------------------------------------

def _resolved_categories() -> list[str]:
    return sorted({code for indicator in catalogue.COMPUTED if indicator.rule == "referral_resolved"
                   for code in indicator.params["categories"]})


def _referrals(area: Area) -> np.ndarray:
    """``rules.referrals.referrals_of_year``: rows of (unit key, category index, posyandu id, recorded day,
    id, closed day or NEVER, resolved with a serving outcome). The unit key is the person id when the
    referral is about a person, else minus the referral id (a report)."""
    categories = _resolved_categories()
    served = ", ".join(_quote(value) for value in sorted(SERVED_OUTCOMES))
    subjects = ", ".join(_quote(value) for value in sorted(PERSON_SUBJECTS))
    columns = ", ".join([
        _big(f"CASE WHEN f.person_id IS NOT NULL AND c.subject IN ({subjects}) THEN f.person_id ELSE -f.id END"),
        _big(_codes_sql("c.code", categories, 0)), _big("f.posyandu_id"), _big(_days_sql("f.recorded_on")),
        _big("f.id"), _big(f"COALESCE({_days_sql('f.closed_on')}, {NEVER})"),
        _big(f"CASE WHEN f.state = {_quote(State.RESOLVED)} AND f.closed_on IS NOT NULL "
             f"AND f.outcome IN ({served}) THEN 1 ELSE 0 END"),
    ])
    year = (f"c.code IN ({', '.join(_quote(code) for code in categories)}) "
            f"AND f.recorded_on >= '{area.first_day}' AND f.recorded_on <= '{area.last_day}' "
            f"AND f.state <> {_quote(State.REJECTED)}")
    table, category = _table(Referral), _table(Category)
    # The referrals recorded here, and those of the same people recorded in another posyandu.
    found = _ints(
        f"SELECT {columns} FROM {table} f JOIN {category} c ON c.id = f.category_id "  # noqa: S608
        f"WHERE {year} AND f.posyandu_id IS NOT NULL AND (f.posyandu_id IN ({area._ids_sql()}) OR f.person_id IN ("
        f"SELECT f.person_id FROM {table} f JOIN {category} c ON c.id = f.category_id "
        f"WHERE {year} AND f.person_id IS NOT NULL AND f.posyandu_id IN ({area._ids_sql()})))",
        7,
    )
    # The engine's order: by unit, then recorded day and id, so a unit's latest referral is its last row.
    return found[np.lexsort((found[:, 4], found[:, 3], found[:, 0]))]


@vector("referral_resolved")
def referral_resolved(area: Area, indicator: catalogue.Indicator, as_of: dt.date) -> Units:
    """Each unit referred up to the day counts at its latest referral's posyandu; served when any of its
    referrals was resolved with the service by the day."""
    rows = area.cached("other_referrals", _referrals)
    wanted = [_resolved_categories().index(code) + 1 for code in indicator.params["categories"]]
    day = _day(as_of)
    rows = rows[np.isin(rows[:, 1], wanted) & (rows[:, 3] <= day)]
    if not len(rows):
        return Units(posyandu=np.zeros(0, dtype=np.int64), served=np.zeros(0, dtype=bool))
    unit = rows[:, 0]
    last = np.flatnonzero(np.r_[unit[1:] != unit[:-1], True])  # each unit's last row
    group = np.cumsum(np.r_[False, unit[1:] != unit[:-1]])  # each row's unit number
    served = np.zeros(len(last), dtype=bool)
    served[group[(rows[:, 6] == 1) & (rows[:, 5] <= day)]] = True
    posyandu = _lookup(area.posyandu_ids, rows[last, 2])
    here = posyandu != NONE
    return Units(posyandu=posyandu[here], served=served[here])
