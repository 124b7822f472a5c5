"""`seed_region --ilp` / ``ilp_seed``: a year of posyandu records for seeded residents, deterministic, realistic.

Coverage bands are worked out from the generator's shares (simpul/demo/ilp_seed.py), not from its output,
and checked against counts taken from the written rows.
"""

import datetime as dt
import io
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import transaction

from conftest import MOJOKERTO
from simpul.demo import ilp_seed as ilp
from simpul.demo.seeding import seeder_user
from simpul.health.models import Measurement
from simpul.immunization import schedule
from simpul.immunization.models import ImmunizationRecord
from simpul.maternal.models import AncVisit, Pregnancy
from simpul.registry.models import Household, HouseholdCondition, Person, Residence
from simpul.screening.models import Screening
from simpul.serviceday.models import ServiceDay, ServiceGiven

TODAY = dt.date(2026, 11, 22)
YEAR_START = dt.date(2026, 1, 1)


def seed_people(scale="0.6"):
    # Kota Mojokerto, 18 kelurahan: about 18 × 3,000 × 0.6 ≈ 32,000 residents... too many for SQLite;
    # scale 0.1 gives ≈ 5,400, enough for every band below.
    call_command("seed_region", "--region", MOJOKERTO, "--scale", scale, "--seed", "7", "--as-of", TODAY.isoformat(),
                 "--no-audit", stdout=io.StringIO())


def snapshot():
    return (
        sorted(Measurement.objects.values_list("person_id", "measured_on", "weight_kg", "length_height_cm",
                                               "client_uuid")),
        sorted(ImmunizationRecord.objects.values_list("person_id", "dose", "given_on")),
        sorted(Screening.objects.values_list("person_id", "screened_on", "systolic", "glucose_mg_dl")),
        sorted(Pregnancy.objects.values_list("person_id", "hpht", "status")),
        sorted(AncVisit.objects.values_list("person_id", "visited_on", "examiner")),
        sorted(HouseholdCondition.objects.values_list("household_id", "observed_on", "water_source", "sanitation")),
        sorted(ServiceGiven.objects.values_list("person_id", "day__held_on", "detail")),
    )


def years(birth, on):
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def months(birth, on):
    return (on.year - birth.year) * 12 + on.month - birth.month - (on.day < birth.day)


@pytest.fixture
def seeded(db):
    seed_people("0.1")
    return ilp.ilp_seed(region_code=MOJOKERTO, seed=42, today=TODAY)


@pytest.mark.django_db
def test_it_writes_every_kind_of_record_as_the_seeder(seeded):
    seeder = seeder_user()
    counts = seeded.rows
    assert all(counts[name] > 0 for name in ilp.TABLES), counts
    assert counts["measurement"] == Measurement.objects.count()
    assert counts["serviceday"] == ServiceDay.objects.count()
    assert not Measurement.objects.exclude(recorded_by=seeder).exists()
    assert not Screening.objects.exclude(recorded_by=seeder).exists()
    # Everything happens in 2026 up to "today"; immunisations and the antenatal visits of pregnancies due
    # early in the year are older.
    for model, field in ((Measurement, "measured_on"), (Screening, "screened_on"), (AncVisit, "visited_on"),
                         (HouseholdCondition, "observed_on"), (ServiceDay, "held_on"),
                         (ImmunizationRecord, "given_on")):
        assert not model.objects.filter(**{f"{field}__gt": TODAY}).exists(), model
        if model not in (AncVisit, ImmunizationRecord):
            assert not model.objects.filter(**{f"{field}__lt": YEAR_START}).exists(), model
    # One posyandu day a month per posyandu: January to November (the November day may fall after the 22nd).
    per_posyandu = Counter(ServiceDay.objects.values_list("posyandu_id", flat=True))
    assert set(per_posyandu.values()) <= {10, 11}
    # Vitamin A only in February and August.
    assert set(ServiceGiven.objects.values_list("day__held_on__month", flat=True)) == {2, 8}
    # A second year on top is refused rather than doubled.
    with pytest.raises(ilp.AlreadyRecorded):
        ilp.ilp_seed(region_code=MOJOKERTO, seed=42, today=TODAY)

    # Every dose follows its previous dose, at the interval the schedule asks.
    given = defaultdict(dict)
    for person_id, dose, on in ImmunizationRecord.objects.values_list("person_id", "dose", "given_on"):
        given[person_id][dose] = on
    births = dict(Person.objects.filter(pk__in=given).values_list("pk", "birth_date"))
    for person_id, doses in given.items():
        for code, on in doses.items():
            dose = schedule.get(code)
            assert on >= dose.earliest.after(births[person_id])
            before = schedule.previous(dose)
            if before is not None:
                assert before.code in doses
                assert on >= (dose.interval or schedule.days(1)).after(doses[before.code])


@pytest.mark.django_db
def test_it_is_deterministic_by_seed(db):
    seed_people("0.03")
    with transaction.atomic():
        ilp.ilp_seed(region_code=MOJOKERTO, seed=42, today=TODAY)
        first = snapshot()
        transaction.set_rollback(True)
    with transaction.atomic():
        ilp.ilp_seed(region_code=MOJOKERTO, seed=42, today=TODAY)
        again = snapshot()
        transaction.set_rollback(True)
    ilp.ilp_seed(region_code=MOJOKERTO, seed=43, today=TODAY)
    other = snapshot()
    assert first[0] and first == again
    assert other != first


@pytest.mark.django_db
def test_coverage_looks_like_a_real_kabkota(seeded):
    residence = {pid: (start, birth) for pid, start, birth in Residence.objects.filter(end_date__isnull=True)
                 .values_list("person_id", "start_date", "person__birth_date")}

    # Weighed at least 8 times: children 12-47 months old on 1 January who lived here all year had 10-11
    # posyandu days. 88 % come with probability ≥ 0.90 (P(≥ 8 of 10) ≥ 0.93), 9 % with 0.55-0.85
    # (P ≈ 0.1-0.9), 3 % rarely: expected ≈ 0.88 × 0.98 + 0.09 × 0.5 ≈ 0.91.
    weighed = Counter(Measurement.objects.values_list("person_id", flat=True))
    children = [pid for pid, (start, birth) in residence.items()
                if start <= YEAR_START and 12 <= months(birth, YEAR_START) <= 47]
    share = sum(weighed[pid] >= 8 for pid in children) / len(children)
    assert len(children) >= 40
    assert 0.8 <= share <= 1.0, share

    # Screened at least once: residents 15+ on 1 January living here all year. 86 % (15-59) and 90 % (60+)
    # are drawn to be screened, every one of them has posyandu days: expected ≈ 0.86-0.90.
    screened = set(Screening.objects.values_list("person_id", flat=True))
    adults = [pid for pid, (start, birth) in residence.items() if start <= YEAR_START and years(birth, YEAR_START) >= 15]
    share = sum(pid in screened for pid in adults) / len(adults)
    assert 0.82 <= share <= 0.94, share

    # Water observed for 92 % of households; safe sources are 0.34 + 0.22 + 0.20 + 0.12 + 0.02 = 0.90 of them.
    households = Household.objects.count()
    surveyed = HouseholdCondition.objects.values("household_id").distinct().count()
    assert 0.86 <= surveyed / households <= 0.97
    safe = HouseholdCondition.objects.filter(water_source__in=HouseholdCondition.SAFE_WATER).count()
    assert 0.84 <= safe / surveyed <= 0.95

    # Delivered pregnancies with the six visits: the first visit always, five more each at 0.97:
    # 0.97^5 ≈ 0.86 (a few women registered late lose their first-trimester visit).
    visits = Counter(AncVisit.objects.values_list("pregnancy_id", flat=True))
    delivered = list(Pregnancy.objects.filter(status="delivered").values_list("pk", flat=True))
    assert len(delivered) >= 15
    share = sum(visits[pk] >= 6 for pk in delivered) / len(delivered)
    assert 0.6 <= share <= 1.0, share

    # Measles-rubella 1 by 10-23 months: 92 % of children keep every series; of the 8 % who stop one antigen
    # a sixth stop MR: expected ≈ 1 - 0.08 / 6 ≈ 0.99, less for children registered... all have a record.
    mr1 = set(ImmunizationRecord.objects.filter(dose="mr1").values_list("person_id", flat=True))
    toddlers = [pid for pid, (_start, birth) in residence.items() if 11 <= months(birth, TODAY) <= 23]
    share = sum(pid in mr1 for pid in toddlers) / len(toddlers)
    assert 0.9 <= share <= 1.0, share
