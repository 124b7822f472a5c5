"""Shared helpers of the task tests: families whose services are missing, screenings, and tasks by hand.

``family_with_tasks`` registers inside a captured on-commit block, so the counter refresh runs and hands its
verdicts to the task listener, as in production. ``make_task`` writes a task directly, for tests of the
pages, the API and the supervisor counts, whose numbers must not depend on the rules' details.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from conftest import register_family
from simpul.accounts.scope import scope_for
from simpul.screening.services import ScreeningInput, screening_record
from simpul.spm import catalogue
from simpul.spm.engine import Judged, Missing, Unit, Verdict
from simpul.tasks.models import Task

# The day the task tests run on, whatever the machine's clock says (``conftest.on_the_kits_day``): they mix
# the services' own clock (a family registered now, a screening today) with fixed dates of the rules' year.
TODAY = dt.date(2026, 11, 23)


def family_with_tasks(user, posyandu, capture, **kwargs):
    with capture(execute=True):
        return register_family(user, posyandu, **kwargs)


def screen(user, person, capture, on: dt.date | None = None):
    with capture(execute=True):
        return screening_record(actor=user, scope=scope_for(user), person=person,
                                data=ScreeningInput(screened_on=on or timezone.localdate(), weight_kg="60",
                                                    height_cm="160", systolic=120, diastolic=80))


def open_tasks(**filters):
    return Task.objects.filter(status=Task.Status.OPEN, **filters)


def make_task(subject, indicator: str = "kes.usia_produktif", *, status: str = Task.Status.OPEN,
              due_on: dt.date | None = dt.date(2026, 12, 31), reasons=None, year: int = 2026, **extra) -> Task:
    """A task on a person or household, as the listener would write it."""
    is_person = subject._meta.model_name == "person"
    closed = {} if status == Task.Status.OPEN else {"closed_at": timezone.now()}
    if reasons is None:
        reasons = [{"code": "screening", "detail": {"year": year}, "due_on": due_on.isoformat() if due_on else None}]
    return Task.objects.create(
        posyandu_id=subject.posyandu_id, desa_id=subject.desa_id, indicator=indicator,
        field=catalogue.get(indicator).field, subject_kind="person" if is_person else "household",
        person=subject if is_person else None, household=None if is_person else subject,
        reasons=reasons, facts=sorted({r["code"] for r in reasons}), due_on=due_on, year=year, status=status,
        **closed, **extra)


def unserved(indicator: str, person, posyandu_id: int, *missing: Missing, month: int = 11) -> Judged:
    return Judged(indicator, month, Unit("person", person.pk), Verdict(posyandu_id, False, tuple(missing)))


def served(indicator: str, person, posyandu_id: int, month: int = 11) -> Judged:
    return Judged(indicator, month, Unit("person", person.pk), Verdict(posyandu_id, True))
