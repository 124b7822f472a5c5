"""In a real browser (Debian chromium, a 360 px phone): kader.miji runs a posyandu day in Kota Mojokerto —
ten children (one becomes 2T, one is stunted), a pregnant woman with KEK, an elder with hypertension —
closes it, and bidan.kranggan sees exactly the expected referral list.

The children are set up with weights and lengths at the WHO 2006 median for their age (so nothing about
them needs a referral) and with every immunisation recommended more than ten days ago, except:
* Nadia (34 months) weighed 12.0 kg and 11.9 kg in the two previous months; today 11.8 kg: T twice, 2T.
* Rizky (36 months) is 87.0 cm tall: boys' height-for-age at 36 months has median 96.1 cm and -2 SD
  88.7 cm, -3 SD 85.0 cm (WHO 2006), so he is stunted (pendek); 12.2 kg keeps his weight-for-height normal.
* Bu Wulan is pregnant; her LiLA today is 22.0 cm (< 23.5 cm: KEK).
* Mbah Slamet's blood pressure is 150/95 (>= 140/90: hypertension).
"""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import KRANGGAN, MIJI, log_in, make_posyandu, make_user, person_input, register_family
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.core.errors import DomainError
from simpul.health.services import MeasurementInput, measurement_record
from simpul.immunization import schedule
from simpul.immunization.services import ImmunizationInput, immunization_record
from simpul.maternal.services import PregnancyInput, pregnancy_register
from simpul.serviceday.models import DayReferral, ServiceDay

pytestmark = pytest.mark.browser

# (name, sex, age in months, weight kg, length/height cm) at the WHO 2006 medians.
NORMAL = [
    ("Putri Ayu", "F", 3, 5.8, 59.8), ("Bayu Aji", "M", 6, 7.9, 67.6), ("Sinta Dewi", "F", 9, 8.2, 70.1),
    ("Raka Putra", "M", 12, 9.6, 75.7), ("Lala Sari", "F", 12, 8.9, 74.0), ("Galih Wira", "M", 18, 10.9, 82.3),
    ("Tari Ayu", "F", 36, 13.9, 95.1), ("Dimas Adi", "M", 48, 16.3, 103.3),
]


def months_before(day: dt.date, months: int) -> dt.date:
    return schedule.add_months(day, -months)


def immunise(kader, child, today):
    """Every dose recommended up to ten days ago, on its recommended day (none overdue today)."""
    scope = scope_for(kader)
    stopped: set[str] = set()
    for dose in schedule.applicable():
        antigen = dose.code.rstrip("0123456789")
        given_on = dose.recommended.after(child.birth_date)
        if antigen in stopped or given_on > today - dt.timedelta(days=10):
            continue
        try:
            immunization_record(actor=kader, scope=scope, person=child,
                                data=ImmunizationInput(dose=dose.code, given_on=given_on, given_by="Bidan Endang"))
        except DomainError:
            stopped.add(antigen)


def set_up(today):
    posyandu = make_posyandu(MIJI, "Posyandu Melati Miji")
    kader = make_user("kader.miji", Role.KADER, posyandu=posyandu)
    make_user("bidan.kranggan", Role.NAKES, region=KRANGGAN, fields=["kesehatan"])
    children = {}
    for index, (name, sex, months, weight, length) in enumerate(NORMAL):
        household = register_family(kader, posyandu, head=f"Ayah {name}", kk="", rt=f"00{index % 3 + 1}",
                                    members=[person_input(f"Ayah {name}", "M", dt.date(1988, 1, 1), "kepala"),
                                             person_input(name, sex, months_before(today, months), "anak")])
        children[name] = (household.members.get(full_name=name), weight, length, "recumbent" if months < 24
                          else "standing")
    family = register_family(kader, posyandu, head="Pak Slamet", members=[
        person_input("Mbah Slamet", "M", dt.date(1950, 2, 2), "kepala"),
        person_input("Bu Wulan", "F", dt.date(1998, 3, 3), "anak"),
        person_input("Nadia Putri", "F", months_before(today, 34), "cucu"),
        person_input("Rizky Pratama", "M", months_before(today, 36), "cucu"),
    ])
    people = {p.full_name: p for p in family.members.all()}
    children["Nadia Putri"] = (people["Nadia Putri"], 11.8, None, "")
    children["Rizky Pratama"] = (people["Rizky Pratama"], 12.2, 87.0, "standing")
    scope = scope_for(kader)
    for child, *_values in children.values():
        immunise(kader, child, today)
    for months_back, weight in ((2, 12.0), (1, 11.9)):
        day = months_before(today, months_back)
        measurement_record(actor=kader, scope=scope, person=people["Nadia Putri"],
                           data=MeasurementInput(measured_on=day, weight_kg=weight))
    pregnancy_register(actor=kader, scope=scope, person=people["Bu Wulan"], data=PregnancyInput(
        registered_on=today - dt.timedelta(days=60), hpht=today - dt.timedelta(days=150), gravida=1))
    return posyandu, children, people




def test_kader_runs_a_posyandu_day_and_the_bidan_gets_exactly_the_referrals(browser_regions, live_server, page):
    today = timezone.localdate()
    posyandu, children, people = set_up(today)
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 740})  # a cheap Android phone

    log_in(page, base, "kader.miji")
    page.click(f"a[href='/hari-buka/posyandu/{posyandu.pk}/']")
    page.fill("#id_held_on", today.isoformat())
    page.click("button[type=submit].primary")
    day = ServiceDay.objects.get(posyandu=posyandu, held_on=today)
    page.goto(f"{base}/hari-buka/{day.pk}/")
    page.click(f"form[action='/hari-buka/{day.pk}/buka/'] button")
    page.wait_for_url(f"{base}/hari-buka/{day.pk}/daftar/")

    # 1. Registration: everyone present.
    for person in [c[0] for c in children.values()] + [people["Bu Wulan"], people["Mbah Slamet"]]:
        page.click(f"form[action='/hari-buka/{day.pk}/hadir/{person.pk}/'] button")
        page.wait_for_selector(f"#p{person.pk} .badge.ok")

    # 2. Weighing and measuring, with the z-scores shown at once.
    for name, (child, weight, length, position) in children.items():
        page.goto(f"{base}/hari-buka/{day.pk}/ukur/{child.pk}/")
        page.fill("#id_weight_kg", str(weight))
        if length:
            page.fill("#id_length_height_cm", str(length))
            page.select_option("#id_position", position)
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{base}/hari-buka/{day.pk}/ukur/")
        assert page.locator(f"#p{child.pk}").inner_text().count("kg") == 1, name
    assert "Pendek" in page.locator(f"#p{children['Rizky Pratama'][0].pk}").inner_text()

    # The pregnant woman's ANC visit and the elder's screening, reached from step 2 and back.
    page.click(f"#p{people['Bu Wulan'].pk} a.button")
    page.fill("#id_weight_kg", "47")
    page.fill("#id_muac_cm", "22.0")
    page.fill("#id_systolic", "110")
    page.fill("#id_diastolic", "70")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/hari-buka/{day.pk}/ukur/")
    page.click(f"#p{people['Mbah Slamet'].pk} a.button")
    page.fill("#id_weight_kg", "58")
    page.fill("#id_height_cm", "163")
    page.fill("#id_systolic", "150")
    page.fill("#id_diastolic", "95")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/hari-buka/{day.pk}/ukur/")

    # 3. Recording shows Nadia's second month without gain.
    page.goto(f"{base}/hari-buka/{day.pk}/catat/")
    assert "2T" in page.content()

    # 5. Counselling, then close.
    page.goto(f"{base}/hari-buka/{day.pk}/penyuluhan/")
    page.check("input[value='stunting']")
    page.click("button[type=submit].primary")
    page.goto(f"{base}/hari-buka/{day.pk}/")
    page.click(f"form[action='/hari-buka/{day.pk}/tutup/'] button")
    page.wait_for_url(f"{base}/hari-buka/{day.pk}/hasil/")
    day.refresh_from_db()
    assert day.status == "closed"
    assert day.close_summary["weighing"]["D"] == 10
    page.click("form[action='/akun/keluar/'] button")

    log_in(page, base, "bidan.kranggan")
    page.click("a[href='/hari-buka/rujukan/']")
    items = page.locator("#referrals > li")
    shown = {}
    for i in range(items.count()):
        item = items.nth(i)
        name = item.locator("strong").inner_text()
        shown[name] = {item.locator("[data-reason]").nth(j).get_attribute("data-reason")
                       for j in range(item.locator("[data-reason]").count())}
    assert shown == {
        "Nadia Putri": {"two_t"},
        "Rizky Pratama": {"stunted"},
        "Bu Wulan": {"kek"},
        "Mbah Slamet": {"hypertension"},
    }
    assert DayReferral.objects.filter(day=day).count() == 4
