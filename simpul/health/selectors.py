"""Reads of measurements. Every function takes the caller's scope first.

Health detail is specific personal data (UU 27/2022): only grants that hold ``Perm.VIEW_HEALTH`` over
the place *and* carry the kesehatan field count. So a kader of the kesehatan field sees their posyandu, a
nakes the area of their membership, the Dinkes officer the regency; the desa, the camat, Tim Pembina,
another OPD and a kader of another field see nothing, and cannot tell a measurement exists.

A measurement is visible through the place where it was taken *or* the person's current place, so
the posyandu a child moved to sees the child's whole growth history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q, QuerySet

from simpul.accounts.roles import Perm, Role
from simpul.accounts.scope import Scope, require_scope
from simpul.core.choices import SpmField
from simpul.core.errors import NotInScope
from simpul.health import development
from simpul.health.development import DevelopmentResult
from simpul.health.findings import Finding, Reason
from simpul.health.growth.classify import LengthForAge, WeightForAge, WeightForLength
from simpul.health.growth.zscores import INDICES, STANDING_FROM_DAYS
from simpul.health.models import DevelopmentCheck, Measurement
from simpul.health.weightgain import monthly_status
from simpul.posyandu.models import Posyandu
from simpul.registry.lifestage import age_in_months
from simpul.registry.models import Person

HEALTH = SpmField.HEALTH.value


def health_scope(scope: Scope | None) -> Scope:
    """The same user's scope narrowed to the grants that carry the kesehatan field."""
    scope = require_scope(scope)
    return Scope(user_id=scope.user_id, grants=tuple(g for g in scope.grants if HEALTH in g.fields))


def may_see_health(scope: Scope, person) -> bool:
    return HEALTH in scope.fields_at(desa_code=person.desa_id, posyandu_id=person.posyandu_id, perm=Perm.VIEW_HEALTH)


def may_record_health(scope: Scope, person) -> bool:
    return HEALTH in scope.fields_at(desa_code=person.desa_id, posyandu_id=person.posyandu_id, perm=Perm.RECORD_HEALTH)


def _visible_q(scope: Scope) -> Q | None:
    health = health_scope(scope)
    at_place = health.q(Perm.VIEW_HEALTH, region_field="desa__code", posyandu_field="posyandu_id")
    person_now = health.q(Perm.VIEW_HEALTH, region_field="person__desa__code", posyandu_field="person__posyandu_id")
    if at_place is None or person_now is None:
        return None
    return at_place | person_now


def measurements_visible(scope: Scope | None, *, person_id: int | None = None,
                         include_superseded: bool = False) -> QuerySet[Measurement]:
    condition = _visible_q(require_scope(scope))
    if condition is None:
        return Measurement.objects.none()
    qs = Measurement.objects.filter(condition)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if not include_superseded:
        qs = qs.filter(superseded_by__isnull=True)
    return qs.select_related("person", "recorded_by", "validated_by")


def measurements_for_person(scope: Scope | None, person, *, include_superseded: bool = False) -> QuerySet[Measurement]:
    """A person's measurements, oldest first; NotInScope unless the user holds health for the person."""
    scope = require_scope(scope)
    if not may_see_health(scope, person):
        raise NotInScope()
    qs = Measurement.objects.filter(person=person)
    if not include_superseded:
        qs = qs.filter(superseded_by__isnull=True)
    return qs.select_related("recorded_by", "validated_by").order_by("measured_on", "created_at", "id")


def measurement_get(scope: Scope | None, pk) -> Measurement:
    measurement = measurements_visible(scope, include_superseded=True).filter(pk=pk).first()
    if measurement is None:
        raise NotInScope()
    return measurement


def measurement_by_client_uuid(scope: Scope | None, client_uuid) -> Measurement | None:
    if client_uuid is None:
        return None
    return measurements_visible(scope, include_superseded=True).filter(client_uuid=client_uuid).first()


def may_validate_health(scope: Scope, person) -> bool:
    """A nakes holding the kesehatan field over the person's place."""
    return any(g.role == Role.NAKES and HEALTH in g.fields and g.permits(Perm.VIEW_PERSON)
               and g.covers(desa_code=person.desa_id, posyandu_id=person.posyandu_id) for g in scope.grants)


# --- Development checks ----------------------------------------------------------------------------


def person_for_health(scope: Scope | None, pk) -> Person:
    """A person whose health record the user may see (the kesehatan field with health rights over the
    person's place): kader and nakes of the place, and the Dinkes officer. NotInScope otherwise."""
    condition = health_scope(scope).q(Perm.VIEW_HEALTH)
    person = None
    if condition is not None:
        person = Person.objects.filter(condition).select_related("desa", "posyandu").filter(pk=pk).first()
    if person is None:
        raise NotInScope()
    return person


def development_checks_visible(scope: Scope | None) -> QuerySet[DevelopmentCheck]:
    condition = _visible_q(require_scope(scope))
    if condition is None:
        return DevelopmentCheck.objects.none()
    return DevelopmentCheck.objects.filter(condition)


def development_checks_for_person(scope: Scope | None, person) -> QuerySet[DevelopmentCheck]:
    """A child's development checks, newest first; NotInScope unless the user holds health for the person."""
    scope = require_scope(scope)
    if not may_see_health(scope, person):
        raise NotInScope()
    return (DevelopmentCheck.objects.filter(person=person).select_related("recorded_by")
            .order_by("-checked_on", "-created_at", "-id"))


def development_check_by_client_uuid(scope: Scope | None, client_uuid) -> DevelopmentCheck | None:
    if client_uuid is None:
        return None
    return development_checks_visible(scope).filter(client_uuid=client_uuid).first()


# --- Findings of a posyandu day --------------------------------------------------------------------

#: children 6–59 months with LiLA below this are listed for the bidan (domain.md §3.3: < 11.5 cm severe,
#: 11.5 to < 12.5 cm moderate acute malnutrition; one code for both, the value in the detail) [U]
LOW_MUAC_CM = Decimal("12.5")
LOW_MUAC_MONTHS = (6, 59)  # completed months, both included

_INDEX_NAMES = {"wfa": ("BB/U", "BB/U"), "lhfa": ("PB/U", "TB/U"), "wflh": ("BB/PB", "BB/TB"),
                "bmifa": ("IMT/U", "IMT/U"), "hcfa": ("LK/U", "LK/U"), "acfa": ("LiLA/U", "LiLA/U")}
_REASON_ORDER = {code: i for i, code in enumerate(Reason.values)}


def _signed(number: float, places: int = 2) -> str:
    """"+1.23", "−2.45" (a true minus sign, as printed), "0.00"."""
    text = f"{number:+.{places}f}" if round(number, places) != 0 else f"{0:.{places}f}"
    return text.replace("-", "\u2212")


def _z_detail(m: Measurement, index: str) -> str:
    name = _INDEX_NAMES[index][0 if m.age_days < STANDING_FROM_DAYS else 1]
    return f"{name} {_signed(getattr(m, f'z_{index}'))}"


def _posyandu_for_health(scope: Scope | None, posyandu_id: int) -> Posyandu:
    scope = require_scope(scope)
    posyandu = Posyandu.objects.filter(pk=posyandu_id).first()
    if posyandu is None or HEALTH not in scope.fields_at(desa_code=posyandu.desa_id, posyandu_id=posyandu.pk,
                                                           perm=Perm.VIEW_HEALTH):
        raise NotInScope()
    return posyandu


def _measurement_findings(m: Measurement) -> list[Finding]:
    found = []
    if m.class_wfa == WeightForAge.SEVERELY_UNDERWEIGHT:
        found.append(Finding(m.person_id, Reason.SEVERELY_UNDERWEIGHT.value, _z_detail(m, "wfa")))
    if m.class_lhfa == LengthForAge.SEVERELY_STUNTED:
        found.append(Finding(m.person_id, Reason.SEVERELY_STUNTED.value, _z_detail(m, "lhfa")))
    elif m.class_lhfa == LengthForAge.STUNTED:
        found.append(Finding(m.person_id, Reason.STUNTED.value, _z_detail(m, "lhfa")))
    if m.class_wflh == WeightForLength.SEVERELY_WASTED:
        found.append(Finding(m.person_id, Reason.SEVERELY_WASTED.value, _z_detail(m, "wflh")))
    elif m.class_wflh == WeightForLength.WASTED:
        found.append(Finding(m.person_id, Reason.WASTED.value, _z_detail(m, "wflh")))
    months = age_in_months(m.person.birth_date, m.measured_on)
    if m.muac_cm is not None and m.muac_cm < LOW_MUAC_CM and LOW_MUAC_MONTHS[0] <= months <= LOW_MUAC_MONTHS[1]:
        found.append(Finding(m.person_id, Reason.LOW_MUAC.value, f"LiLA {m.muac_cm:.1f} cm"))
    flagged = [code.removeprefix("implausible_") for code in m.flags]
    if flagged:
        found.append(Finding(m.person_id, Reason.IMPLAUSIBLE.value,
                             ", ".join(_z_detail(m, index) for index in INDICES if index in flagged)))
    return found


def _development_detail(check: DevelopmentCheck) -> str:
    table = development.TABLES.get(check.table_version)
    band = table.band(check.band) if table else None
    return f"{check.no_count}/{len(check.answers)} tidak ({band.short if band else check.band})"


def day_findings(scope: Scope | None, *, posyandu_id: int, day: dt.date) -> list[Finding]:
    """Why children seen at a posyandu on a day need the bidan, from growth, weight gain and development.

    Reads the current measurements taken that day at that posyandu (2T and BGM from ``weightgain``,
    stunting, wasting, severe underweight and low LiLA from the stored classification, any WHO
    implausibility flag) and the development checks of that day with a possible delay. One finding per
    child and reason (several measurements that day: the latest one's value), ordered by child, then
    by the order of ``Reason``. NotInScope unless the user holds health over the posyandu.
    """
    posyandu = _posyandu_for_health(scope, posyandu_id)
    found: dict[tuple[int, str], Finding] = {}
    measurements = (measurements_visible(scope).filter(posyandu_id=posyandu.pk, measured_on=day)
                    .select_related("person").order_by("created_at", "id"))
    weighed_today = set()
    for m in measurements:
        if m.weight_kg is not None:
            weighed_today.add(m.person_id)
        for finding in _measurement_findings(m):
            found[(finding.person_id, finding.reason)] = finding
    if weighed_today:
        for gain in monthly_status(posyandu.pk, day).children:
            if gain.person_id not in weighed_today or gain.weighing.measured_on != day:
                continue
            if gain.two_t:
                detail = f"{_signed(gain.gain_g, 0)} g < KBM {gain.kbm_g} g"
                found[(gain.person_id, Reason.TWO_T.value)] = Finding(gain.person_id, Reason.TWO_T.value, detail)
            if gain.bgm:
                detail = f"BB/U {_signed(gain.weighing.z_wfa)}"
                found[(gain.person_id, Reason.BGM.value)] = Finding(gain.person_id, Reason.BGM.value, detail)
    checks = (development_checks_visible(scope)
              .filter(posyandu_id=posyandu.pk, checked_on=day, result=DevelopmentResult.POSSIBLE_DELAY)
              .order_by("created_at", "id"))
    for check in checks:
        found[(check.person_id, Reason.DEVELOPMENT_DELAY.value)] = Finding(
            check.person_id, Reason.DEVELOPMENT_DELAY.value, _development_detail(check))
    return sorted(found.values(), key=lambda f: (f.person_id, _REASON_ORDER[f.reason], f.detail))
