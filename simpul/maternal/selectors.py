"""Reads of pregnancies and their visits. Every function takes the caller's scope first.

Same rule as ``simpul.health.selectors``: only grants that hold ``Perm.VIEW_HEALTH`` over the place *and*
carry the kesehatan field count — the kesehatan kader of the posyandu, the nakes of the area, the Dinkes
officer. The desa, the camat, Tim Pembina, another OPD and a kader of another field get "not found".

A pregnancy is visible through the place where it was recorded *or* the woman's current place, so the
posyandu she moved to sees her whole pregnancy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce

from django.db.models import Prefetch, Q, QuerySet

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope, require_scope
from simpul.core.choices import Sex
from simpul.core.errors import NotInScope
from simpul.health.findings import Finding, Reason
from simpul.health.selectors import HEALTH, health_scope, may_see_health
from simpul.maternal import rules
from simpul.maternal.models import AncVisit, NifasVisit, Pregnancy
from simpul.posyandu.models import Posyandu
from simpul.registry.models import Person


def _health_q(scope: Scope | None, *prefixes: str) -> Q | None:
    """Rows whose ``<prefix>desa``/``<prefix>posyandu`` the user may see, for any of the prefixes."""
    health = health_scope(require_scope(scope))
    parts = [health.q(Perm.VIEW_HEALTH, region_field=f"{p}desa__code", posyandu_field=f"{p}posyandu_id")
             for p in prefixes]
    if any(part is None for part in parts):
        return None
    return reduce(lambda a, b: a | b, parts)


def women_visible(scope: Scope | None) -> QuerySet[Person]:
    """Women whose pregnancy detail the user may see."""
    condition = _health_q(scope, "")
    if condition is None:
        return Person.objects.none()
    return Person.objects.filter(condition, sex=Sex.FEMALE)


def person_for_health(scope: Scope | None, pk) -> Person:
    """Anyone in the user's health scope (the service then refuses a pregnancy for a man, with a message)."""
    condition = _health_q(scope, "")
    person = None if condition is None else Person.objects.filter(condition, pk=pk).first()
    if person is None:
        raise NotInScope()
    return person


def woman_get(scope: Scope | None, pk) -> Person:
    """A woman in the user's health scope; NotInScope (404) otherwise, and for a man."""
    person = women_visible(scope).select_related("household", "posyandu", "desa").filter(pk=pk).first()
    if person is None:
        raise NotInScope()
    return person


def pregnancies_visible(scope: Scope | None, *, person_id: int | None = None,
                        posyandu_id: int | None = None) -> QuerySet[Pregnancy]:
    condition = _health_q(scope, "", "person__")
    if condition is None:
        return Pregnancy.objects.none()
    qs = Pregnancy.objects.filter(condition)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if posyandu_id is not None:
        qs = qs.filter(Q(posyandu_id=posyandu_id) | Q(person__posyandu_id=posyandu_id))
    return qs.select_related("person", "posyandu", "recorded_by")


def pregnancy_get(scope: Scope | None, pk) -> Pregnancy:
    pregnancy = pregnancies_visible(scope).filter(pk=pk).first()
    if pregnancy is None:
        raise NotInScope()
    return pregnancy


def pregnancy_by_client_uuid(scope: Scope | None, client_uuid) -> Pregnancy | None:
    if client_uuid is None:
        return None
    return pregnancies_visible(scope).filter(client_uuid=client_uuid).first()


def pregnancies_for_person(scope: Scope | None, person: Person) -> QuerySet[Pregnancy]:
    """A woman's pregnancies, newest first; NotInScope unless the user holds health for her."""
    if not may_see_health(require_scope(scope), person):
        raise NotInScope()
    return Pregnancy.objects.filter(person=person).order_by("-hpht", "-id")


def anc_visits_for(pregnancy: Pregnancy, *, include_superseded: bool = False) -> QuerySet[AncVisit]:
    """A pregnancy's antenatal visits, oldest first (call only after pregnancy_get allowed the read)."""
    qs = AncVisit.objects.filter(pregnancy=pregnancy)
    if not include_superseded:
        qs = qs.filter(superseded_by__isnull=True)
    return qs.select_related("recorded_by").order_by("visited_on", "created_at", "id")


def nifas_visits_for(pregnancy: Pregnancy) -> QuerySet[NifasVisit]:
    return NifasVisit.objects.filter(pregnancy=pregnancy).select_related("recorded_by").order_by(
        "visited_on", "created_at", "id")


def anc_visit_get(scope: Scope | None, pk) -> AncVisit:
    condition = _health_q(scope, "", "person__")
    visit = None if condition is None else AncVisit.objects.filter(condition, pk=pk).select_related(
        "pregnancy__person").first()
    if visit is None:
        raise NotInScope()
    return visit


def anc_visit_by_client_uuid(scope: Scope | None, client_uuid) -> AncVisit | None:
    condition = _health_q(scope, "", "person__")
    if client_uuid is None or condition is None:
        return None
    return AncVisit.objects.filter(condition, client_uuid=client_uuid).first()


def nifas_visit_by_client_uuid(scope: Scope | None, client_uuid) -> NifasVisit | None:
    condition = _health_q(scope, "", "person__")
    if client_uuid is None or condition is None:
        return None
    return NifasVisit.objects.filter(condition, client_uuid=client_uuid).first()


def anc_progress(pregnancy: Pregnancy, *, on: dt.date, visits=None) -> rules.AncProgress:
    """Visits per trimester, doctor visits, and whether the six-contact standard is met (and what is not).

    Call only after pregnancy_get allowed the read. ``on`` is the day the progress is seen from: a
    requirement whose trimester is over is "missed", otherwise "open".
    """
    visits = anc_visits_for(pregnancy) if visits is None else visits
    return rules.anc_evaluate(hpht=pregnancy.hpht, visits=[(v.visited_on, v.examiner) for v in visits], on=on,
                              closed_on=pregnancy.closed_on)


def bp_readings(person: Person) -> list[tuple[dt.date, int, int]]:
    """A woman's blood pressures from her antenatal and nifas visits, oldest first, as (date, systolic,
    diastolic): the provider the FHIR export asks (``simpul.health.fhir.bp_readings``). Call only after the
    caller's scope allowed the read of the person."""
    anc = AncVisit.objects.filter(person=person, superseded_by__isnull=True, systolic__isnull=False)
    nifas = NifasVisit.objects.filter(person=person, systolic__isnull=False)
    readings = [(v.visited_on, v.systolic, v.diastolic) for v in anc.only("visited_on", "systolic", "diastolic")]
    readings += [(v.visited_on, v.systolic, v.diastolic) for v in nifas.only("visited_on", "systolic", "diastolic")]
    return sorted(readings)


def posyandu_for_health(scope: Scope | None, pk) -> Posyandu:
    """A posyandu whose mothers' health detail the user may see."""
    scope = require_scope(scope)
    posyandu = Posyandu.objects.select_related("desa").filter(pk=pk).first()
    if posyandu is None or HEALTH not in scope.fields_at(desa_code=posyandu.desa_id, posyandu_id=posyandu.pk,
                                                         perm=Perm.VIEW_HEALTH):
        raise NotInScope()
    return posyandu


def ongoing_on(on: dt.date) -> Q:
    """Pregnancies known on ``on`` and not yet ended then (and not past 45 weeks: a record left open)."""
    return (Q(registered_on__lte=on, hpht__gt=on - dt.timedelta(days=rules.MAX_GESTATION_DAYS + 1))
            & (Q(status=Pregnancy.Status.ONGOING)
               | Q(delivered_on__gt=on) | Q(ended_on__gt=on)))


@dataclass(frozen=True)
class PregnantWoman:
    pregnancy: Pregnancy
    age: rules.GestationalAge
    progress: rules.AncProgress
    last_visit: AncVisit | None
    kek: bool  # at the latest visit with a LiLA
    hypertension: bool  # at the latest visit with a blood pressure

    @property
    def person(self) -> Person:
        return self.pregnancy.person


def _women_of(posyandu: Posyandu) -> Q:
    return Q(person__posyandu=posyandu, person__life_status=Person.LifeStatus.ALIVE, person__duplicate_of__isnull=True)


def pregnant_women(scope: Scope | None, *, posyandu_id: int, on: dt.date) -> list[PregnantWoman]:
    """Women of a posyandu pregnant on ``on``: the ibu hamil of the posyandu-day attendance list.

    By the woman's current posyandu (she comes here now), ordered by RW, RT and name.
    """
    posyandu = posyandu_for_health(scope, posyandu_id)
    pregnancies = (
        Pregnancy.objects.filter(_women_of(posyandu), ongoing_on(on))
        .select_related("person__household")
        .prefetch_related(Prefetch("anc_visits", queryset=AncVisit.objects.filter(
            superseded_by__isnull=True, visited_on__lte=on).order_by("visited_on", "created_at", "id")))
    )
    result = []
    for pregnancy in pregnancies:
        visits = list(pregnancy.anc_visits.all())
        lila = [v for v in visits if v.muac_cm is not None]
        bp = [v for v in visits if v.systolic is not None]
        result.append(PregnantWoman(
            pregnancy=pregnancy, age=rules.GestationalAge((on - pregnancy.hpht).days),
            progress=anc_progress(pregnancy, on=on, visits=visits), last_visit=visits[-1] if visits else None,
            kek=bool(lila) and lila[-1].is_kek, hypertension=bool(bp) and bp[-1].is_hypertensive,
        ))

    def order(item: PregnantWoman):
        household = item.person.household
        return (household.rw if household else "", household.rt if household else "", item.person.full_name,
                item.person.pk)

    return sorted(result, key=order)


def pregnancies_to_close(scope: Scope | None, *, posyandu_id: int, on: dt.date) -> QuerySet[Pregnancy]:
    """Still "ongoing" in the register but past 45 weeks on ``on``: the kader should record how they ended."""
    posyandu = posyandu_for_health(scope, posyandu_id)
    return Pregnancy.objects.filter(
        _women_of(posyandu), status=Pregnancy.Status.ONGOING,
        hpht__lte=on - dt.timedelta(days=rules.MAX_GESTATION_DAYS + 1),
    ).select_related("person").order_by("hpht")


def nifas_women(scope: Scope | None, *, posyandu_id: int, on: dt.date) -> list[Pregnancy]:
    """Women of a posyandu who gave birth 0-42 days before ``on`` (the ibu nifas of the attendance list)."""
    posyandu = posyandu_for_health(scope, posyandu_id)
    return list(
        Pregnancy.objects.filter(
            _women_of(posyandu), status=Pregnancy.Status.DELIVERED,
            delivered_on__lte=on, delivered_on__gte=on - dt.timedelta(days=rules.NIFAS_DAYS),
        ).select_related("person__household").prefetch_related("nifas_visits").order_by("delivered_on", "person__full_name")
    )


def day_findings(scope: Scope | None, *, posyandu_id: int, day: dt.date) -> list[Finding]:
    """Why a mother needs the bidan after this posyandu day: KEK, high blood pressure, danger signs.

    From the antenatal and nifas visits recorded at the posyandu on ``day`` that the caller may see; in
    the order of the visits, ANC first, one finding per woman and reason (the first visit's value). High
    blood pressure after birth is reported as ``pregnancy_hypertension`` too (post-partum pre-eclampsia
    belongs to the pregnancy); the detail is "TD 150/95", "LiLA 22.0 cm" or the danger signs' labels.
    """
    condition = _health_q(scope, "", "person__")
    if condition is None:
        return []
    findings: list[Finding] = []
    seen: set[tuple[int, str]] = set()

    def add(person_id: int, reason: str, detail: str) -> None:
        if (person_id, reason) not in seen:
            seen.add((person_id, reason))
            findings.append(Finding(person_id=person_id, reason=reason, detail=detail))

    anc = AncVisit.objects.filter(condition, posyandu_id=posyandu_id, visited_on=day,
                                  superseded_by__isnull=True).order_by("created_at", "id")
    for visit in anc:
        if visit.is_kek:
            add(visit.person_id, Reason.KEK.value, f"LiLA {visit.muac_cm:.1f} cm")
        if visit.is_hypertensive:
            add(visit.person_id, Reason.PREGNANCY_HYPERTENSION.value, f"TD {visit.systolic}/{visit.diastolic}")
        if visit.danger_signs:
            add(visit.person_id, Reason.PREGNANCY_DANGER_SIGN.value, ", ".join(visit.danger_sign_labels()))
    nifas = NifasVisit.objects.filter(condition, posyandu_id=posyandu_id, visited_on=day).order_by("created_at", "id")
    for visit in nifas:
        if visit.is_hypertensive:
            add(visit.person_id, Reason.PREGNANCY_HYPERTENSION.value, f"TD {visit.systolic}/{visit.diastolic}")
        if visit.danger_signs:
            add(visit.person_id, Reason.PREGNANCY_DANGER_SIGN.value, ", ".join(visit.danger_sign_labels()))
    return findings
