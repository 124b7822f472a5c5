"""Households and residents of one desa, as plain objects ready to be written in bulk.

The values are exactly those the registry services would store for the same
people (``household_register`` then ``person_register`` for babies born after
the household was registered): head_name on the household, a provisional id
for everyone, NIK and KK encrypted with a keyed lookup hash and the last four
digits, ``nik_status``/``nik_warnings`` as :func:`simpul.lib.nik.check_nik`
gives them, and a first residence starting on the day of registration.

Each desa draws from its own ``random.Random`` seeded with (seed, desa code),
so a desa's people do not depend on which other desa are generated with it.
The NIK serials are the one shared state: they count per kecamatan and date,
in desa code order.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import random
from dataclasses import dataclass, field
from itertools import accumulate
from zoneinfo import ZoneInfo

from django.conf import settings

from simpul.demo import names
from simpul.demo.families import Member, household_members, set_birth_dates
from simpul.demo.identity import BulkSealer, SerialBook
from simpul.demo.rand import choice, randint
from simpul.lib.nik import check_nik
from simpul.registry.lifestage import age_in_months

REGISTRATION_WINDOW_DAYS = (30, 540)  # households were registered 1-18 months ago
KK_SHARE = 0.97
DELIBERATE_WARNING_SHARE = 0.006  # NIKs whose date disagrees with the recorded birth date
PHONE_PREFIXES = ("0812", "0813", "0821", "0822", "0852", "0853", "0856", "0857", "0877", "0878", "0895", "0896")
DISABILITIES = (
    ("physical", 35), ("sensory_visual", 20), ("sensory_hearing", 15), ("intellectual", 10), ("mental", 10),
    ("sensory_speech", 5), ("multiple", 5),
)
_DISABILITY_CODES = [code for code, _weight in DISABILITIES]
_DISABILITY_CUM = list(accumulate(weight for _code, weight in DISABILITIES))


@dataclass(frozen=True)
class PosyanduSlot:
    """A posyandu as households are spread over it: one RW, with its RTs and dusun."""

    id: int
    rw: str
    dusun: str
    rts: int
    weight: float


@dataclass(frozen=True)
class DesaPlan:
    code: str
    name: str
    kecamatan_name: str
    city: str  # kab/kota name without "Kabupaten"/"Kota", for school names
    households: int
    posyandu: tuple[PosyanduSlot, ...]

    @property
    def kecamatan_code(self) -> str:
        return self.code[:6]


@dataclass(slots=True)
class SeedPerson:
    client_uuid: str
    created_at: dt.datetime  # UTC
    registered_on: dt.date  # local day of created_at: the residence starts then
    full_name: str
    sex: str
    birth_date: dt.date
    birth_date_estimated: bool
    relationship: str
    provisional_id: str
    nik_cipher: str = ""
    nik_hash: str | None = None
    nik_last4: str = ""
    nik_status: str = "none"
    nik_warnings: str = "[]"  # JSON text, as stored
    phone: str = ""
    mother_name: str = ""
    education_status: str = ""
    school_name: str = ""
    disability_type: str = ""


@dataclass(slots=True)
class SeedHousehold:
    client_uuid: str
    created_at: dt.datetime  # UTC
    registered_on: dt.date
    posyandu_id: int
    desa_id: str
    address: str
    rt: str
    rw: str
    dusun: str
    head_name: str = ""
    kk_cipher: str = ""
    kk_hash: str | None = None
    members: list[SeedPerson] = field(default_factory=list)


def seeded_uuid(rng: random.Random) -> str:
    """A version-4 UUID as 32 hex digits (the form both PostgreSQL and Django's SQLite columns take)."""
    value = rng.getrandbits(128) & ~(0xF000 << 64) & ~(0xC000 << 48)
    return f"{value | (0x4000 << 64) | (0x8000 << 48):032x}"


class DesaGenerator:
    def __init__(self, *, seed: int, now: dt.datetime, sealer: BulkSealer, nik_book: SerialBook, kk_book: SerialBook,
                 taken_provisional: set[str], known_kecamatan: set[str]):
        self.seed = seed
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.now = now.astimezone(dt.UTC)
        self.today = now.astimezone(self.tz).date()
        self.sealer = sealer
        self.nik_book = nik_book
        self.kk_book = kk_book
        self.taken_provisional = taken_provisional
        self.known_kecamatan = known_kecamatan
        self._offsets: dict[dt.date, dt.timedelta] = {}  # local day → UTC offset of the time zone

    def households(self, plan: DesaPlan) -> list[SeedHousehold]:
        rng = random.Random(f"simpul-demo:{self.seed}:{plan.code}")
        provisional: set[str] = set()
        cumulative = list(accumulate(slot.weight for slot in plan.posyandu))
        result = []
        for _ in range(plan.households):
            slot = plan.posyandu[bisect.bisect_right(cumulative, rng.random() * cumulative[-1])]
            registered, registered_on = self._registration_time(rng)
            household = SeedHousehold(
                client_uuid=seeded_uuid(rng), created_at=registered, registered_on=registered_on, posyandu_id=slot.id, desa_id=plan.code,
                address=f"Jl. {choice(rng, names.STREETS)} No. {randint(rng, 1, 120)}",
                rt=f"{randint(rng, 1, slot.rts):03d}", rw=slot.rw, dusun=slot.dusun,
            )
            if rng.random() < KK_SHARE:
                issued = self.today - dt.timedelta(days=randint(rng, 60, 15 * 365))
                kk, household.kk_hash = self.kk_book.issue(
                    f"{plan.kecamatan_code}{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}")
                household.kk_cipher = self.sealer.encrypt(kk)
            members = household_members(rng)
            set_birth_dates(rng, members, self.today)
            for member in members:
                household.members.append(self._person(rng, plan, member, household, provisional))
            household.head_name = household.members[0].full_name
            result.append(household)
        return result

    def _registration_time(self, rng: random.Random) -> tuple[dt.datetime, dt.date]:
        day = self.today - dt.timedelta(days=randint(rng, *REGISTRATION_WINDOW_DAYS))
        return self._at(day, rng), day

    def _at(self, day: dt.date, rng: random.Random) -> dt.datetime:
        """A moment in office hours on a local day, in UTC, never after now."""
        offset = self._offsets.get(day)
        if offset is None:
            offset = self._offsets[day] = dt.datetime.combine(day, dt.time(12), self.tz).utcoffset()
        seconds = randint(rng, 8 * 3600, 15 * 3600 - 1)
        moment = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) + dt.timedelta(seconds=seconds) - offset
        return min(moment, self.now)

    def _person(self, rng: random.Random, plan: DesaPlan, member: Member, household: SeedHousehold,
                provisional: set[str]) -> SeedPerson:
        birth = member.birth_date
        created, registered_on = household.created_at, household.registered_on
        if birth >= registered_on:
            # Born after the household was registered: the kader added the baby some weeks later.
            registered_on = min(birth + dt.timedelta(days=randint(rng, 7, 60)), self.today)
            created = self._at(registered_on, rng)
        person = SeedPerson(
            client_uuid=seeded_uuid(rng), created_at=created, registered_on=registered_on,
            full_name=names.person_name(rng, member.sex, birth.year), sex=member.sex, birth_date=birth,
            birth_date_estimated=member.birth_date_estimated, relationship=member.relationship,
            provisional_id=self._provisional_id(rng, plan.code, provisional),
        )
        member.name = person.full_name
        age = member.age
        if member.mother is not None:
            person.mother_name = member.mother.name
        elif age < 18 or rng.random() < 0.4:
            person.mother_name = names.woman_name(rng, birth.year - randint(rng, 20, 35))
        if rng.random() < _nik_share(birth, self.today):
            self._give_nik(rng, plan, person)
        if 17 <= age <= 70 and rng.random() < (0.7 if age < 60 else 0.35):
            person.phone = choice(rng, PHONE_PREFIXES) + f"{randint(rng, 10**7, 10**8 - 1)}"
        person.education_status, person.school_name = _schooling(rng, age, plan)
        if rng.random() < (0.008 if age < 18 else 0.015 if age < 60 else 0.07):
            person.disability_type = rng.choices(_DISABILITY_CODES, cum_weights=_DISABILITY_CUM)[0]
        return person

    def _provisional_id(self, rng: random.Random, desa: str, used: set[str]) -> str:
        while True:
            candidate = f"TMP-{desa}-{rng.getrandbits(32):08X}"
            if candidate not in used and candidate not in self.taken_provisional:
                used.add(candidate)
                return candidate

    def _give_nik(self, rng: random.Random, plan: DesaPlan, person: SeedPerson) -> None:
        card_date = person.birth_date
        deliberate = rng.random() < DELIBERATE_WARNING_SHARE
        if deliberate:
            card_date = _misremembered(rng, card_date)
        nik, person.nik_hash = self.nik_book.issue(_nik_prefix(plan.kecamatan_code, card_date, person.sex))
        person.nik_cipher = self.sealer.encrypt(nik)
        person.nik_last4 = nik[-4:]
        person.nik_status = "valid"
        if deliberate:
            check = check_nik(nik, sex=person.sex, birth_date=person.birth_date,
                              kecamatan_exists=self.known_kecamatan.__contains__, today=self.today)
            if check.warnings:
                person.nik_status = "unverified"
                person.nik_warnings = json.dumps(check.warning_codes)


def _nik_prefix(kecamatan6: str, birth: dt.date, sex: str) -> str:
    """The first 12 digits of a NIK: what :func:`simpul.lib.nik.nik_for` builds, without the serial."""
    day = birth.day + 40 if sex == "F" else birth.day
    return f"{kecamatan6}{day:02d}{birth.month:02d}{birth.year % 100:02d}"


def _misremembered(rng: random.Random, day: dt.date) -> dt.date:
    """The date on the card when the family told the kader another one: swapped, a year off, or a few days."""
    choice = rng.random()
    if choice < 0.4 and day.day <= 12 and day.day != day.month:
        return day.replace(month=day.day, day=day.month)
    if choice < 0.7:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:
            return day - dt.timedelta(days=365)
    return day - dt.timedelta(days=randint(rng, 3, 40))


def _nik_share(birth: dt.date, today: dt.date) -> float:
    """Who has a NIK: most adults, fewer children, few babies (about 85 % overall)."""
    months = age_in_months(birth, today)
    if months < 12:
        return 0.3
    if months < 60:
        return 0.6
    if months < 18 * 12:
        return 0.85
    if months < 60 * 12:
        return 0.9
    return 0.85


def _schooling(rng: random.Random, age: int, plan: DesaPlan) -> tuple[str, str]:
    desa, kecamatan, city = plan.name, plan.kecamatan_name, plan.city
    if age < 3:
        return "", ""
    if age < 7:
        if rng.random() < (0.35 if age < 5 else 0.75):
            return "paud", choice(rng, (f"TK Dharma Wanita {desa}", f"KB Tunas Bangsa {desa}", f"RA Al Hidayah {desa}"))
        return ("not_in_school", "") if age >= 5 else ("", "")
    if age < 13:
        if rng.random() < 0.98:
            return "sd", choice(rng, (f"SDN {desa} {randint(rng, 1, 3)}", f"MI Miftahul Ulum {desa}"))
        return "not_in_school", ""
    if age < 16:
        roll = rng.random()
        if roll < 0.92:
            return "smp", choice(rng, (f"SMPN {randint(rng, 1, 4)} {kecamatan}", f"MTs Al Islam {kecamatan}"))
        return ("kesetaraan", f"PKBM {kecamatan}") if roll < 0.95 else ("not_in_school", "")
    if age < 19:
        roll = rng.random()
        if roll < 0.75:
            return "sma", choice(rng, (f"SMAN {randint(rng, 1, 3)} {city}", f"SMKN {randint(rng, 1, 3)} {city}",
                                      f"MAN {randint(rng, 1, 2)} {city}"))
        return ("kesetaraan", f"PKBM {kecamatan}") if roll < 0.8 else ("not_in_school", "")
    return ("finished", "") if rng.random() < 0.85 else ("", "")
