"""In a real browser (Debian chromium, a 360 px phone): the kader works offline, her entries reach the server
exactly once, a household edited on two phones shows the conflict to the second, and logout leaves nothing.
"""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

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


def weigh_dewi(page, month: int, *, length: bool = False) -> None:
    """Dewi's weighing of month ``month`` of 2025 on the phone (with length, lying, when asked); her
    weighings on the phone then number ``month``."""
    page.click("[data-person]:has-text('Dewi Lestari') [data-weigh]")
    page.fill("#w-date", f"2025-{month + 1:02d}-05")
    page.fill("#w-weight", f"{4 + month * 0.5:.1f}")
    if length:
        page.fill("#w-length", f"{52 + month * 2:.1f}")
        page.select_option("#w-position", "recumbent")
        page.wait_for_selector("#weigh-result [data-class=wfa]")
    page.click("#weigh-form button[type=submit]")
    page.wait_for_selector(f"[data-person]:has-text('Dewi Lestari') [data-weighings='{month}']")


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
        weigh_dewi(page, month, length=True)
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


def big_photo(path) -> str:
    """A camera-sized photo (2400 x 1800): the phone must shrink it before it is stored or sent."""
    from PIL import Image

    Image.new("RGB", (2400, 1800), (140, 90, 60)).save(path, format="JPEG", quality=95)
    return str(path)


def test_a_posyandu_morning_offline_reaches_the_server_exactly_once(browser_regions, live_server, browser, tmp_path):
    from PIL import Image

    from simpul.accounts.scope import scope_for
    from simpul.immunization.models import ImmunizationRecord
    from simpul.referrals.models import Referral
    from simpul.serviceday.models import Attendance, ServiceDay, ServiceGiven
    from simpul.serviceday.services import day_schedule
    from simpul.sync.models import SyncUpload
    from simpul.tasks.models import Task

    base = live_server.url
    posyandu = make_posyandu(MIJI, "Posyandu Melati Miji")
    kader = make_user("kader.miji", Role.KADER, posyandu=posyandu)
    household = register_family(kader, posyandu, head="Pak Darmo", members=[
        person_input("Pak Darmo", "M", dt.date(1985, 3, 2), "kepala"),
        person_input("Bu Sri", "F", dt.date(1990, 7, 9), "istri"),
        person_input("Dewi Lestari", "F", dt.date(2025, 9, 10), "anak", mother_name="Bu Sri")])
    dewi = household.members.get(full_name="Dewi Lestari")
    today = timezone.localdate()
    day = day_schedule(actor=kader, scope=scope_for(kader), posyandu=posyandu, held_on=today,
                       now=timezone.now() - dt.timedelta(days=7))
    # the SPM refresh after registration opened her tasks (e.g. Bu Sri's screening)
    task = Task.objects.filter(status=Task.Status.OPEN, person__isnull=False).select_related("person").first()
    context, page = open_field_app(browser, base)
    pushes = []
    page.on("request", lambda r: pushes.append(r.post_data) if r.url.endswith("/api/v1/sync/push") else None)

    # her task list and today's day came with the first sync
    page.click("#go-tasks")
    page.wait_for_selector(f"[data-task='{task.pk}'] >> text={task.person.full_name}")
    assert page.locator("[data-task]").count() == Task.objects.filter(status=Task.Status.OPEN).count()
    page.click("#view-tasks [data-go=households]")

    context.set_offline(True)
    page.wait_for_selector("#net[data-online=no]")
    page.click("#go-day")
    page.wait_for_selector("#view-day[data-day=scheduled]")
    page.click("#day-open")
    page.wait_for_selector("#view-day[data-day=open]")
    # Dewi (14 months) is due doses, worked out on the phone
    dewi_row = page.locator("[data-sasaran]:has-text('Dewi Lestari')")
    assert int(dewi_row.locator("[data-due]").get_attribute("data-due")) > 0
    dewi_row.locator("[data-mark]").click()
    page.wait_for_selector("[data-sasaran]:has-text('Dewi Lestari')[data-present=yes]")
    page.locator("[data-sasaran]:has-text('Bu Sri') [data-mark]").click()
    page.wait_for_selector("[data-sasaran]:has-text('Bu Sri')[data-present=yes]")

    page.locator("[data-sasaran]:has-text('Bu Sri') [data-service]").click()
    page.select_option("#s-kind", "iron_tablets")
    page.fill("#s-quantity", "30")
    page.click("#service-form button[type=submit]")
    page.wait_for_selector("[data-sasaran]:has-text('Bu Sri') [data-services='1']")

    page.locator("[data-sasaran]:has-text('Dewi Lestari') [data-dose]").click()
    page.select_option("#d-dose", "bcg")
    page.fill("#d-vaccine", "BCG Bio Farma")
    page.click("#dose-form button[type=submit]")
    page.wait_for_selector("#view-day:not([hidden])")

    # a need about the household, with a photo from the camera
    page.click("#view-day [data-go=households]")
    page.click("[data-household] >> text=Pak Darmo")
    page.click("#add-need")
    page.select_option("#n-category", "prk_rtlh")
    page.fill("#n-description", "Atap rumah bocor di dua tempat, dinding bambu lapuk.")
    page.set_input_files("#n-photos", big_photo(tmp_path / "rumah.jpg"))
    page.wait_for_selector("#n-photo-list[data-photos='1']")
    page.select_option("#n-photo-type", "house_photo")
    page.click("#need-form button[type=submit]")
    page.wait_for_selector("#view-household:not([hidden])")
    assert pending(page) == "6"
    assert Attendance.objects.count() == 0 and Referral.objects.count() == 0

    page.reload()
    page.wait_for_selector("body[data-state=ready]")
    assert page.evaluate("fetch('/healthz').then(() => 'network', () => 'offline')") == "offline"
    raw = page.evaluate(RAW_RECORDS)
    assert raw["outbox"] == 6 and "Dewi" not in raw["text"] and "Atap" not in raw["text"]
    kinds = [page.locator(f"#outbox-list [data-outbox='{k}']").count() for k in (
        "day.open", "attendance.create", "service.create", "immunization.create", "referral.create")]
    assert kinds == [1, 2, 1, 1, 1]
    assert "kB" in page.locator("#outbox-list [data-outbox='referral.create']").inner_text()

    context.set_offline(False)
    page.wait_for_selector("#outbox-summary[data-pending='0']")
    page.wait_for_selector("body[data-state=synced]")
    day.refresh_from_db()
    assert day.status == ServiceDay.Status.OPEN
    assert Attendance.objects.filter(day=day).count() == 2
    assert ServiceGiven.objects.get(day=day).quantity == 30
    dose = ImmunizationRecord.objects.get(person=dewi)
    assert (dose.dose, dose.vaccine, dose.given_on) == ("bcg", "BCG Bio Farma", today)
    referral = Referral.objects.get()
    assert referral.household_id == household.pk and referral.reporter_id == kader.pk
    photo = referral.attachments.get()
    assert photo.doc_type == "house_photo" and photo.content_type == "image/jpeg"
    with Image.open(photo.file) as image:
        assert max(image.size) == 1600 and image.size == (1600, 1200)
    assert SyncUpload.objects.count() == 0
    counts = (Attendance.objects.count(), ServiceGiven.objects.count(), ImmunizationRecord.objects.count(),
              Referral.objects.count(), SyncReceipt.objects.count())
    assert counts == (2, 1, 1, 1, 6)

    # a second sync and a replay of the batch change nothing; the phone shows the server's copies
    syncs = page.get_attribute("body", "data-syncs")
    page.click("#sync-now")
    page.wait_for_selector(f"body[data-syncs='{int(syncs) + 1}']")
    batch = json.loads([p for p in pushes if p][0])
    replay = Client().post("/api/v1/sync/push", batch, content_type="application/json", **auth(kader))
    assert [r["status"] for r in replay.json()["results"]] == ["already_applied"] * 6
    assert (Attendance.objects.count(), ServiceGiven.objects.count(), ImmunizationRecord.objects.count(),
            Referral.objects.count(), SyncReceipt.objects.count()) == counts
    page.click("#go-day")
    page.wait_for_selector("[data-sasaran]:has-text('Dewi Lestari')[data-present=yes]")
    assert page.locator("[data-sasaran][data-present=yes]").count() == 2

    page.click("#logout")
    page.wait_for_selector("#signed-out[data-wiped=done]")
    assert page.evaluate(STORAGE) == {"idb": [], "caches": [], "local": 0}
    context.close()


def test_an_entry_the_server_cannot_read_is_rejected_alone_and_the_rest_are_sent(browser_regions, live_server,
                                                                                 browser):
    # An entry the server refuses at the batch's door (here: a clock no date parser reads, as an old phone's
    # could hold) used to fail the whole batch on every sync and hold every entry behind it.
    base = live_server.url
    posyandu = make_posyandu(MIJI, "Posyandu Melati Miji")
    kader = make_user("kader.miji", Role.KADER, posyandu=posyandu)
    register_family(kader, posyandu, head="Pak Darmo", members=[
        person_input("Pak Darmo", "M", dt.date(1985, 3, 2), "kepala"),
        person_input("Dewi Lestari", "F", dt.date(2025, 1, 10), "anak")])
    context, page = open_field_app(browser, base)
    broken = []
    sent = []

    def break_one(route):
        body = json.loads(route.request.post_data)
        if not broken:
            broken.append(body["items"][1]["client_uuid"])  # the second weighing of the first batch
        for item in body["items"]:
            if item["client_uuid"] in broken:
                item["device_time"] = "kemarin sore"
        sent.append(len(body["items"]))
        route.continue_(post_data=json.dumps(body))

    context.set_offline(True)
    page.wait_for_selector("#net[data-online=no]")
    page.click("[data-household] >> text=Pak Darmo")
    for month in range(1, 4):
        weigh_dewi(page, month)
    assert pending(page) == "3"

    page.route("**/api/v1/sync/push", break_one)
    context.set_offline(False)
    page.wait_for_selector("#outbox-summary[data-pending='0']")
    page.wait_for_selector("body[data-state=synced]")
    # the batch of three was refused, then each went alone: two stored, the broken one kept as rejected
    assert sent[:4] == [3, 1, 1, 1]
    assert sorted(str(d) for d in Measurement.objects.filter(person__full_name="Dewi Lestari")
                  .values_list("measured_on", flat=True)) == ["2025-02-05", "2025-04-05"]
    rejected = page.locator("#outbox-list [data-state=rejected]")
    assert rejected.count() == 1
    assert "Masukkan tanggal dan waktu yang valid." in rejected.inner_text()
    # a later sync does not send it again
    syncs = page.get_attribute("body", "data-syncs")
    page.click("#sync-now")
    page.wait_for_selector(f"body[data-syncs='{int(syncs) + 1}']")
    assert len(sent) == 4
    context.close()
