"""In a real browser: kader.miji registers a household of three, finds it, opens a member;
kader.meri cannot reach it by list, search or URL."""

import re

import pytest

from conftest import MERI, MIJI, log_in, make_posyandu, make_user
from simpul.accounts.roles import Role
from simpul.registry.models import Household, Person

pytestmark = pytest.mark.browser




def fill_member(page, index, name, sex, birth, relationship, nik=""):
    page.fill(f"#id_members-{index}-full_name", name)
    page.select_option(f"#id_members-{index}-sex", sex)
    page.fill(f"#id_members-{index}-birth_date", birth)
    page.select_option(f"#id_members-{index}-relationship", relationship)
    if nik:
        page.fill(f"#id_members-{index}-nik", nik)


def test_kader_registers_finds_and_opens_and_the_neighbour_cannot(browser_regions, live_server, page):
    miji = make_posyandu(MIJI, "Posyandu Melati Miji")
    meri = make_posyandu(MERI, "Posyandu Mawar Meri")
    make_user("kader.miji", Role.KADER, posyandu=miji)
    make_user("kader.meri", Role.KADER, posyandu=meri)
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 740})  # a cheap Android phone

    log_in(page, base, "kader.miji")
    page.goto(f"{base}/warga/keluarga/baru/")
    page.fill("#id_address", "Jl. Raya Miji 21")
    page.fill("#id_rt", "3")
    page.fill("#id_rw", "1")
    fill_member(page, 0, "Hendra Gunawan", "M", "1987-04-12", "kepala", "3576031204870001")
    page.click("#add-member")
    fill_member(page, 1, "Nur Hidayah", "F", "1990-10-30", "istri", "3576037010900002")
    page.click("#add-member")
    fill_member(page, 2, "Rafi Gunawan", "M", "2024-02-05", "anak")  # a baby without NIK yet
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/warga/keluarga/\d+/$"))
    assert page.locator("h1").inner_text().endswith("Hendra Gunawan")
    household = Household.objects.get()
    assert household.members.count() == 3
    assert Person.objects.get(full_name="Rafi Gunawan").nik_status == "none"

    # Touch targets stay usable on a 360 px screen.
    box = page.locator("a.row-link").first.bounding_box()
    assert box["height"] >= 44 and box["width"] <= 360

    page.goto(f"{base}/warga/keluarga/")
    page.fill("#q", "Rafi")
    page.click("form.search button[type=submit]")
    page.wait_for_selector("text=Hendra Gunawan")
    page.click("text=Hendra Gunawan")
    page.wait_for_url(re.compile(rf".*/warga/keluarga/{household.pk}/$"))
    page.click("text=Nur Hidayah")
    page.wait_for_url(re.compile(r".*/warga/orang/\d+/$"))
    assert "3576037010900002" in page.content()
    person_url = page.url

    page.click("button.link")  # log out
    log_in(page, base, "kader.meri")
    page.goto(f"{base}/warga/keluarga/")
    assert "Hendra Gunawan" not in page.content()
    page.fill("#q", "Hendra")
    page.click("form.search button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Hendra Gunawan" not in page.locator("#household-rows").inner_text()
    for url in (person_url, f"{base}/warga/keluarga/{household.pk}/"):
        response = page.goto(url)
        assert response.status == 404
        assert "Nur Hidayah" not in page.content()
