"""The columnar recompute gives exactly the engine's cells, for every indicator it covers.

The reference here is ``engine.count`` itself (whose rules have their own hand-worked tests): the fast path is
an optimisation and must agree with it cell for cell, on generated records (``ilp_seed``) plus the awkward
cases — someone who moved to another desa mid-year, someone who died, a duplicate record, a late
registration, a screening that was corrected.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from conftest import MOJOKERTO
from simpul.demo.ilp_seed import ilp_seed
from simpul.posyandu.models import Posyandu
from simpul.registry.models import Person, Residence
from simpul.screening.models import Screening
from simpul.spm import engine, fastpath
from simpul.spm.models import Counter, RegionCounter

TODAY = dt.date(2026, 11, 22)
pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    call_command("seed_region", "--region", MOJOKERTO, "--scale", "0.03", "--seed", "5", "--as-of",
                 TODAY.isoformat(), "--no-audit", stdout=io.StringIO())
    ilp_seed(region_code=MOJOKERTO, seed=5, today=TODAY)
    people = list(Person.objects.filter(desa__code__startswith=MOJOKERTO).order_by("pk"))
    # Moved mid-year to a posyandu of another kelurahan.
    mover = next(p for p in people if p.birth_date.year < 1990)
    other = Posyandu.objects.exclude(desa_id=mover.desa_id).filter(desa__code__startswith=MOJOKERTO).first()
    Residence.objects.filter(person=mover).update(start_date=dt.date(2025, 3, 1), end_date=dt.date(2026, 6, 14))
    Residence.objects.create(person=mover, household=None, posyandu=other, desa_id=other.desa_id,
                             start_date=dt.date(2026, 6, 15), reason="moved")
    # Died in July (the life-status date), and one who died with no date recorded.
    died = next(p for p in people if p.birth_date.year < 1950 and p.pk != mover.pk)
    Person.objects.filter(pk=died.pk).update(life_status=Person.LifeStatus.DECEASED,
                                             life_status_date=dt.date(2026, 7, 3))
    # A duplicate record is never counted.
    duplicate = next(p for p in people if p.pk not in (mover.pk, died.pk) and p.birth_date.year < 2000)
    Person.objects.filter(pk=duplicate.pk).update(duplicate_of=people[0])
    # A corrected screening: only the newer row counts.
    old = Screening.objects.order_by("pk").first()
    newer = Screening.objects.create(person_id=old.person_id, posyandu_id=old.posyandu_id, desa_id=old.desa_id,
                                     screened_on=TODAY, age_years=old.age_years, life_stage=old.life_stage)
    Screening.objects.filter(pk=old.pk).update(superseded_by=newer)
    return list(Posyandu.objects.filter(desa__code__startswith=MOJOKERTO).values_list("pk", flat=True))


def engine_cells(ids, year, today, codes):
    return {key: value for key, value in engine.count(ids, year, today=today, codes=codes).items()}


@pytest.mark.parametrize("today", [TODAY, dt.date(2026, 12, 31), dt.date(2026, 3, 15)])
def test_it_equals_the_engine_for_every_covered_indicator(region, today):
    vector, _rest = fastpath.covered()
    codes = [i.code for i in vector]
    assert "kes.usia_produktif" in codes and "kes.usia_lanjut" in codes
    expected = engine_cells(region, 2026, today, codes)
    assert sum(v[0] for v in expected.values()) > 1000  # a real workload, not an empty comparison
    assert fastpath.count(region, 2026, today=today, codes=codes) == expected


def test_it_equals_the_engine_for_a_subset_of_posyandu(region):
    # Half the posyandu: people who lived in the other half at the "as of" day are not counted here.
    half = region[::2]
    codes = [i.code for i in fastpath.covered()[0]]
    assert fastpath.count(half, 2026, today=TODAY, codes=codes) == engine_cells(half, 2026, TODAY, codes)


def test_rebuild_stores_the_same_counters_as_the_engine_rebuild(region):
    from simpul.spm.counters import rebuild

    rebuild(MOJOKERTO, 2026, today=TODAY)
    slow = (sorted(Counter.objects.values_list("posyandu_id", "indicator", "month", "denominator", "numerator",
                                               "pending")),
            sorted(RegionCounter.objects.values_list("region_code", "level", "indicator", "month", "denominator",
                                                     "numerator", "pending")))
    result = fastpath.rebuild(MOJOKERTO, 2026, today=TODAY)
    fast = (sorted(Counter.objects.values_list("posyandu_id", "indicator", "month", "denominator", "numerator",
                                               "pending")),
            sorted(RegionCounter.objects.values_list("region_code", "level", "indicator", "month", "denominator",
                                                     "numerator", "pending")))
    assert result.posyandu == len(region)
    assert slow[0] and fast == slow


def test_two_overlapping_stays_in_one_desa_count_once_at_the_first(region):
    # A resident registered at a second posyandu of the same kelurahan in May without the first stay being
    # closed: the engine counts them once, at the stay that started first; so must the columnar path.
    from conftest import make_posyandu

    person = Person.objects.filter(desa__code__startswith=MOJOKERTO, birth_date__year__lt=1980).order_by("pk")[3]
    stay = Residence.objects.filter(person=person).order_by("start_date").first()
    second = make_posyandu(stay.posyandu.desa_id, "Posyandu Kedua")
    Residence.objects.create(person=person, household=None, posyandu=second, desa_id=second.desa_id,
                             start_date=dt.date(2026, 5, 2), reason="moved")
    ids = [*region, second.pk]
    codes = [i.code for i in fastpath.covered()[0]]
    expected = engine_cells(ids, 2026, TODAY, codes)
    assert not any(pid == second.pk for _code, pid, _month in expected)
    assert fastpath.count(ids, 2026, today=TODAY, codes=codes) == expected


def test_it_equals_the_engine_when_records_are_read_by_id_range(region, monkeypatch):
    # A kab/kota's rebuild reads records by the range of its residents' ids instead of naming them: records of
    # people outside the area that fall in the range must not be counted (here: a half of the posyandu).
    monkeypatch.setattr(fastpath, "PEOPLE_LISTED", 0)
    half = region[1::2]
    codes = [i.code for i in fastpath.covered()[0]]
    area = fastpath.area_load(half, 2026, today=TODAY)
    assert "BETWEEN" in area.people_filter("x.person_id")
    assert fastpath.count(half, 2026, today=TODAY, codes=codes, area=area) == engine_cells(half, 2026, TODAY, codes)
