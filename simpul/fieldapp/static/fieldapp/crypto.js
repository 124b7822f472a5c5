// AES-GCM for everything personal the phone stores. The key material comes from the session
// (/lapangan/kunci/) and is imported as a non-extractable CryptoKey: scripts can use it, never read it.
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function importKey(base64) {
  const raw = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}

export async function seal(key, value) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, encoder.encode(JSON.stringify(value)));
  return { iv, ct };
}

export async function open(key, sealed) {
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv }, key, sealed.ct);
  return JSON.parse(decoder.decode(plain));
}

// Photos: the bytes themselves, not JSON (a photo is already compressed; base64 would add a third).
export async function sealBytes(key, bytes) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  return { iv, ct: await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, bytes) };
}

export async function openBytes(key, sealed) {
  return crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv }, key, sealed.ct);
}
