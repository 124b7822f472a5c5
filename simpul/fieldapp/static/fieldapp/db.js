// IndexedDB for the field app. Three stores:
//   meta    — the session's CryptoKey (non-extractable), its id, the pull cursor, device id, last sync;
//   records — rows from the pull and rows made offline, keyed "kind:client_uuid"; only the kind, the
//             server id and the parent id are in the clear, the row itself is AES-GCM ciphertext;
//   outbox  — entries waiting for /api/v1/sync/push, keyed by client UUID, in order of making; the entry
//             is ciphertext, its kind, state and size are not;
//   photos  — photos of an outbox entry (a need), keyed by the photo's UUID, indexed by the entry; the
//             bytes are AES-GCM ciphertext.
export const DB_NAME = "simpul-lapangan";
const VERSION = 2;
let opened = null;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function open() {
  if (opened) return opened;
  opened = new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, VERSION);
    request.onupgradeneeded = (event) => {
      const db = request.result;
      if (event.oldVersion < 1) {
        db.createObjectStore("meta");
        const records = db.createObjectStore("records", { keyPath: "key" });
        records.createIndex("by_id", ["kind", "id"]);
        records.createIndex("by_parent", ["kind", "parent"]);
        const outbox = db.createObjectStore("outbox", { keyPath: "client_uuid" });
        outbox.createIndex("by_seq", "seq");
      }
      if (event.oldVersion < 2) {
        db.createObjectStore("photos", { keyPath: "client_uuid" }).createIndex("by_entry", "entry");
      }
    };
    request.onsuccess = () => {
      request.result.onversionchange = () => request.result.close();  // let logout delete it
      resolve(request.result);
    };
    request.onerror = () => reject(request.error);
  });
  return opened;
}

async function store(name, mode = "readonly") {
  const db = await open();
  return db.transaction(name, mode).objectStore(name);
}

export async function getMeta(key) {
  return promised((await store("meta")).get(key));
}

export async function setMeta(key, value) {
  return promised((await store("meta", "readwrite")).put(value, key));
}

export async function allRecords() {
  return promised((await store("records")).getAll());
}

export async function putRecords(rows) {
  const db = await open();
  const tx = db.transaction("records", "readwrite");
  for (const row of rows) tx.objectStore("records").put(row);
  return new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
}

export async function recordsBy(index, kind, value) {
  return promised((await store("records")).index(index).getAll([kind, value]));
}

export async function deleteRecords(keys) {
  const db = await open();
  const tx = db.transaction("records", "readwrite");
  for (const key of keys) tx.objectStore("records").delete(key);
  return new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
}

export async function clearRecords() {
  return promised((await store("records", "readwrite")).clear());
}

export async function outboxAll() {
  return promised((await store("outbox")).index("by_seq").getAll());
}

export async function outboxPut(entry) {
  return promised((await store("outbox", "readwrite")).put(entry));
}

export async function outboxDelete(clientUuid) {
  const db = await open();
  const tx = db.transaction(["outbox", "photos"], "readwrite");
  tx.objectStore("outbox").delete(clientUuid);
  const photos = tx.objectStore("photos");
  photos.index("by_entry").getAllKeys(clientUuid).onsuccess = (event) => {
    for (const key of event.target.result) photos.delete(key);
  };
  return new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
}

export async function photosPut(rows) {
  const db = await open();
  const tx = db.transaction("photos", "readwrite");
  for (const row of rows) tx.objectStore("photos").put(row);
  return new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
}

export async function photosOf(entry) {
  return promised((await store("photos")).index("by_entry").getAll(entry));
}

export async function photosAll() {
  return promised((await store("photos")).getAll());
}

// Everything, for logout: the database itself goes.
export async function wipe() {
  if (opened) (await opened).close();
  opened = null;
  await new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}
