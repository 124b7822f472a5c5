"""In a real browser (Debian chromium, a 360 px phone): Tim Pembina opens the SPM dashboard of Kota Mojokerto,
drills down kecamatan → kelurahan → posyandu by tapping the area names, opens the list of children not yet
served by kes.balita and sees masked rows only; the kader of that posyandu sees the child's name."""

import re

import pytest

from conftest import MIJI, MOJOKERTO, log_in, make_posyandu, make_user, register_family
from simpul.accounts.roles import Role

pytestmark = pytest.mark.browser


def new_page(browser, base, username):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    log_in(page, base, username)
    return context, page


def test_pembina_drills_down_to_a_posyandu_and_opens_the_unserved_list(browser_regions, live_server, browser):
    base = live_server.url
    posyandu = make_posyandu(MIJI, "Posyandu Melati Miji")
    kader = make_user("kader.miji", Role.KADER, posyandu=posyandu)
    make_user("pembina", Role.PEMBINA, region=MOJOKERTO)
    # A live server commits for real, so the counters refresh after this registration's commit.
    register_family(kader, posyandu)

    context, page = new_page(browser, base, "pembina")
    page.click("nav.nav a[href='/spm/']")
    page.wait_for_url(f"{base}/spm/")
    assert "Kota Mojokerto" in page.locator("h1").inner_text()
    # kes.balita in the city: Aisyah (b. 2024) is the one child under five, not yet weighed: 0 of 1 = 0,0 %.
    assert page.locator("li[data-indicator='kes.balita'] [data-testid=percent]").inner_text() == "0,0%"

    health = page.locator("section[data-field=kesehatan]")
    health.locator("a[data-testid=child]", has_text="Kranggan").click()
    page.wait_for_url(re.compile(r".*wilayah=357603.*"))
    page.locator("section[data-field=kesehatan] a[data-testid=child]", has_text="Miji").click()
    page.wait_for_url(re.compile(rf".*wilayah={MIJI}.*"))
    page.locator("section[data-field=kesehatan] a[data-testid=child]", has_text="Posyandu Melati Miji").click()
    page.wait_for_url(re.compile(rf".*posyandu={posyandu.pk}.*"))
    crumbs = page.locator("[data-testid=crumbs]").inner_text()
    assert crumbs.split(" › ") == ["Kota Mojokerto", "Kranggan", "Miji", "Posyandu Melati Miji"]

    page.click("li[data-indicator='kes.balita'] [data-testid=unserved-link]")
    page.wait_for_url(re.compile(r".*/spm/indikator/kes\.balita/belum-terlayani/.*"))
    assert page.locator("[data-testid=unserved-count]").inner_text().startswith("1 ")
    listed = page.locator("[data-testid=unserved-list]").inner_text()
    assert "A*** P***" in listed and "Aisyah" not in listed
    assert page.locator("[data-testid=masked-note]").is_visible()
    # The breadcrumb climbs back to the city.
    page.locator("[data-testid=crumbs] a", has_text="Kota Mojokerto").click()
    page.wait_for_url(re.compile(r".*wilayah=3576\b.*"))
    context.close()

    context, page = new_page(browser, base, "kader.miji")
    page.goto(f"{base}/spm/indikator/kes.balita/belum-terlayani/?posyandu={posyandu.pk}")
    assert "Aisyah Putri" in page.locator("[data-testid=unserved-list]").inner_text()
    context.close()
