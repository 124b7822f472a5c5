"""Reads of screenings. Every function takes the caller's scope first and fails closed.

Same rule as measurements (simpul.health.selectors): only grants that hold ``Perm.VIEW_HEALTH`` over the
place *and* carry the kesehatan field count — the kesehatan kader of the posyandu, the nakes of the area,
the Dinkes officer. The desa, the camat, Tim Pembina, another OPD and a kader of another field see
nothing and cannot tell a screening exists. A screening is visible through the place where it was taken
or the person's current place, so the posyandu a person moved to sees their history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope, require_scope
from simpul.core.errors import NotInScope
from simpul.health.findings import Finding, Reason
from simpul.health.selectors import HEALTH, health_scope, may_see_health
from simpul.posyandu.models import Posyandu
from simpul.registry.lifestage import age_in_months, life_stage
from simpul.registry.models import Person
from simpul.screening import rules
from simpul.screening.models import Screening
from simpul.screening.rules import ScreeningFlag


def _visible_q(scope: Scope) -> Q | None:
    health = health_scope(scope)
    at_place = health.q(Perm.VIEW_HEALTH, region_field="desa__code", posyandu_field="posyandu_id")
    person_now = health.q(Perm.VIEW_HEALTH, region_field="person__desa__code", posyandu_field="person__posyandu_id")
    if at_place is None or person_now is None:
        return None
    return at_place | person_now


def screenings_visible(scope: Scope | None, *, person_id: int | None = None, posyandu_id: int | None = None,
                       include_superseded: bool = False) -> QuerySet[Screening]:
    condition = _visible_q(require_scope(scope))
    if condition is None:
        return Screening.objects.none()
    qs = Screening.objects.filter(condition)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if posyandu_id is not None:
        qs = qs.filter(posyandu_id=posyandu_id)
    if not include_superseded:
        qs = qs.filter(superseded_by__isnull=True)
    return qs.select_related("person", "recorded_by")


def screenings_for_person(scope: Scope | None, person, *, include_superseded: bool = False) -> QuerySet[Screening]:
    """A person's screenings, newest first; NotInScope unless the user holds health for the person."""
    scope = require_scope(scope)
    if not may_see_health(scope, person):
        raise NotInScope()
    qs = Screening.objects.filter(person=person)
    if not include_superseded:
        qs = qs.filter(superseded_by__isnull=True)
    return qs.select_related("recorded_by").order_by("-screened_on", "-created_at", "-id")


def screening_get(scope: Scope | None, pk) -> Screening:
    screening = screenings_visible(scope, include_superseded=True).filter(pk=pk).first()
    if screening is None:
        raise NotInScope()
    return screening


def screening_by_client_uuid(scope: Scope | None, client_uuid) -> Screening | None:
    if client_uuid is None:
        return None
    return screenings_visible(scope, include_superseded=True).filter(client_uuid=client_uuid).first()


def posyandu_for_health(scope: Scope | None, pk) -> Posyandu:
    """A posyandu whose residents' health detail the user may see; NotInScope otherwise."""
    scope = require_scope(scope)
    posyandu = Posyandu.objects.select_related("desa").filter(pk=pk).first()
    if posyandu is None or HEALTH not in scope.fields_at(desa_code=posyandu.desa_id, posyandu_id=posyandu.pk,
                                                         perm=Perm.VIEW_HEALTH):
        raise NotInScope()
    return posyandu


# --- Lists for the posyandu day ------------------------------------------------------------------------

STAGE_ORDER = {code: n for n, code in enumerate(rules.SCREENED_STAGES)}


@dataclass(frozen=True)
class ScreeningTarget:
    person: Person
    life_stage: str
    age_years: int
    latest: Screening | None  # the newest current screening, wherever taken


def _residents(posyandu: Posyandu, on: dt.date) -> list[tuple[Person, str]]:
    # A coarse bound on the birth year narrows the query; life_stage decides exactly.
    people = (Person.objects.filter(posyandu=posyandu, life_status=Person.LifeStatus.ALIVE,
                                    duplicate_of__isnull=True, birth_date__lte=dt.date(on.year - 10, 12, 31))
              .select_related("household"))
    result = []
    for person in people:
        stage = life_stage(person.birth_date, on)
        if stage in STAGE_ORDER:
            result.append((person, stage))
    return result


def _latest_by_person(person_ids: list[int], *, until: dt.date | None = None) -> dict[int, Screening]:
    qs = Screening.objects.filter(person_id__in=person_ids, superseded_by__isnull=True)
    if until is not None:
        qs = qs.filter(screened_on__lte=until)
    latest: dict[int, Screening] = {}
    for screening in qs.order_by("screened_on", "created_at", "id"):
        latest[screening.person_id] = screening
    return latest


def screening_targets(scope: Scope | None, *, posyandu_id: int, on: dt.date) -> list[ScreeningTarget]:
    """The posyandu's adolescents, adults and elderly living there on ``on``, with their latest screening.

    The attendance list of the posyandu day: ordered by life stage (remaja, dewasa, lansia), then RW, RT
    and name. NotInScope unless the user holds health for the posyandu.
    """
    posyandu = posyandu_for_health(scope, posyandu_id)
    residents = _residents(posyandu, on)
    latest = _latest_by_person([p.pk for p, _stage in residents], until=on)
    targets = [ScreeningTarget(person=p, life_stage=stage, age_years=age_in_months(p.birth_date, on) // 12,
                               latest=latest.get(p.pk)) for p, stage in residents]

    def order(t: ScreeningTarget):
        household = t.person.household
        return (STAGE_ORDER[t.life_stage], household.rw if household else "", household.rt if household else "",
                t.person.full_name, t.person.pk)

    return sorted(targets, key=order)


def screened_in_year(scope: Scope | None, *, year: int, posyandu_id: int | None = None, region_prefix: str = "",
                     min_age: int | None = None, max_age: int | None = None) -> QuerySet[Person]:
    """People screened at least once in a calendar year, each once, in the caller's health scope.

    For the SPM count (usia produktif 15–59 and lansia ≥ 60, screened ≥ 1× a year): narrow by the place
    where the screening was taken (``posyandu_id``, undotted ``region_prefix``) and by the age in completed
    years on the screening day (``min_age``/``max_age``, both included). Corrected rows do not count twice.
    """
    qs = screenings_visible(scope).filter(screened_on__year=year)
    if posyandu_id is not None:
        qs = qs.filter(posyandu_id=posyandu_id)
    if region_prefix:
        qs = qs.filter(desa__code__startswith=region_prefix)
    if min_age is not None:
        qs = qs.filter(age_years__gte=min_age)
    if max_age is not None:
        qs = qs.filter(age_years__lte=max_age)
    return Person.objects.filter(pk__in=qs.values("person_id")).order_by("full_name", "pk")


# --- Findings for the bidan ----------------------------------------------------------------------------


def _number(value: Decimal) -> str:
    return f"{value:.1f}"


def screening_findings(screening: Screening) -> list[Finding]:
    """What in one screening sends the person to the bidan, in the order of the shared vocabulary."""
    s = screening
    found = []
    if s.has_flag(ScreeningFlag.HYPERTENSION):
        found.append(Finding(s.person_id, Reason.HYPERTENSION.value, f"TD {s.systolic}/{s.diastolic}"))
    if s.has_flag(ScreeningFlag.HYPERGLYCAEMIA):
        found.append(Finding(s.person_id, Reason.HYPERGLYCAEMIA.value, f"GDS {s.glucose_mg_dl} mg/dL"))
    if s.has_flag(ScreeningFlag.ANAEMIA):
        found.append(Finding(s.person_id, Reason.ANAEMIA.value, f"Hb {_number(s.haemoglobin_g_dl)} g/dL"))
    obesity = []
    if s.has_flag(ScreeningFlag.OBESITY):
        obesity.append(f"IMT/U z {s.z_bmifa:.2f}" if s.class_bmifa else f"IMT {_number(s.bmi)}")
    if s.has_flag(ScreeningFlag.CENTRAL_OBESITY):
        obesity.append(f"LP {_number(s.waist_cm)} cm")
    if obesity:
        found.append(Finding(s.person_id, Reason.OBESITY.value, "; ".join(obesity)))
    if s.has_flag(ScreeningFlag.FUNCTIONAL_DEPENDENCE):
        found.append(Finding(s.person_id, Reason.FUNCTIONAL_DEPENDENCE.value,
                             f"ADL {s.adl_score}/{rules.BARTHEL_MAX}"))
    return found


def day_findings(scope: Scope | None, *, posyandu_id: int, day: dt.date) -> list[Finding]:
    """Findings of the screenings taken on ``day`` at the posyandu, in the caller's health scope.

    A person screened twice that day is judged on the latest screening. Ordered by name, then by the
    vocabulary's order (hypertension, glucose, anaemia, obesity, dependence). Outsiders get [].
    """
    qs = screenings_visible(scope, posyandu_id=posyandu_id).filter(screened_on=day)
    latest: dict[int, Screening] = {}
    for screening in qs.order_by("created_at", "id"):
        latest[screening.person_id] = screening
    ordered = sorted(latest.values(), key=lambda s: (s.person.full_name, s.person_id))
    return [finding for s in ordered for finding in screening_findings(s)]


# --- The posyandu's list of latest results -------------------------------------------------------------


def latest_results(scope: Scope | None, *, posyandu_id: int, on: dt.date, flag: str = "") -> list[ScreeningTarget]:
    """Each resident of a screened life stage with their latest screening up to ``on``.

    With ``flag`` (a ScreeningFlag code), only those whose latest screening carries it.
    """
    targets = screening_targets(scope, posyandu_id=posyandu_id, on=on)
    if flag:
        targets = [t for t in targets if t.latest is not None and t.latest.has_flag(flag)]
    return targets


def bp_readings(person: Person) -> list[tuple[dt.date, int, int]]:
    """A person's screening blood pressures, oldest first, as (date, systolic, diastolic): the provider the
    FHIR export asks (``simpul.health.fhir.bp_readings``). Call only after the caller's scope allowed the
    read of the person."""
    rows = (Screening.objects.filter(person=person, superseded_by__isnull=True, systolic__isnull=False,
                                     diastolic__isnull=False)
            .values_list("screened_on", "systolic", "diastolic"))
    return sorted(rows)
