"""Anthropometric z-scores by WHO's rules, for one child or a million rows at once.

Indices (codes used everywhere in Simpul):

======  ==========================================  ==========================================
code    0–1856 days: WHO Child Growth Standards     1857 days–19 years: WHO Reference 2007
======  ==========================================  ==========================================
wfa     weight-for-age (day table)                  weight-for-age, 61–120 months
lhfa    length/height-for-age (day table)           height-for-age, 61–228 months
wflh    weight-for-length 45–110 cm (< 731 days),   — (null)
        weight-for-height 65–120 cm (≥ 731 days)
bmifa   BMI-for-age (day table)                     BMI-for-age, 61–228 months
hcfa    head circumference-for-age (day table)      — (null)
acfa    arm circumference (MUAC)-for-age, 91–1856   — (null)
======  ==========================================  ==========================================

WHO's conventions, as in its igrowup/anthro and who2007 programs:

* Age is whole days from birth to measurement. Months for the 2007 reference are days / 30.4375, and
  L, M, S are interpolated linearly between the whole-month rows.
* Length is measured lying (recumbent) under 731 days and height standing from 731 days. A measurement
  taken the other way is converted before any look-up (standing under 731 days: +0.7 cm; recumbent
  from 731 days: −0.7 cm); without a position the measurement is taken to follow the convention. The
  converted value (``clenhei``) is used for lhfa, wflh and the BMI; the caller's stored value is untouched.
* Weight-for-length/height interpolates L, M, S linearly between the 0.1 cm rows.
* wfa, wflh, bmifa and acfa are *restricted* beyond ±3 SD (see ``lms.restrict``); lhfa and hcfa are not.
* Oedema makes wfa, wflh and bmifa null (the weight is not a measure of nutrition then); MUAC is kept,
  as in WHO's own survey output.
* Missing, non-positive or out-of-table input gives NaN (null), never a z of 0.
* Implausible values are *flagged*, not dropped (``IMPLAUSIBLE``), judged on the z rounded to two
  decimals as WHO does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from simpul.health.growth import lms as lms_
from simpul.health.growth.tables import DAY_STRIDE, DAY_TABLE_SIZE, LmsTable, table, wflh_table

INDICES = ("wfa", "lhfa", "wflh", "bmifa", "hcfa", "acfa")
RESTRICTED = frozenset({"wfa", "wflh", "bmifa", "acfa"})
WEIGHT_BASED = frozenset({"wfa", "wflh", "bmifa"})  # null under oedema
#: (lowest, highest) plausible z; outside it the z is kept and flagged
IMPLAUSIBLE = {"wfa": (-6.0, 5.0), "lhfa": (-6.0, 6.0), "wflh": (-5.0, 5.0), "bmifa": (-5.0, 5.0),
               "hcfa": (-5.0, 5.0), "acfa": (-5.0, 5.0)}

DAYS_PER_MONTH = 30.4375
LAST_STANDARD_DAY = 1856  # the last day of the WHO 2006 day tables (60.98 months)
STANDING_FROM_DAYS = 731  # recumbent length below, standing height from here
POSITION_CORRECTION_CM = 0.7
MAX_AGE_DAYS = 6970  # the last day before 229 months (19 years 1 month), where WHO's who2007 stops

RECUMBENT, STANDING = "recumbent", "standing"
POSITION_CODES = {None: 0, RECUMBENT: 1, STANDING: 2}  # arrays may carry these small ints instead


def age_in_days(birth_date: dt.date, measured_on: dt.date) -> int:
    return (measured_on - birth_date).days


@dataclass
class GrowthZ:
    """The result for n rows: one float64 array per computed index (NaN where null), plus the length/height
    after the position conversion and the BMI from it (None unless bmifa was computed)."""

    z: dict[str, np.ndarray]
    length_height_cm: np.ndarray
    bmi: np.ndarray | None
    _rounded: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def rounded(self, index: str) -> np.ndarray:
        if index not in self._rounded:
            self._rounded[index] = np.round(self.z[index], 2)
        return self._rounded[index]

    def implausible(self, index: str) -> np.ndarray:
        """True where WHO would flag the z (on the z rounded to two decimals); False where null."""
        low, high = IMPLAUSIBLE[index]
        z = self.rounded(index)
        with np.errstate(invalid="ignore"):
            return (z < low) | (z > high)


def _floats(values, n: int) -> np.ndarray | None:
    """A float64 array of n (a scalar broadcasts), None for "not given"; no copy for float64 arrays."""
    if values is None:
        return None
    if isinstance(values, np.ndarray):
        a = values.astype(np.float64, copy=False)
    elif isinstance(values, list | tuple):
        a = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    else:
        a = np.asarray(values, dtype=np.float64)
    return np.broadcast_to(a, (n,))


def _codes(values, n: int, mapping: dict) -> np.ndarray:
    """Strings (or None) mapped to small ints; integer arrays pass through unchanged."""
    if values is None:
        return np.full(n, mapping.get(None, -1), dtype=np.int8)
    a = np.asarray(values)
    if a.dtype.kind in "iub":
        if a.dtype.itemsize > 1 and a.size and (a.min() < -1 or a.max() > 127):
            a = np.where((a >= 0) & (a <= 127), a, -1)  # no wrapping round into a valid code
        return np.broadcast_to(a.astype(np.int8, copy=False), (n,))
    return np.broadcast_to(np.array([mapping.get(v, -1) for v in a.tolist()], dtype=np.int8), (n,))


def _sex_codes(values, n: int) -> np.ndarray:
    """0 boys, 1 girls, 2 unknown (anything else)."""
    codes = _codes(values, n, {"M": 0, "F": 1})
    if codes.size and (codes.min() < 0 or codes.max() > 1):
        codes = np.where((codes == 0) | (codes == 1), codes, 2).astype(np.int8)
    return codes


def _position_codes(values, n: int) -> np.ndarray:
    codes = _codes(values, n, POSITION_CODES)
    if codes.size and (codes.min() < 0 or codes.max() > 2):
        raise ValueError("position must be 'recumbent', 'standing' or None (codes 1, 2, 0)")
    return codes


Lms = tuple[np.ndarray, np.ndarray, np.ndarray]

#: Rows per block. A block's working arrays (512 KB each) are allocated once per call, stay in cache and
#: are written in place, instead of a dozen fresh 8 MB temporaries per index for a million rows.
BLOCK = 65_536


class _Block:
    """Working arrays for one block of rows, reused from block to block."""

    def __init__(self, size: int):
        self.age, self.weight, self.length, self.tmp = (np.empty(size) for _ in range(4))
        self.lms = (np.empty(size), np.empty(size), np.empty(size))
        self.frac = np.empty(size)
        self.day, self.flat, self.upper = (np.empty(size, dtype=np.intp) for _ in range(3))

    def cut(self, m: int) -> _Block:
        if m == self.age.shape[0]:
            return self
        view = object.__new__(_Block)
        view.age, view.weight, view.length, view.tmp = self.age[:m], self.weight[:m], self.length[:m], self.tmp[:m]
        view.lms = tuple(a[:m] for a in self.lms)
        view.frac, view.day, view.flat, view.upper = self.frac[:m], self.day[:m], self.flat[:m], self.upper[:m]
        return view


def _measured(into: np.ndarray, values: np.ndarray | None, *, copy: bool = False) -> np.ndarray:
    """The values with 0 and negatives made NaN ("not measured", as NaN is): ``values`` themselves when
    all are fine and no copy is asked for, else written into ``into``."""
    if values is None:
        into.fill(np.nan)
        return into
    not_measured = values <= 0
    if not copy and not not_measured.any():
        return values
    np.copyto(into, values)
    np.copyto(into, np.nan, where=not_measured)
    return into


def _z_into(out: np.ndarray, x: np.ndarray, lms: Lms, tmp: np.ndarray, *, l_is_one: bool, restricted: bool) -> None:
    """``lms.z_score`` (then ``lms.restrict``) written into ``out`` in place, in the same form:
    ``expm1(L·ln(x/M)) / (L·S)``."""
    L, M, S = lms
    np.divide(x, M, out=out)
    if l_is_one:  # (x/M − 1) / S, L not even looked up; never restricted (length, head circumference)
        np.subtract(out, 1.0, out=out)
        np.divide(out, S, out=out)
        return
    np.log(out, out=out)
    np.multiply(L, S, out=tmp)
    zero = np.flatnonzero(tmp == 0)  # none in WHO's tables; the formula's limit ln(x/M)/S if ever
    log_ratio = out[zero] if zero.size else None
    np.multiply(out, L, out=out)
    np.expm1(out, out=out)
    np.divide(out, tmp, out=out)
    if zero.size:
        out[zero] = log_ratio / S[zero]
    if restricted:
        np.abs(out, out=tmp)
        beyond = np.flatnonzero(tmp > 3)
        if beyond.size:
            out[beyond] = lms_.restrict(out[beyond], x[beyond], L[beyond], M[beyond], S[beyond])


#: the 2007 reference tables used after 1856 days, and whether L is 1 throughout
_REFERENCE_2007 = {"wfa": ("who2007_wfa", False), "lhfa": ("who2007_hfa", True), "bmifa": ("who2007_bmifa", False)}


def zscores_batch(*, sex, age_days, weight_kg=None, length_height_cm=None, position=None,
                  head_circumference_cm=None, muac_cm=None, oedema=None,
                  indices: Iterable[str] = INDICES) -> GrowthZ:
    """z-scores for n rows given as equal-length arrays (or sequences; a scalar broadcasts).

    ``sex``: "M"/"F", or ints 0 boys / 1 girls (faster); ``age_days``: whole days, NaN if unknown;
    measurements in kg and cm, NaN/None/≤ 0 if not measured; ``position``: "recumbent"/"standing"/None,
    or ints 1/2/0 (``POSITION_CODES``); ``oedema``: booleans. Only the requested ``indices`` are computed.

    Rows run in blocks of ``BLOCK`` through the 2006 day tables; rows older than 1856 days are then
    done together through the 2007 month tables.
    """
    unknown = set(indices) - set(INDICES)
    if unknown:
        raise ValueError(f"unknown growth indices: {sorted(unknown)}")
    wanted = tuple(index for index in INDICES if index in set(indices))
    given = (sex, age_days, weight_kg, length_height_cm, position, head_circumference_cm, muac_cm, oedema)
    n = max(np.size(v) for v in given if v is not None)  # scalars broadcast to the longest
    age = np.asarray(age_days)
    if age.dtype.kind not in "iuf":  # e.g. a list holding None
        age = np.array([np.nan if v is None else v for v in np.atleast_1d(age).tolist()], dtype=np.float64)
    age = np.broadcast_to(age, (n,))
    inputs = {
        "sex": _sex_codes(sex, n),
        "age": age,
        "position": None if position is None else _position_codes(position, n),
        "oedema": None if oedema is None or not np.any(oedema) else np.broadcast_to(np.asarray(oedema, bool), (n,)),
        "weight": _floats(weight_kg, n),
        "length": _floats(length_height_cm, n),
        "head": _floats(head_circumference_cm, n),
        "muac": _floats(muac_cm, n),
    }
    out = GrowthZ(z={index: np.empty(n) for index in wanted}, length_height_cm=np.empty(n),
                  bmi=np.empty(n) if "bmifa" in wanted else None)
    work = _Block(min(n, BLOCK))
    older_rows, older_ages = [], []
    with np.errstate(divide="ignore", invalid="ignore"):
        for start in range(0, n, BLOCK):
            part = slice(start, start + BLOCK)
            rows, ages = _block(wanted, work.cut(min(BLOCK, n - start)), {index: z[part] for index, z in out.z.items()},
                                out.length_height_cm[part], None if out.bmi is None else out.bmi[part],
                                **{k: None if v is None else v[part] for k, v in inputs.items()})
            if rows.size:
                older_rows.append(rows + start)
                older_ages.append(ages)
        if older_rows and set(wanted) & set(_REFERENCE_2007):
            _older(wanted, out, np.concatenate(older_rows), np.concatenate(older_ages), inputs)
    return out


def _older(wanted: tuple[str, ...], out: GrowthZ, rows: np.ndarray, age: np.ndarray, inputs: dict) -> None:
    """Rows after 1856 days: the WHO 2007 reference, by months interpolated between whole-month rows
    (as ``LmsTable.lookup``, for rows known to be valid and past 61 months)."""
    k = rows.size
    sex = inputs["sex"][rows]
    months = age / DAYS_PER_MONTH
    whole = np.floor(months)
    measured = {
        "wfa": _measured(np.empty(k), None if inputs["weight"] is None else inputs["weight"][rows]),
        "lhfa": out.length_height_cm[rows],  # already converted for the position
        "bmifa": None if out.bmi is None else out.bmi[rows],
    }
    z, tmp, high = np.empty(k), np.empty(k), np.empty(k)
    lms = (np.empty(k), np.empty(k), np.empty(k))
    grids: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for index in wanted:
        if index not in _REFERENCE_2007:
            continue
        name, l_is_one = _REFERENCE_2007[index]
        t = table(name)
        if t.size not in grids:  # hfa and bmifa share theirs
            last = t.x0 + t.size - 1  # 228 or 120 months; the month after it holds the last row
            held = whole >= last
            frac = np.where(held, 0.0, months - whole)
            flat = np.where(whole <= last, sex * float(t.stride) + (np.minimum(whole, last) - t.x0), t.missing)
            flat = flat.astype(np.intp)
            grids[t.size] = (flat, flat + (frac > 0), frac)
        flat, upper, frac = grids[t.size]
        for column, low in zip((t.L, t.M, t.S), lms, strict=True):  # low + frac · (high − low), in place
            column.take(flat, out=low, mode="clip")
            column.take(upper, out=high, mode="clip")
            np.subtract(high, low, out=high)
            np.multiply(high, frac, out=high)
            np.add(low, high, out=low)
        _z_into(z, measured[index], lms, tmp, l_is_one=l_is_one, restricted=index in RESTRICTED)
        if inputs["oedema"] is not None and index in WEIGHT_BASED:
            np.copyto(z, np.nan, where=inputs["oedema"][rows])
        out.z[index][rows] = z


def _block(wanted: tuple[str, ...], work: _Block, z: dict[str, np.ndarray], length_out: np.ndarray,
           bmi_out: np.ndarray | None, *, sex: np.ndarray, age: np.ndarray, position: np.ndarray | None,
           oedema: np.ndarray | None, weight, length, head, muac) -> tuple[np.ndarray, np.ndarray]:
    """One block of rows through the 2006 day tables, written into the output slices ``z``,
    ``length_out`` and ``bmi_out``. Returns the rows after 1856 days and their ages, for ``_older``."""
    a = work.age
    if age.dtype.kind == "f":
        np.add(age, 0.5, out=a)
        np.floor(a, out=a)  # whole days, half up, as WHO rounds a fractional age
    else:
        np.copyto(a, age, casting="unsafe")
    # from here an unknown sex (2), like an unknown or out-of-range age, is a NaN age
    np.copyto(a, np.nan, where=~((a >= 0) & (a <= MAX_AGE_DAYS) & (sex <= 1)))
    lying_age = a < STANDING_FROM_DAYS  # both False where the age is unknown
    standing_age = a >= STANDING_FROM_DAYS
    older = np.flatnonzero(a > LAST_STANDARD_DAY)

    # the row index shared by every 2006 day table (tables.day_index): sex × stride + age, where an
    # age after 1856 days or unknown (NaN, which fmin passes over) lands on the sex's NaN row at 1857,
    # and an unknown sex (2) past the end, which take(mode="clip") brings back to the last NaN row
    np.fmin(a, DAY_TABLE_SIZE, out=work.tmp)
    np.add(work.tmp, sex * float(DAY_STRIDE), out=work.tmp)
    np.copyto(work.day, work.tmp, casting="unsafe")
    day = work.day

    w = _measured(work.weight, weight)
    ln = _measured(length_out, length, copy=True)  # the output, then converted in place
    if position is not None:  # standing under 731 days: +0.7 cm; lying from 731 days: −0.7 cm
        shift = (lying_age & (position == 2)).view(np.int8) - (standing_age & (position == 1)).view(np.int8)
        np.multiply(shift, POSITION_CORRECTION_CM, out=work.tmp)
        np.add(ln, work.tmp, out=ln)
    if bmi_out is not None:
        np.divide(ln, 100.0, out=work.tmp)
        np.square(work.tmp, out=work.tmp)
        np.divide(w, work.tmp, out=bmi_out)

    for index in wanted:
        if index == "wflh":
            lms = _by_length(sex, ln, lying_age, standing_age & (a <= LAST_STANDARD_DAY), work)
            _z_into(z[index], w, lms, work.tmp, l_is_one=False, restricted=True)
        else:
            x = {"wfa": w, "lhfa": ln, "bmifa": bmi_out}.get(index)
            if x is None:
                x = _measured(work.length, head if index == "hcfa" else muac)
            _z_day(z[index], x, table(_DAY_TABLES[index]), day, work, restricted=index in RESTRICTED)
        if oedema is not None and index in WEIGHT_BASED:
            np.copyto(z[index], np.nan, where=oedema)
    return older, a[older]


_DAY_TABLES = {"wfa": "who2006_wfa", "lhfa": "who2006_lhfa", "bmifa": "who2006_bmifa", "hcfa": "who2006_hcfa",
               "acfa": "who2006_acfa"}


def _z_day(out: np.ndarray, x: np.ndarray, t: LmsTable, day: np.ndarray, work: _Block, *, restricted: bool) -> None:
    """z from a day table into ``out``, multiplying by the table's stored reciprocals:
    ``expm1(L·ln(x · 1/M)) · 1/(L·S)``, or ``x · 1/(M·S) − 1/S`` where L is 1."""
    # take(out=…) is unbuffered, hence fast, only in "clip" mode
    if t.l_is_one:
        np.multiply(x, t.inv_ms.take(day, out=work.lms[0], mode="clip"), out=out)
        np.subtract(out, t.inv_s.take(day, out=work.lms[1], mode="clip"), out=out)
    elif t.l_has_zero:
        _z_into(out, x, t.take(np.minimum(day, t.L.size - 1)), work.tmp, l_is_one=False, restricted=False)
    else:
        L = t.L.take(day, out=work.lms[0], mode="clip")
        np.multiply(x, t.inv_m.take(day, out=work.lms[1], mode="clip"), out=out)
        np.log(out, out=out)
        np.multiply(out, L, out=out)
        np.expm1(out, out=out)
        np.multiply(out, t.inv_ls.take(day, out=work.lms[2], mode="clip"), out=out)
    if restricted:
        np.abs(out, out=work.tmp)
        beyond = np.flatnonzero(work.tmp > 3)
        if beyond.size:
            rows = day[beyond]  # never an unknown sex's index: its z is NaN
            out[beyond] = lms_.restrict(out[beyond], x[beyond], t.L[rows], t.M[rows], t.S[rows])


def _by_length(sex: np.ndarray, length: np.ndarray, lying: np.ndarray, standing: np.ndarray, work: _Block) -> Lms:
    """L, M, S for weight-for-length below 731 days and weight-for-height from 731 to 1856 days (none
    after, or with the age unknown), interpolated between the 0.1 cm rows, from ``tables.wflh_table``."""
    t = wflh_table()
    pos, frac, flat, upper = work.tmp, work.frac, work.flat, work.upper
    np.subtract(length, t.x0, out=pos)
    np.multiply(pos, 1 / t.step, out=pos)
    np.round(pos, 9, out=pos)  # 110.0 cm must land on a row, not 0.0000000000001 past it
    np.floor(pos, out=frac)
    outside = ~((pos >= 0) & (pos <= t.size - 1))  # NaN too
    # the group (2·sex + standing) picks the table; neither lying nor standing: past the end, clipped
    # onto the last NaN row like every other invalid row
    group = np.where(lying | standing, 2 * sex + standing.view(np.int8), 4).astype(np.float64)
    np.multiply(group, t.stride, out=group)
    np.add(group, frac, out=group)
    np.copyto(group, 4 * t.stride - 1, where=outside)
    np.copyto(flat, group, casting="unsafe")
    np.subtract(pos, frac, out=frac)  # the fraction of the way to the next row
    np.copyto(frac, 0.0, where=outside)
    np.add(flat, frac > 0, out=upper)
    lms = []
    for column, into in zip((t.L, t.M, t.S), work.lms, strict=True):
        low = column.take(flat, out=into, mode="clip")
        high = column.take(upper, mode="clip")
        np.subtract(high, low, out=high)
        np.multiply(high, frac, out=high)
        lms.append(np.add(low, high, out=low))
    return lms[0], lms[1], lms[2]


@dataclass(frozen=True)
class GrowthScores:
    """One child's z-scores (unrounded floats, None where not computable) and flags."""

    age_days: int | None
    z: dict[str, float | None]
    implausible: tuple[str, ...]  # indices whose z WHO flags as implausible
    length_height_cm: float | None  # after the ±0.7 cm position conversion
    bmi: float | None


def _none(v) -> float | None:
    v = float(v)
    return None if np.isnan(v) else v


def zscores_one(*, sex: str, age_days: int | None, weight_kg: float | None = None,
                length_height_cm: float | None = None, position: str | None = None,
                head_circumference_cm: float | None = None, muac_cm: float | None = None,
                oedema: bool = False, indices: Iterable[str] = INDICES) -> GrowthScores:
    """``zscores_batch`` for a single child, with plain floats and None."""
    result = zscores_batch(
        sex=[sex], age_days=[np.nan if age_days is None else age_days], weight_kg=[weight_kg],
        length_height_cm=[length_height_cm], position=[position], head_circumference_cm=[head_circumference_cm],
        muac_cm=[muac_cm], oedema=[oedema], indices=indices,
    )
    return GrowthScores(
        age_days=age_days,
        z={index: _none(values[0]) for index, values in result.z.items()},
        implausible=tuple(index for index in result.z if result.implausible(index)[0]),
        length_height_cm=_none(result.length_height_cm[0]),
        bmi=None if result.bmi is None else _none(result.bmi[0]),
    )
