"""Reads of kader tasks. Every function takes the scope first and narrows per grant (``simpul.tasks.access``).

Named rows for the kader's list, the home page and the attendance list; counts per posyandu (and per kader's
dismissals) for the supervisor view. Sentences are made here, when read, in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import Membership
from simpul.accounts.roles import Role
from simpul.accounts.scope import Scope, require_scope
from simpul.core.choices import SpmField
from simpul.core.errors import DomainError, NotInScope
from simpul.posyandu.models import Posyandu
from simpul.spm import catalogue
from simpul.spm.presenters import missing_text
from simpul.tasks import access
from simpul.tasks.models import Task

HOME_SIZE = 5
LEAD = 3  # sentences shown per task in lists


def tasks_visible(scope: Scope | None, *, status: str = Task.Status.OPEN, indicator: str = "", field: str = "",
                  posyandu_id: int | None = None) -> QuerySet[Task]:
    """Tasks whose names the user may see, most urgent first (no due date last)."""
    scope = require_scope(scope)
    condition = access.named_q(scope)
    if condition is None:
        return Task.objects.none()
    errors = {}
    if status and status not in Task.Status.values:
        errors["status"] = [_("Choose one of: %(options)s.") % {"options": ", ".join(Task.Status.values)}]
    if indicator and catalogue.get(indicator) is None:
        errors["indicator"] = [_("Unknown indicator.")]
    if field and field not in SpmField.values:
        errors["field"] = [_("Choose one of the six fields.")]
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    qs = Task.objects.filter(condition)
    if status:
        qs = qs.filter(status=status)
    if indicator:
        qs = qs.filter(indicator=indicator)
    if field:
        qs = qs.filter(field=field)
    if posyandu_id is not None:
        qs = qs.filter(posyandu_id=posyandu_id)
    return (qs.select_related("person__household", "household", "posyandu")
            .order_by(F("due_on").asc(nulls_last=True), "indicator", "id"))


def task_get(scope: Scope | None, pk: int) -> Task:
    task = tasks_visible(scope, status="").filter(pk=pk).first()
    if task is None:
        raise NotInScope()
    return task


@dataclass(frozen=True)
class TaskRow:
    task: Task
    name: str
    url: str
    indicator: str
    sentences: list[str]
    due_on: dt.date | None
    overdue: bool

    @property
    def lead(self) -> list[str]:
        """The first few sentences: a child behind on many doses should not fill the screen."""
        return self.sentences[:LEAD]

    @property
    def more(self) -> int:
        return max(0, len(self.sentences) - LEAD)

    def as_dict(self) -> dict:
        task = self.task
        return {"id": task.pk, "indicator": task.indicator, "indicator_name": self.indicator, "field": task.field,
                "subject_kind": task.subject_kind, "person_id": task.person_id, "household_id": task.household_id,
                "name": self.name, "posyandu_id": task.posyandu_id, "posyandu": task.posyandu.name,
                "status": task.status, "pending": task.pending,
                "due_on": self.due_on.isoformat() if self.due_on else None, "overdue": self.overdue,
                "reasons": [{"code": m.code, "detail": m.detail, "due_on": m.due_on, "text": text}
                            for m, text in zip(task.missing, self.sentences, strict=True)],
                "opened_at": task.opened_at.isoformat(),
                "closed_at": task.closed_at.isoformat() if task.closed_at else None,
                "closed_because": task.closed_because, "dismiss_reason": task.dismiss_reason}


def subject_name(task: Task) -> str:
    if task.subject_kind == Task.Kind.PERSON and task.person is not None:
        return task.person.full_name
    if task.subject_kind == Task.Kind.HOUSEHOLD and task.household is not None:
        head = task.household.head_name or task.household.address
        return _("Household of %(name)s") % {"name": head}
    return ""


def rows(tasks, *, today: dt.date | None = None) -> list[TaskRow]:
    today = today or timezone.localdate()
    out = []
    for task in tasks:
        if task.subject_kind == Task.Kind.PERSON:
            url = reverse("registry:person_detail", args=[task.person_id])
        else:
            url = reverse("registry:household_detail", args=[task.household_id])
        indicator = catalogue.get(task.indicator)
        out.append(TaskRow(task, subject_name(task), url, str(indicator.name) if indicator else task.indicator,
                           [missing_text(m) for m in task.missing], task.due_on,
                           task.status == Task.Status.OPEN and task.due_on is not None and task.due_on < today))
    return out


@dataclass
class Group:
    code: str  # overdue | month | later | none
    label: str
    kinds: list[tuple[str, list[TaskRow]]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(r) for _kind, r in self.kinds)


def grouped(task_rows: list[TaskRow], *, today: dt.date | None = None) -> list[Group]:
    """Rows by due date (overdue, due this month, later, no date), then by kind (people, households)."""
    today = today or timezone.localdate()
    labels = {"overdue": _("Overdue"), "month": _("Due this month"), "later": _("Due later"),
              "none": _("No due date")}
    kinds = {Task.Kind.PERSON: _("People"), Task.Kind.HOUSEHOLD: _("Households"), Task.Kind.REPORT: _("Reports")}
    buckets: dict[str, dict[str, list[TaskRow]]] = defaultdict(lambda: defaultdict(list))
    for row in task_rows:
        if row.due_on is None:
            bucket = "none"
        elif row.due_on < today:
            bucket = "overdue"
        elif (row.due_on.year, row.due_on.month) == (today.year, today.month):
            bucket = "month"
        else:
            bucket = "later"
        buckets[bucket][row.task.subject_kind].append(row)
    return [Group(code, labels[code], [(kinds[k], buckets[code][k]) for k in kinds if buckets[code].get(k)])
            for code in labels if code in buckets]


@dataclass(frozen=True)
class HomeTasks:
    count: int
    overdue: int
    urgent: list[TaskRow]


def home_tasks(scope: Scope | None, *, today: dt.date | None = None) -> HomeTasks | None:
    """The home page's count and the five most urgent open tasks; None for users who see no task names."""
    scope = require_scope(scope)
    if not access.may_list(scope):
        return None
    today = today or timezone.localdate()
    qs = tasks_visible(scope)
    counts = qs.aggregate(n=Count("id"), late=Count("id", filter=Q(due_on__lt=today)))
    return HomeTasks(counts["n"], counts["late"], rows(qs[:HOME_SIZE], today=today))


def open_by_person(scope: Scope | None, *, posyandu_id: int, person_ids, today: dt.date | None = None,
                   ) -> dict[int, list[TaskRow]]:
    """Open tasks of the people on a posyandu day's list, by person (the attendance page)."""
    found: dict[int, list[TaskRow]] = defaultdict(list)
    qs = tasks_visible(scope, posyandu_id=posyandu_id).filter(person_id__in=list(person_ids))
    for row in rows(qs, today=today):
        found[row.task.person_id].append(row)
    return dict(found)


# --- Supervisor view: counts per posyandu, dismissals per kader ---------------------------------------


@dataclass
class SummaryRow:
    posyandu: Posyandu
    open: int = 0
    overdue: int = 0
    served: int = 0
    left: int = 0
    dismissed: int = 0
    refused: int = 0
    kader: list[str] = field(default_factory=list)
    names_visible: bool = False

    @property
    def done(self) -> int:
        return self.served + self.left


@dataclass
class KaderRow:
    name: str
    posyandu: str
    dismissed: int
    refused: int


@dataclass
class Summary:
    year: int
    rows: list[SummaryRow]
    kader: list[KaderRow]

    @property
    def totals(self) -> SummaryRow:
        total = SummaryRow(posyandu=None)  # type: ignore[arg-type]
        for row in self.rows:
            for name in ("open", "overdue", "served", "left", "dismissed", "refused"):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        return total


def summary(scope: Scope | None, *, year: int, field: str = "", today: dt.date | None = None) -> Summary:
    """Open, done and dismissed tasks of ``year`` per posyandu the user may count, in the fields they hold."""
    scope = require_scope(scope)
    condition = access.counted_q(scope)
    if condition is None:
        raise NotInScope()
    if field and field not in SpmField.values:
        raise DomainError(_("Unknown SPM field."), field_errors={"field": [_("Choose one of the six fields.")]})
    today = today or timezone.localdate()
    qs = Task.objects.filter(condition, year=year)
    if field:
        qs = qs.filter(field=field)
    counted = {}
    for values in qs.values("posyandu_id").annotate(
            open=Count("id", filter=Q(status=Task.Status.OPEN)),
            overdue=Count("id", filter=Q(status=Task.Status.OPEN, due_on__lt=today)),
            served=Count("id", filter=Q(status=Task.Status.DONE, closed_because=Task.Closed.SERVED)),
            left=Count("id", filter=Q(status=Task.Status.DONE) & ~Q(closed_because=Task.Closed.SERVED)),
            dismissed=Count("id", filter=Q(status=Task.Status.DISMISSED)),
            refused=Count("id", filter=Q(status=Task.Status.DISMISSED, dismiss_reason=Task.Reason.REFUSED))):
        counted[values.pop("posyandu_id")] = values
    # Every posyandu the user may count is listed, with zeros where nothing is open: a quiet posyandu shows.
    places = Posyandu.objects.filter(_posyandu_q(scope)).select_related("desa").order_by("desa_id", "name")
    kader_names: dict[int, list[str]] = defaultdict(list)
    for posyandu_id, first, last, username in (Membership.objects.filter(
            role=Role.KADER, active=True, posyandu__in=places)
            .values_list("posyandu_id", "user__first_name", "user__last_name", "user__username")
            .order_by("user__username")):
        kader_names[posyandu_id].append(" ".join(p for p in (first, last) if p) or username)
    out = []
    for place in places:
        row = SummaryRow(place, **counted.get(place.pk, {}))
        row.kader = kader_names.get(place.pk, [])
        row.names_visible = access.names_at(scope, desa_code=place.desa_id, posyandu_id=place.pk)
        out.append(row)
    kader = [KaderRow(" ".join(p for p in (first, last) if p) or username, posyandu, n, refused)
             for first, last, username, posyandu, n, refused in (
                 qs.filter(status=Task.Status.DISMISSED, dismissed_by__isnull=False)
                 .values_list("dismissed_by__first_name", "dismissed_by__last_name", "dismissed_by__username",
                              "posyandu__name")
                 .annotate(n=Count("id"), refused=Count("id", filter=Q(dismiss_reason=Task.Reason.REFUSED)))
                 .order_by("posyandu__name", "dismissed_by__username"))]
    return Summary(year, out, kader)


def _posyandu_q(scope: Scope) -> Q:
    parts = Q(pk__in=[])
    for grant in scope.grants:
        if not access.counted_q(Scope(scope.user_id, (grant,))):
            continue
        if grant.posyandu_id is not None:
            parts |= Q(pk=grant.posyandu_id)
        elif grant.region_prefix:
            parts |= Q(desa__code__startswith=grant.region_prefix)
    return parts
