"""Writes of kader tasks: keeping them equal to the engine's verdicts, and dismissing one with a reason.

``tasks_sync`` is registered with ``simpul.spm.counters.on_refreshed`` (see ``apps.py``): after every counter
refresh it receives the current month's verdicts of the refreshed posyandu and opens, updates and closes
tasks from them — the records are never evaluated a second time for the task list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.scope import Scope
from simpul.audit.services import audit_record
from simpul.core.clock import latest_today
from simpul.core.errors import DomainError, NotInScope
from simpul.posyandu.models import Posyandu
from simpul.registry.models import Household, Person
from simpul.spm import catalogue, engine
from simpul.tasks import access
from simpul.tasks.models import TRANSITIONS, Task

# Indicators whose gap is closed through a referral: worked in the referral inbox, not as tasks.
REFERRAL_RULES = frozenset({"referral_resolved", "house_restored"})
SUBJECT_KINDS = (Task.Kind.PERSON, Task.Kind.HOUSEHOLD)
# Missing codes a kader cannot act on (``simpul.spm.rules.health``: a dose missed for good). They are shown
# on a task that has other reasons, but never open or keep a task alone.
NOT_ACTIONABLE = frozenset({"dose_missed"})
NOTE_MAX = 255

Key = tuple[str, str, int]  # (indicator, subject kind, subject id)


def kader_indicators() -> dict[str, catalogue.Indicator]:
    """Indicators a kader can act on: computed from Simpul's records, and not referral-based."""
    return {i.code: i for i in engine.computed() if i.source == catalogue.SIMPUL and i.rule not in REFERRAL_RULES}


def facts_of(missing: Iterable[engine.Missing], *, pending: bool = False) -> list[str]:
    """What a task is about, for deciding whether a dismissed task comes back (decision 0018).

    A fact is a missing code with its text-valued details (the dose, the trimester, the vitamin A month);
    counts (``have``/``need``) and dates are progress on the same fact, not a new one. So "DPT-HB-Hib 1"
    dismissed as refused stays dismissed all year, while a newly due "Campak-Rubela" opens a new task.
    """
    keys = set()
    for item in missing:
        ids = sorted(f"{k}={v}" for k, v in (item.detail or {}).items() if isinstance(v, str) and k != "due_on")
        keys.add(":".join([item.code, *ids]))
    if not keys:
        keys.add("pending" if pending else "unserved")
    return sorted(keys)


def _reasons(missing: Iterable[engine.Missing]) -> list[dict]:
    return [{"code": m.code, "detail": dict(m.detail or {}), "due_on": m.due_on} for m in missing]


def _due_on(missing: Iterable[engine.Missing]) -> dt.date | None:
    days = [dt.date.fromisoformat(m.due_on) for m in missing if m.due_on]
    return min(days) if days else None


def _key(task: Task) -> Key:
    return (task.indicator, task.subject_kind, task.subject_id)


def _subjects_q(keys: Iterable[Key]) -> Q:
    people = {k[2] for k in keys if k[1] == Task.Kind.PERSON}
    households = {k[2] for k in keys if k[1] == Task.Kind.HOUSEHOLD}
    return Q(person_id__any=people) | Q(household_id__any=households)


def _gone(tasks: list[Task], posyandu_ids: frozenset[int]) -> set[int]:
    """Tasks whose subject no longer lives in these posyandu (died, moved, household dissolved)."""
    people = {t.person_id for t in tasks if t.person_id}
    households = {t.household_id for t in tasks if t.household_id}
    here_people = set(Person.objects.filter(pk__any=people, posyandu_id__any=posyandu_ids, duplicate_of__isnull=True,
                                            life_status=Person.LifeStatus.ALIVE).values_list("pk", flat=True))
    here_households = set(Household.objects.filter(pk__any=households, posyandu_id__any=posyandu_ids,
                                                   status=Household.Status.ACTIVE).values_list("pk", flat=True))
    return {t.pk for t in tasks
            if (t.person_id and t.person_id not in here_people)
            or (t.household_id and t.household_id not in here_households)}


def tasks_sync(posyandu_ids, year: int, judged: list[engine.Judged], today: dt.date, *,
               codes: Iterable[str] | None = None, now: dt.datetime | None = None) -> None:
    """Make the open tasks of these posyandu follow this month's verdicts (a ``counters.on_refreshed`` listener).

    - an unserved verdict (pending included) opens a task, or updates the open one (reasons, due date, and
      the posyandu when the subject moved between two refreshed posyandu);
    - an open task whose subject is now served, or no longer in the sasaran, is closed (done); so is one
      whose only reasons left are ones the kader cannot act on (``NOT_ACTIONABLE``: a dose missed for good);
    - a task dismissed this year is not opened again unless the verdict brings a new fact (``facts_of``).

    The refresh may have judged only some indicators (a screening refreshes the screening indicators). The
    listener is not told which, so an indicator counts as judged when it has a verdict here (or is in
    ``codes``); open tasks of other indicators close only when their subject has left these posyandu.
    """
    if year != today.year:
        return  # tasks are this year's work; a recompute of a past year changes no task
    now = now or timezone.now()
    ids = frozenset(posyandu_ids)
    actionable = kader_indicators()
    judged_codes = set(codes or ()) & set(actionable)
    unserved: dict[Key, engine.Judged] = {}
    served: set[Key] = set()
    stuck: set[Key] = set()  # unserved, but nothing left the kader can do
    for item in judged:
        if item.indicator not in actionable or item.unit.kind not in SUBJECT_KINDS:
            continue
        judged_codes.add(item.indicator)
        key = (item.indicator, item.unit.kind, item.unit.id)
        if item.verdict.served:
            served.add(key)
        elif item.verdict.missing and all(m.code in NOT_ACTIONABLE for m in item.verdict.missing):
            stuck.add(key)
        else:
            unserved[key] = item
    desa_of = dict(Posyandu.objects.filter(pk__in=ids | {j.verdict.posyandu_id for j in unserved.values()})
                   .values_list("pk", "desa_id"))
    with transaction.atomic():
        here = list(Task.objects.select_for_update().filter(status=Task.Status.OPEN, posyandu_id__in=ids,
                                                            indicator__in=actionable))
        elsewhere = list(Task.objects.select_for_update().filter(status=Task.Status.OPEN)
                         .filter(_subjects_q(unserved)).exclude(posyandu_id__in=ids)) if unserved else []
        close: dict[int, str] = {}
        for task in here:
            if task.year < year:
                close[task.pk] = Task.Closed.YEAR_ENDED
            elif _key(task) in unserved:
                continue
            elif _key(task) in stuck:
                close[task.pk] = Task.Closed.NOTHING_TO_DO
            elif task.indicator in judged_codes:
                close[task.pk] = Task.Closed.SERVED if _key(task) in served else Task.Closed.LEFT
        unjudged = [t for t in here if t.pk not in close and t.indicator not in judged_codes]
        for pk in _gone(unjudged, ids):
            close[pk] = Task.Closed.LEFT
        open_by_key = {_key(t): t for t in here + elsewhere if t.pk not in close}
        dismissed: dict[Key, set[str]] = {}
        if unserved:
            for task in Task.objects.filter(status=Task.Status.DISMISSED, year=year).filter(_subjects_q(unserved)):
                dismissed.setdefault(_key(task), set()).update(task.facts)
        create, update = [], []
        for key, item in unserved.items():
            verdict = item.verdict
            values = {"posyandu_id": verdict.posyandu_id, "desa_id": desa_of[verdict.posyandu_id],
                      "reasons": _reasons(verdict.missing), "facts": facts_of(verdict.missing, pending=verdict.pending),
                      "due_on": _due_on(verdict.missing), "pending": verdict.pending}
            task = open_by_key.get(key)
            if task is not None:
                if any(getattr(task, name) != value for name, value in values.items()):
                    for name, value in values.items():
                        setattr(task, name, value)
                    task.updated_at = now
                    update.append(task)
                continue
            if key in dismissed and set(values["facts"]) <= dismissed[key]:
                continue  # dismissed this year for the same facts
            code, kind, subject_id = key
            create.append(Task(indicator=code, field=actionable[code].field, subject_kind=kind, year=year,
                               person_id=subject_id if kind == Task.Kind.PERSON else None,
                               household_id=subject_id if kind == Task.Kind.HOUSEHOLD else None,
                               opened_at=now, updated_at=now, **values))
        if close:
            for because in set(close.values()):
                Task.objects.filter(pk__in=[pk for pk, b in close.items() if b == because]).update(
                    status=Task.Status.DONE, closed_at=now, closed_because=because, updated_at=now)
        Task.objects.bulk_update(update, ["posyandu_id", "desa_id", "reasons", "facts", "due_on", "pending",
                                          "updated_at"])
        # A refresh running at the same time may have opened the same task: the partial unique constraint
        # keeps one, and this insert skips it.
        Task.objects.bulk_create(create, ignore_conflicts=True)


def _leave(*, actor, scope: Scope, person: Person, reason: str, on: dt.date, now: dt.datetime) -> None:
    """Record in the registry that the person moved away or died, through the registry's own service.

    There is no separate leave service: ``person_update`` with a life status and its date is how the person
    page records it, and the SPM data stop counting the person from that date (``PosyanduData.residents``).
    """
    from simpul.registry.services import PersonInput, person_update

    if person.life_status != Person.LifeStatus.ALIVE:
        return  # already recorded (the kader may have edited the person first)
    data = PersonInput(
        full_name=person.full_name, sex=person.sex, birth_date=person.birth_date, relationship=person.relationship,
        birth_date_estimated=person.birth_date_estimated, nik=person.nik, phone=person.phone,
        mother_name=person.mother_name, education_status=person.education_status, school_name=person.school_name,
        disability_type=person.disability_type,
        life_status=Person.LifeStatus.MOVED if reason == Task.Reason.MOVED else Person.LifeStatus.DECEASED,
        life_status_date=on)
    try:
        person_update(actor=actor, scope=scope, person=person, data=data, now=now)
    except DomainError as exc:
        if isinstance(exc, NotInScope):
            raise
        # The registry speaks of the life-status date; on this form it is the "on" date.
        errors = {("on" if name == "life_status_date" else name): messages
                  for name, messages in exc.field_errors.items()}
        raise DomainError(exc.message, field_errors=errors, code=exc.code) from exc


@transaction.atomic
def task_dismiss(*, actor, scope: Scope, task: Task, reason: str, note: str = "", on: dt.date | None = None,
                 now: dt.datetime | None = None) -> Task:
    """Close an open task by hand, with a reason; moved and deceased also correct the registry.

    - moved / deceased: the person's life status and its date are recorded, so the next refresh drops them
      from every denominator of the posyandu from that day (and closes their other tasks);
    - refused: the task closes, the person stays in the denominator — a refusal keeps the posyandu under 100%;
    - not_found / other: the task closes, nothing else changes (other needs a note).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not access.may_work(scope, task):
        raise NotInScope()
    if Task.Status.DISMISSED not in TRANSITIONS[task.status]:
        raise DomainError(_("This task is already closed."), code="conflict")
    errors: dict[str, list[str]] = {}
    note = " ".join((note or "").split())
    if reason not in Task.Reason.values:
        errors["reason"] = [_("Choose one of the listed reasons.")]
    elif reason in (Task.Reason.MOVED, Task.Reason.DECEASED) and task.subject_kind != Task.Kind.PERSON:
        errors["reason"] = [_("This reason is for a person. Record a household's move on the household page.")]
    if reason == Task.Reason.OTHER and not note:
        errors["note"] = [_("Write a short note when the reason is “other”.")]
    if len(note) > NOTE_MAX:
        errors["note"] = [_("The note can be at most %(max)d characters.") % {"max": NOTE_MAX}]
    day = on or today
    if reason in (Task.Reason.MOVED, Task.Reason.DECEASED) and day > latest_today(now):
        errors["on"] = [_("This date cannot be in the future.")]
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    if reason in (Task.Reason.MOVED, Task.Reason.DECEASED):
        _leave(actor=actor, scope=scope, person=Person.objects.get(pk=task.person_id), reason=reason, on=day, now=now)
    task.status = Task.Status.DISMISSED
    task.closed_at = task.updated_at = now
    task.dismissed_by = actor if getattr(actor, "pk", None) else None
    task.dismiss_reason = reason
    task.dismiss_note = note
    task.save(update_fields=["status", "closed_at", "updated_at", "dismissed_by", "dismiss_reason", "dismiss_note"])
    changes = {"status": (Task.Status.OPEN, Task.Status.DISMISSED), "reason": reason, "indicator": task.indicator,
               "subject": f"{task.subject_kind}#{task.subject_id}", "note": note}
    if reason in (Task.Reason.MOVED, Task.Reason.DECEASED):
        changes["on"] = day.isoformat()
    audit_record(actor=actor, action="tasks.task.dismissed", obj=task, region_code=task.desa_id, changes=changes)
    return task
