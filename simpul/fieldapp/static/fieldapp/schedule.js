// The immunisation schedule read on the phone: a port of simpul/immunization/rules.py (evaluate) over the
// dose table the shell sends (reference.doses). Dates are "YYYY-MM-DD" strings, compared as strings.
// test_schedule_js.py runs this and the server's rules on the same children and requires equal answers.
const DAY = 86400000;

function parts(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return [y, m, d];
}

function iso(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

// The same day `months` later; the month's last day when it has no such day (31 Jan + 1 = 29 Feb).
export function addMonths(date, months) {
  const [y, m, d] = parts(date);
  const index = m - 1 + months;
  const year = y + Math.floor(index / 12), month = ((index % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return iso(Date.UTC(year, month, Math.min(d, last)));
}

export function addDays(date, days) {
  const [y, m, d] = parts(date);
  return iso(Date.UTC(y, m - 1, d) + days * DAY);
}

function after(span, start) {
  return addDays(addMonths(start, span[0]), span[1]);
}

function previous(doses, dose) {
  return doses.find((o) => o.antigen === dose.antigen && o.number === dose.number - 1) || null;
}

function earliestDate(doses, dose, birth, given) {
  const first = after(dose.earliest, birth);
  const before = previous(doses, dose);
  if (!before) return first;
  const previousOn = given[before.code];
  if (!previousOn) return null;
  const afterPrevious = dose.interval ? after(dose.interval, previousOn) : addDays(previousOn, 1);
  return first > afterPrevious ? first : afterPrevious;
}

// Each applicable dose's state on `on`: given | due | overdue | not_yet | missed, with can_give.
export function evaluate(doses, birth, givenAll, on, { jeEndemic = false } = {}) {
  const given = {};
  for (const [code, day] of Object.entries(givenAll)) if (day <= on) given[code] = day;
  const out = [];
  for (const dose of doses) {
    if (dose.endemic_only && !jeEndemic) continue;
    const dueOn = after(dose.recommended, birth), overdueOn = after(dose.overdue, birth);
    const base = { code: dose.code, label: dose.label, due_on: dueOn, overdue_on: overdueOn };
    if (given[dose.code]) { out.push({ ...base, state: "given", given_on: given[dose.code], can_give: false }); continue; }
    const latestOn = dose.latest ? after(dose.latest, birth) : null;
    if (latestOn && on >= latestOn) { out.push({ ...base, state: "missed", can_give: false }); continue; }
    let nextOn = earliestDate(doses, dose, birth, given);
    if (nextOn && latestOn && nextOn >= latestOn) nextOn = null;
    const canGive = nextOn !== null && nextOn <= on;
    let state = "not_yet";
    if (on >= overdueOn) state = "overdue";
    else if (on >= dueOn && canGive) state = "due";
    out.push({ ...base, state, next_on: nextOn, can_give: canGive });
  }
  return out;
}

// The doses to give on `on` (the visit list): due or overdue and allowed today.
export function toGive(statuses) {
  return statuses.filter((s) => s.can_give && (s.state === "due" || s.state === "overdue"));
}
