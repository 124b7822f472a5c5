// The phone's side of decision 0017: encrypted rows and outbox on top of db.js, push then pull.
import * as db from "./db.js";
import { importKey, open as unseal, openBytes, seal, sealBytes } from "./crypto.js";

export const FORM_VERSION = 2;
const BATCH = 100;
const PAGE = 500;  // the server's maximum: fewer round trips on a slow line (bench: 40 → 16 pages for 3,000 residents)
export const session = { key: null, csrf: null, loggedIn: null };

// kind: "network", "login", "server" (try again later) or "refused" (the server cannot take what was sent:
// sending it again will not help; `body` holds its answer).
export class SyncError extends Error {
  constructor(kind, status, body = null) { super(kind); this.kind = kind; this.status = status; this.body = body; }
}

const REFUSED = new Set([400, 413, 422]);

export const KINDS = ["household", "person", "measurement", "immunization", "pregnancy", "day", "attendance",
                      "service", "task", "referral"];

function parentOf(kind, row) {
  if (kind === "person") return row.household_id ?? null;
  if (kind === "attendance" || kind === "service") return row.day_id ?? null;
  if (kind === "household" || kind === "day" || kind === "task" || kind === "referral") return null;
  return row.person_id ?? null;
}

// The session's key: fetched when online (a new login brings a new key, and everything stored is sealed
// again under it so unsent work survives an expired session); the stored CryptoKey when offline.
// Returns "ok", "offline" (stored key, no server), "login" (the server wants a new login) or "none".
export async function prepareKey(urls) {
  let stored = await db.getMeta("key");
  const storedId = await db.getMeta("key_id");
  let response = null;
  try {
    response = await fetch(urls.key, { credentials: "same-origin", cache: "no-store",
                                       headers: { Accept: "application/json" } });
  } catch (e) { response = null; }
  if (response && response.ok) {
    const body = await response.json();
    session.csrf = body.csrf_token;
    session.loggedIn = true;
    if (body.key_id !== storedId || !stored) {
      const fresh = await importKey(body.key);
      if (stored) await reseal(stored, fresh);
      await db.setMeta("key", fresh);
      await db.setMeta("key_id", body.key_id);
      stored = fresh;
    }
    session.key = stored;
    return "ok";
  }
  if (response && response.status === 403) session.loggedIn = false;
  session.key = stored || null;
  if (session.loggedIn === false) return "login";
  return stored ? "offline" : "none";
}

async function reseal(oldKey, newKey) {
  const rows = [];
  for (const record of await db.allRecords()) {
    try {
      rows.push({ ...record, ...(await seal(newKey, await unseal(oldKey, record))) });
    } catch (e) { /* unreadable: the next pull brings it again */ }
  }
  await db.clearRecords();
  await db.putRecords(rows);
  for (const entry of await db.outboxAll()) {
    await db.outboxPut({ ...entry, ...(await seal(newKey, await unseal(oldKey, entry))) });
  }
  for (const photo of await db.photosAll()) {
    await db.photosPut([{ ...photo, ...(await sealBytes(newKey, await openBytes(oldKey, photo))) }]);
  }
}

// --- rows --------------------------------------------------------------------------------------------

// A row made on the phone (`local`) names the outbox entry it came from: it lives until that entry is
// answered and a pull has brought the server's copy (see `forgetSentRows`).
export async function saveRows(kind, rows, { local = false, entry = null } = {}) {
  const sealed = [];
  for (const row of rows) {
    sealed.push({ key: `${kind}:${row.client_uuid ?? row.id}`, kind, id: row.id ?? null, parent: parentOf(kind, row),
                  local, entry: local ? entry : null, ...(await seal(session.key, row)) });
  }
  await db.putRecords(sealed);
}

export async function loadRows() {
  const out = Object.fromEntries(KINDS.map((kind) => [kind, []]));
  for (const record of await db.allRecords()) {
    const row = await unseal(session.key, record);
    row._local = record.local;
    (out[record.kind] ||= []).push(row);
  }
  return out;
}

async function dropRows(kind, id) {
  // A person or household that left her feed takes what was recorded for it along.
  const keys = (await db.recordsBy("by_id", kind, id)).map((r) => r.key);
  const people = kind === "person" ? [id] : [];
  if (kind === "day") {
    for (const child of ["attendance", "service"]) {
      keys.push(...(await db.recordsBy("by_parent", child, id)).map((r) => r.key));
    }
  }
  if (kind === "household") {
    for (const person of await db.recordsBy("by_parent", "person", id)) {
      keys.push(person.key);
      if (person.id !== null) people.push(person.id);
    }
  }
  for (const personId of people) {
    for (const child of ["measurement", "immunization", "pregnancy"]) {
      keys.push(...(await db.recordsBy("by_parent", child, personId)).map((r) => r.key));
    }
  }
  await db.deleteRecords(keys);
}

// --- outbox ------------------------------------------------------------------------------------------

// `photos`: [{client_uuid, name, bytes}] of a need; they are sent ahead of the item (pushPhotos).
export async function enqueue(kind, data, { baseVersion = null, photos = [], clientUuid = null } = {}) {
  const item = { client_uuid: clientUuid || crypto.randomUUID(), kind, device_time: new Date().toISOString(), data };
  if (baseVersion !== null) item.base_version = baseVersion;
  const seq = ((await db.getMeta("seq")) || 0) + 1;
  await db.setMeta("seq", seq);
  const size = new Blob([JSON.stringify(item)]).size + photos.reduce((sum, p) => sum + p.bytes.byteLength, 0);
  const sealed = [];
  for (const photo of photos) {
    sealed.push({ client_uuid: photo.client_uuid, entry: item.client_uuid, ...(await sealBytes(session.key, photo.bytes)),
                  name: "foto.jpg" });
  }
  await db.photosPut(sealed);
  await db.outboxPut({ client_uuid: item.client_uuid, seq, kind, state: "pending", size,
                      ...(await seal(session.key, { item })) });
  return item;
}

export async function outboxEntries() {
  const out = [];
  for (const entry of await db.outboxAll()) {
    out.push({ client_uuid: entry.client_uuid, seq: entry.seq, kind: entry.kind, state: entry.state,
               size: entry.size, ...(await unseal(session.key, entry)) });
  }
  return out;
}

export async function outboxUpdate(entry, changes) {
  const { item, reason, server_data, server_version } = { ...entry, ...changes };
  await db.outboxPut({ client_uuid: entry.client_uuid, seq: entry.seq, kind: entry.kind,
                      state: changes.state || entry.state, size: entry.size,
                      ...(await seal(session.key, { item, reason, server_data, server_version })) });
}

export const outboxDelete = db.outboxDelete;

// The rows an entry made on the phone, when the kader deletes the entry.
export async function forgetRowsOf(entryUuid) {
  await db.deleteRecords((await db.allRecords()).filter((r) => r.local && r.entry === entryUuid).map((r) => r.key));
}

async function deviceId() {
  let id = await db.getMeta("device_id");
  if (!id) { id = crypto.randomUUID(); await db.setMeta("device_id", id); }
  return id;
}

async function call(url, options = {}) {
  let response;
  try {
    response = await fetch(url, { credentials: "same-origin", cache: "no-store", ...options,
                                  headers: { Accept: "application/json", "X-CSRFToken": session.csrf || "",
                                             ...(options.headers || {}) } });
  } catch (e) {
    throw new SyncError("network");
  }
  if (response.status === 401 || response.status === 403) throw new SyncError("login", response.status);
  if (REFUSED.has(response.status)) {
    throw new SyncError("refused", response.status, await response.json().catch(() => null));
  }
  if (!response.ok) throw new SyncError("server", response.status);
  return response.json();
}

// The photos of waiting needs, one request each, before the items that name them. A photo the server
// refuses (not a photo, too large) refuses its need: the kader sees why and may delete the entry.
async function pushPhotos(urls, waiting) {
  for (const entry of waiting) {
    const photos = await db.photosOf(entry.client_uuid);
    for (const photo of photos) {
      if (photo.sent) continue;  // the server keeps it until the need is answered: never send the bytes twice
      const form = new FormData();
      form.append("client_uuid", photo.client_uuid);
      form.append("item_uuid", entry.client_uuid);
      form.append("file", new Blob([await openBytes(session.key, photo)], { type: "image/jpeg" }), photo.name);
      let response;
      try {
        response = await fetch(urls.photo, { method: "POST", body: form, credentials: "same-origin", cache: "no-store",
                                             headers: { Accept: "application/json", "X-CSRFToken": session.csrf || "" } });
      } catch (e) {
        throw new SyncError("network");
      }
      if (response.status === 401 || response.status === 403) throw new SyncError("login", response.status);
      if (response.status === 422) {
        const body = await response.json();
        await outboxUpdate(entry, { state: "rejected", reason: reasonOf(body) });
        entry.state = "rejected";
        break;
      }
      if (!response.ok) throw new SyncError("server", response.status);
      await db.photosPut([{ ...photo, sent: true }]);
    }
  }
}

// Send every waiting entry; each answer settles its entry. A retry of a batch the server already took
// is answered "already_applied" and settles the same way.
export async function push(urls) {
  const pending = (await outboxEntries()).filter((e) => e.state === "pending");
  await pushPhotos(urls, pending.filter((e) => e.kind === "referral.create"));
  const waiting = pending.filter((e) => e.state === "pending");
  const device = await deviceId();
  for (let start = 0; start < waiting.length; start += BATCH) {
    await pushChunk(urls, device, waiting.slice(start, start + BATCH));
  }
}

// A batch the server refuses as a whole (one entry it cannot read — an old phone's malformed clock, a kind
// it does not know — or a batch too large) would be refused again on every sync and hold every entry behind
// it. So its entries go one by one instead: the others are taken, and the one refused on its own is marked
// rejected with the server's reason, for the kader to see and delete.
async function pushChunk(urls, device, chunk) {
  let body;
  try {
    body = await call(urls.push, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ device_id: device, form_version: FORM_VERSION, items: chunk.map((e) => e.item) }),
    });
  } catch (e) {
    if (!(e instanceof SyncError) || e.kind !== "refused") throw e;
    if (chunk.length > 1) {
      for (const entry of chunk) await pushChunk(urls, device, [entry]);
    } else {
      await outboxUpdate(chunk[0], { state: "rejected", reason: reasonOf(e.body || {}) });
    }
    return;
  }
  for (const [i, result] of body.results.entries()) {
    const entry = chunk[i];
    if (result.status === "created" || result.status === "already_applied") {
      await db.outboxDelete(entry.client_uuid);
    } else if (result.status === "conflict") {
      await outboxUpdate(entry, { state: "conflict", reason: result.reason, server_data: result.server_data,
                                  server_version: result.server_version });
    } else {
      await outboxUpdate(entry, { state: result.retryable ? "pending" : "rejected",
                                  reason: reasonOf({ detail: result.reason, errors: result.field_errors }) });
    }
  }
}

// The server's message and its field messages (already in the kader's language), as one line.
function reasonOf({ detail, errors }) {
  return [detail, ...Object.values(errors || {}).flat()].filter(Boolean).join(" ");
}

export async function pull(urls) {
  let cursor = await db.getMeta("cursor");
  for (let page = 0; page < 1000; page++) {
    const body = await call(`${urls.pull}?limit=${PAGE}` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""));
    if (body.reset) {
      const keep = (await db.allRecords()).filter((r) => r.local);
      await db.clearRecords();
      await db.putRecords(keep);
    }
    for (const kind of body.replace || []) {
      // sent whole (tasks): what the phone holds of that kind and did not make itself goes
      await db.deleteRecords((await db.allRecords()).filter((r) => r.kind === kind && !r.local).map((r) => r.key));
    }
    for (const [kind, rows] of Object.entries(body.changes)) {
      if (rows.length) await saveRows(kind, rows);
    }
    for (const drop of body.drop) await dropRows(drop.kind, drop.id);
    cursor = body.next_cursor;
    await db.setMeta("cursor", cursor);
    if (!body.has_more) break;
  }
  await forgetSentRows();
}

// After a complete pull, a row made on the phone whose entry is no longer in the outbox has been answered
// and the server's copy (under the same client UUID, or the other phone's record of the same fact) is here.
async function forgetSentRows() {
  const waiting = new Set((await db.outboxAll()).map((e) => e.client_uuid));
  const sent = (await db.allRecords()).filter((r) => r.local && r.entry && !waiting.has(r.entry));
  await db.deleteRecords(sent.map((r) => r.key));
}

export async function sync(urls) {
  if (!session.csrf) {
    const state = await prepareKey(urls);
    if (state === "login") throw new SyncError("login", 403);
    if (state !== "ok") throw new SyncError("network");
  }
  await push(urls);
  await pull(urls);
  await db.setMeta("last_sync", new Date().toISOString());
}

export const getMeta = db.getMeta;
export const wipe = db.wipe;
