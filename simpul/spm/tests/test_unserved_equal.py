"""The unserved list equals the engine-only list it replaced, row for row, on generated records.

``reference`` below is the list as it was built before (every unit of the place judged by the engine, every
row put into words, then sorted and cut into pages), kept here as the yardstick; the one change is the last
sort keys (kind, id), which make the order of equal rows — masked names often are — one order instead of the
database's. It is compared with ``unserved`` for person, household and pregnancy indicators, for a user who
sees names and users who see masked rows, on several pages, for a desa and for a posyandu, on records from
``ilp_seed`` plus the awkward cases: a child who moved to another desa mid-year, a person who died, a
duplicate record.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from conftest import MOJOKERTO
from simpul.accounts.models import Membership
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.core.choices import ALL_FIELDS
from simpul.demo.ilp_seed import ilp_seed
from simpul.health.models import Measurement
from simpul.immunization.models import ImmunizationRecord
from simpul.maternal.models import AncVisit, Pregnancy
from simpul.posyandu.models import Posyandu
from simpul.referrals.models import Referral
from simpul.registry.models import Household, HouseholdCondition, Person, Residence
from simpul.screening.models import Screening
from simpul.spm import catalogue, engine
from simpul.spm import unserved as module
from simpul.spm.periods import parse
from simpul.spm.presenters import missing_text
from simpul.spm.selectors import place_for
from simpul.spm.unserved import Entry, age_text, mask_name, names_visible, posyandu_under, unserved

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 22)
PERSON_CODES = [
    "kes.balita",
    "kes.usia_produktif",
    "kes.usia_lanjut",
    "kes.hipertensi",
    "dik.paud",
    "dik.dasar",
]
OTHER_CODES = ["kes.ibu_hamil", "pu.air_minum", "pu.air_limbah"]


def reference(scope, place, period, code, *, page, today):
    """The engine-only list (the former ``unserved``), with (kind, id) ending the sort key."""
    indicator = catalogue.get(code)
    ids = posyandu_under(place)
    month = period.counter_month(today)
    judged = [
        j
        for j in engine.judge(ids, period.year, today=today, months=[month], codes=[code])
        if not j.verdict.served
    ]
    visible = names_visible(scope, indicator, place)
    as_of = engine.as_of_day(period.year, month, today)
    names = dict(Posyandu.objects.values_list("pk", "name"))
    people = {
        p.pk: p
        for p in Person.objects.filter(
            pk__in=[j.unit.id for j in judged if j.unit.kind == "person"]
        ).select_related("household")
    }
    households = Household.objects.in_bulk([j.unit.id for j in judged if j.unit.kind == "household"])
    reports = Referral.objects.in_bulk([j.unit.id for j in judged if j.unit.kind == "report"])
    mothers = dict(
        Pregnancy.objects.filter(
            pk__in=[j.unit.id for j in judged if j.unit.kind == "pregnancy"]
        ).values_list("pk", "person_id")
    )
    people |= {p.pk: p for p in Person.objects.filter(pk__in=mothers.values()).select_related("household")}
    rows = []
    for j in judged:
        name, age, rt, rw = "", "", "", ""
        person_id = mothers.get(j.unit.id) if j.unit.kind == "pregnancy" else j.unit.id
        if j.unit.kind in ("person", "pregnancy") and person_id in people:
            person = people[person_id]
            name, age = person.full_name, age_text(person.birth_date, as_of)
            if person.household:
                rt, rw = person.household.rt, person.household.rw
        elif j.unit.kind == "household" and j.unit.id in households:
            household = households[j.unit.id]
            name, rt, rw = household.head_name or household.address, household.rt, household.rw
        elif j.unit.kind == "report" and j.unit.id in reports:
            name = reports[j.unit.id].ticket
        missing = [
            {"code": m.code, "detail": m.detail, "due_on": m.due_on, "text": missing_text(m)}
            for m in j.verdict.missing
        ]
        entry = Entry(
            j.unit.kind,
            j.unit.id if visible else None,
            j.verdict.posyandu_id,
            names.get(j.verdict.posyandu_id, ""),
            name if visible or j.unit.kind == "report" else mask_name(name),
            age,
            rt,
            rw,
            j.verdict.pending,
            missing,
        )
        rows.append(((entry.posyandu, entry.rw, entry.rt, entry.name, j.unit.kind, j.unit.id), entry))
    entries = [entry for _key, entry in sorted(rows, key=lambda row: row[0])]
    if page is None:
        return entries, len(entries), 1, visible
    size = module.PAGE_SIZE
    pages = max(1, -(-len(entries) // size))
    page = min(max(1, page), pages)
    return entries[(page - 1) * size : page * size], len(entries), page, visible


def user(name, role, region):
    found = get_user_model().objects.create(username=name)
    Membership.objects.create(user=found, role=role, region_id=region, fields=sorted(ALL_FIELDS))
    return scope_for(found)


@pytest.fixture
def generated():
    """Kota Mojokerto at 3 % with a year of posyandu records, plus a mover, a death and a duplicate."""
    call_command(
        "seed_region",
        "--region",
        MOJOKERTO,
        "--scale",
        "0.03",
        "--seed",
        "7",
        "--as-of",
        TODAY.isoformat(),
        "--no-audit",
        stdout=io.StringIO(),
    )
    ilp_seed(region_code=MOJOKERTO, seed=7, today=TODAY)
    desa = list(
        Posyandu.objects.filter(desa__code__startswith=MOJOKERTO)
        .values("desa_id")
        .annotate(n=Count("id"))
        .order_by("-n", "desa_id")
        .values_list("desa_id", flat=True)[:2]
    )
    young = Person.objects.filter(
        desa_id=desa[0], birth_date__range=(dt.date(2023, 1, 1), dt.date(2025, 12, 31))
    ).order_by("pk")
    mover, died, duplicate = young[0], young[1], young[2]
    other = Posyandu.objects.filter(desa__code__startswith=MOJOKERTO).exclude(desa_id=desa[0]).first()
    Residence.objects.filter(person=mover).update(
        start_date=dt.date(2025, 12, 31), end_date=dt.date(2026, 6, 14)
    )
    Residence.objects.create(
        person=mover,
        household=None,
        posyandu=other,
        desa_id=other.desa_id,
        start_date=dt.date(2026, 6, 15),
        reason="moved",
    )
    Person.objects.filter(pk=died.pk).update(
        life_status=Person.LifeStatus.DECEASED, life_status_date=dt.date(2026, 7, 3)
    )
    Person.objects.filter(pk=duplicate.pk).update(duplicate_of=young[3])
    # Gaps, so that every list has several pages: a third of the weighings, doses, screenings, antenatal
    # visits and household surveys of the desa never happened, and a quarter of its children are out of school.
    in_desa = {"person__desa_id": desa[0]}
    for model in (Measurement, ImmunizationRecord, Screening, AncVisit):
        model.objects.filter(
            pk__in=[pk for pk in model.objects.filter(**in_desa).values_list("pk", flat=True) if pk % 3 == 0]
        ).delete()
    HouseholdCondition.objects.filter(
        household__desa_id=desa[0],
        pk__in=[pk for pk in HouseholdCondition.objects.values_list("pk", flat=True) if pk % 3 == 0],
    ).delete()
    children = Person.objects.filter(
        desa_id=desa[0], birth_date__range=(dt.date(2010, 1, 1), dt.date(2021, 12, 31))
    )
    Person.objects.filter(pk__in=[pk for pk in children.values_list("pk", flat=True) if pk % 4 == 0]).update(
        education_status=Person.Education.NOT_IN_SCHOOL
    )
    scopes = {
        "nakes": user("t.nakes", Role.NAKES, desa[0]),
        "desa": user("t.desa", Role.DESA, desa[0]),
        "camat": user("t.camat", Role.KECAMATAN, desa[0][:6]),
        "nakes2": user("t.nakes2", Role.NAKES, desa[1]),
        "city": user("t.city", Role.NAKES, MOJOKERTO),
    }
    return desa, scopes


def compare(scope, place, code, page, today=TODAY, period="2026"):
    period = parse(period, today=today)
    got = unserved(scope, place, period, code, page=page, today=today)
    entries, total, number, visible = reference(scope, place, period, code, page=page, today=today)
    assert (got.total, got.page, got.names_visible) == (total, number, visible)
    assert [e.as_dict() for e in got.entries] == [e.as_dict() for e in entries]
    return got


def test_every_indicator_page_and_reader_equals_the_engine_only_list(generated, monkeypatch):
    # Pages of 4 rows: the generated desa has a few dozen unserved units per indicator, so this cuts every
    # list into several pages whose boundaries fall between equal sort keys too.
    monkeypatch.setattr(module, "PAGE_SIZE", 4)
    desa, scopes = generated
    nakes = scopes["nakes"]
    place = place_for(nakes, region=desa[0])
    balita = compare(nakes, place, "kes.balita", 1)
    # A real workload: more than a page of under-fives to order and cut, each with its reasons and name.
    assert balita.total > 4 and balita.pages >= 2
    assert all(entry.missing and entry.name and "***" not in entry.name for entry in balita.entries)
    totals = {}
    for code in PERSON_CODES + OTHER_CODES:
        first = compare(nakes, place, code, 1)
        totals[code] = first.total
        assert first.method == ("columnar" if code in PERSON_CODES else "engine"), code
        for page in range(2, first.pages + 2):  # every page, and one past the last (clamped)
            compare(nakes, place, code, page)
        compare(nakes, place, code, None)
    print(totals)
    assert sum(1 for total in totals.values() if total > 8) >= 4  # lists of several pages
    # Masked rows (the desa sees no health detail, the camat no names) sort on the masked name.
    for who in ("desa", "camat"):
        scope = scopes[who]
        place = place_for(scope, region=desa[0])
        for code in ("kes.balita", "dik.dasar", "pu.air_minum"):
            got = compare(scope, place, code, 1)
            compare(scope, place, code, 2)
            if code.startswith("kes.") or who == "camat":
                assert not got.names_visible and all(e.id is None for e in got.entries)


def test_other_days_a_past_month_a_posyandu_and_another_desa_equal_too(generated):
    desa, scopes = generated
    nakes = scopes["nakes"]
    posyandu = Posyandu.objects.filter(desa_id=desa[0]).order_by("pk").first()
    for today in (dt.date(2026, 3, 15), dt.date(2026, 12, 31)):
        for code in ("kes.balita", "kes.usia_produktif", "pu.air_minum"):
            compare(nakes, place_for(nakes, region=desa[0]), code, 1, today=today)
            compare(nakes, place_for(nakes, posyandu_id=posyandu.pk), code, 1, today=today)
    # Every kelurahan of the city, whole lists: pregnancies (judged over the mothers only) and under-fives.
    city = scopes["city"]
    totals = {"kes.ibu_hamil": 0, "kes.balita": 0}
    for code in totals:
        for kelurahan in Posyandu.objects.values_list("desa_id", flat=True).distinct().order_by("desa_id"):
            totals[code] += compare(city, place_for(city, region=kelurahan), code, None).total
    assert totals["kes.ibu_hamil"] >= 5 and totals["kes.balita"] >= 50, totals
    other = scopes["nakes2"]
    compare(other, place_for(other, region=desa[1]), "kes.balita", 1, period="2026-05")
    compare(other, place_for(other, region=desa[1]), "kes.hipertensi", 1, period="2026-Q2")


def test_a_disagreement_falls_back_to_the_engine(generated, monkeypatch):
    """If the columnar form ever named someone the engine does not judge unserved, the list comes from the engine."""
    desa, scopes = generated
    scope = scopes["nakes"]
    place = place_for(scope, region=desa[0])
    period = parse("2026", today=TODAY)
    real = module.unserved_units.columnar_unserved

    def wrong(*args, **kwargs):
        # An adult of the desa, first in the list: no under-five, so the engine has no such verdict.
        adult = Person.objects.filter(
            desa_id=desa[0], birth_date__year__lt=1990, household__isnull=False
        ).first()
        found = real(*args, **kwargs)
        assert found
        return [module.unserved_units.Found("person", adult.pk, found[0].posyandu_id), *found]

    monkeypatch.setattr(module.unserved_units, "columnar_unserved", wrong)
    got = unserved(scope, place, period, "kes.balita", page=1, today=TODAY)
    entries, total, _number, _visible = reference(scope, place, period, "kes.balita", page=1, today=TODAY)
    assert got.method == "engine" and got.total == total
    assert [e.as_dict() for e in got.entries] == [e.as_dict() for e in entries]
