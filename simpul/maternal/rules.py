"""Pregnancy dates, cut-offs and the antenatal (ANC) standard: data and pure functions, no database.

Every number here decides someone's care, so each one is named, sourced in
``docs/decisions/0008-pregnancy-dates-and-anc.md`` and tested against hand-worked values:

- HPL (*hari perkiraan lahir*, estimated due date) by Naegele's rule in its day form, HPHT + 280 days.
- Gestational age (*usia kehamilan*) in completed days and weeks since HPHT (the first day of the last
  menstrual period), as WHO/ICD counts it: day 0-6 is week 0, day 84-90 is "12 weeks".
- Trimesters as Permenkes 21/2021 (Lampiran I) draws them for the K6 count: I = 0-12 weeks,
  II = over 12 to 24 weeks, III = over 24 weeks to birth, read in completed weeks.
- The ANC standard (Permenkes 21/2021 art. 13): at least six contacts with a health worker, one in
  trimester I, two in II, three in III, of which at least two with a doctor, one in I and one in III.
- KEK (*kurang energi kronis*) when LiLA < 23.5 cm; hypertension in pregnancy when systolic >= 140 or
  diastolic >= 90 mmHg.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- Dates ------------------------------------------------------------------------------------------
HPL_DAYS = 280  # Naegele: 40 weeks after HPHT
MAX_GESTATION_DAYS = 45 * 7  # beyond 45 weeks after HPHT nobody is still pregnant: a typing slip
DELIVERY_FROM_DAYS = 20 * 7  # a pregnancy ending before 20 weeks is an abortus ("ended"), not a delivery [U]
NIFAS_DAYS = 42  # masa nifas: day 0 (the birth) to day 42
MOTHER_MIN_AGE = 10  # years at HPHT; younger or older is refused as a typing slip
MOTHER_MAX_AGE = 55

# --- Cut-offs ---------------------------------------------------------------------------------------
KEK_LILA_CM = Decimal("23.5")  # KEK when LiLA is strictly below
HYPERTENSION_SYSTOLIC = 140  # mmHg, at or above
HYPERTENSION_DIASTOLIC = 90  # mmHg, at or above


class Examiner(models.TextChoices):
    """Who examined the mother. Only health workers' contacts count toward the ANC standard."""

    KADER = "kader", _("Kader at the posyandu")
    BIDAN = "bidan", _("Midwife (bidan)")
    DOCTOR = "doctor", _("Doctor")


HEALTH_WORKERS = frozenset({Examiner.BIDAN, Examiner.DOCTOR})


@dataclass(frozen=True)
class Trimester:
    number: int
    first_day: int  # gestational age in days, inclusive
    last_day: int | None  # inclusive; None: until birth


# Completed weeks 0-12 = days 0-90; 13-24 = days 91-174; 25 and over = day 175 on.
TRIMESTERS = (Trimester(1, 0, 12 * 7 + 6), Trimester(2, 13 * 7, 24 * 7 + 6), Trimester(3, 25 * 7, None))


def hpl_from_hpht(hpht: dt.date) -> dt.date:
    """Estimated due date: Naegele's rule as HPHT + 280 days (decision 0008 explains the choice)."""
    return hpht + dt.timedelta(days=HPL_DAYS)


def hpht_from_weeks(on: dt.date, weeks: int) -> dt.date:
    """An estimated HPHT when the mother does not know it: ``weeks`` completed weeks before ``on``."""
    return on - dt.timedelta(weeks=weeks)


@dataclass(frozen=True)
class GestationalAge:
    days: int

    @property
    def weeks(self) -> int:
        return self.days // 7

    @property
    def rest_days(self) -> int:
        return self.days % 7

    @property
    def trimester(self) -> int:
        return trimester_of(self.days)

    def label(self) -> str:
        return str(_("%(weeks)d weeks %(days)d days") % {"weeks": self.weeks, "days": self.rest_days})

    def __str__(self) -> str:
        return self.label()


def gestational_age(hpht: dt.date, on: dt.date) -> GestationalAge | None:
    """Completed days since HPHT on date ``on``; None before HPHT."""
    days = (on - hpht).days
    return GestationalAge(days) if days >= 0 else None


def trimester_of(days: int) -> int:
    for trimester in TRIMESTERS:
        if days >= trimester.first_day and (trimester.last_day is None or days <= trimester.last_day):
            return trimester.number
    raise ValueError("gestational age before HPHT has no trimester")


def is_kek(lila_cm) -> bool:
    return lila_cm is not None and Decimal(str(lila_cm)) < KEK_LILA_CM


def is_hypertensive(systolic: int | None, diastolic: int | None) -> bool:
    return (systolic is not None and systolic >= HYPERTENSION_SYSTOLIC) or (
        diastolic is not None and diastolic >= HYPERTENSION_DIASTOLIC)


# --- The ANC standard ---------------------------------------------------------------------------------
# Kept as data: a change of regulation (or of the Buku KIA reading, see decision 0008) is an edit here.
CONTACTS_PER_TRIMESTER = {1: 1, 2: 2, 3: 3}
DOCTOR_CONTACTS_PER_TRIMESTER = {1: 1, 3: 1}


class RequirementState(models.TextChoices):
    MET = "met", _("Done")
    OPEN = "open", _("Still possible")
    MISSED = "missed", _("Missed")


@dataclass(frozen=True)
class Requirement:
    code: str  # "contacts_tm1" ... "doctor_tm3"
    trimester: int
    doctor: bool
    needed: int
    done: int
    state: str  # RequirementState

    @property
    def missing(self) -> int:
        return max(self.needed - self.done, 0)

    def label(self) -> str:
        if self.doctor:
            return str(_("Doctor in trimester %(n)d: %(done)d of %(needed)d") % {
                "n": self.trimester, "done": self.done, "needed": self.needed})
        return str(_("Trimester %(n)d: %(done)d of %(needed)d contacts") % {
            "n": self.trimester, "done": self.done, "needed": self.needed})


@dataclass(frozen=True)
class AncProgress:
    on: dt.date
    trimester_now: int | None  # None when the pregnancy has ended or ``on`` is before HPHT
    contacts: dict[int, int]  # trimester -> health-worker contacts (distinct days)
    doctor_contacts: dict[int, int]
    kader_contacts: int  # posyandu contacts by a kader only: shown, not counted
    requirements: tuple[Requirement, ...]

    @property
    def total_contacts(self) -> int:
        return sum(self.contacts.values())

    @property
    def total_doctor_contacts(self) -> int:
        return sum(self.doctor_contacts.values())

    @property
    def met(self) -> bool:
        return all(r.state == RequirementState.MET for r in self.requirements)

    @property
    def missing(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.state != RequirementState.MET)

    @property
    def missed(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.state == RequirementState.MISSED)


def anc_evaluate(*, hpht: dt.date, visits: Iterable[tuple[dt.date, str]], on: dt.date,
                 closed_on: dt.date | None = None) -> AncProgress:
    """Progress toward the ANC standard on date ``on`` from (visited_on, examiner) pairs.

    A contact is a day with a health worker (bidan or doctor): two records on one day count once, a
    kader's weighing at the posyandu does not count (Permenkes 21/2021 art. 13(4): by a health worker).
    A doctor's visit counts both as a contact and as a doctor contact. Visits after ``on`` (or after the
    pregnancy ended) are left out. A requirement not yet met is "missed" once its trimester is over (or the
    pregnancy has ended), else "open".
    """
    end = min(on, closed_on) if closed_on else on
    contact_days: dict[int, set[dt.date]] = {1: set(), 2: set(), 3: set()}
    doctor_days: dict[int, set[dt.date]] = {1: set(), 2: set(), 3: set()}
    kader_days: set[dt.date] = set()
    for visited_on, examiner in visits:
        if visited_on > end or visited_on < hpht:
            continue
        trimester = trimester_of((visited_on - hpht).days)
        if examiner in HEALTH_WORKERS:
            contact_days[trimester].add(visited_on)
            if examiner == Examiner.DOCTOR:
                doctor_days[trimester].add(visited_on)
        else:
            kader_days.add(visited_on)
    ended = closed_on is not None and closed_on <= on
    age = gestational_age(hpht, on)
    trimester_now = None if ended or age is None else age.trimester

    def state(trimester: int, done: int, needed: int) -> str:
        if done >= needed:
            return RequirementState.MET
        over = ended or (trimester_now is not None and trimester_now > trimester)
        return RequirementState.MISSED if over else RequirementState.OPEN

    requirements = [
        Requirement(f"contacts_tm{t}", t, False, needed, len(contact_days[t]), state(t, len(contact_days[t]), needed))
        for t, needed in CONTACTS_PER_TRIMESTER.items()
    ] + [
        Requirement(f"doctor_tm{t}", t, True, needed, len(doctor_days[t]), state(t, len(doctor_days[t]), needed))
        for t, needed in DOCTOR_CONTACTS_PER_TRIMESTER.items()
    ]
    return AncProgress(
        on=on, trimester_now=trimester_now,
        contacts={t: len(days) for t, days in contact_days.items()},
        doctor_contacts={t: len(days) for t, days in doctor_days.items()},
        kader_contacts=len(kader_days - set().union(*contact_days.values())),
        requirements=tuple(requirements),
    )
