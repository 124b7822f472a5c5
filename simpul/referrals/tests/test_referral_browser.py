"""In a real browser (Debian chromium, a 360 px phone): an RTLH need goes from the kader through the lurah to
Dinas Perkim and comes back resolved; the household's house condition changes; Dinsos and the kader of the next
kelurahan never see it — not in their list, not by search, not by URL, not through the API.
"""

import io
import re

import pytest
from PIL import Image

from conftest import MERI, MIJI, MOJOKERTO, log_in, make_posyandu, make_user, person_input, register_family
from simpul.accounts.roles import Role
from simpul.referrals.models import Referral
from simpul.registry.models import HouseholdCondition

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg(shade: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (shade, 90, 60)).save(buffer, format="JPEG")
    return buffer.getvalue()


def pdf(name: str) -> dict:
    return {"name": f"{name}.pdf", "mimeType": "application/pdf", "buffer": PDF}


def photo(name: str, shade: int) -> dict:
    return {"name": f"{name}.jpg", "mimeType": "image/jpeg", "buffer": jpeg(shade)}


def new_page(browser, base, username):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    log_in(page, base, username)
    return context, page


def test_rtlh_need_from_kader_to_perkim_and_back(browser_regions, live_server, browser):
    base = live_server.url
    posyandu = make_posyandu(MIJI, "Posyandu Melati Miji")
    kader = make_user("kader.miji", Role.KADER, posyandu=posyandu)
    make_user("lurah.miji", Role.DESA, region=MIJI, is_head=True)
    make_user("opd.perkim", Role.OPD, region=MOJOKERTO, fields=["perumahan"], agency_code="perkim")
    make_user("opd.dinsos", Role.OPD, region=MOJOKERTO, fields=["sosial"], agency_code="dinsos")
    make_user("kader.meri", Role.KADER, posyandu=make_posyandu(MERI, "Posyandu Mawar Meri"))
    household = register_family(kader, posyandu, head="Pak Darmo", members=[
        person_input("Pak Darmo", "M", __import__("datetime").date(1970, 4, 4), "kepala")])

    # The kader records the need from the household's page, with every required document and three photos.
    context, page = new_page(browser, base, "kader.miji")
    page.goto(f"{base}/warga/keluarga/{household.pk}/")
    page.click("[data-testid=record-need]")
    page.click("a[href$='category=prk_rtlh']")
    page.fill("#id_description", "Atap bocor, dinding bambu lapuk, lantai tanah; keluarga lansia.")
    page.set_input_files("#id_doc_ktp", [pdf("ktp")])
    page.set_input_files("#id_doc_kk", [pdf("kk")])
    page.set_input_files("#id_doc_income_statement", [pdf("penghasilan")])
    page.set_input_files("#id_doc_land_proof", [pdf("tanah")])
    page.set_input_files("#id_doc_house_photo", [photo("depan", 10), photo("samping", 80), photo("belakang", 160)])
    page.set_input_files("#id_doc_no_prior_aid", [pdf("pernyataan")])
    page.click("form button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/rujukan/\d+/$"))
    ticket = page.locator("[data-testid=ticket]").inner_text()
    assert re.fullmatch(r"PRK-3576031002-\d{6}-0001-[A-Z2-9]{4}", ticket)
    referral = Referral.objects.get(ticket=ticket)
    assert referral.attachments.count() == 8
    assert "Tercatat" in page.locator("[data-testid=state]").inner_text()
    context.close()

    # The lurah verifies after the home visit and forwards to Dinas Perkim (the routing rule's suggestion).
    context, page = new_page(browser, base, "lurah.miji")
    page.goto(f"{base}/rujukan/?box=to_verify")
    page.click(f"a:text('{ticket}')")
    page.click("details[data-action=verify] summary")
    page.fill("details[data-action=verify] textarea", "Kunjungan rumah 2 hari lalu: atap bocor, dinding lapuk. Sesuai.")
    page.click("details[data-action=verify] button[type=submit]")
    page.wait_for_selector("details[data-action=forward]")
    page.click("details[data-action=forward] summary")
    selected = page.locator("details[data-action=forward] select[name=agency] option:checked").inner_text()
    assert "Perumahan" in selected
    page.fill("details[data-action=forward] textarea", "Mohon ditindaklanjuti program RTLH.")
    page.click("details[data-action=forward] button[type=submit]")
    page.wait_for_selector("text=Diteruskan ke OPD")
    context.close()

    # Dinas Perkim accepts it from its inbox and resolves it: the house is now livable.
    context, page = new_page(browser, base, "opd.perkim")
    page.goto(f"{base}/rujukan/")
    page.click(f"a:text('{ticket}')")
    page.click("details[data-action=accept] summary")
    page.click("details[data-action=accept] button[type=submit]")
    page.wait_for_selector("details[data-action=resolve]")
    page.click("details[data-action=resolve] summary")
    page.select_option("details[data-action=resolve] select[name=outcome]", "house_livable")
    page.fill("details[data-action=resolve] textarea", "Rehab melalui BSPS 2026 selesai, rumah layak huni.")
    page.click("details[data-action=resolve] button[type=submit]")
    page.wait_for_selector("text=Selesai")
    context.close()

    referral.refresh_from_db()
    assert referral.state == "resolved" and referral.outcome == "house_livable"
    condition = HouseholdCondition.objects.get(household=household)
    assert condition.house == "layak" and condition.referral_id == referral.pk
    assert list(referral.transitions.values_list("action", flat=True)) == [
        "record", "verify", "forward", "accept", "resolve"]

    # Dinsos and the kader of Meri never see it: list, search, URL, API.
    for outsider in ("opd.dinsos", "kader.meri"):
        context, page = new_page(browser, base, outsider)
        page.goto(f"{base}/rujukan/?box=all")
        assert ticket not in page.content()
        page.goto(f"{base}/rujukan/?box=all&q={ticket}")
        results = page.locator("table.data tbody").inner_text()  # the search box itself echoes the code
        assert ticket not in results and "Tidak ada rujukan" in results
        response = page.goto(f"{base}/rujukan/{referral.pk}/")
        assert response.status == 404
        response = page.goto(f"{base}/rujukan/{referral.pk}/dokumen/{referral.attachments.first().pk}/")
        assert response.status == 404
        api = context.request.get(f"{base}/api/v1/referrals/{referral.pk}")
        assert api.status == 404
        listing = context.request.get(f"{base}/api/v1/referrals?box=all&q={ticket}")
        assert listing.status == 200 and listing.json()["count"] == 0
        context.close()
