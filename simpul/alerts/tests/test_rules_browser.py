"""In a real browser (Debian chromium, a 360 px phone): Tim Pembina of Kota Mojokerto opens the early-warning
rules from the priority page, counts decile 5 as poor, sees the explanation change and the family it now
finds on the priority page, then goes back to the defaults."""

import re

import pytest

from conftest import MIJI, MOJOKERTO, log_in, make_posyandu, make_user
from simpul.accounts.roles import Role
from simpul.alerts.tests import kit
from simpul.alerts.tests.kit import years_ago

pytestmark = pytest.mark.browser


def test_pembina_tunes_a_rule_and_the_alerts_follow(browser_regions, live_server, browser):
    base = live_server.url
    posyandu = make_posyandu(MIJI, "Posyandu Melati Miji")
    kader = make_user("kader.miji", Role.KADER, posyandu=posyandu)
    make_user("pembina", Role.PEMBINA, region=MOJOKERTO)
    home = kit.family(kader, posyandu, ("Rina Lestari", "F", years_ago(10), "anak"), head="Darmo")
    kit.condition(home, decile=5)

    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    log_in(page, base, "pembina")
    page.goto(f"{base}/peringatan/")
    assert page.locator("[data-household]").count() == 0  # decile 5 is not poor by default
    page.click("a[href='/peringatan/aturan/']")
    page.wait_for_url(f"{base}/peringatan/aturan/")
    card = page.locator("section[data-rule=newly_poor_school_child]")
    assert "paling tinggi 4" in card.locator("[data-testid=explanation]").inner_text()

    # A decile runs from 1 to 10: 50 is refused on the rule's card, in Bahasa, and nothing changes.
    page.fill("#id_newly_poor_school_child-max_decile", "50")
    card.locator("button[type=submit]:not([name=reset])").click()
    card = page.locator("section[data-rule=newly_poor_school_child]")
    assert card.locator(".error").inner_text() == "Pastikan nilai ini lebih kecil dari atau sama dengan 10."
    assert "paling tinggi 4" in card.locator("[data-testid=explanation]").inner_text()

    page.fill("#id_newly_poor_school_child-max_decile", "5")
    card.locator("button[type=submit]:not([name=reset])").click()
    page.wait_for_url(re.compile(r".*#rule-newly_poor_school_child$"))
    assert "Tersimpan." in page.locator("body").inner_text()
    card = page.locator("section[data-rule=newly_poor_school_child]")
    assert "paling tinggi 5" in card.locator("[data-testid=explanation]").inner_text()
    assert card.locator(".badge.ok").inner_text() == "Aktif"

    # The job after the save evaluated the city again: Pak Darmo's family is on the priority page now.
    page.goto(f"{base}/peringatan/")
    assert page.locator("[data-household]").count() == 1
    assert "Keluarga miskin dengan anak usia sekolah" in page.locator("[data-rule=newly_poor_school_child] h3").inner_text()

    page.goto(f"{base}/peringatan/aturan/")
    page.locator("section[data-rule=newly_poor_school_child] button[name=reset]").click()
    page.wait_for_url(re.compile(r".*#rule-newly_poor_school_child$"))
    assert "kembali memakai nilai bawaan" in page.locator("body").inner_text()
    card = page.locator("section[data-rule=newly_poor_school_child]")
    assert "paling tinggi 4" in card.locator("[data-testid=explanation]").inner_text()
    page.goto(f"{base}/peringatan/")
    assert page.locator("[data-household]").count() == 0  # closed again under the default
    context.close()
