"""Health-service rules over the posyandu records: ``kes.balita``, ``kes.ibu_hamil``, ``kes.hipertensi``,
``kes.diabetes``.

Each rule loads its records once per evaluation through :meth:`PosyanduData.cached` (one query per kind of
record, by ``person_id__any=data.residents``) into small per-person dicts, so a verdict is a few lookups and
scans of short lists. Corrected rows are left out everywhere: only rows with ``superseded_by IS NULL`` count,
so a correction replaces the row it corrects.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils.dates import MONTHS

from simpul.health.models import Measurement
from simpul.immunization import rules as immunization
from simpul.immunization.models import ImmunizationRecord
from simpul.maternal.models import AncVisit, Pregnancy
from simpul.maternal.rules import DELIVERY_FROM_DAYS, HEALTH_WORKERS, Examiner
from simpul.screening.models import Screening
from simpul.serviceday.models import Service, ServiceGiven
from simpul.spm.data import PosyanduData, Resident, age_in_months, age_in_years
from simpul.spm.engine import Missing, Rule, Unit, Verdict, register
from simpul.spm.periods import month_end

# --- Children under five (kes.balita) -----------------------------------------------------------------


@dataclass
class ChildRecords:
    weighed: dict[int, dt.date]  # month -> first day with a weight in that month (this year)
    measured: dict[int, dt.date]  # month -> first day with a length/height
    vitamin_a: dict[int, dt.date]  # month -> first posyandu day with a vitamin A capsule
    doses: dict[str, dt.date]  # dose code -> given on (any year)


def _first_by_month(rows) -> dict[int, dict[int, dt.date]]:
    firsts: dict[int, dict[int, dt.date]] = defaultdict(dict)
    for person_id, day in rows:
        seen = firsts[person_id].get(day.month)
        if seen is None or day < seen:
            firsts[person_id][day.month] = day
    return firsts


def child_records(data: PosyanduData, children: frozenset[int]) -> dict[int, ChildRecords]:
    """Weighings, length/height measurements and vitamin A of the year, and every dose, of these residents.

    Only the children the rule can judge (its units): a posyandu's residents are some thousands, its
    under-fives a tenth of them, and every other resident's records would be read for nothing."""
    measurements = (Measurement.objects.filter(person_id__any=children, superseded_by__isnull=True,
                                               measured_on__gte=data.start, measured_on__lte=data.end)
                    .values_list("person_id", "measured_on", "weight_kg", "length_height_cm"))
    weights, heights = [], []
    for person_id, day, weight, height in measurements:
        if weight is not None:
            weights.append((person_id, day))
        if height is not None:
            heights.append((person_id, day))
    capsules = (ServiceGiven.objects.filter(person_id__any=children, kind=Service.VITAMIN_A,
                                            day__held_on__gte=data.start, day__held_on__lte=data.end)
                .values_list("person_id", "day__held_on"))
    doses: dict[int, dict[str, dt.date]] = defaultdict(dict)
    for person_id, code, given_on in (ImmunizationRecord.objects.filter(person_id__any=children)
                                      .values_list("person_id", "dose", "given_on")):
        doses[person_id][code] = given_on
    weighed, measured, vitamin_a = _first_by_month(weights), _first_by_month(heights), _first_by_month(capsules)
    return {pk: ChildRecords(weighed.get(pk, {}), measured.get(pk, {}), vitamin_a.get(pk, {}), doses.get(pk, {}))
            for pk in children}


def _ceil_share(total: int, months: int) -> int:
    """ceil(total × months / 12) in integers: 8 weighings over 6 months → 4; 2 heights over 1 month → 1."""
    return -(-total * months // 12)


def _months_with(firsts: dict[int, dt.date], months: list[int], as_of: dt.date) -> int:
    return sum(1 for month in months if month in firsts and firsts[month] <= as_of)


@register
class UnderFivePackage(Rule):
    """Weighed, measured, vitamin A and immunised for age, in proportion to the months under five and here.

    A month of the year counts for a child (``e`` in the catalogue's words) when the child lived in the
    posyandu judged, alive and born, on its last day (on the as-of day for the running month). Weighings and
    heights are counted as distinct months *among those months*, so a child who moved in from another
    posyandu in July must be weighed here from July on, and needs ceil(8 × e / 12) of them.
    """

    name = "under_five_package"

    def units(self, data):
        return (Unit("person", pk) for pk in self._children(data))

    def _band(self) -> tuple[int, int]:
        return self.params["min_months"], self.params["max_months"]

    def _children(self, data: PosyanduData) -> frozenset[int]:
        """The residents of the age band at some time of the year (a child judged on any as-of day of the
        year is among them: the age on that day lies between the ages at the year's start and end)."""
        low, high = self._band()
        return data.cached(f"health.children.{low}-{high}", lambda d: frozenset(
            pk for pk, resident in d.residents.items()
            if resident.birth_date <= d.end and age_in_months(resident.birth_date, d.start) <= high
            and age_in_months(resident.birth_date, d.end) >= low))

    def _records(self, data: PosyanduData) -> dict[int, ChildRecords]:
        low, high = self._band()
        return data.cached(f"health.child_records.{low}-{high}", lambda d: child_records(d, self._children(d)))

    def _months_here(self, data: PosyanduData, resident: Resident, posyandu_id: int, as_of: dt.date) -> list[int]:
        months = []
        for month in range(1, as_of.month + 1):
            day = as_of if month == as_of.month else month_end(data.year, month)
            if (data.posyandu_of(resident, day) == posyandu_id
                    and age_in_months(resident.birth_date, day) <= self.params["max_months"]):
                months.append(month)
        return months

    def verdict(self, data, unit, as_of):
        resident = data.residents[unit.id]
        posyandu_id = data.posyandu_of(resident, as_of)
        if posyandu_id is None:
            return None
        age = age_in_months(resident.birth_date, as_of)
        if not self.params["min_months"] <= age <= self.params["max_months"]:
            return None
        records = self._records(data)[unit.id]
        months = self._months_here(data, resident, posyandu_id, as_of)  # includes the as-of month: e >= 1
        this_month_end = month_end(as_of.year, as_of.month).isoformat()
        missing = []
        for code, firsts, per_year in (("weighings", records.weighed, self.params["weighings"]),
                                       ("heights", records.measured, self.params["heights"])):
            have, need = _months_with(firsts, months, as_of), _ceil_share(per_year, len(months))
            if have < need:
                missing.append(Missing(code, {"have": have, "need": need}, due_on=this_month_end))
        for month in self.params["vitamin_a_months"]:
            last_day = month_end(data.year, month)
            # Owed once the month is over, if the child lived here then and was old enough on its first day,
            # so that any posyandu day of the month could give it (the service refuses it under 6 months).
            if last_day > as_of or month not in months:
                continue
            if age_in_months(resident.birth_date, dt.date(data.year, month, 1)) < self.params["vitamin_a_from_months"]:
                continue
            if month not in records.vitamin_a:
                missing.append(Missing("vitamin_a", {"month": str(MONTHS[month]), "month_number": month},
                                       due_on=last_day.isoformat()))
        given = {code: day for code, day in records.doses.items() if day <= as_of}
        # JE is only given in endemic areas and Simpul does not record which areas are: it is not required.
        statuses = immunization.evaluate(resident.birth_date, given, as_of)
        for status in statuses:
            # Overdue, or missed for good (HB0 after 7 days): complete_for_age counts both as incomplete, as
            # the "imunisasi dasar lengkap" count does. A missed dose can no longer be given, so it has its own
            # code: the kader sees it, but it is not a task she can close.
            if status.state == immunization.State.OVERDUE:
                missing.append(Missing("dose", {"dose": status.code}, due_on=status.due_on.isoformat()))
            elif status.state == immunization.State.MISSED:
                missing.append(Missing("dose_missed", {"dose": status.code}))
        served = not missing and immunization.complete_for_age(statuses)
        return Verdict(posyandu_id, served, tuple(missing))


# --- Pregnant women (kes.ibu_hamil) -------------------------------------------------------------------


@dataclass(frozen=True)
class PregnancyRow:
    id: int
    person_id: int
    hpht: dt.date
    end: dt.date  # delivered_on / ended_on, or HPL while not closed: the day it is judged
    early_loss: bool  # ended before 20 weeks: an abortus, not a pregnancy of the sasaran


def pregnancies(data: PosyanduData) -> dict[int, PregnancyRow]:
    """Pregnancies of the residents that end in the year (closed in it, or due in it while not closed)."""
    year = (data.start, data.end)
    rows = (Pregnancy.objects.filter(person_id__any=data.residents)
            .filter(Q(delivered_on__range=year) | Q(ended_on__range=year)
                    | Q(status=Pregnancy.Status.ONGOING, hpl__range=year))
            .values_list("pk", "person_id", "hpht", "hpl", "status", "delivered_on", "ended_on"))
    found = {}
    for pk, person_id, hpht, hpl, status, delivered_on, ended_on in rows:
        end = delivered_on or ended_on or hpl
        early = status == Pregnancy.Status.ENDED and (ended_on - hpht).days < DELIVERY_FROM_DAYS
        found[pk] = PregnancyRow(pk, person_id, hpht, end, early)
    return found


def anc_contacts(data: PosyanduData) -> dict[int, list[tuple[dt.date, int, str]]]:
    """Current antenatal visits (day, trimester, examiner) of the residents, per pregnancy."""
    visits: dict[int, list[tuple[dt.date, int, str]]] = defaultdict(list)
    rows = (AncVisit.objects.filter(person_id__any=data.residents, superseded_by__isnull=True,
                                    visited_on__lte=data.end)
            .values_list("pregnancy_id", "visited_on", "trimester", "examiner"))
    for pregnancy_id, day, trimester, examiner in rows:
        visits[pregnancy_id].append((day, trimester, examiner))
    return visits


@register
class AncPattern(Rule):
    """A pregnancy is judged once complete: delivered or ended, or its HPL passed while still open.

    It counts where the mother lived on that day. A contact is a day with a health worker (bidan or doctor):
    the ANC standard is met by health workers (Permenkes 21/2021 art. 13(4), as ``simpul.maternal.rules``
    reads it), so a kader's weighing is no contact, and two records on one day count once. Trimesters are
    the ones stored on each visit.
    """

    name = "anc_pattern"

    def units(self, data):
        return (Unit("pregnancy", pk) for pk in data.cached("health.pregnancies", pregnancies))

    def verdict(self, data, unit, as_of):
        pregnancy = data.cached("health.pregnancies", pregnancies)[unit.id]
        if pregnancy.early_loss or pregnancy.end > as_of or pregnancy.end < data.start:
            return None
        posyandu_id = data.posyandu_of(data.residents[pregnancy.person_id], pregnancy.end)
        if posyandu_id is None:
            return None
        days: set[dt.date] = set()
        by_trimester: dict[str, set[dt.date]] = defaultdict(set)
        doctor: dict[str, set[dt.date]] = defaultdict(set)
        for day, trimester, examiner in data.cached("health.anc_contacts", anc_contacts).get(unit.id, ()):
            if examiner not in HEALTH_WORKERS or not pregnancy.hpht <= day <= pregnancy.end:
                continue
            days.add(day)
            by_trimester[str(trimester)].add(day)
            if examiner == Examiner.DOCTOR:
                doctor[str(trimester)].add(day)
        missing = []
        if len(days) < self.params["visits"]:
            missing.append(Missing("anc_visits", {"have": len(days), "need": self.params["visits"]}))
        for trimester, need in self.params["per_trimester"].items():
            have = len(by_trimester[trimester])
            if have < need:
                missing.append(Missing("anc_trimester", {"trimester": trimester, "have": have, "need": need}))
        for trimester in self.params["doctor_trimesters"]:
            if not doctor[trimester]:
                missing.append(Missing("anc_doctor", {"trimester": trimester}))
        return Verdict(posyandu_id, not missing, tuple(missing))


# --- Hypertension and diabetes (kes.hipertensi, kes.diabetes) -----------------------------------------

@dataclass
class FollowUpRecords:
    found: dict[str, dt.date]  # ScreeningFlag code -> the first valid screening that raised it (any year)
    checked: dict[str, list[dt.date]]  # measure (blood_pressure: systolic, glucose) -> days of this year


def follow_ups(data: PosyanduData) -> dict[int, FollowUpRecords]:
    """Each resident's first screening per flag (ever) and this year's checks, from current screenings.

    Earlier years are read only where a screening raised a flag, so a long history of normal checks is not
    loaded.
    """
    records: dict[int, FollowUpRecords] = {}
    rows = (Screening.objects.filter(person_id__any=data.residents, superseded_by__isnull=True,
                                     screened_on__lte=data.end)
            .filter(Q(screened_on__gte=data.start) | ~Q(flags=[]))
            .values_list("person_id", "screened_on", "systolic", "glucose_mg_dl", "flags"))
    for person_id, day, systolic, glucose, flags in rows:
        record = records.setdefault(person_id, FollowUpRecords({}, defaultdict(list)))
        for flag in flags or ():
            if flag not in record.found or day < record.found[flag]:
                record.found[flag] = day
        if day >= data.start:
            if systolic is not None:
                record.checked["blood_pressure"].append(day)
            if glucose is not None:
                record.checked["glucose"].append(day)
    return records


@register
class MonthlyFollowUp(Rule):
    """People found with a flag, checked every month since.

    The standard is Permenkes 4/2019's "monthly" check (pelayanan sesuai standar: BP or glucose measured
    every month), marked unconfirmed in the catalogue: Permenkes 6/2024 may read it differently. The share
    is 1 — every month from the month found (or January, when found in an earlier year) to the as-of month
    must have a check — so need = n months and have = the distinct months of them with a measurement.
    """

    name = "monthly_follow_up"

    def units(self, data):
        flag = self.params["flag"]
        records = data.cached("health.follow_ups", follow_ups)
        return (Unit("person", pk) for pk, record in records.items()
                if pk in data.residents and flag in record.found and record.found[flag] <= data.end)

    def verdict(self, data, unit, as_of):
        record = data.cached("health.follow_ups", follow_ups).get(unit.id)
        found = record.found.get(self.params["flag"]) if record else None
        if found is None or found > as_of:
            return None
        resident = data.residents[unit.id]
        posyandu_id = data.posyandu_of(resident, as_of)
        if posyandu_id is None or age_in_years(resident.birth_date, as_of) < self.params["min_years"]:
            return None
        first = found.month if found.year == data.year else 1
        need = as_of.month - first + 1
        months = {day.month for day in record.checked.get(self.params["measure"], ()) if day <= as_of}
        have = sum(1 for month in months if month >= first)
        if have >= need:
            return Verdict(posyandu_id, True)
        return Verdict(posyandu_id, False, (Missing("follow_up", {"have": have, "need": need},
                                                    due_on=month_end(as_of.year, as_of.month).isoformat()),))
