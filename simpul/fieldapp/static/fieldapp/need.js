// A need (referral) recorded offline, with photos from the camera: resized on the phone, kept encrypted
// with the outbox entry, sent one by one before the entry (decision 0022). The referral and its photos
// reach the server together or not at all.
import { resize } from "./photos.js";
import * as sync from "./sync.js";
import * as ui from "./ui.js";

const { T, el, fmt } = ui;
const MAX_PHOTOS = 5;
let photos = [];  // { client_uuid, bytes } of the form on screen
let household = null;

function open(ctx) {
  household = ctx.model().household(ctx.current());
  if (!household) return;
  const form = document.getElementById("need-form");
  form.reset();
  photos = [];
  showPhotos();
  document.getElementById("need-who").textContent = ui.householdName(household);
  document.getElementById("n-person").replaceChildren(el("option", { value: "" }, T.whole_household),
    ...household.members.map((p) => el("option", { value: p.client_uuid }, p.full_name)));
  ui.showView("need-form");
}

function showPhotos() {
  const size = photos.reduce((sum, p) => sum + p.bytes.byteLength, 0);
  const box = document.getElementById("n-photo-list");
  box.dataset.photos = String(photos.length);
  box.textContent = photos.length ? fmt(T.photos_count, { count: photos.length, size: ui.bytes(size) }) : "";
}

async function addPhotos(event) {
  for (const file of event.target.files) {
    if (photos.length >= MAX_PHOTOS) { ui.say(fmt(T.too_many_photos, { count: MAX_PHOTOS }), { error: true }); break; }
    try {
      const { bytes } = await resize(file);
      photos.push({ client_uuid: crypto.randomUUID(), bytes });
    } catch (e) {
      ui.say(T.photo_unreadable, { error: true });
    }
  }
  event.target.value = "";
  showPhotos();
}

async function submit(ctx, event) {
  event.preventDefault();
  const form = event.target;
  if (ctx.missing(form, ["category", "description"])) return;
  const v = ctx.values(form);
  if (v.description.length < 10) {
    form.elements.description.closest(".field").classList.add("has-error");
    ui.say(T.describe_more, { error: true });
    return;
  }
  const subject = form.elements.category.selectedOptions[0].dataset.subject;
  const person = v.person ? household.members.find((p) => p.client_uuid === v.person) : null;
  if (subject === "person" && !person) {
    form.elements.person.closest(".field").classList.add("has-error");
    ui.say(T.need_person, { error: true });
    return;
  }
  const data = { category: v.category, description: v.description,
                 ...(household.id ? { household_id: household.id } : { household_client_uuid: household.client_uuid }),
                 photos: photos.map((p) => ({ client_uuid: p.client_uuid, doc_type: v.doc_type })) };
  if (person) Object.assign(data, person.id ? { person_id: person.id } : { person_client_uuid: person.client_uuid });
  const item = await sync.enqueue("referral.create", data, { photos });
  await sync.saveRows("referral", [{ client_uuid: item.client_uuid, id: null, category: v.category,
                                     household_client_uuid: household.client_uuid, photos: photos.length }],
                      { local: true, entry: item.client_uuid });
  photos = [];
  ui.showView("view-household");
  await ctx.saved();
}

export function wire(ctx) {
  document.getElementById("add-need").addEventListener("click", () => open(ctx));
  document.getElementById("n-photos").addEventListener("change", addPhotos);
  document.getElementById("need-form").addEventListener("submit", (e) => submit(ctx, e));
}
