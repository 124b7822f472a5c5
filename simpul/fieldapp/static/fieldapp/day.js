// Today's posyandu day on the phone: open the day, mark who came (with what is due for each), record
// services and immunisations; and her task list. Everything goes to the outbox first (decision 0022).
import { evaluate, toGive } from "./schedule.js";
import * as sync from "./sync.js";
import * as ui from "./ui.js";

const { config, T, el, fmt } = ui;
const ref = config.reference;
const GROUP_ORDER = Object.keys(ref.groups);
let serving = null;  // { person, day } of the service form
let dosing = null;  // { person, back } of the immunisation form

export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

export function ageMonths(birth, on) {
  const [by, bm, bd] = birth.split("-").map(Number), [y, m, d] = on.split("-").map(Number);
  return (y - by) * 12 + (m - bm) - (d < bd ? 1 : 0);
}

function groupOf(person, on, pregnant) {
  if (person.id && pregnant.has(person.id)) return "ibu_hamil";
  const months = ageMonths(person.birth_date, on);
  if (months < 0) return null;
  const band = ref.stages.find(([, low, high]) => months >= low && (high === null || months < high));
  return band ? ref.stage_group[band[0]] : null;
}

// The doses to give on `on`, worked out on the phone from the schedule and the doses it knows of.
export function dueDoses(person, on) {
  if (ageMonths(person.birth_date, on) >= 60) return [];
  const given = Object.fromEntries(person.doses.map((r) => [r.dose, r.given_on]));
  return toGive(evaluate(ref.doses, person.birth_date, given, on));
}

// The day on screen: today's, else the open one, else the next scheduled.
function currentDay(model) {
  const now = today();
  const days = model.days.filter((d) => d.status === "scheduled" || d.status === "open")
    .sort((a, b) => (a.held_on < b.held_on ? -1 : 1));
  return days.find((d) => d.held_on === now) || days.find((d) => d.status === "open")
    || days.find((d) => d.held_on > now) || null;
}

function ref_(person) {
  return person.id ? { person_id: person.id } : { person_client_uuid: person.client_uuid };
}

function marks(model, day, kind) {
  const out = new Map();
  for (const row of model[kind]) {
    if (row.day_id !== day.id) continue;
    const person = model.person(row.person_id, row.person_client_uuid);
    if (!person) continue;
    if (!out.has(person.client_uuid)) out.set(person.client_uuid, []);
    out.get(person.client_uuid).push(row);
  }
  return out;
}

// Drawn only while on screen: a big posyandu has thousands of residents, and the lists are redrawn
// after every entry.
export function render(ctx) {
  const model = ctx.model();
  if (!model) return;
  if (!document.getElementById("view-day").hidden) renderDay(ctx, model);
  if (!document.getElementById("view-tasks").hidden) renderTasks(model);
}

function renderDay(ctx, model) {
  const day = currentDay(model);
  const info = document.getElementById("day-info");
  const list = document.getElementById("sasaran-list");
  const openButton = document.getElementById("day-open");
  openButton.hidden = !(day && day.status === "scheduled" && day.held_on <= today());
  document.getElementById("view-day").dataset.day = day ? day.status : "none";
  if (!day) { info.textContent = T.no_day; list.replaceChildren(); return; }
  info.textContent = fmt(T.day_info, { date: day.held_on, status: T[`day.${day.status}`] || day.status })
    + (day.place ? ` · ${day.place}` : "");
  const present = marks(model, day, "attendance"), given = marks(model, day, "services");
  const needle = document.getElementById("day-search").value.trim().toLowerCase();
  const rows = model.people.map((p) => ({ p, group: groupOf(p, day.held_on, model.pregnant) }))
    .filter(({ p, group }) => group && (!needle || p.full_name.toLowerCase().includes(needle)))
    .sort((a, b) => GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group) || a.p.full_name.localeCompare(b.p.full_name));
  list.replaceChildren(...rows.map(({ p, group }) => {
    const due = dueDoses(p, day.held_on);
    const here = present.has(p.client_uuid);
    const services = (given.get(p.client_uuid) || []).map((s) => ref.services[s.kind] || s.kind);
    return el("li", { "data-sasaran": p.client_uuid, "data-present": here ? "yes" : "no" },
      el("strong", {}, p.full_name), ` · ${ref.groups[group]} · ${ui.age(p.birth_date)}`,
      due.length ? el("div", { class: "small", "data-due": String(due.length) }, `${T.due_doses}: `,
        ...due.map((s, i) => el("span", { class: s.state === "overdue" ? "fa-bad" : null },
          `${i ? ", " : ""}${s.label}${s.state === "overdue" ? ` (${T.overdue})` : ""}`))) : null,
      p.tasks.length ? el("div", { class: "small muted" }, fmt(T.tasks_count, { count: p.tasks.length }),
        `: ${p.tasks.map((t) => t.indicator_name).join(", ")}`) : null,
      services.length ? el("div", { class: "small", "data-services": String(services.length) },
        `${T.services_given}: ${services.join(", ")}`) : null,
      el("div", { class: "actions" }, here
        ? [el("span", { class: "badge" }, T.present),
           el("button", { type: "button", class: "button", "data-service": p.client_uuid,
                          onclick: () => openService(p, day) }, T.service_add),
           ageMonths(p.birth_date, day.held_on) < 60
             ? el("button", { type: "button", class: "button", "data-dose": p.client_uuid,
                              onclick: () => openDose(ctx, p, "view-day") }, T.dose_add) : null]
        : el("button", { type: "button", class: "button primary", "data-mark": p.client_uuid,
                         disabled: day.status !== "open", onclick: () => markPresent(ctx, p, day) }, T.mark_present)));
  }));
}

function renderTasks(model) {
  const list = document.getElementById("task-list");
  const now = today();
  const tasks = [...model.tasks].sort((a, b) => (a.due_on || "9999") < (b.due_on || "9999") ? -1 : 1);
  list.replaceChildren(...tasks.map((t) => el("li", { "data-task": String(t.id) },
    el("strong", {}, t.name), ` · ${t.indicator_name}`,
    t.due_on ? el("span", { class: t.due_on < now ? "fa-bad" : "muted" }, ` · ${fmt(T.due_by, { date: t.due_on })}`) : null,
    el("ul", { class: "small" }, ...t.sentences.slice(0, 3).map((line) => el("li", {}, line))))));
  if (!tasks.length) list.replaceChildren(el("li", { class: "empty" }, T.no_tasks));
}

async function openDay(ctx) {
  const day = currentDay(ctx.model());
  if (!day) return;
  await sync.enqueue("day.open", { day_id: day.id });
  // shown open at once; the server's copy comes back with the next pull
  await sync.saveRows("day", [{ ...day, status: "open" }]);
  await ctx.saved();
}

async function markPresent(ctx, person, day) {
  const data = { day_id: day.id, ...ref_(person) };
  const item = await sync.enqueue("attendance.create", data);
  await sync.saveRows("attendance", [{ ...data, client_uuid: item.client_uuid, id: null,
                                       person_client_uuid: person.client_uuid }],
                      { local: true, entry: item.client_uuid });
  await ctx.saved();
}

function openService(person, day) {
  serving = { person, day };
  const form = document.getElementById("service-form");
  form.reset();
  document.getElementById("service-who").textContent = `${person.full_name} · ${ui.age(person.birth_date)}`;
  serviceFields();
  ui.showView("service-form");
}

function serviceFields() {
  const kind = document.getElementById("s-kind").value;
  document.getElementById("s-quantity-field").hidden = kind !== "iron_tablets";
  document.getElementById("s-detail-field").hidden = kind !== "kb";
}

async function submitService(ctx, event) {
  event.preventDefault();
  const form = event.target;
  const v = ctx.values(form);
  const needed = { iron_tablets: ["quantity"], kb: ["detail"], counselling: ["note"] }[v.kind] || [];
  if (ctx.missing(form, needed)) return;
  const { person, day } = serving;
  const attendance = ctx.model().attendance.find((a) => a.day_id === day.id && a.client_uuid && a.id === null
    && (a.person_client_uuid === person.client_uuid || (person.id && a.person_id === person.id)));
  const data = { day_id: day.id, ...ref_(person), kind: v.kind, note: v.note || "" };
  if (v.kind === "iron_tablets") data.quantity = Number(v.quantity);
  if (v.kind === "kb") data.detail = v.detail;
  if (attendance) data.attendance_client_uuid = attendance.client_uuid;
  const item = await sync.enqueue("service.create", data);
  await sync.saveRows("service", [{ ...data, client_uuid: item.client_uuid, id: null,
                                    person_client_uuid: person.client_uuid }], { local: true, entry: item.client_uuid });
  ui.showView("view-day");
  await ctx.saved();
}

export function openDose(ctx, person, back) {
  dosing = { person, back };
  const form = document.getElementById("dose-form");
  form.reset();
  const on = today();
  const due = dueDoses(person, on);
  const given = new Set(person.doses.map((r) => r.dose));
  const rest = ref.doses.filter((d) => !given.has(d.code) && !due.some((s) => s.code === d.code) && !d.endemic_only);
  const select = document.getElementById("d-dose");
  select.replaceChildren(el("option", { value: "" }, "—"),
    ...due.map((s) => el("option", { value: s.code }, `${s.label} — ${T[s.state]}`)),
    ...rest.map((d) => el("option", { value: d.code }, d.label)));
  if (due.length) select.value = due[0].code;
  document.getElementById("dose-who").textContent = `${person.full_name} · ${ui.age(person.birth_date)}`;
  document.getElementById("dose-due").textContent = due.length
    ? `${T.due_doses}: ${due.map((s) => s.label).join(", ")}` : T.nothing_due;
  form.elements.given_on.value = on;
  ui.showView("dose-form");
}

async function submitDose(ctx, event) {
  event.preventDefault();
  const form = event.target;
  if (ctx.missing(form, ["dose", "given_on"])) return;
  const v = ctx.values(form);
  const { person, back } = dosing;
  const data = { ...ref_(person), dose: v.dose, given_on: v.given_on, vaccine: v.vaccine, batch_number: v.batch_number,
                 given_by: v.given_by, place: v.place };
  const item = await sync.enqueue("immunization.create", data);
  await sync.saveRows("immunization", [{ ...data, client_uuid: item.client_uuid, id: null,
                                         person_client_uuid: person.client_uuid }],
                      { local: true, entry: item.client_uuid });
  ui.showView(back);
  await ctx.saved();
}

export function wire(ctx) {
  document.getElementById("day-open").addEventListener("click", () => openDay(ctx));
  document.getElementById("day-search").addEventListener("input", () => render(ctx));
  document.getElementById("s-kind").addEventListener("change", serviceFields);
  document.getElementById("service-form").addEventListener("submit", (e) => submitService(ctx, e));
  document.getElementById("dose-form").addEventListener("submit", (e) => submitDose(ctx, e));
  document.getElementById("dose-cancel").addEventListener("click", () => ui.showView(dosing ? dosing.back : "view-day"));
}
