"""`manage.py demo_load`: the demo city, its residents and the accounts of design.md §4."""

import datetime as dt
import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F

from conftest import KRANGGAN, MERI, MIJI, MOJOKERTO
from simpul.accounts.roles import Perm, Role
from simpul.accounts.scope import scope_for
from simpul.core.choices import ALL_FIELDS
from simpul.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, first_posyandu
from simpul.lib.nik import check_nik
from simpul.posyandu.models import BoardMember, Kader, Posyandu, PosyanduStatusChange
from simpul.posyandu.services import registration_number_errors
from simpul.regions.models import Region
from simpul.regions.selectors import kecamatan_code_exists
from simpul.registry.models import Household, Person, Residence
from simpul.registry.services.validation import kk_hash, nik_hash

HOUSEHOLDS = 600  # ~1,800 residents: enough for every kind of record, fast enough for every test


def demo_load() -> str:
    out = io.StringIO()
    call_command("demo_load", households=HOUSEHOLDS, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    return demo_load()


def grant_of(username):
    scope = scope_for(get_user_model().objects.get(username=username))
    assert len(scope.grants) == 1
    return scope, scope.grants[0]


def test_it_creates_every_demo_account_with_the_scope_its_name_says(demo):
    assert {a.username for a in DEMO_ACCOUNTS} == {
        "admin", "pembina", "camat.kranggan", "lurah.miji", "bidan.kranggan", "kader.miji", "kader.meri",
        "opd.dinkes", "opd.disdik", "opd.pupr", "opd.perkim", "opd.dinsos", "opd.satpolpp",
    }
    for account in DEMO_ACCOUNTS:
        user = get_user_model().objects.get(username=account.username)
        assert user.is_active and user.check_password(DEMO_PASSWORD), account.username

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    _scope, grant = grant_of("admin")
    assert (grant.role, grant.region_prefix, grant.posyandu_id) == (Role.ADMIN, None, None)

    expected_regions = {"pembina": (Role.PEMBINA, MOJOKERTO), "camat.kranggan": (Role.KECAMATAN, KRANGGAN),
                        "lurah.miji": (Role.DESA, MIJI), "bidan.kranggan": (Role.NAKES, KRANGGAN)}
    for username, (role, region) in expected_regions.items():
        _scope, grant = grant_of(username)
        assert (grant.role, grant.region_prefix, grant.posyandu_id) == (role, region, None), username
    assert grant_of("bidan.kranggan")[1].fields == {"kesehatan"}
    assert grant_of("lurah.miji")[1].fields == ALL_FIELDS

    for username, desa in (("kader.miji", MIJI), ("kader.meri", MERI)):
        scope, grant = grant_of(username)
        posyandu = first_posyandu(desa)
        assert (grant.role, grant.region_prefix, grant.posyandu_id) == (Role.KADER, None, posyandu.pk)
        assert grant.fields == ALL_FIELDS
        assert scope.allows(Perm.REGISTER, desa_code=desa, posyandu_id=posyandu.pk)
        other = MERI if desa == MIJI else MIJI
        assert not scope.allows(Perm.VIEW_PERSON, desa_code=other, posyandu_id=first_posyandu(other).pk)
        kader = Kader.objects.get(user__username=username)
        assert kader.posyandu == posyandu and kader.active

    fields = {"opd.dinkes": "kesehatan", "opd.disdik": "pendidikan", "opd.pupr": "pekerjaan_umum",
              "opd.perkim": "perumahan", "opd.dinsos": "sosial", "opd.satpolpp": "trantibumlinmas"}
    for username, field in fields.items():
        _scope, grant = grant_of(username)
        assert (grant.role, grant.region_prefix, grant.fields) == (Role.OPD, MOJOKERTO, {field}), username
        membership = get_user_model().objects.get(username=username).memberships.get()
        assert membership.agency_name.endswith("Kota Mojokerto")


def test_it_prints_the_accounts_and_the_password(demo):
    for account in DEMO_ACCOUNTS:
        assert re.search(rf"^{re.escape(account.username)}\s+{account.role}\s+\S", demo, re.MULTILINE)
    assert f"Password for every demo account: {DEMO_PASSWORD}" in demo


def test_every_kelurahan_has_posyandu_with_plausible_legal_data(demo):
    kelurahan = Region.objects.filter(code__startswith=MOJOKERTO, level=Region.Level.VILLAGE)
    assert kelurahan.count() == 18
    for desa in kelurahan:
        assert 4 <= Posyandu.objects.filter(desa=desa).count() <= 8, desa.code
    posyandu = list(Posyandu.objects.filter(desa__code__startswith=MOJOKERTO))
    registered = [p for p in posyandu if p.registration_number]
    assert 0 < len(registered) < len(posyandu)  # some are not registered yet
    assert any(not p.sk_number for p in posyandu)
    for p in registered:
        assert registration_number_errors(p.registration_number, p.desa_id) == []
        assert p.sk_number and p.sk_board_number
    assert PosyanduStatusChange.objects.filter(posyandu__in=posyandu, reason="created").count() == len(posyandu)
    positions = BoardMember.objects.filter(posyandu__in=posyandu)
    assert positions.filter(position="ketua_bidang").values("field").distinct().count() == 6
    assert positions.count() < len(posyandu) * 9  # some seats are empty
    kader = list(Kader.objects.filter(posyandu__in=posyandu))
    assert all(k.fields and set(k.fields) <= ALL_FIELDS for k in kader)
    assert any(len(k.fields) > 1 for k in kader)  # some kader work in several fields
    assert {f for k in kader for f in k.fields} == ALL_FIELDS


def test_residents_have_valid_niks_consistent_with_sex_and_birth_date(demo):
    people = list(Person.objects.filter(desa__code__startswith=MOJOKERTO))
    assert 1500 < len(people) < 2200
    with_nik = [p for p in people if p.nik_cipher]
    assert 0.78 < len(with_nik) / len(people) < 0.92  # children without a NIK yet
    unverified = 0
    for person in with_nik:
        nik = person.nik
        assert person.nik_hash == nik_hash(nik) and person.nik_last4 == nik[-4:]
        assert nik[:6] == person.desa_id[:6]  # registered in the kecamatan where they live
        check = check_nik(nik, sex=person.sex, birth_date=person.birth_date, kecamatan_exists=kecamatan_code_exists)
        assert check.errors == []
        if person.nik_status == Person.NikStatus.UNVERIFIED:
            unverified += 1
            assert check.warnings and person.nik_warnings  # the deliberate mismatches
            assert check.encoded_sex == person.sex and check.encoded_birth_date != person.birth_date
        else:
            assert person.nik_status == Person.NikStatus.VALID
            assert check.warnings == [] and person.nik_warnings == []
    assert unverified >= 1
    without = [p for p in people if not p.nik_cipher]
    assert all(p.nik_status == "none" and p.nik_hash is None and p.nik_last4 == "" for p in without)


def test_households_and_residences_are_what_the_services_would_store(demo):
    households = list(Household.objects.filter(desa__code__startswith=MOJOKERTO).prefetch_related("members"))
    assert len(households) == HOUSEHOLDS
    for household in households[:200]:
        members = list(household.members.all())
        heads = [m for m in members if m.relationship == Person.Relationship.HEAD]
        assert len(heads) == 1 and household.head_name == heads[0].full_name
        assert household.posyandu.desa_id == household.desa_id
        if household.kk_cipher:
            assert household.kk_hash == kk_hash(household.kk) and len(household.kk) == 16
        for child in (m for m in members if m.relationship == "anak" and m.birth_date.year > 2015):
            assert child.mother_name
    people = Person.objects.filter(desa__code__startswith=MOJOKERTO)
    assert Residence.objects.filter(person__in=people).count() == people.count()
    for field in ("household", "posyandu", "desa"):
        assert not Residence.objects.filter(person__in=people).exclude(**{field: F(f"person__{field}")}).exists()
    sample = people.order_by("pk")[10]
    assert Person.objects.get(client_uuid=sample.client_uuid) == sample  # stored in Django's UUID format
    assert re.fullmatch(r"TMP-\d{10}-[0-9A-F]{8}", sample.provisional_id)
    assert people.values("provisional_id").distinct().count() == people.count()
    residence = sample.residences.get()
    assert residence.start_date >= sample.birth_date and residence.end_date is None
    assert json.loads(json.dumps(sample.nik_warnings)) == sample.nik_warnings


def test_running_it_twice_does_not_duplicate(demo):
    counts = (Household.objects.count(), Person.objects.count(), Residence.objects.count(), Posyandu.objects.count(),
              Kader.objects.count(), get_user_model().objects.count())
    again = demo_load()
    assert "already loaded" in again
    assert (Household.objects.count(), Person.objects.count(), Residence.objects.count(), Posyandu.objects.count(),
            Kader.objects.count(), get_user_model().objects.count()) == counts
    assert Kader.objects.filter(user__username="kader.miji").count() == 1


def test_the_demo_kader_have_children_with_growth_histories_and_immunisations(demo):
    from simpul.health.models import Measurement
    from simpul.immunization.models import ImmunizationRecord

    kader = get_user_model().objects.get(username="kader.miji")
    posyandu_id = scope_for(kader).grants[0].posyandu_id
    weighed = Measurement.objects.filter(person__posyandu_id=posyandu_id)
    if not Person.objects.filter(posyandu_id=posyandu_id, birth_date__gt=dt.date.today() - dt.timedelta(days=1800)):
        pytest.skip("this seed gave kader.miji's posyandu no under-five")
    assert weighed.exists()
    assert ImmunizationRecord.objects.filter(person__posyandu_id=posyandu_id).exists()
    # Every stored result went through the growth engine: z-scores and codes are present.
    assert all(m.z.get("wfa") is not None and m.classification.get("wfa") for m in weighed)
    # Running demo_load again does not add a second history.
    before = Measurement.objects.count()
    demo_load()
    assert Measurement.objects.count() == before
