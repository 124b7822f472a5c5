// Offline z-scores for a weighing of a child of 0–1856 days, by the rules of
// simpul/health/growth/zscores.py and classify.py, from the same WHO numbers (who-lms.json, written by
// simpul/fieldapp/growth_tables.py). Older children get null: the server grades them after sync.
// The arithmetic follows the server's own order of operations (x · 1/M, then · 1/(L·S)), so both give the
// same double and the same rounded z; simpul/fieldapp/tests/test_growth_js.py checks it with node.

export const LAST_STANDARD_DAY = 1856;
const STANDING_FROM_DAYS = 731;
const CORRECTION_CM = 0.7;

// (upper bound, upper bound included, code), ascending; Permenkes 2/2020 for 0–60 months.
const BANDS = {
  wfa: [[-3, false, "severely_underweight"], [-2, false, "underweight"], [1, true, "normal"],
        [Infinity, true, "risk_of_overweight"]],
  lhfa: [[-3, false, "severely_stunted"], [-2, false, "stunted"], [3, true, "normal"], [Infinity, true, "tall"]],
  wflh: [[-3, false, "severely_wasted"], [-2, false, "wasted"], [1, true, "normal"],
         [2, true, "possible_risk_of_overweight"], [3, true, "overweight"], [Infinity, true, "obese"]],
};
const IMPLAUSIBLE = { wfa: [-6, 5], lhfa: [-6, 6], wflh: [-5, 5] };

export function ageInDays(birthDate, measuredOn) {
  const [by, bm, bd] = birthDate.split("-").map(Number);
  const [my, mm, md] = measuredOn.split("-").map(Number);
  return Math.round((Date.UTC(my, mm - 1, md) - Date.UTC(by, bm - 1, bd)) / 86400000);
}

// Python's round(z, 2): the exact double rounded to nearest, ties (only multiples of 1/8 are exact) to even.
export function round2(z) {
  if (z === null || !Number.isFinite(z)) return null;
  const scaled = z * 100;
  let r;
  if (Number.isInteger(z * 8) && Math.abs(scaled % 1) === 0.5) r = 2 * Math.round(scaled / 2) / 100;
  else r = Number(z.toFixed(2));
  return r === 0 ? 0 : r;  // no −0
}

function valueAt(z, L, M, S) {
  return M * Math.pow(1 + L * S * z, 1 / L);
}

// WHO's restricted z beyond ±3 SD: ±3 + (x − SD3) / |SD3 − SD2|.
function restrict(z, x, L, M, S) {
  if (!(Math.abs(z) > 3)) return z;
  const side = Math.sign(z);
  const sd3 = valueAt(3 * side, L, M, S), sd2 = valueAt(2 * side, L, M, S);
  return 3 * side + (x - sd3) / Math.abs(sd3 - sd2);
}

function measured(value) {
  return typeof value === "number" && value > 0 ? value : null;
}

function dayZ(t, group, age, x, { lIsOne, restricted }) {
  if (x === null) return null;
  const k = group * t.size + age;
  const L = t.L[k], M = t.M[k], S = t.S[k];
  if (L === null || M === null || S === null) return null;
  if (lIsOne) return x * (1 / (M * S)) - 1 / S;
  const z = Math.expm1(Math.log(x * (1 / M)) * L) * (1 / (L * S));
  return restricted ? restrict(z, x, L, M, S) : z;
}

function lengthZ(t, group, length, weight) {
  if (length === null || weight === null) return null;
  let pos = (length - t.x0) * (1 / t.step);
  pos = Math.round(pos * 1e9) / 1e9;  // 110.0 cm must land on a row, not a hair past it
  if (!(pos >= 0 && pos <= t.size - 1)) return null;
  const i = Math.floor(pos), frac = pos - i;
  const lo = group * t.size + i, hi = lo + (frac > 0 ? 1 : 0);
  const lms = ["L", "M", "S"].map((c) => t[c][lo] === null || t[c][hi] === null ? null
    : t[c][lo] + frac * (t[c][hi] - t[c][lo]));
  if (lms.includes(null)) return null;
  const [L, M, S] = lms;
  const z = Math.expm1(L * Math.log(weight / M)) / (L * S);
  return restrict(z, weight, L, M, S);
}

export function classify(index, z, ageDays) {
  if (z === null || ageDays < 0 || ageDays > LAST_STANDARD_DAY) return null;
  const r = round2(z);
  for (const [upper, included, code] of BANDS[index]) {
    if (r < upper || (included && r === upper)) return code;
  }
  return null;
}

// {age_days, z: {wfa, lhfa, wflh}, classification: {...}, flags: [...]}; z rounded to 2 decimals, null
// where it cannot be computed here (not measured, out of the tables, older than 1856 days, oedema).
export function assess(tables, { sex, birthDate, measuredOn, weightKg, lengthCm, position, oedema }) {
  const age = ageInDays(birthDate, measuredOn);
  const z = { wfa: null, lhfa: null, wflh: null };
  const valid = (sex === "M" || sex === "F") && age >= 0 && age <= LAST_STANDARD_DAY;
  if (valid) {
    const sexIndex = sex === "M" ? 0 : 1;
    const weight = oedema ? null : measured(weightKg);
    let length = measured(lengthCm);
    if (length !== null) {
      if (age < STANDING_FROM_DAYS && position === "standing") length += CORRECTION_CM;
      if (age >= STANDING_FROM_DAYS && position === "recumbent") length -= CORRECTION_CM;
    }
    z.wfa = dayZ(tables.wfa, sexIndex, age, weight, { lIsOne: false, restricted: true });
    z.lhfa = dayZ(tables.lhfa, sexIndex, age, length, { lIsOne: true, restricted: false });
    const standing = age >= STANDING_FROM_DAYS ? 1 : 0;
    z.wflh = lengthZ(tables.wflh, 2 * sexIndex + standing, length, weight);
  }
  const out = { age_days: age, z: {}, classification: {}, flags: [] };
  for (const index of ["wfa", "lhfa", "wflh"]) {
    const value = z[index] === null || !Number.isFinite(z[index]) ? null : z[index];
    out.z[index] = round2(value);
    out.classification[index] = classify(index, value, age);
    const [low, high] = IMPLAUSIBLE[index];
    if (out.z[index] !== null && (out.z[index] < low || out.z[index] > high)) out.flags.push(`implausible_${index}`);
  }
  return out;
}
