"""`manage.py seed_region`: synthetic residents for any region, deterministic, never colliding."""

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from conftest import JEPARA, MOJOKERTO, make_posyandu, make_user, person_input, register_family
from simpul.accounts.roles import Role
from simpul.demo import bulk
from simpul.demo.generate import PosyanduSlot
from simpul.demo.parallel import by_kecamatan, generate_rows
from simpul.demo.seeding import _plans, households_by_scale, seeded_delete, seeder_user, villages_under
from simpul.demo.worker import GenerationContext
from simpul.lib.nik import check_nik
from simpul.posyandu.models import Posyandu
from simpul.registry.models import Household, Person, Residence

AS_OF = "2026-11-01"


def seed(region=JEPARA, *extra, scale="0.002", seed_value="42"):
    out = io.StringIO()
    call_command("seed_region", "--region", region, "--scale", scale, "--seed", seed_value, "--as-of", AS_OF,
                 *extra, stdout=out)
    return out.getvalue()


def snapshot(prefix=JEPARA):
    people = Person.objects.filter(desa__code__startswith=prefix)
    return sorted(people.values_list("desa_id", "full_name", "sex", "birth_date", "relationship", "nik_last4",
                                     "provisional_id", "client_uuid"))


@pytest.mark.django_db
def test_it_is_deterministic_with_the_same_seed():
    output = seed()
    first = snapshot()
    assert "residents/s" in output
    assert len(first) > 300
    seed(JEPARA, "--replace")
    assert snapshot() == first
    seed(JEPARA, "--replace", seed_value="43")
    assert snapshot() != first


@pytest.mark.django_db
def test_it_creates_posyandu_households_and_one_residence_each():
    seed()
    villages = villages_under(JEPARA)
    assert len(villages) == 195
    assert Posyandu.objects.filter(desa__in=villages).values("desa").distinct().count() == 195
    people = Person.objects.filter(desa__code__startswith=JEPARA)
    residences = Residence.objects.filter(person__in=people)
    assert residences.count() == people.count()
    assert not residences.exclude(desa_id__in=[v.code for v in villages]).exists()
    assert Household.objects.filter(desa__code__startswith=JEPARA).count() >= 195
    for person in people.exclude(nik_cipher="")[:300]:
        assert check_nik(person.nik, sex=person.sex, birth_date=person.birth_date).errors == []


@pytest.mark.django_db
def test_it_refuses_a_region_already_seeded_unless_replace():
    seed(MOJOKERTO, scale="0.01")
    households = Household.objects.filter(desa__code__startswith=MOJOKERTO).count()
    with pytest.raises(CommandError, match="already has seeded households"):
        seed(MOJOKERTO, scale="0.01")
    with pytest.raises(CommandError, match="already has seeded households"):
        seed("357603", scale="0.01")  # a kecamatan inside it
    output = seed(MOJOKERTO, "--replace", scale="0.01")
    assert "earlier seeded households deleted" in output
    assert Household.objects.filter(desa__code__startswith=MOJOKERTO).count() == households


@pytest.mark.django_db
def test_it_keeps_away_from_numbers_someone_registered():
    seed(MOJOKERTO, scale="0.01", seed_value="7")
    seeded = Person.objects.filter(desa__code__startswith=MOJOKERTO).exclude(nik_cipher="").order_by("pk").first()
    household = Household.objects.exclude(kk_cipher="").filter(desa__code__startswith=MOJOKERTO).order_by("pk").first()
    nik, kk, desa = seeded.nik, household.kk, seeded.desa_id
    seeded_delete(MOJOKERTO, seeder_user().pk)

    # A kader registers a real family holding exactly the numbers the seed is about to issue.
    posyandu = make_posyandu(desa, "Posyandu Kartini")
    kader = make_user("kader.kartini", Role.KADER, posyandu=posyandu)
    register_family(kader, posyandu, kk=kk, members=[
        person_input(seeded.full_name, seeded.sex, seeded.birth_date, "kepala", nik=nik)])

    seed(MOJOKERTO, scale="0.01", seed_value="7")
    assert Person.objects.filter(desa__code__startswith=MOJOKERTO, created_by__username="kader.kartini").count() == 1
    assert Person.objects.exclude(nik_hash=None).values("nik_hash").distinct().count() == \
        Person.objects.exclude(nik_hash=None).count()
    assert Household.objects.exclude(kk_hash=None).values("kk_hash").distinct().count() == \
        Household.objects.exclude(kk_hash=None).count()


@pytest.mark.django_db
def test_workers_by_kecamatan_make_exactly_what_one_process_makes():
    """What the parallel path relies on: a kecamatan generated on its own is the same as in one run."""
    villages = villages_under(MOJOKERTO)
    counts = households_by_scale(villages, scale=0.01, seed=3)
    slots = {v.code: (PosyanduSlot(id=1, rw="001", dusun="", rts=5, weight=1.0),) for v in villages}
    plans = _plans(villages, counts, slots)
    context = GenerationContext(
        seed=3, now=dt.datetime(2026, 11, 1, 5, tzinfo=dt.UTC), seeder_id=1, audit=True, vendor=connection.vendor,
        taken_nik=frozenset(), taken_kk=frozenset(), taken_provisional=frozenset(), known_kecamatan=frozenset(),
    )
    together = [rows for _n, batch in generate_rows(plans, context) for rows in batch]
    apart = [rows for group in by_kecamatan(plans) for _n, batch in generate_rows(group, context) for rows in batch]
    assert len(by_kecamatan(plans)) == 3

    def without_ciphertexts(rows):  # AES-GCM nonces are random on purpose
        return re.sub(r"v1:[A-Za-z0-9+/=]+", "v1:...", repr(rows))

    assert without_ciphertexts(together) == without_ciphertexts(apart)


def _schema(tables):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1", [tables])
        indexes = cursor.fetchall()
        cursor.execute("SELECT conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint "
                       "WHERE conrelid = ANY(%s::regclass[]) ORDER BY 1", [tables])
        return indexes, cursor.fetchall()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the constraint suspension is PostgreSQL's")
def test_a_big_load_on_postgresql_puts_every_index_and_constraint_back(monkeypatch):
    tables = ["registry_household", "registry_person", "registry_residence", "audit_auditentry"]
    before = _schema(tables)
    monkeypatch.setattr(bulk, "SUSPEND_MIN_PEOPLE", 0)
    output = seed(MOJOKERTO, scale="0.01")
    assert "restore" in output
    assert _schema(tables) == before
    person = Person.objects.filter(desa__code__startswith=MOJOKERTO).order_by("pk").last()
    assert Person.objects.get(client_uuid=person.client_uuid) == person
    assert person.residences.get().start_date <= timezone.localdate()
