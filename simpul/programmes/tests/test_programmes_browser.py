"""In a real browser (Debian chromium, a 360 px phone): Tim Pembina of Kota Mojokerto opens a kecamatan
Jumat Berkah programme from the menu, reads its reach per kelurahan (Miji: 1 of 2 elders reached, Meri: 0 of 1)
and the not-reached list — masked names only — and downloads the Excel of it."""

import pytest

from conftest import KRANGGAN, MERI, MIJI, log_in, make_posyandu, make_user
from simpul.accounts.roles import Role
from simpul.programmes.models import Participation, Programme, ProgrammeActivity
from simpul.programmes.tests.kit import family, today, years_ago

pytestmark = pytest.mark.browser


def test_pembina_opens_reach_and_the_not_reached_list(browser_regions, live_server, browser):
    base = live_server.url
    miji, meri = make_posyandu(MIJI, "Posyandu Melati Miji"), make_posyandu(MERI, "Posyandu Mawar Meri")
    kader_miji = make_user("kader.miji", Role.KADER, posyandu=miji)
    kader_meri = make_user("kader.meri", Role.KADER, posyandu=meri)
    make_user("pembina", Role.PEMBINA, region=KRANGGAN[:4])
    home = family(
        kader_miji,
        miji,
        ("Mbah Darmo", "M", years_ago(70), "kepala"),
        ("Mbah Sumi", "F", years_ago(68), "istri"),
    )
    family(kader_meri, meri, ("Mbah Sri", "F", years_ago(80), "kepala"))
    programme = Programme.objects.create(
        owner_kind="tp_posyandu",
        region_id=KRANGGAN,
        field="sosial",
        name="Jumat Berkah Kranggan",
        kind="social_aid",
        target_rule="lansia",
        start_date=today(),
    )
    activity = ProgrammeActivity.objects.create(
        programme=programme, date=today(), kind="distribution", posyandu=miji
    )
    Participation.objects.create(activity=activity, person=home.members.get(full_name="Mbah Darmo"))

    context = browser.new_context(viewport={"width": 360, "height": 740}, accept_downloads=True)
    page = context.new_page()
    log_in(page, base, "pembina")
    page.click("nav a[href='/program/']")
    page.click("text=Jumat Berkah Kranggan")
    total = page.locator("[data-testid=reach-total]").inner_text()
    assert "1" in total and "3" in total and "33,3" in total
    rows = page.locator("[data-testid=reach-rows] tbody tr").all_inner_texts()
    assert [r.split("\t")[:3] for r in rows] == [["Meri", "1", "0"], ["Miji", "2", "1"]]
    page.click("[data-testid=not-reached-link]")
    listed = page.locator("[data-testid=not-reached-list] tbody").inner_text()
    assert "M*** S***" in listed and "Mbah" not in listed
    assert page.locator("[data-testid=masked-note]").is_visible()
    with page.expect_download() as download:
        page.click("a[href*='belum-terjangkau.xlsx']")
    assert download.value.suggested_filename.startswith(f"belum-terjangkau-{programme.pk}-")
    context.close()
