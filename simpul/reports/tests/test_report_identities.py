"""The monthly report identities, on generated data recorded through the real services.

For every posyandu and month: each row's bands add up to its totals; D = N + T + O + B in every
column; absent = K − D + (weighed here, not in K); K ≤ S; each nutrition index adds up to D; S and D
match counts made here straight from the residence and measurement rows; a desa summary is the sum of
its posyandu and a kecamatan summary the sum of its desa.
"""

import datetime as dt
import random
from collections import defaultdict

import pytest

from conftest import KRANGGAN, MERI, MIJI, make_posyandu, person_input
from simpul.accounts.scope import scope_for
from simpul.health.models import Measurement
from simpul.health.weightgain import completed_months
from simpul.regions.models import Region
from simpul.registry.models import Residence
from simpul.registry.services import HouseholdInput, household_register, person_move
from simpul.registry.tests.kit import add_kader_membership
from simpul.reports.data import add_sections, counts_of
from simpul.reports.selectors import live_sections, summary_view
from simpul.reports.skdn import month_end, nutrition_section, skdn_counts
from simpul.reports.tests.kit import NOW, at, household_with_child, weigh

pytestmark = pytest.mark.django_db

MONTHS = [dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1)]
BANDS = 5


def expected_weight(months: int) -> float:
    return 3.3 + 0.6 * months if months < 12 else 10.5 + 0.18 * (months - 12)


@pytest.fixture
def world(kader_miji, posyandu_miji, posyandu_meri):
    """24 children in three posyandu (two in Miji, one in Meri), three months of weighings, some moves."""
    anggrek = make_posyandu(MIJI, "Posyandu Anggrek Miji")
    for other in (posyandu_meri, anggrek):
        add_kader_membership(kader_miji, other)
    places = [posyandu_miji, anggrek, posyandu_meri]
    rng = random.Random(20261022)
    children = []
    for index in range(24):
        born = dt.date(2021, 6, 1) + dt.timedelta(days=rng.randrange(0, (dt.date(2026, 6, 30) - dt.date(2021, 6, 1)).days))
        sex = rng.choice("MF")
        children.append(household_with_child(kader_miji, rng.choice(places), f"Anak {index:02d}", sex, born))
    for child in children:
        child.refresh_from_db()
        for month in MONTHS:
            if rng.random() < 0.25:
                continue
            for _time in range(2 if rng.random() < 0.2 else 1):  # some are weighed twice in a month
                day = month.replace(day=rng.randrange(1, 29))
                if day < child.birth_date:
                    continue
                months = completed_months(child.birth_date, day)
                kg = round(expected_weight(months) * rng.uniform(0.7, 1.15), 2)
                cm = None
                if rng.random() < 0.5:
                    cm = round((50 + 2.2 * months if months < 12 else 74 + 0.85 * (months - 12)) * rng.uniform(0.9, 1.05), 1)
                weigh(kader_miji, child, day, str(kg), cm=None if cm is None else str(cm),
                      position="" if cm is None else ("recumbent" if months < 24 else "standing"))
    homes = {p.pk: household_register(actor=kader_miji, scope=scope_for(kader_miji), now=at(2026, 7, 1),
                                      data=HouseholdInput(posyandu_id=p.pk, address="Jl. Pindah", members=[
                                          person_input(f"Kepala {p.name}", "M", dt.date(1980, 1, 1), "kepala")]))
             for p in places}
    for child in rng.sample(children, 6):
        child.refresh_from_db()
        target = rng.choice([p for p in places if p.pk != child.posyandu_id])
        person_move(actor=kader_miji, scope=scope_for(kader_miji), person=child, to_household=homes[target.pk],
                    moved_on=dt.date(2026, rng.choice([9, 10]), rng.randrange(2, 28)), now=NOW)
    return places


def split(values):
    """(bands L, bands P, total L, total P, total)."""
    return values[0:10:2], values[1:10:2], values[10], values[11], values[12]


def independent_s(posyandu, month) -> int:
    end = month_end(month)
    count = 0
    for r in Residence.objects.filter(posyandu=posyandu).select_related("person"):
        alive = r.person.life_status_date is None or r.person.life_status_date > end
        lived = r.start_date <= end and (r.end_date is None or r.end_date >= end)
        if alive and lived and r.person.birth_date <= end and completed_months(r.person.birth_date, end) <= 59:
            count += 1
    return count


def independent_d(posyandu, month) -> int:
    """Children whose latest current weighing of the month was at this posyandu, aged 0–59 months then."""
    latest = {}
    for m in Measurement.objects.filter(superseded_by__isnull=True, weight_kg__isnull=False,
                                        measured_on__gte=month, measured_on__lte=month_end(month)).select_related("person"):
        key = (m.measured_on, m.created_at, m.pk)
        if m.person_id not in latest or key > latest[m.person_id][0]:
            latest[m.person_id] = (key, m)
    return sum(1 for _key, m in latest.values()
               if m.posyandu_id == posyandu.pk and completed_months(m.person.birth_date, m.measured_on) <= 59)


def test_every_posyandu_month_keeps_the_identities(world):
    weighed_children = 0
    for posyandu in world:
        for month in MONTHS:
            counts = skdn_counts(posyandu, month)
            for key, values in counts.items():
                boys, girls, total_boys, total_girls, total = split(values)
                assert (sum(boys), sum(girls), total_boys + total_girls) == (total_boys, total_girls, total), key
            for column in range(13):
                c = {key: values[column] for key, values in counts.items()}
                assert c["d"] == c["n"] + c["t"] + c["o"] + c["b"], (posyandu, month, column)
                assert c["absent"] == c["k"] - c["d"] + c["d_not_in_k"] >= 0
                assert c["k"] <= c["s"] and c["two_t"] <= c["t"] and c["bgm"] <= c["d"] and c["d_not_in_k"] <= c["d"]
            assert counts["s"][12] == independent_s(posyandu, month)
            assert counts["d"][12] == independent_d(posyandu, month)
            weighed_children += counts["d"][12]
            nutrition = {row.key: list(row.values) for row in nutrition_section(posyandu, month).rows}
            for index in ("wflh", "lhfa", "wfa"):
                group = [values for key, values in nutrition.items() if key.startswith(f"{index}_")]
                assert [sum(column) for column in zip(*group, strict=True)] == counts["d"], index
    assert weighed_children > 30  # the generated data really exercises the counts


def test_a_child_weighed_twice_in_a_month_counts_once(world):
    weighings = defaultdict(list)
    for m in Measurement.objects.filter(measured_on__gte=MONTHS[-1]).select_related("person"):
        weighings[m.person_id].append(completed_months(m.person.birth_date, max(
            w.measured_on for w in Measurement.objects.filter(person_id=m.person_id, measured_on__gte=MONTHS[-1]))))
    under_five = {person: ages for person, ages in weighings.items() if ages[0] <= 59}
    assert any(len(ages) > 1 for ages in under_five.values())  # the generator weighed someone twice in October
    total = sum(skdn_counts(p, MONTHS[-1])["d"][12] for p in world)
    assert total == len(under_five) < sum(len(ages) for ages in under_five.values())


def test_summaries_are_the_sums_of_their_posyandu(world, camat_kranggan):
    scope = scope_for(camat_kranggan)
    miji_units = sorted((p for p in world if p.desa_id == MIJI), key=lambda p: p.name)
    for month in MONTHS:
        desa = summary_view(scope, Region.objects.get(code=MIJI), month)
        assert counts_of(desa.sections) == counts_of(add_sections(live_sections(p, month) for p in miji_units))
        assert [b.values[0] for b in desa.breakdown] == [skdn_counts(p, month)["s"][12] for p in miji_units]
        kecamatan = summary_view(scope, Region.objects.get(code=KRANGGAN), month)
        meri = summary_view(scope, Region.objects.get(code=MERI), month)
        assert counts_of(kecamatan.sections) == counts_of(add_sections([desa.sections, meri.sections]))
        assert (kecamatan.posyandu_total, kecamatan.posyandu_reported) == (3, 0)
        skdn = kecamatan.section("skdn")
        s, d, n = skdn.total("s"), skdn.total("d"), skdn.total("n")
        ratios = {r.key: r.values[-1] for r in skdn.ratios}  # recomputed from the sums, not added up
        assert ratios["d_s"] == (round(100 * d / s, 1) if s else None)
        assert ratios["n_d"] == (round(100 * n / d, 1) if d else None)
