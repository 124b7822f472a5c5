"""Household conditions: ``pu.air_minum`` and ``pu.air_limbah`` (rule ``household_condition``) and the housing
indicators ``pkp.korban_bencana`` and ``pkp.relokasi`` (rule ``house_restored``).

A household is judged by its ``HouseholdCondition`` observations. They are append-only, so the condition on a
day is the latest observation on or before it; an observation recorded later for a later day changes the
months from that day on, never the months before.

What these rules cannot know, and how they settle it:

- Households carry no location history (only people do, through ``Residence``): a household counts at its
  current posyandu, and only while its status — also current — is active. A household that moved out or was
  dissolved leaves every month of the year.
- ``pu.*``: a house nobody lives in is not a household to serve. A household is in the sasaran on a day only
  when at least one member lived in it (in these posyandu) that day, so a household moved here from another
  posyandu counts from the move, when its members' residence here starts.
- ``pkp.*``: the house had the condition (damaged by a disaster, to be relocated) on some day of the year —
  observed in the year, or observed before it and still the latest observation on 1 January — or a referral of
  the category was recorded in the year and not rejected. It is restored when, after the last of those
  signs, the house is observed livable or such a referral is resolved with the outcome that writes the house
  back (``house_livable``, ``relocated``; "handled" is action without a house, e.g. put on next year's list).
  Referral states are current (see ``simpul.spm.rules.referrals``).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict

from simpul.referrals.models import Referral
from simpul.referrals.states import State
from simpul.referrals.taxonomy import WriteBack
from simpul.referrals.writeback import OUTCOMES
from simpul.registry.models import Household, HouseholdCondition
from simpul.spm import catalogue
from simpul.spm.data import PosyanduData, Resident
from simpul.spm.engine import Missing, Rule, Unit, Verdict, register
from simpul.spm.rules.referrals import Ref, refs

# attribute → (values that meet the standard, the code of what is missing otherwise)
STANDARDS = {
    "water_source": (HouseholdCondition.SAFE_WATER, "unsafe_water"),
    "sanitation": (HouseholdCondition.PROPER_SANITATION, "no_sanitation"),
}
RESTORED_OUTCOMES = frozenset({OUTCOMES[WriteBack.HOUSE][0], OUTCOMES[WriteBack.RELOCATED][0]})
Series = tuple[list[dt.date], list[str]]  # observation days and values, oldest first


def active_households(data: PosyanduData) -> dict[int, int]:
    """{household id: posyandu id} of the active households of these posyandu."""
    return dict(Household.objects.filter(posyandu_id__any=data.posyandu_ids, status=Household.Status.ACTIVE)
                .values_list("pk", "posyandu_id"))


def observations(data: PosyanduData) -> dict[int, list[tuple[dt.date, str, str, str]]]:
    """Every observation (of any year, up to the end of this one) of those households, oldest first."""
    found: dict[int, list[tuple[dt.date, str, str, str]]] = defaultdict(list)
    rows = (HouseholdCondition.objects.filter(household_id__any=data.cached("spm_households", active_households),
                                              observed_on__lte=data.end)
            .order_by("household_id", "observed_on", "pk")
            .values_list("household_id", "observed_on", "house", "water_source", "sanitation"))
    for household_id, day, house, water, sanitation in rows:
        found[household_id].append((day, house, water, sanitation))
    return found


def _series_loader(column: int):
    def load(data: PosyanduData) -> dict[int, Series]:
        result: dict[int, Series] = {}
        for household_id, rows in data.cached("spm_household_observations", observations).items():
            kept = [(row[0], row[column]) for row in rows if row[column]]
            if kept:
                result[household_id] = ([day for day, _value in kept], [value for _day, value in kept])
        return result

    return load


_SERIES = {attribute: (f"spm_household_series:{attribute}", _series_loader(column))
           for column, attribute in enumerate(("house", "water_source", "sanitation"), start=1)}


def series(data: PosyanduData, attribute: str) -> dict[int, Series]:
    """{household id: (days, values)} of the observations that recorded ``attribute`` (an empty value is
    "not asked this time", not a change)."""
    return data.cached(*_SERIES[attribute])


def occupants(data: PosyanduData) -> dict[int, list[Resident]]:
    """{household id: residents who lived in it at some time in the year (or belong to it now)}."""
    found: dict[int, list[Resident]] = defaultdict(list)
    for resident in data.residents.values():
        for household_id in {stay.household_id for stay in resident.stays} | {resident.household_id}:
            if household_id is not None:
                found[household_id].append(resident)
    return found


def lives_in(data: PosyanduData, resident: Resident, household_id: int, household_posyandu: int,
             day: dt.date) -> bool:
    """The resident lived in this household on ``day``, by their residence history: their stay that day names
    it (or, naming none, their current household is it) and is at the household's own posyandu — so the answer
    does not depend on which posyandu are evaluated together."""
    if data.posyandu_of(resident, day) is None:
        return False
    for stay in resident.stays:
        if stay.start <= day and (stay.end is None or stay.end >= day):
            return ((stay.household_id or resident.household_id) == household_id
                    and stay.posyandu_id == household_posyandu)
    return False


@register
class ConditionMeetsStandard(Rule):
    name = "household_condition"

    def units(self, data):
        return [Unit("household", pk) for pk in data.cached("spm_households", active_households)]

    def verdict(self, data, unit, as_of):
        posyandu_id = data.cached("spm_households", active_households).get(unit.id)
        if posyandu_id is None:
            return None
        members = data.cached("spm_household_occupants", occupants).get(unit.id, ())
        if not any(lives_in(data, resident, unit.id, posyandu_id, as_of) for resident in members):
            return None
        attribute = self.params["attribute"]
        days, values = series(data, attribute).get(unit.id, ([], []))
        latest = bisect_right(days, as_of) - 1
        if latest < 0:
            return Verdict(posyandu_id, False, (Missing("survey"),), pending=True)
        meets, missing = STANDARDS[attribute]
        if values[latest] in meets:
            return Verdict(posyandu_id, True)
        return Verdict(posyandu_id, False, (Missing(missing, {"value": values[latest],
                                                              "observed_on": days[latest].isoformat()}),))


def _housing_categories() -> list[str]:
    return sorted({indicator.params["category"] for indicator in catalogue.COMPUTED
                   if indicator.rule == "house_restored"})


def housing_referrals(data: PosyanduData) -> dict[int, list[Ref]]:
    """{household id: referrals of the housing categories that were open at some time in the year}.

    By household, not by the referral's posyandu: the household counts where it is now.
    """
    found: dict[int, list[Ref]] = defaultdict(list)
    rows = (Referral.objects.filter(category__code__in=_housing_categories(), recorded_on__lte=data.end,
                                    household_id__any=data.cached("spm_households", active_households))
            .exclude(state=State.REJECTED).exclude(closed_on__lt=data.start))
    for ref in refs(rows):
        found[ref.household_id].append(ref)
    return found


@register
class HouseRestored(Rule):
    name = "house_restored"

    def _referrals(self, data: PosyanduData, household_id: int) -> list[Ref]:
        category = self.params["category"]
        return [ref for ref in data.cached("spm_housing_referrals", housing_referrals).get(household_id, ())
                if ref.category == category]

    def units(self, data):
        houses = series(data, "house")
        condition = self.params["from"]
        return [Unit("household", pk) for pk in data.cached("spm_households", active_households)
                if condition in houses.get(pk, ([], []))[1] or self._referrals(data, pk)]

    def verdict(self, data, unit, as_of):
        posyandu_id = data.cached("spm_households", active_households).get(unit.id)
        if posyandu_id is None:
            return None
        days, houses = series(data, "house").get(unit.id, ([], []))
        upto = bisect_right(days, as_of)
        # The observations that described the house on some day of the year: the one still standing on
        # 1 January (the latest on or before it), then every one up to ``as_of``.
        first = max(bisect_right(days, data.start) - 1, 0)
        signs = [days[k] for k in range(first, upto) if houses[k] == self.params["from"]]
        referrals = [ref for ref in self._referrals(data, unit.id) if ref.recorded_on <= as_of]
        if not signs and not any(ref.recorded_on >= data.start for ref in referrals):
            return None
        last_sign = max(signs + [ref.recorded_on for ref in referrals])
        livable = upto > 0 and houses[upto - 1] == HouseholdCondition.House.LIVABLE and days[upto - 1] >= last_sign
        if livable or any(ref.resolved_by(as_of, RESTORED_OUTCOMES) and ref.closed_on >= last_sign
                          for ref in referrals):
            return Verdict(posyandu_id, True)
        still_open = [ref for ref in referrals if ref.open_on(as_of)]
        if still_open:
            return Verdict(posyandu_id, False, tuple(Missing("referral_open", {"ticket": ref.ticket})
                                                     for ref in still_open))
        return Verdict(posyandu_id, False, (Missing("house_not_restored"),))
