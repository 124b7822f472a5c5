// The field app's controller: start (key, worker), forms that write to the outbox, sync, logout.
import * as day from "./day.js";
import { assess } from "./growth.js";
import * as need from "./need.js";
import * as sync from "./sync.js";
import * as ui from "./ui.js";

const { config, T } = ui;
const urls = config.urls;
let model = null;
let current = null;  // the household on screen (client UUID)
let weighing = null;  // the person being weighed
let editing = null;  // the household whose address is being changed
let tables = null;
let busy = false;

function buildModel(rows) {
  const households = new Map(), householdById = new Map(), people = new Map(), personById = new Map();
  for (const h of rows.household) {
    households.set(h.client_uuid, { ...h, members: [] });
    if (h.id) householdById.set(h.id, h.client_uuid);
  }
  for (const p of rows.person) {
    p.weighings = [];
    p.doses = [];
    p.tasks = [];
    people.set(p.client_uuid, p);
    if (p.id) personById.set(p.id, p.client_uuid);
    const h = households.get(p.household_client_uuid || householdById.get(p.household_id));
    if (h) h.members.push(p);
  }
  for (const m of rows.measurement) {
    const p = people.get(m.person_client_uuid || personById.get(m.person_id));
    if (p) p.weighings.push(m);
  }
  for (const r of rows.immunization) {
    const p = people.get(r.person_client_uuid || personById.get(r.person_id));
    if (p) p.doses.push(r);
  }
  for (const t of rows.task) {
    const p = t.person_id ? people.get(personById.get(t.person_id)) : null;
    if (p) p.tasks.push(t);
  }
  const list = [...households.values()].sort((a, b) => ui.householdName(a).localeCompare(ui.householdName(b)));
  return {
    households: list,
    people: [...people.values()],
    household: (uuid) => households.get(uuid),
    householdOf: (p) => households.get(p.household_client_uuid || householdById.get(p.household_id)),
    person: (id, uuid) => people.get(uuid || personById.get(id)),
    days: rows.day,
    attendance: rows.attendance,
    services: rows.service,
    tasks: rows.task,
    pregnant: new Set(rows.pregnancy.map((r) => r.person_id)),
  };
}

async function refresh() {
  if (!sync.session.key) return;
  model = buildModel(await sync.loadRows());
  ui.renderHouseholds(model, document.getElementById("search").value, openHousehold);
  if (current && model.household(current)) renderHousehold(model.household(current));
  day.render(ctx);
  const entries = await sync.outboxEntries();
  ui.renderSummary(entries, await sync.getMeta("last_sync"));
  ui.renderOutbox(entries, model, { keepMine, keepTheirs, discard });
}

function openHousehold(h) {
  current = h.client_uuid;
  renderHousehold(h);
  ui.showView("view-household");
}

function renderHousehold(h) {
  document.getElementById("household-title").textContent = ui.householdName(h);
  document.getElementById("household-address").textContent =
    `${h.address} · ${ui.fmt(T.rt_rw, { rt: h.rt || "–", rw: h.rw || "–" })}${h.dusun ? " · " + h.dusun : ""}`;
  document.getElementById("edit-household").hidden = !h.id;
  ui.renderMembers(h, openWeighing, (p) => day.openDose(ctx, p, "view-household"));
}

function values(form) {
  const out = {};
  for (const [name, value] of new FormData(form).entries()) out[name] = String(value).trim();
  return out;
}

function missing(form, names) {
  const empty = names.filter((name) => !form.elements[name].value.trim());
  for (const name of names) form.elements[name].closest(".field").classList.toggle("has-error", empty.includes(name));
  if (empty.length) ui.say(T.required, { error: true });
  return empty.length > 0;
}

async function saved() {
  ui.say(T.saved_offline);
  await refresh();
  if (navigator.onLine) runSync();
}

// --- forms ---------------------------------------------------------------------------------------------

function openHouseholdForm(h = null) {
  const form = document.getElementById("household-form");
  form.reset();
  editing = h;
  document.getElementById("hh-head").hidden = !!h;
  document.getElementById("household-form-title").textContent = h ? ui.householdName(h) : T.new_household;
  if (h) for (const name of ["address", "rt", "rw", "dusun"]) form.elements[name].value = h[name] || "";
  ui.showView("household-form");
}

async function submitHousehold(event) {
  event.preventDefault();
  const form = event.target;
  const v = values(form);
  if (missing(form, editing ? ["address"] : ["address", "full_name", "birth_date"])) return;
  const place = { address: v.address, rt: v.rt, rw: v.rw, dusun: v.dusun };
  if (editing) {
    const h = editing;
    await sync.enqueue("household.update", { household_id: h.id, ...place }, { baseVersion: h.version });
    const { members, ...row } = h;
    await sync.saveRows("household", [{ ...row, ...place }], { local: h._local });
    current = h.client_uuid;
    ui.showView("view-household");
  } else {
    const head = { client_uuid: crypto.randomUUID(), full_name: v.full_name, sex: v.sex, birth_date: v.birth_date,
                   relationship: "kepala" };
    const item = await sync.enqueue("household.create", { ...place, members: [head] });
    const local = { local: true, entry: item.client_uuid };
    await sync.saveRows("household", [{ client_uuid: item.client_uuid, id: null, version: null, head_name: head.full_name,
                                        ...place }], local);
    await sync.saveRows("person", [{ ...head, id: null, household_client_uuid: item.client_uuid, nik: "" }], local);
    current = item.client_uuid;
    ui.showView("view-household");
  }
  await saved();
}

async function submitPerson(event) {
  event.preventDefault();
  const form = event.target;
  if (missing(form, ["full_name", "birth_date"])) return;
  const h = model.household(current);
  const v = values(form);
  const ref = h.id ? { household_id: h.id } : { household_client_uuid: h.client_uuid };
  const person = { full_name: v.full_name, sex: v.sex, birth_date: v.birth_date, relationship: v.relationship,
                   mother_name: v.mother_name };
  const item = await sync.enqueue("person.create", { ...ref, ...person });
  await sync.saveRows("person", [{ ...person, ...ref, client_uuid: item.client_uuid, id: null, nik: "",
                                   household_client_uuid: h.client_uuid }], { local: true, entry: item.client_uuid });
  ui.showView("view-household");
  await saved();
}

function openWeighing(p) {
  weighing = p;
  const form = document.getElementById("weigh-form");
  form.reset();
  form.elements.measured_on.value = new Date().toISOString().slice(0, 10);
  document.getElementById("weigh-who").textContent = `${p.full_name} · ${ui.age(p.birth_date)}`;
  showAssessment();
  ui.showView("weigh-form");
}

function number(value) {
  const n = parseFloat(String(value).replace(",", "."));
  return Number.isFinite(n) && n > 0 ? n : null;
}

function currentAssessment() {
  const form = document.getElementById("weigh-form");
  const v = values(form);
  if (!tables || !weighing || !v.measured_on) return null;
  return assess(tables, { sex: weighing.sex, birthDate: weighing.birth_date, measuredOn: v.measured_on,
                          weightKg: number(v.weight_kg), lengthCm: number(v.length_height_cm),
                          position: v.position || null });
}

async function showAssessment() {
  if (!tables) {
    try { tables = await (await fetch(urls.tables)).json(); } catch (e) { tables = null; }
  }
  ui.renderAssessment(document.getElementById("weigh-result"), currentAssessment());
}

async function submitWeighing(event) {
  event.preventDefault();
  const form = event.target;
  const v = values(form);
  if (missing(form, ["measured_on"])) return;
  if (number(v.weight_kg) === null && number(v.length_height_cm) === null) {
    missing(form, ["weight_kg", "length_height_cm"]);
    return;
  }
  const p = weighing;
  const ref = p.id ? { person_id: p.id } : { person_client_uuid: p.client_uuid };
  const data = { ...ref, measured_on: v.measured_on, weight_kg: number(v.weight_kg),
                 length_height_cm: number(v.length_height_cm), position: v.position || null };
  const item = await sync.enqueue("measurement.create", data);
  const result = currentAssessment();
  await sync.saveRows("measurement", [{ ...data, client_uuid: item.client_uuid, id: null, person_client_uuid: p.client_uuid,
                                        z: result && result.z, classification: result && result.classification }],
                      { local: true, entry: item.client_uuid });
  ui.showView("view-household");
  await saved();
}

// --- conflicts -----------------------------------------------------------------------------------------

async function keepMine(entry) {
  const mine = entry.item.data;
  await sync.enqueue("household.update", mine, { baseVersion: entry.server_version });
  await sync.outboxDelete(entry.client_uuid);
  const { household_id, ...place } = mine;
  await sync.saveRows("household", [{ ...entry.server_data, ...place }]);
  await saved();
}

async function keepTheirs(entry) {
  await sync.outboxDelete(entry.client_uuid);
  await sync.saveRows("household", [entry.server_data]);
  await refresh();
}

async function discard(entry) {
  await sync.outboxDelete(entry.client_uuid);
  await sync.forgetRowsOf(entry.client_uuid);
  await refresh();
}

// --- sync, start, logout -------------------------------------------------------------------------------

async function runSync() {
  if (busy) return;
  busy = true;
  document.body.dataset.state = "syncing";
  ui.say(T.syncing);
  try {
    await sync.sync(urls);
    document.body.dataset.state = "synced";
    document.body.dataset.syncs = String(Number(document.body.dataset.syncs || 0) + 1);
    ui.say(T.sync_done);
  } catch (e) {
    document.body.dataset.state = "sync-failed";
    if (e instanceof sync.SyncError && e.kind === "login") {
      sync.session.csrf = null;
      ui.say(T.login_again, { error: true });
    } else {
      ui.say(T.sync_failed, { error: true });
      if (!(e instanceof sync.SyncError)) console.error(e);
    }
  } finally {
    busy = false;
    await refresh();
  }
}

async function wipeDevice() {
  await sync.wipe();
  if (window.caches) for (const key of await caches.keys()) await caches.delete(key);
  localStorage.clear();
  if (navigator.serviceWorker) {
    for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
  }
}

async function logout() {
  const entries = sync.session.key ? await sync.outboxEntries() : [];
  if (entries.some((e) => e.state !== "rejected") && !window.confirm(T.confirm_logout)) return;
  if (!sync.session.csrf) await sync.prepareKey(urls);
  const csrf = sync.session.csrf;
  await wipeDevice();
  if (!csrf) { window.location.href = urls.login; return; }
  const form = ui.el("form", { method: "post", action: urls.logout },
    ui.el("input", { type: "hidden", name: "csrfmiddlewaretoken", value: csrf }));
  document.body.append(form);
  form.submit();
}

async function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  try {
    await navigator.serviceWorker.register(urls.worker, { scope: config.scope });
    await navigator.serviceWorker.ready;
    const shell = await caches.match(config.scope);
    document.body.dataset.offlineReady = shell ? "yes" : "no";
  } catch (e) {
    console.error(e);
  }
}

// What the posyandu-day and need modules share with this controller.
const ctx = {
  model: () => model,
  current: () => current,
  refresh: () => refresh(),
  saved: () => saved(),
  values,
  missing,
};

function wire() {
  day.wire(ctx);
  need.wire(ctx);
  document.getElementById("sync-now").addEventListener("click", runSync);
  document.getElementById("logout").addEventListener("click", logout);
  document.getElementById("new-household").addEventListener("click", () => openHouseholdForm());
  document.getElementById("edit-household").addEventListener("click", () => openHouseholdForm(model.household(current)));
  document.getElementById("add-person").addEventListener("click", () => {
    document.getElementById("person-form").reset();
    ui.showView("person-form");
  });
  document.getElementById("search").addEventListener("input", () => ui.renderHouseholds(model, document.getElementById("search").value, openHousehold));
  document.getElementById("household-form").addEventListener("submit", submitHousehold);
  document.getElementById("person-form").addEventListener("submit", submitPerson);
  const weigh = document.getElementById("weigh-form");
  weigh.addEventListener("submit", submitWeighing);
  weigh.addEventListener("input", showAssessment);
  for (const button of document.querySelectorAll("[data-go]")) {
    button.addEventListener("click", () => {
      ui.say("");
      const target = button.dataset.go;
      if (target === "day" || target === "tasks") { ui.showView(`view-${target}`); day.render(ctx); return; }
      const back = target === "back" && current && model.household(current);
      if (!back) current = null;
      ui.showView(back ? "view-household" : "view-households");
    });
  }
  window.addEventListener("online", () => { ui.setOnline(true); runSync(); });
  window.addEventListener("offline", () => ui.setOnline(false));
}

async function start() {
  wire();
  ui.setOnline(navigator.onLine);
  const state = await sync.prepareKey(urls);
  if (state === "none") { ui.say(T.not_prepared, { error: true }); document.body.dataset.state = "unprepared"; }
  if (state === "login") ui.say(T.login_again, { error: true });
  await refresh();
  if (state !== "none" && state !== "login") document.body.dataset.state = "ready";
  registerWorker();
  if (state === "ok") await runSync();
}

start();
