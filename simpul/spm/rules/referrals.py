"""Served when the referral was resolved: the five ``sos.*`` indicators and ``trantib.ketertiban``,
``trantib.evakuasi_bencana`` and ``trantib.kebakaran`` (rule ``referral_resolved``).

The sasaran of these indicators is who (or what) the posyandu found and referred in the year: a referral of
one of the indicator's categories, recorded from 1 January up to the day judged, that the village or the
agency did not reject as unfounded. A referral about a person is counted as that person, once per indicator
however often they were referred (served when any of their referrals was resolved); any other referral (a
fire, a disaster, a disturbance, a household) is counted as the report itself.

What this rule reads, and what it cannot know:

- The referral's state is current (the ``Transition`` rows hold the history, but counting them per month is
  not worth it here): a rejected referral is out of every month of the year, a reopened one is not served in
  any month; only ``closed_on`` dates the resolution, so a month before it shows the referral open.
- Referrals that name no posyandu (possible for needs recorded outside a posyandu) are not counted anywhere:
  an indicator per posyandu cannot place them.
- ``Missing.detail`` carries the ticket only: never the description, the reporter or the citizen who brought
  the need (a confidential category is not in these indicators, but a referral marked confidential by the
  kader can be).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from simpul.referrals.models import Category, Referral
from simpul.referrals.states import State
from simpul.referrals.writeback import HANDLED, OUTCOMES
from simpul.spm import catalogue
from simpul.spm.data import PosyanduData
from simpul.spm.engine import Missing, Rule, Unit, Verdict, register

# Outcomes that mean the agency acted on the need: its category's write-back (service delivered) or "handled".
SERVED_OUTCOMES = frozenset({HANDLED, *(code for code, _label in OUTCOMES.values())})
# Categories whose referral counts as the person it names (when it names one).
PERSON_SUBJECTS = frozenset({Category.Subject.PERSON, Category.Subject.EITHER})


@dataclass(frozen=True)
class Ref:
    """The few columns of a referral a rule needs (no description, no reporter)."""

    id: int
    ticket: str
    category: str
    subject: str
    posyandu_id: int | None
    person_id: int | None
    household_id: int | None
    state: str
    recorded_on: dt.date
    closed_on: dt.date | None
    outcome: str

    def resolved_by(self, day: dt.date, outcomes=SERVED_OUTCOMES) -> bool:
        """Resolved on or before ``day`` with one of ``outcomes``."""
        return (self.state == State.RESOLVED and self.closed_on is not None and self.closed_on <= day
                and self.outcome in outcomes)

    def open_on(self, day: dt.date) -> bool:
        """Recorded and not yet closed on ``day`` (a reopened referral is open again)."""
        return self.recorded_on <= day and (self.state not in (State.RESOLVED, State.REJECTED)
                                            or self.closed_on is None or self.closed_on > day)


FIELDS = ("pk", "ticket", "category__code", "category__subject", "posyandu_id", "person_id", "household_id",
          "state", "recorded_on", "closed_on", "outcome")


def refs(queryset) -> list[Ref]:
    return [Ref(*row) for row in queryset.order_by("recorded_on", "pk").values_list(*FIELDS)]


def _resolved_categories() -> list[str]:
    return sorted({code for indicator in catalogue.COMPUTED if indicator.rule == "referral_resolved"
                   for code in indicator.params["categories"]})


def referrals_of_year(data: PosyanduData) -> list[Ref]:
    """Referrals of the ``referral_resolved`` categories recorded in the year, not rejected, that count here.

    Those recorded in these posyandu, and the other referrals of the same people (in any posyandu), so a person
    referred in two posyandu is counted once — where their latest referral was — whichever posyandu are being
    evaluated together.
    """
    year = (Referral.objects.filter(category__code__in=_resolved_categories(), recorded_on__gte=data.start,
                                    recorded_on__lte=data.end)
            .exclude(state=State.REJECTED))
    here = refs(year.filter(posyandu_id__any=data.posyandu_ids))
    people = {r.person_id for r in here if r.person_id is not None}
    elsewhere = refs(year.filter(person_id__any=people, posyandu__isnull=False)
                     .exclude(posyandu_id__any=data.posyandu_ids)) if people else []
    return sorted(here + elsewhere, key=lambda ref: (ref.recorded_on, ref.id))


def is_about_person(ref: Ref) -> bool:
    return ref.person_id is not None and ref.subject in PERSON_SUBJECTS


def _grouped(categories: tuple[str, ...]):
    """Loader of {Unit: [Ref, ...]} for one indicator's categories."""
    wanted = frozenset(categories)

    def load(data: PosyanduData) -> dict[Unit, list[Ref]]:
        units: dict[Unit, list[Ref]] = defaultdict(list)
        for ref in data.cached("spm_referrals_of_year", referrals_of_year):
            if ref.category not in wanted:
                continue
            units[Unit("person", ref.person_id) if is_about_person(ref) else Unit("report", ref.id)].append(ref)
        return dict(units)

    return load


@register
class ReferralResolved(Rule):
    name = "referral_resolved"

    def __init__(self, indicator: catalogue.Indicator):
        super().__init__(indicator)
        categories = tuple(sorted(self.params["categories"]))
        self._loader = (f"spm_referral_units:{','.join(categories)}", _grouped(categories))

    def _units(self, data: PosyanduData) -> dict[Unit, list[Ref]]:
        return data.cached(*self._loader)

    def units(self, data):
        units = self._units(data)
        # A report recorded elsewhere came in only as another referral of a person; it is not this data's.
        return [unit for unit, found in units.items()
                if any(ref.posyandu_id in data.posyandu_ids for ref in found)]

    def verdict(self, data, unit, as_of):
        found = [ref for ref in self._units(data).get(unit, ()) if ref.recorded_on <= as_of]
        if not found:
            return None
        posyandu_id = found[-1].posyandu_id  # the latest referral's (sorted by recorded_on)
        if any(ref.resolved_by(as_of) for ref in found):
            return Verdict(posyandu_id, True)
        return Verdict(posyandu_id, False, tuple(Missing("referral_open", {"ticket": ref.ticket})
                                                 for ref in found))
