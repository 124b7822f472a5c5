// Drawing the field app. Data goes into the page as text nodes only (never as HTML).
export const config = JSON.parse(document.getElementById("fieldapp-config").textContent);
export const T = config.strings;

export function fmt(text, values = {}) {
  return text.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function bytes(n) {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} kB`;
}

export function age(birthDate, today = new Date()) {
  const [y, m, d] = birthDate.split("-").map(Number);
  let months = (today.getFullYear() - y) * 12 + (today.getMonth() + 1 - m) - (today.getDate() < d ? 1 : 0);
  months = Math.max(0, months);
  return months < 24 ? fmt(T.age_months, { months }) : fmt(T.age_years, { years: Math.floor(months / 12) });
}

export function showView(id) {
  for (const view of document.querySelectorAll(".fa-view")) view.hidden = view.id !== id;
  window.scrollTo(0, 0);
}

export function say(text, { error = false } = {}) {
  const box = document.getElementById("message");
  box.textContent = text;
  box.classList.toggle("error", error);
  box.hidden = !text;
}

export function setOnline(online) {
  const net = document.getElementById("net");
  net.dataset.online = online ? "yes" : "no";
  net.textContent = online ? T.online : T.offline;
}

export function renderSummary(entries, lastSync) {
  const waiting = entries.filter((e) => e.state !== "rejected");
  const size = entries.reduce((sum, e) => sum + e.size, 0);
  const summary = document.getElementById("outbox-summary");
  summary.dataset.pending = String(waiting.length);
  summary.textContent = fmt(T.pending, { count: waiting.length, size: bytes(size) });
  document.getElementById("last-sync").textContent = lastSync
    ? fmt(T.last_sync, { time: new Date(lastSync).toLocaleString() }) : T.never_synced;
}

export function householdName(h) {
  const head = h.members.find((p) => p.relationship === "kepala");
  return h.head_name || (head && head.full_name) || h.address;
}

export function renderHouseholds(model, filter, onOpen) {
  const list = document.getElementById("household-list");
  const needle = filter.trim().toLowerCase();
  const rows = model.households.filter((h) => !needle || [householdName(h), h.address, ...h.members.map((p) => p.full_name)]
    .some((text) => (text || "").toLowerCase().includes(needle)));
  list.replaceChildren(...rows.map((h) => el("li", {},
    el("button", { type: "button", class: "row-link link", "data-household": h.client_uuid, onclick: () => onOpen(h) },
      el("strong", {}, householdName(h)),
      `${h.address} · ${fmt(T.rt_rw, { rt: h.rt || "–", rw: h.rw || "–" })} · ${h.members.length} ${T.members.toLowerCase()}`,
      h._local ? el("span", { class: "fa-local" }, ` (${T.not_sent})`) : null))));
  if (!rows.length) list.replaceChildren(el("li", { class: "empty" }, T.no_households));
}

export function classLabel(index, code) {
  return code ? (T.classes[index][code] || code) : "–";
}

export function renderAssessment(output, result) {
  if (!result) { output.replaceChildren(); return; }
  if (result.age_days > 1856) { output.replaceChildren(el("p", { class: "muted" }, T.z_older)); return; }
  output.replaceChildren(el("dl", {}, ...["wfa", "lhfa", "wflh"].flatMap((index) => {
    const code = result.classification[index];
    const bad = code && code !== "normal";
    return [el("dt", {}, T[index]), el("dd", { "data-z": index }, result.z[index] ?? "–"),
            el("dd", { class: bad ? "fa-bad" : null, "data-class": index }, classLabel(index, code))];
  })));
}

function underFive(birthDate) {
  const [y, m, d] = birthDate.split("-").map(Number), now = new Date();
  return (now.getFullYear() - y) * 12 + (now.getMonth() + 1 - m) - (now.getDate() < d ? 1 : 0) < 60;
}

export function renderMembers(household, onWeigh, onDose) {
  const list = document.getElementById("member-list");
  list.replaceChildren(...household.members.map((p) => {
    const weighings = [...p.weighings].sort((a, b) => (a.measured_on < b.measured_on ? 1 : -1));
    return el("li", { "data-person": p.client_uuid },
      el("strong", {}, p.full_name), ` · ${p.sex} · ${age(p.birth_date)}`, p.nik ? ` · ${p.nik}` : "",
      p._local ? el("span", { class: "fa-local" }, ` (${T.not_sent})`) : null,
      el("div", { class: "actions" }, el("button", { type: "button", class: "button", "data-weigh": p.client_uuid,
                                                    onclick: () => onWeigh(p) }, T.weighings + " +"),
        underFive(p.birth_date) ? el("button", { type: "button", class: "button", "data-dose": p.client_uuid,
                                                 onclick: () => onDose(p) }, T.dose_add) : null),
      p.doses.length ? el("div", { class: "small muted", "data-doses": String(p.doses.length) },
        `${T.doses_given}: `, p.doses.map((r) => doseLabel(r.dose)).join(", ")) : null,
      weighings.length ? el("ul", { class: "small muted", "data-weighings": String(weighings.length) },
        ...weighings.slice(0, 12).map((m) => el("li", {},
          `${m.measured_on}: ${m.weight_kg ?? "–"} kg, ${m.length_height_cm ?? "–"} cm — `,
          classLabel("wfa", (m.classification || {}).wfa),
          m._local ? el("span", { class: "fa-local" }, ` (${T.not_sent})`) : null))) : null);
  }));
}

function doseLabel(code) {
  const dose = config.reference.doses.find((d) => d.code === code);
  return dose ? dose.label : code;
}

function describe(entry, model) {
  const data = entry.item.data;
  const ref = config.reference;
  const person = data.person_id || data.person_client_uuid ? model.person(data.person_id, data.person_client_uuid) : null;
  const who = person ? person.full_name : "?";
  if (entry.kind === "measurement.create") return `${who} · ${data.measured_on}`;
  if (entry.kind === "attendance.create") return who;
  if (entry.kind === "service.create") return `${who} · ${ref.services[data.kind] || data.kind}`;
  if (entry.kind === "immunization.create") return `${who} · ${doseLabel(data.dose)} · ${data.given_on}`;
  if (entry.kind === "day.open") {
    const day = model.days.find((d) => d.id === data.day_id);
    return day ? day.held_on : "";
  }
  if (entry.kind === "referral.create") {
    const category = ref.categories.find((c) => c.code === data.category);
    return `${category ? category.label : data.category}${person ? ` · ${who}` : ""} · `
      + fmt(T.photos_n, { count: (data.photos || []).length });
  }
  if (entry.kind === "person.create") return data.full_name;
  return data.address || "";
}

const FIELDS = ["address", "rt", "rw", "dusun"];

export function renderOutbox(entries, model, actions) {
  const list = document.getElementById("outbox-list");
  list.replaceChildren(...entries.map((entry) => {
    const item = el("li", { "data-outbox": entry.kind, "data-state": entry.state },
      el("strong", {}, T[`kind.${entry.kind}`] || entry.kind), ` · ${describe(entry, model)} · `,
      el("span", { class: entry.state === "pending" ? "badge" : "badge warn" }, T[`state.${entry.state}`]),
      ` ${bytes(entry.size)}`, entry.reason && entry.state !== "conflict" ? el("p", { class: "error" }, entry.reason) : null);
    if (entry.state === "conflict" && entry.server_data) {
      const side = (title, values, testid) => el("div", { "data-version": testid }, el("strong", {}, title),
        ...FIELDS.map((f) => el("div", {}, `${f === "address" ? T.address : f.toUpperCase()}: ${values[f] ?? "–"}`)));
      item.append(el("div", { class: "card", "data-conflict": entry.client_uuid },
        el("h3", {}, T.conflict_title),
        el("div", { class: "fa-compare" }, side(T.yours, entry.item.data, "mine"), side(T.theirs, entry.server_data, "theirs")),
        el("div", { class: "actions" },
          el("button", { type: "button", class: "button primary", "data-choose": "mine", onclick: () => actions.keepMine(entry) }, T.keep_mine),
          el("button", { type: "button", class: "button", "data-choose": "theirs", onclick: () => actions.keepTheirs(entry) }, T.keep_theirs))));
    }
    if (entry.state === "rejected") {
      item.append(el("button", { type: "button", class: "button", onclick: () => actions.discard(entry) }, T.discard));
    }
    return item;
  }));
}
