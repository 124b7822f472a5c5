"""The demo accounts of design.md §4: one per persona, all with the password ``simpul-demo``.

:data:`DEMO_ACCOUNTS` is the single list others reuse (the README, browser
tests, the login page's hint in development).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from simpul.accounts.models import Membership
from simpul.accounts.roles import Role
from simpul.core.choices import SpmField
from simpul.posyandu.models import Kader, Posyandu
from simpul.regions.models import Region, dotted

DEMO_PASSWORD = "simpul-demo"  # noqa: S105 - published on purpose: demo data only
DEMO_REGION = "3576"  # Kota Mojokerto
KRANGGAN = "357603"
MIJI = "3576031002"
MERI = "3576031003"
ALL = tuple(SpmField.values)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    first_name: str
    last_name: str
    region: str | None = None  # region code the membership is anchored to
    posyandu_of: str | None = None  # or: the first posyandu of this desa (kader)
    fields: tuple[str, ...] = ()
    agency_name: str = ""
    staff: bool = False
    agency_code: str = ""  # the OPD officer's agency (simpul.referrals.taxonomy.AGENCIES)
    is_head: bool = False  # lurah / camat: approves confidential referrals, receives escalations


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", Role.ADMIN, "Admin", "Simpul", staff=True),
    DemoAccount("pembina", Role.PEMBINA, "Retno", "Wulandari", region=DEMO_REGION),
    DemoAccount("camat.kranggan", Role.KECAMATAN, "Bambang", "Setiawan", region=KRANGGAN, is_head=True),
    DemoAccount("lurah.miji", Role.DESA, "Hadi", "Prasetyo", region=MIJI, is_head=True),
    DemoAccount("bidan.kranggan", Role.NAKES, "Endang", "Lestari", region=KRANGGAN, fields=("kesehatan",)),
    DemoAccount("kader.miji", Role.KADER, "Sri", "Wahyuni", posyandu_of=MIJI, fields=ALL),
    DemoAccount("kader.meri", Role.KADER, "Siti", "Aminah", posyandu_of=MERI, fields=ALL),
    DemoAccount("opd.dinkes", Role.OPD, "Dian", "Kusumawati", region=DEMO_REGION, fields=("kesehatan",),
                agency_name="Dinas Kesehatan Kota Mojokerto", agency_code="dinkes"),
    DemoAccount("opd.disdik", Role.OPD, "Agus", "Santoso", region=DEMO_REGION, fields=("pendidikan",),
                agency_name="Dinas Pendidikan dan Kebudayaan Kota Mojokerto", agency_code="disdik"),
    DemoAccount("opd.pupr", Role.OPD, "Eko", "Nugroho", region=DEMO_REGION, fields=("pekerjaan_umum",),
                agency_name="Dinas Pekerjaan Umum dan Penataan Ruang Kota Mojokerto", agency_code="dpupr"),
    DemoAccount("opd.perkim", Role.OPD, "Ratna", "Handayani", region=DEMO_REGION, fields=("perumahan",),
                agency_name="Dinas Perumahan Rakyat dan Kawasan Permukiman Kota Mojokerto", agency_code="perkim"),
    DemoAccount("opd.dinsos", Role.OPD, "Yuliana", "Rahayu", region=DEMO_REGION, fields=("sosial",),
                agency_name="Dinas Sosial Kota Mojokerto", agency_code="dinsos"),
    DemoAccount("opd.satpolpp", Role.OPD, "Teguh", "Wibowo", region=DEMO_REGION, fields=("trantibumlinmas",),
                agency_name="Satuan Polisi Pamong Praja Kota Mojokerto", agency_code="satpolpp"),
)


@dataclass(frozen=True)
class EnsuredAccount:
    account: DemoAccount
    user: object
    membership: Membership
    created: bool
    scope_label: str


def first_posyandu(desa_code: str) -> Posyandu | None:
    """"The first posyandu of a desa": the one registered first (lowest id)."""
    return Posyandu.objects.filter(desa_id=desa_code).order_by("pk").first()


@transaction.atomic
def demo_accounts_ensure() -> list[EnsuredAccount]:
    """Create the demo accounts that are missing and put their memberships right; safe to run again.

    Passwords are set only for accounts created now (or left without a usable
    one), so a second run costs no password hashing and keeps what a developer set.
    """
    from simpul.referrals.services.seed import agencies_seed

    agencies = agencies_seed(DEMO_REGION)
    users = get_user_model().objects
    encoded = None  # one PBKDF2 hash for all new accounts: they share a published password anyway
    ensured = []
    for account in DEMO_ACCOUNTS:
        user, created = users.get_or_create(username=account.username, defaults={
            "first_name": account.first_name, "last_name": account.last_name,
            "is_staff": account.staff, "is_superuser": account.staff,
        })
        if created or not user.has_usable_password() or not user.is_active or user.is_staff != account.staff:
            if created or not user.has_usable_password():
                encoded = encoded or make_password(DEMO_PASSWORD)
                user.password = encoded
            user.is_active, user.is_staff, user.is_superuser = True, account.staff, account.staff
            user.save(update_fields=["password", "is_active", "is_staff", "is_superuser"])
        posyandu = None
        if account.posyandu_of:
            posyandu = first_posyandu(account.posyandu_of)
            if posyandu is None:
                raise RuntimeError(f"{account.username}: desa {account.posyandu_of} has no posyandu; load the demo data first")
        membership = Membership.objects.filter(user=user, role=account.role).order_by("pk").first() or Membership(
            user=user, role=account.role)
        membership.region_id = account.region
        membership.posyandu = posyandu
        membership.fields = sorted(account.fields)
        membership.agency_name = account.agency_name
        membership.agency = agencies[account.agency_code] if account.agency_code else None
        membership.is_head = account.is_head
        membership.active = True
        membership.save()
        if posyandu is not None:
            _kader_link(user, posyandu, account)
        ensured.append(EnsuredAccount(account, user, membership, created, _scope_label(account, posyandu)))
    return ensured


def _kader_link(user, posyandu: Posyandu, account: DemoAccount) -> None:
    """Make the demo kader one of her posyandu's kader rows (the first one without a login)."""
    if Kader.objects.filter(posyandu=posyandu, user=user).exists():
        return
    kader = Kader.objects.filter(posyandu=posyandu, user__isnull=True, active=True).order_by("pk").first()
    if kader is None:
        kader = Kader(posyandu=posyandu)
    kader.user = user
    kader.name = f"{account.first_name} {account.last_name}"
    kader.fields = sorted(account.fields)
    kader.save()


def _scope_label(account: DemoAccount, posyandu: Posyandu | None) -> str:
    if posyandu is not None:
        desa = posyandu.desa
        return f"{posyandu.name}, {desa.kind_label} {desa.name} ({dotted(desa.code)})"
    if account.region is None:
        return "configuration and users (no personal data)"
    region = Region.objects.get(code=account.region)
    if region.level == Region.Level.REGENCY:
        label = f"{region.name} ({dotted(region.code)})"  # the name already says Kota or Kabupaten
    else:
        kind = "Kecamatan" if region.level == Region.Level.DISTRICT else region.kind_label
        label = f"{kind} {region.name} ({dotted(region.code)})"
    if account.fields and set(account.fields) != set(ALL):
        label += f", field {', '.join(account.fields)}"
    return label
