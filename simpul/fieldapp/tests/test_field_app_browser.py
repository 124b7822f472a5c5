"""In a real browser (Debian chromium, a 360 px phone): the kader works offline, her entries reach the server
exactly once, a household edited on two phones shows the conflict to the second, and logout leaves nothing.
"""

import datetime as dt
import json

import pytest
from django.test import Client

from conftest import MIJI, log_in, make_posyandu, make_user, person_input, register_family
from simpul.accounts.roles import Role
from simpul.health.models import Measurement
from simpul.registry.models import Person
from simpul.sync.models import SyncReceipt
from simpul.sync.tests.kit import auth

pytestmark = pytest.mark.browser

STORAGE = """async () => ({
  idb: (await indexedDB.databases()).map((d) => d.name),
  caches: await caches.keys(),
  local: localStorage.length,
})"""


RAW_RECORDS = """() => new Promise((resolve) => {
  const request = indexedDB.open("simpul-lapangan");
  request.onsuccess = () => {
    const tx = request.result.transaction(["records", "outbox"]);
    const records = tx.objectStore("records").getAll(), outbox = tx.objectStore("outbox").getAll();
    tx.oncomplete = () => {
      const rows = [...records.result, ...outbox.result];
      const text = rows.map((r) => new TextDecoder("latin1").decode(r.ct) + JSON.stringify({ ...r, ct: 0, iv: 0 }))
        .join("");
      request.result.close();
      resolve({ records: records.result.length, outbox: outbox.result.length, text });
    };
  };
})"""


def open_field_app(browser, base):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    log_in(page, base, "kader.miji")
    page.click("[data-testid=field-app]")
    page.wait_for_url(f"{base}/lapangan/")
    page.wait_for_selector("body[data-syncs='1']")
    page.wait_for_selector("body[data-offline-ready='yes']")
    return context, page


def pending(page) -> str:
    return page.get_attribute("#outbox-summary", "data-pending")


def family(kader, posyandu):
    return register_family(kader, posyandu, head="Pak Darmo", kk="3576030101200001", members=[
        person_input("Pak Darmo", "M", dt.date(1985, 3, 2), "kepala"),
        person_input("Bu Sri", "F", dt.date(1990, 7, 9), "istri")])


def test_offline_entries_reach_the_server_exactly_once_and_logout_leaves_nothing(browser_regions, live_server,
                                                                                  browser):
    base = live_server.url
    posyandu = make_posyandu(MIJI, "Posyandu Melati Miji")
    kader = make_user("kader.miji", Role.KADER, posyandu=posyandu)
    household = family(kader, posyandu)
    context, page = open_field_app(browser, base)
    pushes = []
    page.on("request", lambda r: pushes.append(r.post_data) if r.url.endswith("/api/v1/sync/push") else None)

    # her posyandu is on the phone, masked, and only as ciphertext in IndexedDB
    page.click("[data-household] >> text=Pak Darmo")
    assert "3576" not in page.inner_text("#member-list")  # no NIK was given; the KK never shows in full
    page.click("[data-go=households]")

    context.set_offline(True)
    page.wait_for_selector("#net[data-online=no]")
    page.click("[data-household] >> text=Pak Darmo")
    page.click("#add-person")
    page.fill("#p-name", "Dewi Lestari")
    page.select_option("#p-sex", "F")
    page.fill("#p-birth", "2025-01-10")
    page.select_option("#p-relationship", "anak")
    page.fill("#p-mother", "Bu Sri")
    page.click("#person-form button[type=submit]")
    page.wait_for_selector("[data-person] >> text=Dewi Lestari")
    for month in range(1, 11):
        page.click("[data-person]:has-text('Dewi Lestari') [data-weigh]")
        page.fill("#w-date", f"2025-{month + 1:02d}-05")
        page.fill("#w-weight", f"{4 + month * 0.5:.1f}")
        page.fill("#w-length", f"{52 + month * 2:.1f}")
        page.select_option("#w-position", "recumbent")
        page.wait_for_selector("#weigh-result [data-class=wfa]")
        page.click("#weigh-form button[type=submit]")
        page.wait_for_selector(f"[data-person]:has-text('Dewi Lestari') [data-weighings='{month}']")
    assert pending(page) == "11"
    # nothing reached the server while offline
    assert Person.objects.filter(full_name="Dewi Lestari").count() == 0

    page.reload()
    page.wait_for_selector("body[data-state=ready]")
    # really offline, and the page came from the service worker's cache
    assert page.evaluate("fetch('/healthz').then(() => 'network', () => 'offline')") == "offline"
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    # what IndexedDB holds is ciphertext: no name in the clear
    raw = page.evaluate(RAW_RECORDS)
    assert raw["records"] > 3 and raw["outbox"] == 11
    assert "Dewi" not in raw["text"] and "Darmo" not in raw["text"]
    assert pending(page) == "11"
    assert page.locator("#outbox-list [data-outbox='measurement.create']").count() == 10
    assert page.locator("#outbox-list [data-outbox='person.create']").count() == 1
    assert "kB" in page.inner_text("#outbox-summary")

    context.set_offline(False)
    page.wait_for_selector("#outbox-summary[data-pending='0']")
    page.wait_for_selector("body[data-state=synced]")
    dewi = Person.objects.get(full_name="Dewi Lestari")
    assert dewi.household_id == household.pk
    assert Measurement.objects.filter(person=dewi).count() == 10
    assert SyncReceipt.objects.count() == 11
    counts = (Person.objects.count(), Measurement.objects.count(), SyncReceipt.objects.count())

    # a second sync and a replay of the very batch the phone sent change nothing
    syncs = page.get_attribute("body", "data-syncs")
    page.click("#sync-now")
    page.wait_for_selector(f"body[data-syncs='{int(syncs) + 1}']")
    batch = json.loads([p for p in pushes if p][0])
    assert len(batch["items"]) == 11
    replay = Client().post("/api/v1/sync/push", batch, content_type="application/json", **auth(kader))
    assert [r["status"] for r in replay.json()["results"]] == ["already_applied"] * 11
    assert (Person.objects.count(), Measurement.objects.count(), SyncReceipt.objects.count()) == counts
    # the server's copies came back: nothing is marked as waiting
    assert page.locator("[data-person]:has-text('Dewi Lestari') .fa-local").count() == 0

    page.click("#logout")
    page.wait_for_selector("#signed-out[data-wiped=done]")
    assert page.evaluate(STORAGE) == {"idb": [], "caches": [], "local": 0}
    context.close()


def test_a_household_changed_on_two_phones_shows_the_conflict_to_the_second(browser_regions, live_server, browser):
    base = live_server.url
    posyandu = make_posyandu(MIJI, "Posyandu Melati Miji")
    kader = make_user("kader.miji", Role.KADER, posyandu=posyandu)
    household = family(kader, posyandu)
    first, page_a = open_field_app(browser, base)
    second, page_b = open_field_app(browser, base)

    for page, address in ((page_a, "Jl. Miji Gang 1 No. 3"), (page_b, "Jl. Miji Gang 2 No. 8")):
        page.click("[data-household] >> text=Pak Darmo")
        page.click("#edit-household")
        page.fill("#hh-address", address)
        page.click("#household-form button[type=submit]")
        page.wait_for_selector("body[data-state=synced]")
    page_a.wait_for_selector("#outbox-summary[data-pending='0']")
    household.refresh_from_db()
    assert household.address == "Jl. Miji Gang 1 No. 3"  # the first phone's edit, not overwritten

    conflict = page_b.locator("[data-conflict]")
    conflict.wait_for()
    assert "Jl. Miji Gang 2 No. 8" in conflict.locator("[data-version=mine]").inner_text()
    assert "Jl. Miji Gang 1 No. 3" in conflict.locator("[data-version=theirs]").inner_text()
    page_b.click("[data-choose=mine]")
    page_b.wait_for_selector("#outbox-summary[data-pending='0']")
    household.refresh_from_db()
    assert household.address == "Jl. Miji Gang 2 No. 8"
    first.close()
    second.close()
