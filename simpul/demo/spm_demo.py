"""A year of SPM records for the whole demo city, so every computed indicator has something to count.

The demo kader's posyandu get their records through the real services (``health_history`` and the ILP and
referral demos); every posyandu of the city then gets the rest of a year written in bulk, each app's part in
its own demo module: weighings, heights, vitamin A and immunisations (``health_history``, ``serviceday``),
births with their antenatal visits (``maternal``), adult and elderly screening with the monthly follow-up of
those found with high blood pressure or glucose (``screening``), social and public-order referrals
(``referrals``), and here the registry side: residences that cover the whole year, education status, the
house/water/toilet survey, damaged and relocated houses, and the household facts the early-warning rules look
for.

How well an area serves is planned, not left to chance: most posyandu serve about 95 % of their people, a few
(two whole kelurahan and one posyandu in ten, kader.miji's among them) about 75 %, so the city lands between
80 and 100 % with areas visibly behind. Who is left unserved is spread by :class:`Quota` (error diffusion),
so even the small indicators (a dozen pregnancies at the test size) stay in their band. Every choice is
drawn from the seed and the seeded people's stable UUIDs, never from database ids, so a seed gives the same
city on SQLite and PostgreSQL.

Bulk writes skip the SPM signals; ``demo_load`` rebuilds the counters at the end.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import OuterRef, Subquery

from simpul.demo.accounts import MIJI, first_posyandu
from simpul.demo.seeding import seeder_user
from simpul.posyandu.models import Posyandu
from simpul.registry.models import Household, HouseholdCondition, Person, Residence
from simpul.spm.data import age_in_months, age_in_years

NORMAL = 0.95  # share of its people a posyandu serves to standard
BEHIND = 0.74  # ... in the areas behind: visibly lower on the dashboard
BEHIND_DESA = 2  # whole kelurahan behind
BEHIND_POSYANDU_SHARE = 0.1  # and one posyandu in ten elsewhere

PERSON_FIELDS = ("pk", "client_uuid", "full_name", "sex", "birth_date", "posyandu_id", "desa_id", "household_id",
                 "relationship", "mother_name", "education_status", "school_name", "disability_type", "life_status",
                 "life_status_date", "duplicate_of_id")


class Quota:
    """Serve units in turn so that the unserved share follows each unit's level exactly, not by luck.

    Each unit adds its shortfall (1 − level) to a running debt; when the debt reaches one half the unit is
    left unserved and the debt drops by one. Eight units at 0.95 and two at 0.74 leave one unserved.
    """

    def __init__(self):
        self.debt = 0.0

    def served(self, level: float) -> bool:
        self.debt += 1 - level
        if self.debt >= 0.5:
            self.debt -= 1
            return False
        return True


@dataclass
class City:
    """The demo city as the year generators see it: its posyandu, their level, its people, the seed."""

    region: str
    seed: int
    today: dt.date
    levels: dict[int, float]  # posyandu id -> share served
    order: dict[int, tuple[str, str]]  # posyandu id -> (desa code, name): a stable order
    behind_desa: tuple[str, ...]
    miji_posyandu: int | None
    quotas: dict[str, Quota] = field(default_factory=lambda: defaultdict(Quota))

    @property
    def year(self) -> int:
        return self.today.year

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    def rng(self, *key) -> random.Random:
        return random.Random(":".join(str(part) for part in (self.seed, *key)))

    def served(self, indicator: str, posyandu_id: int) -> bool:
        return self.quotas[indicator].served(self.levels.get(posyandu_id, NORMAL))

    @cached_property
    def recorder(self):
        """Bulk rows are written by the seeder (``simpul.seeder``), like the seeded residents."""
        return seeder_user()

    @cached_property
    def people(self) -> list[Person]:
        """Living residents of the city in a stable order: posyandu (desa, name), then UUID."""
        rows = list(Person.objects.filter(desa__code__startswith=self.region, duplicate_of__isnull=True,
                                          life_status=Person.LifeStatus.ALIVE).only(*PERSON_FIELDS))
        return sorted(rows, key=lambda p: (self.order.get(p.posyandu_id, ("", "")), str(p.client_uuid)))

    @cached_property
    def households(self) -> list[Household]:
        rows = list(Household.objects.filter(desa__code__startswith=self.region, status=Household.Status.ACTIVE)
                    .only("pk", "client_uuid", "posyandu_id", "desa_id", "rt", "rw"))
        return sorted(rows, key=lambda h: (self.order.get(h.posyandu_id, ("", "")), str(h.client_uuid)))

    @cached_property
    def members(self) -> dict[int, list[Person]]:
        found: dict[int, list[Person]] = defaultdict(list)
        for person in self.people:
            if person.household_id is not None:
                found[person.household_id].append(person)
        return found

    def weighing_day(self, month: int) -> dt.date:
        """The posyandu day of a month: the 10th (or today, in the running month before the 10th)."""
        return min(dt.date(self.year, month, 10), self.today)


def city_plan(*, region: str, seed: int, today: dt.date) -> City:
    """Which posyandu are behind: two kelurahan, one posyandu in ten elsewhere, and kader.miji's own."""
    posyandu = sorted(Posyandu.objects.filter(desa__code__startswith=region).values_list("pk", "desa_id", "name"),
                      key=lambda row: (row[1], row[2], row[0]))
    order = {pk: (desa, name) for pk, desa, name in posyandu}
    rng = random.Random(f"{seed}:behind")
    desa_codes = sorted({desa for _pk, desa, _name in posyandu} - {MIJI})
    behind_desa = tuple(sorted(rng.sample(desa_codes, min(BEHIND_DESA, len(desa_codes)))))
    miji = first_posyandu(MIJI)
    levels = {}
    for pk, desa, _name in posyandu:
        behind = desa in behind_desa or rng.random() < BEHIND_POSYANDU_SHARE or (miji is not None and pk == miji.pk)
        levels[pk] = BEHIND if behind else NORMAL
    return City(region=region, seed=seed, today=today, levels=levels, order=order, behind_desa=behind_desa,
                miji_posyandu=miji.pk if miji else None)


# --- Residences ---------------------------------------------------------------------------------------


def residences_cover_year(city: City) -> int:
    """Start the residents' first residence before this year (or at birth), so they count all year.

    The seed registers households 1–18 months back and starts each residence on the registration day; the
    demo city is meant to have been on Simpul since last year. Only first residences (reason "registered")
    are moved; returns how many.
    """
    cut = dt.date(city.year - 1, 12, 1)
    rows = Residence.objects.filter(desa__code__startswith=city.region, reason="registered", end_date__isnull=True,
                                    start_date__gt=cut)
    born_before = rows.filter(person__birth_date__lte=cut).update(start_date=cut)
    birth = Person.objects.filter(pk=OuterRef("person_id")).values("birth_date")[:1]
    born_after = (Residence.objects.filter(pk__in=list(rows.filter(person__birth_date__gt=cut).values_list("pk", flat=True)))
                  .update(start_date=Subquery(birth)))
    return born_before + born_after


# --- Education ----------------------------------------------------------------------------------------

OUT_OF_SCHOOL_SHARE = {NORMAL: 0.06, BEHIND: 0.12}  # of 7–18 year olds, out of regular school
UNKNOWN_SHARE = {NORMAL: 0.02, BEHIND: 0.1}  # of 7–15 year olds in school, status not yet asked


def education_year(city: City) -> int:
    """Education status of the 5–18 year olds as a kader survey would find it; returns people changed.

    5–6: in PAUD or already in SD, or not yet (``dik.paud``); 7–18: most in school for their age, some out of
    regular school — most of whom follow a Paket A/B/C (``dik.kesetaraan``) — and, for some 7–15 year olds,
    nothing recorded yet (unserved in ``dik.dasar`` until the kader asks).
    """
    changed = []
    names = dict(Posyandu.objects.filter(pk__in=city.levels).values_list("pk", "desa__name"))
    for person in city.people:
        age = age_in_years(person.birth_date, city.today)
        if not 5 <= age <= 18:
            continue
        level = city.levels.get(person.posyandu_id, NORMAL)
        rng = city.rng("education", person.client_uuid)
        desa = names.get(person.posyandu_id, "")
        if age <= 6:
            status = ("paud" if age == 5 or rng.random() < 0.7 else "sd") if city.served("dik.paud", person.posyandu_id) \
                else rng.choice(["not_in_school", ""])
        elif rng.random() < OUT_OF_SCHOOL_SHARE[level]:
            status = "kesetaraan" if city.served("dik.kesetaraan", person.posyandu_id) else "not_in_school"
        elif age <= 15 and rng.random() < UNKNOWN_SHARE[level]:
            status = ""
        else:
            status = "sd" if age <= 12 else "smp" if age <= 15 else "sma"
        if status == person.education_status:
            continue
        person.education_status = status
        person.school_name = _school(status, desa, rng)
        changed.append(person)
    Person.objects.bulk_update(changed, ["education_status", "school_name"], batch_size=500)
    return len(changed)


def _school(status: str, desa: str, rng: random.Random) -> str:
    return {
        "paud": f"TK Dharma Wanita {desa}", "sd": f"SDN {desa} {rng.randint(1, 3)}",
        "smp": f"SMPN {rng.randint(1, 9)} Mojokerto", "sma": f"SMAN {rng.randint(1, 3)} Mojokerto",
        "kesetaraan": "PKBM Kota Mojokerto",
    }.get(status, "")


# --- Households: house, water, toilet, aid ------------------------------------------------------------

SAFE = ["perpipaan"] * 6 + ["sumur_bor"] * 3 + ["sumur_terlindung", "kemasan"]
UNSAFE = ["sumur_tak_terlindung", "mata_air_tak_terlindung", "air_permukaan"]
PROPER = ["sendiri_septik"] * 8 + ["bersama_septik"] * 2
IMPROPER = ["sendiri_tanpa_septik", "tidak_ada"]
UNSURVEYED = {NORMAL: 0.03, BEHIND: 0.1}  # households the kader has not surveyed yet: pending
RTLH_SHARE = 0.03
AID_SHARE = 0.22
DAMAGED_SHARE = 0.012  # houses damaged by the February flood
RELOCATION_SHARE = 0.006  # houses on the river bank, to be relocated


@dataclass
class Survey:
    conditions: int = 0
    pending: int = 0
    damaged: int = 0
    relocated: int = 0


def survey_year(city: City) -> Survey:
    """A kader survey of every household not yet surveyed; some damaged or to be relocated this year.

    Most were surveyed last autumn, so they count from January; a few are still unsurveyed (pending beside
    the denominator). Houses damaged by the February flood or on the relocation list show a second
    observation, and most of them (by the quota) a third: the house livable again.
    """
    done = set(HouseholdCondition.objects.filter(household__desa__code__startswith=city.region)
               .values_list("household_id", flat=True))
    rows, survey = [], Survey()
    for household in city.households:
        if household.pk in done or not city.members.get(household.pk):
            continue
        rng = city.rng("survey", household.client_uuid)
        level = city.levels.get(household.posyandu_id, NORMAL)
        if rng.random() < UNSURVEYED[level]:
            survey.pending += 1
            continue
        first = dt.date(city.year - 1, 9, 1) + dt.timedelta(days=rng.randint(0, 120))
        picture = {
            "house": "rtlh" if rng.random() < RTLH_SHARE else "layak",
            "water_source": rng.choice(SAFE if city.served("pu.air_minum", household.posyandu_id) else UNSAFE),
            "sanitation": rng.choice(PROPER if city.served("pu.air_limbah", household.posyandu_id) else IMPROPER),
            "aid_programmes": rng.sample(["pkh", "bpnt", "pbi_jkn"], rng.randint(1, 2)) if rng.random() < AID_SHARE
            else [],
            "dtsen_decile": rng.randint(5, 9) if rng.random() < 0.05 else None,
        }
        rows.append(_condition(city, household, first, picture))
        roll = rng.random()
        for kind, share, label in (("rusak_bencana", DAMAGED_SHARE, "pkp.korban_bencana"),
                                   ("relokasi", RELOCATION_SHARE, "pkp.relokasi")):
            if roll >= share:
                roll -= share
                continue
            hit = dt.date(city.year, 2, 20) if kind == "rusak_bencana" else dt.date(city.year, 3, 5)
            rows.append(_condition(city, household, hit, {**picture, "house": kind},
                                   note="Banjir Februari: rumah rusak." if kind == "rusak_bencana"
                                   else "Rumah di sempadan sungai: masuk daftar relokasi."))
            if city.served(label, household.posyandu_id):
                fixed = min(hit + dt.timedelta(days=rng.randint(60, 180)), city.today)
                rows.append(_condition(city, household, fixed, {**picture, "house": "layak"},
                                       note="Rumah sudah layak huni kembali."))
            setattr(survey, "damaged" if kind == "rusak_bencana" else "relocated",
                    getattr(survey, "damaged" if kind == "rusak_bencana" else "relocated") + 1)
            break
    HouseholdCondition.objects.bulk_create(rows, batch_size=1000)
    survey.conditions = len(rows)
    return survey


def _condition(city: City, household: Household, day: dt.date, picture: dict, note: str = "") -> HouseholdCondition:
    return HouseholdCondition(household_id=household.pk, observed_on=day, note=note, recorded_by=city.recorder,
                              **picture)


def ensure_restorations(city: City, *, minimum: int = 5) -> int:
    """At least ``minimum`` damaged and relocated houses in the city, whatever the city's size (the test size
    has under 600 households): the first surveyed households without one get it. Returns rows added."""
    added = 0
    for kind, day in (("rusak_bencana", dt.date(city.year, 2, 20)), ("relokasi", dt.date(city.year, 3, 5))):
        have = set(HouseholdCondition.objects.filter(household__desa__code__startswith=city.region, house=kind)
                   .values_list("household_id", flat=True))
        latest = _latest_conditions(city)
        candidates = [h for h in city.households if h.pk in latest and h.pk not in have
                      and latest[h.pk].house == "layak" and latest[h.pk].observed_on < day]
        rows = []
        for household in candidates[: max(0, minimum - len(have))]:
            picture = _picture(latest[household.pk])
            rows.append(_condition(city, household, day, {**picture, "house": kind}, note="Masuk daftar penanganan."))
            # Handled by the programme (no quota): a small city's few cases are then not all left behind.
            rows.append(_condition(city, household, min(day + dt.timedelta(days=120), city.today),
                                   {**picture, "house": "layak"}, note="Rumah sudah layak huni kembali."))
        HouseholdCondition.objects.bulk_create(rows)
        added += len(rows)
    return added


def _latest_conditions(city: City) -> dict[int, HouseholdCondition]:
    latest = {}
    for row in (HouseholdCondition.objects.filter(household__desa__code__startswith=city.region,
                                                  observed_on__lte=city.today)
                .order_by("household_id", "observed_on", "pk")):
        latest[row.household_id] = row
    return latest


def _picture(row: HouseholdCondition) -> dict:
    return {"house": row.house, "water_source": row.water_source, "sanitation": row.sanitation,
            "aid_programmes": list(row.aid_programmes or []), "dtsen_decile": row.dtsen_decile}


# --- Early-warning facts --------------------------------------------------------------------------------


def warning_facts(city: City) -> list[str]:
    """Make sure the alerts app has each household pattern to find, near kader.miji where the city allows.

    A poor family (DTSEN decile 3) with a 7–15 year old, a stunted under-five whose family gets no aid, an
    unfit house (RTLH) with a baby, and an elder living alone who needs help (the screening demo scores the
    Barthel index). Each is a new survey observation carrying the household's full picture, as a kader's
    would. Returns what was set, for the command's output.
    """
    from simpul.health.models import Measurement

    latest = _latest_conditions(city)
    by_posyandu = sorted(city.households, key=lambda h: h.posyandu_id != city.miji_posyandu)  # hers first
    today = city.today
    done, rows = [], []

    def observe(household, note, **change):
        base = _picture(latest[household.pk]) if household.pk in latest else {
            "house": "layak", "water_source": "perpipaan", "sanitation": "sendiri_septik", "aid_programmes": [],
            "dtsen_decile": None}
        # A week ago, or the day of the household's latest survey if that is later (the referrals demo surveys
        # kader.miji's households today): the pattern must be the latest picture, or no rule sees it.
        week_ago = today - dt.timedelta(days=7)
        day = max(week_ago, latest[household.pk].observed_on) if household.pk in latest else week_ago
        row = _condition(city, household, day, {**base, **change}, note=note)
        rows.append(row)
        latest[household.pk] = row

    taken: set[int] = set()
    for household in by_posyandu:
        members = city.members.get(household.pk, [])
        if any(7 <= age_in_years(m.birth_date, today) <= 15 for m in members):
            observe(household, "Kepala keluarga kena PHK; masuk DTSEN desil 3.", dtsen_decile=3)
            taken.add(household.pk)
            done.append("poor family with a school-age child")
            break
    stunted = set(Measurement.objects.filter(person__desa__code__startswith=city.region, superseded_by__isnull=True,
                                             class_lhfa__in=["stunted", "severely_stunted"])
                  .values_list("person__household_id", flat=True))
    for household in by_posyandu:
        if household.pk in stunted and household.pk not in taken:
            observe(household, "Belum menerima bantuan sosial apa pun.", aid_programmes=[])
            taken.add(household.pk)
            done.append("stunted child in a family without aid")
            break
    for household in by_posyandu:
        members = city.members.get(household.pk, [])
        if household.pk not in taken and any(age_in_months(m.birth_date, today) < 12 for m in members):
            observe(household, "Atap bocor, dinding bambu lapuk, lantai tanah.", house="rtlh")
            taken.add(household.pk)
            done.append("unfit house with a baby")
            break
    HouseholdCondition.objects.bulk_create(rows)
    return done


def elder_living_alone(city: City) -> Person | None:
    """An elder who is the only member of their household, near kader.miji first (for the screening demo)."""
    for household in sorted(city.households, key=lambda h: h.posyandu_id != city.miji_posyandu):
        members = city.members.get(household.pk, [])
        if len(members) == 1 and age_in_years(members[0].birth_date, city.today) >= 60:
            return members[0]
    return None


# --- kader.miji's under-fives ---------------------------------------------------------------------------

MIJI_UNDER_FIVES = 3
BABY_AGES_DAYS = (45, 230, 520)  # a new baby, one due her August capsule, a toddler


def miji_babies(city: City, *, now: dt.datetime) -> int:
    """Register babies in kader.miji's posyandu until it has a few under-fives (a small posyandu at the test
    size may have none): through the registry service, as kader.miji, some weeks after each birth."""
    from django.contrib.auth import get_user_model

    from simpul.accounts.scope import scope_for
    from simpul.demo import names
    from simpul.registry.services.people import PersonInput, person_register

    if city.miji_posyandu is None:
        return 0
    young = dt.date(city.today.year - 5, city.today.month, 1)
    have = Person.objects.filter(posyandu_id=city.miji_posyandu, birth_date__gt=young,
                                 life_status=Person.LifeStatus.ALIVE).count()
    kader = get_user_model().objects.filter(username="kader.miji").first()
    if kader is None or have >= MIJI_UNDER_FIVES:
        return 0
    scope = scope_for(kader)
    people = list(Person.objects.filter(posyandu_id=city.miji_posyandu, life_status=Person.LifeStatus.ALIVE,
                                        household__isnull=False).order_by("client_uuid"))
    # Mothers of childbearing age (WUS, 15–49) first, one home each. A small posyandu may have none on some day
    # of the year (its one candidate just had a birthday), and the demo still needs kader.miji's under-fives:
    # then the other households, the babies registered as grandchildren. One baby per home while there are
    # homes enough, so the early-warning patterns (a baby in an unfit house) find a household of their own.
    homes: dict[int, Person | None] = {}
    for person in people:
        if person.sex == "F" and 15 <= age_in_years(person.birth_date, city.today) <= 49:
            homes.setdefault(person.household_id, person)
    for person in people:
        homes.setdefault(person.household_id, None)
    if not homes:
        return 0
    households = {h.pk: h for h in Household.objects.filter(pk__in=homes)}
    order = list(homes)
    rng = city.rng("miji-babies")
    made = 0
    for index, days in enumerate(BABY_AGES_DAYS[: MIJI_UNDER_FIVES - have]):
        home = order[index % len(order)]
        mother = homes[home]
        birth = city.today - dt.timedelta(days=days)
        sex = rng.choice("MF")
        person_register(actor=kader, scope=scope, household=households[home], now=now - dt.timedelta(days=days - 14),
                        data=PersonInput(full_name=names.person_name(rng, sex, birth.year), sex=sex, birth_date=birth,
                                         relationship=Person.Relationship.CHILD if mother else
                                         Person.Relationship.GRANDCHILD,
                                         mother_name=mother.full_name if mother else ""))
        made += 1
    return made


# --- The whole year --------------------------------------------------------------------------------------


@dataclass
class YearResult:
    children: int = 0
    measurements: int = 0
    doses: int = 0
    capsules: int = 0
    pregnancies: int = 0
    anc_visits: int = 0
    screenings: int = 0
    conditions: int = 0
    pending: int = 0
    referrals: int = 0
    external: int = 0  # figures entered for indicators whose data lives in another system
    facts: list[str] = field(default_factory=list)


def prepare(*, region: str, seed: int, today: dt.date, now: dt.datetime) -> City:
    """Before the demo kader's records: babies for kader.miji, residences over the whole year, schooling."""
    city = city_plan(region=region, seed=seed, today=today)
    miji_babies(city, now=now)
    residences_cover_year(city)
    education_year(city)
    return city


def seed_year(city: City) -> YearResult | None:
    """After the demo kader's records: the rest of the city's year, in bulk. Once: None when already there."""
    from simpul.demo import health_history
    from simpul.health.models import Measurement
    from simpul.maternal import demo as maternal_demo
    from simpul.referrals import demo as referrals_demo
    from simpul.screening import demo as screening_demo
    from simpul.serviceday import demo as serviceday_demo

    if Measurement.objects.filter(recorded_by=city.recorder, desa__code__startswith=city.region).exists():
        return None
    result = YearResult()
    children = health_history.year_of_children(city)
    result.children, result.measurements, result.doses = children.children, children.measurements, children.doses
    result.capsules = serviceday_demo.vitamin_a_days(city, children.vitamin_a)
    result.pregnancies, result.anc_visits = maternal_demo.year_of_births(city)
    survey = survey_year(city)
    result.conditions, result.pending = survey.conditions + ensure_restorations(city), survey.pending
    result.screenings = screening_demo.year_of_screenings(city, dependent_elder=elder_living_alone(city)).screenings
    result.facts = warning_facts(city)
    result.referrals = referrals_demo.spm_referrals(today=city.today, seed=city.seed)
    result.external = external_figures(city)
    return result


# Indicators whose numbers live in another system: a plausible year-to-date figure per kecamatan, labelled
# as an example of what the Dinkes or BPBD would enter (the dashboard shows the source).
EXTERNAL_PER_10K = {  # target population per 10,000 residents in a year, share served
    "kes.ibu_bersalin": (150, 0.93, "Laporan KIA Dinkes (contoh demo)"),
    "kes.bayi_baru_lahir": (148, 0.91, "Laporan KIA Dinkes (contoh demo)"),
    "kes.usia_pendidikan_dasar": (1600, 0.88, "Laporan UKS Puskesmas (contoh demo)"),
    "kes.odgj_berat": (15, 0.86, "Laporan Keswa Dinkes (contoh demo)"),
    "kes.tb": (60, 0.84, "SITB (contoh demo)"),
    "kes.hiv": (120, 0.82, "SIHA (contoh demo)"),
    "trantib.info_rawan_bencana": (900, 0.9, "Laporan BPBD (contoh demo)"),
    "trantib.kesiapsiagaan": (900, 0.85, "Laporan BPBD (contoh demo)"),
}


def external_figures(city: City) -> int:
    """Year-to-date figures of the current month for every kecamatan of the city; returns rows written."""
    from django.db.models import Count

    from simpul.spm.models import ExternalFigure

    rng = random.Random(f"{city.seed}:external")
    residents = dict(Person.objects.filter(desa__code__startswith=city.region, life_status="alive")
                     .values("desa__parent_id").annotate(n=Count("pk")).values_list("desa__parent_id", "n"))
    share_of_year = city.today.month / 12
    rows = []
    for kecamatan, people in sorted(residents.items()):
        for code, (per_10k, served, source) in EXTERNAL_PER_10K.items():
            denominator = max(1, round(people * per_10k / 10_000 * share_of_year))
            numerator = min(denominator, round(denominator * (served + rng.uniform(-0.04, 0.04))))
            rows.append(ExternalFigure(region_id=kecamatan, indicator=code, year=city.today.year,
                                       month=city.today.month, denominator=denominator, numerator=numerator,
                                       source=source))
    ExternalFigure.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
