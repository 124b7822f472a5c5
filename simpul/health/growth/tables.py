"""WHO LMS tables shipped in ``data/`` (origin and licences in ``data/README.md``), as dense numpy grids.

A table is a regular grid over one variable — age in days (WHO 2006 standards), age in months (WHO 2007
reference) or length/height in 0.1 cm steps (weight-for-length/height) — holding L, M and S for each
sex. Each file is read once per process, on first use (about 10 ms for all ten).

Layout: contiguous columns, boys' grid then one NaN row, girls' grid then one NaN row. Every invalid
input is pointed at a NaN row, so a million look-ups are a few ``np.take`` calls with no masking.
Next to L, M and S each table keeps the reciprocals the z formula divides by, so a batch multiplies.
All 2006 day tables share one grid (0–1856 days; arm circumference is NaN before day 91), so a batch
computes the row index once (``day_index``) for every age-based index.
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).parent / "data"

SEX_INDEX = {"M": 0, "F": 1}  # boys' rows first, then girls'
DAY_TABLE_SIZE = 1857  # days 0–1856
DAY_STRIDE = DAY_TABLE_SIZE + 1  # rows per sex in a day table, the NaN row included

#: name -> (grid step, whether a point between two rows is interpolated linearly, how far past the last
#: row it still holds). WHO's who2007 programs accept ages up to (not including) 121 and 229 months and
#: use the last row for that final month; WHO's own output in tests/data shows it.
TABLES: dict[str, tuple[float, bool, float]] = {
    # WHO Child Growth Standards 2006, by age in days 0–1856 (acfa from 91 days)
    "who2006_wfa": (1.0, False, 0.0),
    "who2006_lhfa": (1.0, False, 0.0),
    "who2006_bmifa": (1.0, False, 0.0),
    "who2006_hcfa": (1.0, False, 0.0),
    "who2006_acfa": (1.0, False, 0.0),
    # by length (45–110 cm, under 731 days) and height (65–120 cm, from 731 days), every 0.1 cm
    "who2006_wfl": (0.1, True, 0.0),
    "who2006_wfh": (0.1, True, 0.0),
    # WHO Growth Reference 2007 (5–19 years), by age in months 61–228 (weight-for-age 61–120)
    "who2007_hfa": (1.0, True, 1.0),
    "who2007_wfa": (1.0, True, 1.0),
    "who2007_bmifa": (1.0, True, 1.0),
}


@dataclass(frozen=True, eq=False)
class LmsTable:
    name: str
    x0: float  # the first grid point
    step: float  # the grid spacing
    size: int  # grid points per sex
    interpolate: bool
    tail: float  # beyond the last row, up to (excluding) this many steps, the last row still applies
    L: np.ndarray  # (2 · (size + 1),); NaN in the two padding rows and where WHO has no row
    M: np.ndarray
    S: np.ndarray
    inv_m: np.ndarray  # 1 / M
    inv_ls: np.ndarray  # 1 / (L · S)
    inv_ms: np.ndarray  # 1 / (M · S), for L = 1: z = x / (M·S) − 1 / S
    inv_s: np.ndarray  # 1 / S
    l_is_one: bool  # L == 1 everywhere (length/height, head circumference): z needs no power
    l_has_zero: bool  # some L == 0: z needs the limit ln(x/M)/S there (no WHO table has one)

    @property
    def stride(self) -> int:
        return self.size + 1

    @property
    def x_max(self) -> float:
        return self.x0 + (self.size - 1) * self.step

    @property
    def missing(self) -> int:
        """The index of a NaN row."""
        return self.size

    def row(self, sex: int, i: int) -> tuple[float, float, float]:
        k = sex * self.stride + i
        return float(self.L[k]), float(self.M[k]), float(self.S[k])

    def index(self, sex, x) -> tuple[np.ndarray, np.ndarray | None]:
        """Flat row indices (a NaN row where sex or x is unknown or outside the table) and, for
        interpolated tables, the fraction of the way to the next row (None for day tables)."""
        n = self.size
        sex = np.asarray(sex)
        pos = np.asarray(x, dtype=np.float64)
        if self.x0 or self.step != 1.0:
            pos = (pos - self.x0) / self.step
        if self.interpolate and not self.tail:
            pos = np.round(pos, 9)  # 110.0 cm must land on row 650, not 650.0000000000001
        with np.errstate(invalid="ignore"):
            valid = (pos >= 0) & (pos < n - 1 + self.tail if self.tail else pos <= n - 1) & (sex >= 0) & (sex <= 1)
        if self.tail:
            pos = np.minimum(pos, n - 1)
        lo = np.where(valid, pos, 0).astype(np.intp)
        flat = np.where(valid, sex.astype(np.intp) * self.stride + lo, self.missing)
        if not self.interpolate:
            return flat, None
        return flat, np.where(valid, pos - lo, 0.0)

    def take(self, flat: np.ndarray, frac: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """L, M, S at flat indices, interpolated linearly by ``frac`` where given."""
        L, M, S = self.L.take(flat), self.M.take(flat), self.S.take(flat)
        if frac is None:
            return L, M, S
        upper = flat + (frac > 0)  # the next row, or the same one on a grid point (and NaN rows)
        return tuple(v + frac * (column.take(upper) - v) for v, column in ((L, self.L), (M, self.M), (S, self.S)))

    def lookup(self, sex, x) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """L, M, S for each row's sex index (0 boys, 1 girls, anything else: unknown) and grid variable;
        NaN outside the table. Between grid points the table's own rule applies: none for day tables
        (ages are whole days), linear interpolation for length/height and months, as WHO's programs do."""
        return self.take(*self.index(sex, x))


def day_index(sex, age_days) -> np.ndarray:
    """The flat row index shared by every WHO 2006 day table, for whole-day ages (NaN: unknown) and sex
    indices; a NaN row for anything outside 0–1856 days or a sex other than 0 or 1."""
    sex = np.asarray(sex)
    age = np.asarray(age_days, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        valid = (age >= 0) & (age <= DAY_TABLE_SIZE - 1) & (sex >= 0) & (sex <= 1)
    return np.where(valid, age + sex * float(DAY_STRIDE), DAY_TABLE_SIZE).astype(np.intp)


#: weight-for-length (45–110 cm) and weight-for-height (65–120 cm) share one 0.1 cm grid from 45.0 cm
WFLH_X0, WFLH_SIZE = 45.0, 751


@cache
def wflh_table() -> LmsTable:
    """Weight-for-length and weight-for-height on one grid (45.0–120.0 cm every 0.1 cm) in four groups —
    boys lying, boys standing, girls lying, girls standing — NaN outside each table's own range, so one
    look-up serves every row. Row (2·sex + standing)·stride + i; ``index``/``lookup`` do not apply."""
    stride = WFLH_SIZE + 1
    columns = np.full((3, 4 * stride), np.nan)
    for standing, name in enumerate(("who2006_wfl", "who2006_wfh")):
        t = table(name)
        offset = round((t.x0 - WFLH_X0) / t.step)
        for sex in (0, 1):
            start = (2 * sex + standing) * stride + offset
            for column, source in zip(columns, (t.L, t.M, t.S), strict=True):
                column[start:start + t.size] = source[sex * t.stride:sex * t.stride + t.size]
    return _build("who2006_wflh", WFLH_X0, 0.1, WFLH_SIZE, True, 0.0, *columns)


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


@cache
def table(name: str) -> LmsTable:
    step, interpolate, tail = TABLES[name]
    with gzip.open(DATA_DIR / f"{name}.csv.gz", "rt", encoding="ascii", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        rows = [(SEX_INDEX[sex], float(x), float(L), float(M), float(S)) for sex, x, L, M, S in reader]
    data = np.array(rows)
    day_table = name.startswith("who2006") and step == 1.0
    x0 = 0.0 if day_table else float(data[:, 1].min())
    n = DAY_TABLE_SIZE if day_table else int(round((data[:, 1].max() - x0) / step)) + 1
    L, M, S = np.full((3, 2 * (n + 1)), np.nan)
    idx = data[:, 0].astype(np.intp) * (n + 1) + np.round((data[:, 1] - x0) / step).astype(np.intp)
    L[idx], M[idx], S[idx] = data[:, 2], data[:, 3], data[:, 4]
    return _build(name, x0, step, n, interpolate, tail, L, M, S)


def _build(name: str, x0: float, step: float, size: int, interpolate: bool, tail: float,
           L: np.ndarray, M: np.ndarray, S: np.ndarray) -> LmsTable:
    known = ~np.isnan(L)
    with np.errstate(divide="ignore"):
        inv_ls = 1.0 / (L * S)
    return LmsTable(
        name=name, x0=x0, step=step, size=size, interpolate=interpolate, tail=tail,
        L=_frozen(L), M=_frozen(M), S=_frozen(S), inv_m=_frozen(1.0 / M), inv_ls=_frozen(inv_ls),
        inv_ms=_frozen(1.0 / (M * S)), inv_s=_frozen(1.0 / S),
        l_is_one=bool(np.all(L[known] == 1.0)), l_has_zero=bool(np.any(L[known] == 0.0)),
    )
