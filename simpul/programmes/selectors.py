"""Reads of programmes: scoped first, failing closed (``simpul.programmes.access`` has the rules).

Reach and the not-reached list are computed on read from the target rule (``eligibility``) and the
participations: *eligible* is whoever falls in the target group in the programme's area on the day asked;
*reached* is whoever of them attended (or received at home) at least one activity up to that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from simpul.accounts.scope import Scope, require_scope
from simpul.core.errors import NotInScope
from simpul.posyandu.models import Posyandu
from simpul.programmes import access, eligibility
from simpul.programmes.models import FollowUp, Participation, Programme, ProgrammeActivity
from simpul.regions.models import Region
from simpul.registry.models import Person
from simpul.spm.unserved import age_text, mask_name

PAGE_SIZE = 50


def programmes_visible(scope: Scope | None, *, field: str = "", kind: str = "", status: str = "") -> QuerySet:
    scope = require_scope(scope)
    condition = access.visible_q(scope)
    if condition is None:
        return Programme.objects.none()
    rows = Programme.objects.filter(condition).select_related("region", "posyandu", "agency")
    if field:
        rows = rows.filter(field=field)
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    return rows


def with_participants(rows: QuerySet) -> QuerySet:
    """Each programme with how many different people it reached so far (a count, no names)."""
    reached = Q(activities__participations__status__in=Participation.REACHED)
    return rows.annotate(
        participants=Count("activities__participations__person", filter=reached, distinct=True)
    )


def programme_get(scope: Scope | None, pk: int) -> Programme:
    programme = programmes_visible(scope).filter(pk=pk).first()
    if programme is None:
        raise NotInScope()
    return programme


def reached_ids(programme: Programme, on: dt.date) -> set[int]:
    return set(
        Participation.objects.filter(
            activity__programme=programme, activity__date__lte=on, status__in=Participation.REACHED
        ).values_list("person_id", flat=True)
    )


@dataclass(frozen=True)
class ReachRow:
    code: str
    name: str
    eligible: int
    reached: int  # eligible people reached
    participants: int  # everyone reached, eligible or not

    @property
    def percent(self) -> float | None:
        return round(100 * self.reached / self.eligible, 1) if self.eligible else None


@dataclass(frozen=True)
class Reach:
    total: ReachRow
    rows: list[ReachRow]  # per desa, or per kecamatan for an area above a kecamatan
    by: str  # "desa" | "kecamatan" | "posyandu"
    on: dt.date


def reach(programme: Programme, *, on: dt.date | None = None) -> Reach:
    """Eligible, reached and % for the programme's area, broken down for TP Posyandu (aggregates only)."""
    on = on or timezone.localdate()
    ids = access.posyandu_in_area(programme)
    places = dict(Posyandu.objects.filter(pk__in=ids).values_list("pk", "desa_id"))
    names = dict(Posyandu.objects.filter(pk__in=ids).values_list("pk", "name"))
    eligible = eligibility.eligible(programme.target_rule, programme.target_params, ids, on)
    reached = reached_ids(programme, on)
    participant_places = dict(
        Participation.objects.filter(person_id__in=reached).values_list("person_id", "person__posyandu_id")
    )
    region_len = len(programme.region_id)
    if programme.posyandu_id is not None or region_len >= 10:
        by, key = "posyandu", (lambda posyandu_id: str(posyandu_id))
    elif region_len >= 6:
        by, key = "desa", (lambda posyandu_id: places.get(posyandu_id, "")[:10])
    else:
        by, key = "kecamatan", (lambda posyandu_id: places.get(posyandu_id, "")[:6])
    counts: dict[str, list[int]] = {}
    for entry in eligible:
        row = counts.setdefault(key(entry.posyandu_id), [0, 0, 0])
        row[0] += 1
        row[1] += entry.person_id in reached
    for person_id in reached:
        posyandu_id = participant_places.get(person_id)
        if posyandu_id in places:
            counts.setdefault(key(posyandu_id), [0, 0, 0])[2] += 1
    labels = (
        {str(pk): name for pk, name in names.items()}
        if by == "posyandu"
        else dict(Region.objects.filter(code__in=counts).values_list("code", "name"))
    )
    rows = sorted(
        (ReachRow(code, labels.get(code, code), *values) for code, values in counts.items()),
        key=lambda r: r.name,
    )
    total = ReachRow("", "", len(eligible), sum(1 for e in eligible if e.person_id in reached), len(reached))
    return Reach(total, rows, by, on)


@dataclass(frozen=True)
class NotReachedRow:
    id: int | None  # None when masked
    name: str
    age: str
    sex: str
    rt: str
    rw: str
    posyandu: str
    desa: str


@dataclass(frozen=True)
class NotReachedPage:
    rows: list[NotReachedRow]
    total: int
    page: int
    pages: int
    names_visible: bool  # every row named (False when at least one place is masked for this user)


def not_reached(
    scope: Scope | None,
    programme: Programme,
    *,
    on: dt.date | None = None,
    page: int | None = 1,
    desa: str = "",
) -> NotReachedPage:
    """Eligible in the programme's area, never a participant up to ``on``: named or masked per place."""
    scope = require_scope(scope)
    on = on or timezone.localdate()
    ids = access.posyandu_in_area(programme)
    if desa:
        ids = list(Posyandu.objects.filter(pk__in=ids, desa_id=desa).values_list("pk", flat=True))
    reached = reached_ids(programme, on)
    missed = [
        e
        for e in eligibility.eligible(programme.target_rule, programme.target_params, ids, on)
        if e.person_id not in reached
    ]
    posyandu = {
        pk: (name, desa_id)
        for pk, name, desa_id in Posyandu.objects.filter(pk__in=ids).values_list("pk", "name", "desa_id")
    }
    desa_names = dict(
        Region.objects.filter(code__in={d for _n, d in posyandu.values()}).values_list("code", "name")
    )
    visible = {
        pk: access.names_visible(scope, programme, desa_code=d, posyandu_id=pk)
        for pk, (_n, d) in posyandu.items()
    }
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in=[e.person_id for e in missed]).select_related("household")
    }
    rows = []
    for entry in missed:
        person = people[entry.person_id]
        shown = visible.get(entry.posyandu_id, False)
        household = person.household
        name, desa_id = posyandu.get(entry.posyandu_id, ("", ""))
        rows.append(
            NotReachedRow(
                person.pk if shown else None,
                person.full_name if shown else mask_name(person.full_name),
                age_text(person.birth_date, on),
                person.sex,
                household.rt if household else "",
                household.rw if household else "",
                name,
                desa_names.get(desa_id, ""),
            )
        )
    rows.sort(key=lambda r: (r.desa, r.posyandu, r.rw, r.rt, r.name))
    all_named = bool(visible) and all(visible.values())
    if page is None:
        return NotReachedPage(rows, len(rows), 1, 1, all_named)
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(1, page), pages)
    return NotReachedPage(rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE], len(rows), page, pages, all_named)


def activities(programme: Programme) -> QuerySet:
    return ProgrammeActivity.objects.filter(programme=programme).select_related("posyandu")


def activity_get(scope: Scope | None, programme: Programme, pk: int) -> ProgrammeActivity:
    require_scope(scope)
    activity = activities(programme).filter(pk=pk).first()
    if activity is None:
        raise NotInScope()
    return activity


def participations_named(
    scope: Scope | None, activity: ProgrammeActivity
) -> list[tuple[Participation, bool]]:
    """The attendance of one activity with, per row, whether this user may see the name."""
    scope = require_scope(scope)
    rows = list(activity.participations.select_related("person", "person__household"))
    cache: dict[tuple[str, int], bool] = {}
    result = []
    for row in rows:
        place = (row.person.desa_id, row.person.posyandu_id)
        if place not in cache:
            cache[place] = access.names_visible(
                scope, activity.programme, desa_code=place[0], posyandu_id=place[1]
            )
        result.append((row, cache[place]))
    return result


def follow_ups(programme: Programme) -> QuerySet:
    return FollowUp.objects.filter(programme=programme).select_related("person")


def outcome_counts(programme: Programme) -> dict[str, int]:
    """Per outcome, how many trainees are there now (by their latest follow-up)."""
    latest: dict[int, str] = {}
    for person_id, outcome in (
        FollowUp.objects.filter(programme=programme)
        .order_by("date", "id")
        .values_list("person_id", "outcome")
    ):
        latest[person_id] = outcome
    counts: dict[str, int] = {}
    for outcome in latest.values():
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def history_for_people(scope: Scope | None, person_ids: list[int]) -> list[dict]:
    """A person's or household's programme history, only programmes this user may see."""
    scope = require_scope(scope)
    condition = access.visible_q(scope)
    if condition is None or not person_ids:
        return []
    visible = set(Programme.objects.filter(condition).values_list("pk", flat=True))
    rows = (
        Participation.objects.filter(person_id__in=person_ids, activity__programme_id__in=visible)
        .select_related("activity", "activity__programme", "person")
        .order_by("-activity__date", "-id")
    )
    latest_follow = {}
    for row in FollowUp.objects.filter(person_id__in=person_ids, programme_id__in=visible).order_by(
        "date", "id"
    ):
        latest_follow[(row.programme_id, row.person_id)] = row
    history = []
    for row in rows:
        history.append(
            {
                "participation": row,
                "activity": row.activity,
                "programme": row.activity.programme,
                "person": row.person,
                "follow_up": latest_follow.get((row.activity.programme_id, row.person_id)),
            }
        )
    return history


def offers_for_household(
    scope: Scope | None, household, *, on: dt.date | None = None, limit: int = 10
) -> list[dict]:
    """Running programmes this user may see that reach the household's posyandu and target members of it who
    were never reached: what the kader can offer the family (e.g. a training when the only earner stopped)."""
    scope = require_scope(scope)
    on = on or timezone.localdate()
    desa = household.desa_id
    programmes = [
        p
        for p in programmes_visible(scope, status=Programme.Status.ACTIVE)
        .exclude(target_rule="")
        .filter(start_date__lte=on)
        .order_by("name")
        if (p.posyandu_id == household.posyandu_id if p.posyandu_id else desa.startswith(p.region_id))
        and (p.end_date is None or p.end_date >= on)
    ][:limit]
    if not programmes:
        return []
    registry = eligibility.Registry([household.posyandu_id], on)
    members = {pk: name for pk, name in household.members.values_list("pk", "full_name")}
    offers = []
    for programme in programmes:
        wanted = [
            e.person_id
            for e in eligibility.eligible(
                programme.target_rule, programme.target_params, [household.posyandu_id], on, registry=registry
            )
            if e.person_id in members
        ]
        reached = reached_ids(programme, on) if wanted else set()
        missed = [pk for pk in wanted if pk not in reached]
        if missed:
            offers.append({"programme": programme, "people": [members[pk] for pk in missed]})
    return offers


def attendance_candidates(
    scope: Scope, programme: Programme, activity: ProgrammeActivity, *, everyone: bool
) -> list[dict]:
    """Who to tick: the eligible of the posyandu this user may name (or all residents), plus anyone recorded."""
    runnable = access.runnable_posyandu(scope, programme)
    if activity.posyandu_id:
        runnable = [pk for pk in runnable if pk == activity.posyandu_id]
    if everyone or not programme.target_rule:
        ids = set(
            Person.objects.filter(
                posyandu_id__in=runnable, duplicate_of__isnull=True, life_status=Person.LifeStatus.ALIVE
            ).values_list("pk", flat=True)[:1000]
        )
    else:
        ids = {
            e.person_id
            for e in eligibility.eligible(
                programme.target_rule, programme.target_params, runnable, activity.date
            )
        }
    recorded = {p.person_id: p for p in activity.participations.all()}
    ids |= {pk for pk, row in recorded.items()}
    people = (
        Person.objects.filter(pk__in=ids, posyandu_id__in=runnable)
        .select_related("household")
        .order_by("household__rw", "household__rt", "full_name")
    )
    return [
        {
            "person": p,
            "status": recorded[p.pk].status if p.pk in recorded else "",
            "given": recorded[p.pk].given if p.pk in recorded else "",
        }
        for p in people
    ]


def reached_people(programme: Programme, runnable_posyandu) -> QuerySet[Person]:
    """The programme's participants living in the posyandu this user runs (for the follow-up form)."""
    return Person.objects.filter(
        pk__in=Participation.objects.filter(
            activity__programme=programme, status__in=Participation.REACHED
        ).values("person_id"),
        posyandu_id__in=runnable_posyandu,
    ).order_by("full_name")
