"""Find which rules hold for which household of some posyandu today, set-based.

The records are loaded once per evaluation through :class:`simpul.spm.data.PosyanduData` (the residents, where
they live, by the residence history) and a few queries by id — the latest house condition per household, the
latest valid measurement per under-five, the latest screening per elder, the ongoing pregnancies with their
ANC visits, the household's social and disaster referrals — never the whole population. Each rule is then a
small pure function over one household's members and those maps, returning its facts or nothing.

A fact is ``{"code", "person", "value", "detail"}``: code, person and value say *what* holds and make the
fingerprint; detail says what was seen (the measured value, the date) and is shown, not hashed, so a new
monthly weighing of a child who is still stunted does not raise the alert again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import Q

from simpul.alerts import rules
from simpul.health.growth.classify import flag_for
from simpul.health.models import Measurement
from simpul.maternal.models import AncVisit, Pregnancy
from simpul.referrals.models import Referral
from simpul.referrals.states import State
from simpul.registry.models import Household, HouseholdCondition
from simpul.screening.models import Screening
from simpul.spm.data import PosyanduData, Resident, age_in_months, age_in_years

POOR_REFERRAL = "sos_jatuh_miskin"
DISASTER_REFERRAL = "trb_rawan_bencana"
# Facts that carry health detail of a named person: their values are shown only to health viewers.
HEALTH_FACTS = frozenset({"lhfa", "wflh", "adl_dependence", "kek", "hypertension"})


def fact(code: str, person: int | None = None, value=None, **detail) -> dict:
    return {"code": code, "person": person, "value": value, "detail": detail}


@dataclass(frozen=True)
class Found:
    household_id: int
    posyandu_id: int
    desa_id: str
    rule: str
    facts: tuple[dict, ...]


@dataclass(frozen=True)
class Home:
    id: int
    posyandu_id: int
    desa_id: str


@dataclass(frozen=True)
class Condition:
    observed_on: dt.date
    house: str
    aid_programmes: tuple[str, ...]
    dtsen_decile: int | None


class Snapshot:
    """The households of some posyandu as they stand today, with what the rules read, loaded once."""

    def __init__(self, posyandu_ids, today: dt.date, data: PosyanduData | None = None):
        self.today = today
        self.data = data or PosyanduData(posyandu_ids, today.year, today=today)

    @cached_property
    def homes(self) -> dict[int, Home]:
        rows = Household.objects.filter(posyandu_id__any=self.data.posyandu_ids, status=Household.Status.ACTIVE)
        return {pk: Home(pk, posyandu_id, desa_id) for pk, posyandu_id, desa_id in
                rows.values_list("pk", "posyandu_id", "desa_id")}

    @cached_property
    def members(self) -> dict[int, list[Resident]]:
        """Who lives in each household today (alive, born, living in one of these posyandu)."""
        members: dict[int, list[Resident]] = defaultdict(list)
        for resident in self.data.residents.values():
            if resident.household_id in self.homes and self.data.posyandu_of(resident, self.today) is not None:
                members[resident.household_id].append(resident)
        return members

    def _people(self, keep: Callable[[Resident], bool]) -> list[int]:
        return [r.id for people in self.members.values() for r in people if keep(r)]

    @cached_property
    def conditions(self) -> dict[int, Condition]:
        """The latest observation of each household on or before today (it carries the full picture)."""
        latest = {}
        rows = (HouseholdCondition.objects.filter(household_id__any=self.homes, observed_on__lte=self.today)
                .order_by("household_id", "observed_on", "pk")
                .values_list("household_id", "observed_on", "house", "aid_programmes", "dtsen_decile"))
        for household_id, observed_on, house, aid, decile in rows:
            latest[household_id] = Condition(observed_on, house or "", tuple(aid or ()), decile)
        return latest

    @cached_property
    def earners(self) -> dict[int, tuple[str, dt.date]]:
        """The latest *recorded* income-earner situation per household (blank means "not asked that day")."""
        latest = {}
        rows = (HouseholdCondition.objects.filter(household_id__any=self.homes, observed_on__lte=self.today)
                .exclude(earners="").order_by("household_id", "observed_on", "pk")
                .values_list("household_id", "earners", "observed_on"))
        for household_id, earners, observed_on in rows:
            latest[household_id] = (earners, observed_on)
        return latest

    @cached_property
    def referrals(self) -> dict[int, dict[str, list[str]]]:
        """Tickets of the poverty and disaster-prone referrals about each household (or one of its members)."""
        people = {r.id: hid for hid, residents in self.members.items() for r in residents}
        found: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        rows = (Referral.objects.filter(Q(household_id__any=self.homes) | Q(person_id__any=people),
                                        category__code__in=[POOR_REFERRAL, DISASTER_REFERRAL],
                                        recorded_on__lte=self.today)
                .exclude(state=State.REJECTED)
                .values_list("household_id", "person_id", "category__code", "ticket"))
        for household_id, person_id, category, ticket in rows:
            home = household_id if household_id in self.homes else people.get(person_id)
            if home is not None and ticket not in found[home][category]:
                found[home][category].append(ticket)
        return found

    @cached_property
    def growth(self) -> dict[int, dict[str, tuple[str, dt.date]]]:
        """Per under-five: the latest valid class of length-for-age and of weight-for-length, with its date.

        Valid: the current row (not superseded) with a class for that index and no implausible flag for it.
        """
        children = self._people(lambda r: age_in_months(r.birth_date, self.today) < 60)
        latest: dict[int, dict[str, tuple[str, dt.date]]] = defaultdict(dict)
        rows = (Measurement.objects.filter(person_id__any=children, superseded_by__isnull=True,
                                           measured_on__lte=self.today)
                .order_by("person_id", "measured_on", "created_at", "id")
                .values_list("person_id", "measured_on", "class_lhfa", "class_wflh", "flags"))
        for person_id, measured_on, lhfa, wflh, flags in rows:
            for index, code in (("lhfa", lhfa), ("wflh", wflh)):
                if code and flag_for(index) not in (flags or ()):
                    latest[person_id][index] = (code, measured_on)
        return latest

    @cached_property
    def adl(self) -> dict[int, tuple[str, int | None, dt.date]]:
        """Per person living alone: the ADL category of the latest current screening that scored it."""
        elders = [people[0].id for people in self.members.values() if len(people) == 1]
        latest = {}
        rows = (Screening.objects.filter(person_id__any=elders, superseded_by__isnull=True,
                                         screened_on__lte=self.today).exclude(adl_category="")
                .order_by("person_id", "screened_on", "created_at", "id")
                .values_list("person_id", "adl_category", "adl_score", "screened_on"))
        for person_id, category, score, screened_on in rows:
            latest[person_id] = (category, score, screened_on)
        return latest

    @cached_property
    def pregnancies(self) -> dict[int, dict]:
        """Per woman with an ongoing pregnancy: its id, the latest LiLA and the latest blood pressure."""
        women = self._people(lambda r: r.sex == "F")
        found = {pk: {"pregnancy": pk_preg, "lila": None, "bp": None} for pk_preg, pk in
                 Pregnancy.objects.filter(person_id__any=women, status=Pregnancy.Status.ONGOING)
                 .values_list("pk", "person_id")}
        by_pregnancy = {entry["pregnancy"]: entry for entry in found.values()}
        rows = (AncVisit.objects.filter(pregnancy_id__any=by_pregnancy, superseded_by__isnull=True,
                                        visited_on__lte=self.today)
                .order_by("pregnancy_id", "visited_on", "created_at", "id")
                .values_list("pregnancy_id", "visited_on", "muac_cm", "systolic", "diastolic"))
        for pregnancy_id, visited_on, muac, systolic, diastolic in rows:
            entry = by_pregnancy[pregnancy_id]
            if muac is not None:
                entry["lila"] = (Decimal(str(muac)), visited_on)
            if systolic is not None and diastolic is not None:
                entry["bp"] = (systolic, diastolic, visited_on)
        return found


# --- The rules: (snapshot, household id, members today, params) -> facts, or None when it does not hold ---


def newly_poor_school_child(snap: Snapshot, home: int, members: list[Resident], params: dict):
    poor = []
    condition = snap.conditions.get(home)
    if condition and condition.dtsen_decile is not None and condition.dtsen_decile <= params["max_decile"]:
        poor.append(fact("dtsen_decile", value=condition.dtsen_decile, observed_on=condition.observed_on.isoformat()))
    for ticket in snap.referrals.get(home, {}).get(POOR_REFERRAL, ()):
        poor.append(fact("referral_poor", value=ticket))
    children = [fact("school_age_child", r.id) for r in members
                if params["min_age"] <= age_in_years(r.birth_date, snap.today) <= params["max_age"]]
    return [*poor, *children] if poor and children else None


def malnourished_child_no_aid(snap: Snapshot, home: int, members: list[Resident], params: dict):
    condition = snap.conditions.get(home)
    # An unsurveyed household is not "without aid": nobody asked. The kader's survey task covers it.
    if condition is None or condition.aid_programmes:
        return None
    children = []
    for r in members:
        if age_in_months(r.birth_date, snap.today) >= params["max_months"]:
            continue
        for index in ("lhfa", "wflh"):
            code, measured_on = snap.growth.get(r.id, {}).get(index, ("", None))
            if code in params[index]:
                children.append(fact(index, r.id, code, measured_on=measured_on.isoformat()))
    if not children:
        return None
    return [fact("no_social_aid", observed_on=condition.observed_on.isoformat()), *children]


def elder_alone_dependent(snap: Snapshot, home: int, members: list[Resident], params: dict):
    if len(members) != 1:
        return None
    elder = members[0]
    if age_in_years(elder.birth_date, snap.today) < params["min_age"]:
        return None
    category, score, screened_on = snap.adl.get(elder.id, ("", None, None))
    if category not in params["adl"]:
        return None
    return [fact("lives_alone", elder.id),
            fact("adl_dependence", elder.id, category, adl_score=score, screened_on=screened_on.isoformat())]


def pregnant_at_risk(snap: Snapshot, home: int, members: list[Resident], params: dict):
    below = Decimal(str(params["lila_below_cm"]))
    facts = []
    for r in members:
        entry = snap.pregnancies.get(r.id)
        if entry is None:
            continue
        if entry["lila"] is not None and entry["lila"][0] < below:
            lila, visited_on = entry["lila"]
            facts.append(fact("kek", r.id, entry["pregnancy"], lila_cm=str(lila), visited_on=visited_on.isoformat()))
        if entry["bp"] is not None:
            systolic, diastolic, visited_on = entry["bp"]
            if systolic >= params["systolic"] or diastolic >= params["diastolic"]:
                facts.append(fact("hypertension", r.id, entry["pregnancy"], systolic=systolic, diastolic=diastolic,
                                  visited_on=visited_on.isoformat()))
    return facts or None


def rtlh_baby(snap: Snapshot, home: int, members: list[Resident], params: dict):
    condition = snap.conditions.get(home)
    if condition is None or condition.house != HouseholdCondition.House.UNFIT:
        return None
    babies = [fact("baby", r.id) for r in members if age_in_months(r.birth_date, snap.today) < params["max_months"]]
    if not babies:
        return None
    return [fact("house_rtlh", observed_on=condition.observed_on.isoformat()), *babies]


def disaster_prone_disabled(snap: Snapshot, home: int, members: list[Resident], params: dict):
    tickets = snap.referrals.get(home, {}).get(DISASTER_REFERRAL, ())
    disabled = [fact("disability", r.id, r.disability_type) for r in members if r.disability_type]
    if not tickets or not disabled:
        return None
    return [*(fact("disaster_prone", value=ticket) for ticket in tickets), *disabled]


def only_earner_unable(snap: Snapshot, home: int, members: list[Resident], params: dict):
    situation, observed_on = snap.earners.get(home, ("", None))
    if situation not in params["situations"]:
        return None
    return [fact("earner_situation", value=situation, observed_on=observed_on.isoformat())]


CHECKS: dict[str, Callable[[Snapshot, int, list[Resident], dict], list[dict] | None]] = {
    "newly_poor_school_child": newly_poor_school_child,
    "malnourished_child_no_aid": malnourished_child_no_aid,
    "elder_alone_dependent": elder_alone_dependent,
    "pregnant_at_risk": pregnant_at_risk,
    "rtlh_baby": rtlh_baby,
    "disaster_prone_disabled": disaster_prone_disabled,
    "only_earner_unable": only_earner_unable,
}
assert set(CHECKS) == set(rules.BY_CODE), "every rule needs a check and every check a rule"

# (rule code, kab/kota code) -> the parameters to use, or None when the rule is switched off there.
Settings = Callable[[str, str], dict | None]


def find(snap: Snapshot, settings: Settings) -> list[Found]:
    found = []
    for home_id, members in snap.members.items():
        home = snap.homes[home_id]
        for rule in rules.RULES:
            params = settings(rule.code, home.desa_id[:4])
            if params is None:
                continue
            facts = CHECKS[rule.code](snap, home_id, members, params)
            if facts:
                found.append(Found(home_id, home.posyandu_id, home.desa_id, rule.code, tuple(facts)))
    return found
