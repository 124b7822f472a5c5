"""Shared fixtures: two kab/kota (Kota Mojokerto and Kab. Jepara) with personas in each.

Every feature is tested for who may see it and for who must not: the outsider
fixtures (``kader_meri`` next door, ``kader_jepara`` in another regency) are as
important as the owners.
"""

import contextlib
import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model

from simpul.accounts.models import Membership
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.core.choices import ALL_FIELDS
from simpul.posyandu.models import Posyandu
from simpul.regions.models import Region
from simpul.regions.services import regions_load
from simpul.registry.services import HouseholdInput, PersonInput, household_register

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # sync Playwright runs an event loop

MIJI = "3576031002"
MERI = "3576031003"
KRANGGAN = "357603"
MOJOKERTO = "3576"
JEPARA = "3320"
PASSWORD = "kata-sandi-uji-123"


def load_test_regions():
    from simpul.referrals.services.seed import agencies_seed

    regions_load(prefix=MOJOKERTO)
    regions_load(prefix=JEPARA)
    agencies_seed(MOJOKERTO)  # agencies, categories and routing rules of both regencies
    agencies_seed(JEPARA)


def agency(kabkota: str, code: str):
    from simpul.referrals.models import Agency

    return Agency.objects.get(region_id=kabkota, code=code)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_test_regions()


@pytest.fixture
def jepara_desa(db):
    return Region.objects.filter(code__startswith=JEPARA, level=Region.Level.VILLAGE).order_by("code").first()


def make_posyandu(desa_code: str, name: str) -> Posyandu:
    return Posyandu.objects.create(desa_id=desa_code, name=name, address=f"Jl. {name}")


def make_user(username: str, role: str, *, region: str | None = None, posyandu: Posyandu | None = None,
              fields=None, agency_code: str | None = None, is_head: bool = False):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    Membership.objects.create(user=user, role=role, region_id=region, posyandu=posyandu,
                              fields=sorted(fields if fields is not None else ALL_FIELDS),
                              agency=agency(region[:4], agency_code) if agency_code else None, is_head=is_head)
    return user


@pytest.fixture
def posyandu_miji(db):
    return make_posyandu(MIJI, "Posyandu Melati Miji")


@pytest.fixture
def posyandu_meri(db):
    return make_posyandu(MERI, "Posyandu Mawar Meri")


@pytest.fixture
def posyandu_jepara(jepara_desa):
    return make_posyandu(jepara_desa.code, "Posyandu Kenanga Jepara")


@pytest.fixture
def kader_miji(posyandu_miji):
    return make_user("kader.miji", Role.KADER, posyandu=posyandu_miji)


@pytest.fixture
def kader_meri(posyandu_meri):
    return make_user("kader.meri", Role.KADER, posyandu=posyandu_meri)


@pytest.fixture
def kader_jepara(posyandu_jepara):
    return make_user("kader.jepara", Role.KADER, posyandu=posyandu_jepara)


@pytest.fixture
def lurah_miji(db):
    return make_user("lurah.miji", Role.DESA, region=MIJI, is_head=True)


@pytest.fixture
def camat_kranggan(db):
    return make_user("camat.kranggan", Role.KECAMATAN, region=KRANGGAN, is_head=True)


@pytest.fixture
def bidan_kranggan(db):
    return make_user("bidan.kranggan", Role.NAKES, region=KRANGGAN, fields=["kesehatan"])


@pytest.fixture
def pembina_mojokerto(db):
    return make_user("pembina", Role.PEMBINA, region=MOJOKERTO)


@pytest.fixture
def opd_dinsos(db):
    return make_user("opd.dinsos", Role.OPD, region=MOJOKERTO, fields=["sosial"], agency_code="dinsos")


@pytest.fixture
def opd_perkim(db):
    return make_user("opd.perkim", Role.OPD, region=MOJOKERTO, fields=["perumahan"], agency_code="perkim")


@pytest.fixture
def opd_perkim_jepara(db):
    """The same agency in the other regency: must never see Mojokerto's referrals."""
    return make_user("opd.perkim.jepara", Role.OPD, region=JEPARA, fields=["perumahan"], agency_code="perkim")


@pytest.fixture
def operator_miji(db):
    """A kelurahan operator: works referrals but is not the lurah (no confidential approval, no reporter)."""
    return make_user("operator.miji", Role.DESA, region=MIJI)


@pytest.fixture
def admin_user(db):
    user = get_user_model().objects.create_user(username="admin", password=PASSWORD, is_staff=True, is_superuser=True)
    Membership.objects.create(user=user, role=Role.ADMIN)
    return user


@contextlib.contextmanager
def clock_at(day: dt.date):
    """The clock at 10:00 WIB on ``day``, ticking (time-machine): for tests that compare the services' own
    "now" (a family registered now, this month's report) with fixed dates, so they do not break when the
    machine's calendar moves on. Python's clock only: nothing here may depend on the database's ``now()``."""
    with time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=ZoneInfo("Asia/Jakarta")), tick=True):
        yield


def bearer(user) -> dict:
    """Headers for an API call with a fresh token of ``user`` (django test client keyword arguments)."""
    from simpul.api.auth import token_issue

    raw, _token = token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def person_input(name="Siti Aminah", sex="F", birth=dt.date(1990, 5, 17), relationship="kepala", **extra):
    return PersonInput(full_name=name, sex=sex, birth_date=birth, relationship=relationship, **extra)


def register_family(user, posyandu, *, kk="", head="Budi Santoso", rt="002", members=None, now=None):
    members = members or [
        person_input(head, "M", dt.date(1985, 3, 2), "kepala"),
        person_input("Siti Aminah", "F", dt.date(1988, 7, 9), "istri"),
        person_input("Aisyah Putri", "F", dt.date(2024, 1, 15), "anak", mother_name="Siti Aminah"),
    ]
    return household_register(
        actor=user, scope=scope_for(user),
        data=HouseholdInput(posyandu_id=posyandu.pk, address="Jl. Miji Baru 12", rt=rt, rw="004", kk=kk, members=members),
        now=now,
    )


@pytest.fixture
def family_miji(kader_miji, posyandu_miji):
    return register_family(kader_miji, posyandu_miji, kk="3576030101200001")


@pytest.fixture
def family_jepara(kader_jepara, posyandu_jepara):
    return register_family(kader_jepara, posyandu_jepara, head="Slamet Riyadi", kk="3320010101200002")


# --- Browser tests: Playwright driving Debian's chromium (never a downloaded browser) -----------------
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("SIMPUL_CI_REQUIRE_BROWSER"):
            pytest.fail("Debian chromium is not installed: apt-get install chromium")
        pytest.skip("Debian chromium is not installed (apt-get install chromium); CI installs it")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture
def browser_regions(transactional_db):
    """Live-server tests flush the database; put the two regencies back for them."""
    load_test_regions()


def log_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    """Log a Playwright page in through the real login form and wait for the home page."""
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
