"""In a real browser (Debian chromium, a 360 px phone): kader.miji switches practice on, runs the practice
posyandu day through the pages — open, registration, weighing, counselling, close — sees the practice banner
and the [LATIHAN] title on every page, switches practice off, and the real pages show no trace of it."""

import pytest
from django.utils import timezone

from conftest import MIJI, log_in, make_posyandu, make_user, register_family
from simpul.accounts.roles import Role
from simpul.audit.models import AuditEntry
from simpul.health.models import Measurement
from simpul.immunization.schedule import add_months
from simpul.practice.tests.kit import inside
from simpul.registry.models import Person
from simpul.serviceday.models import ServiceDay

pytestmark = pytest.mark.browser


def marked(page) -> bool:
    return page.locator("#practice-banner").is_visible() and page.title().startswith(
        ("[LATIHAN]", "[PRACTICE]")
    )


def test_kader_rehearses_a_posyandu_day_and_the_real_pages_show_no_trace(
    browser_regions, live_server, page, practice_dir
):
    posyandu = make_posyandu(MIJI, "Posyandu Melati Miji")
    kader = make_user("kader.miji", Role.KADER, posyandu=posyandu)
    register_family(kader, posyandu, kk="3576030101200001")
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 740})

    log_in(page, base, "kader.miji")
    assert page.locator("#practice-banner").count() == 0
    page.click("a[data-practice-switch]")
    page.wait_for_url(f"{base}/latihan/")
    page.click("form[action='/latihan/mulai/'] button")
    page.wait_for_url(f"{base}/")
    assert marked(page)

    with inside(posyandu):
        day = ServiceDay.objects.get(posyandu_id=posyandu.pk, held_on=timezone.localdate())
    page.click(f"a[href='/hari-buka/{day.pk}/']")
    assert marked(page)
    page.click(f"form[action='/hari-buka/{day.pk}/buka/'] button")
    page.wait_for_url(f"{base}/hari-buka/{day.pk}/daftar/")
    assert marked(page)
    with inside(posyandu):
        children = list(
            Person.objects.filter(
                posyandu_id=posyandu.pk, birth_date__gt=add_months(day.held_on, -60)
            ).order_by("pk")[:3]
        )
    for child in children:
        page.click(f"form[action='/hari-buka/{day.pk}/hadir/{child.pk}/'] button")
        page.wait_for_selector(f"#p{child.pk} .badge.ok")
    for child in children:
        page.goto(f"{base}/hari-buka/{day.pk}/ukur/{child.pk}/")
        assert marked(page)
        page.fill("#id_weight_kg", "10.4")
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{base}/hari-buka/{day.pk}/ukur/")
    page.goto(f"{base}/hari-buka/{day.pk}/penyuluhan/")
    page.check("input[value='stunting']")
    page.click("button[type=submit].primary")
    page.goto(f"{base}/hari-buka/{day.pk}/")
    page.click(f"form[action='/hari-buka/{day.pk}/tutup/'] button")
    page.wait_for_url(f"{base}/hari-buka/{day.pk}/hasil/")
    assert marked(page)
    with inside(posyandu):
        assert ServiceDay.objects.get(pk=day.pk).status == "closed"
        assert Measurement.objects.filter(person__in=children, measured_on=day.held_on).count() == 3

    page.click("#practice-banner button")
    page.wait_for_url(f"{base}/")
    assert page.locator("#practice-banner").count() == 0
    assert not page.title().startswith("[")
    page.goto(f"{base}/warga/keluarga/")
    listed = page.locator("main").inner_text()
    assert "Budi Santoso" in listed and children[0].full_name not in listed
    page.goto(f"{base}/hari-buka/posyandu/{posyandu.pk}/")
    assert page.locator("#practice-banner").count() == 0
    assert not ServiceDay.objects.exists() and not Measurement.objects.exists()
    assert Person.objects.count() == 3
    assert set(
        AuditEntry.objects.filter(action__startswith="practice.").values_list("action", flat=True)
    ) == {"practice.mode.started", "practice.mode.stopped"}
