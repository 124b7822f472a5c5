"""Task pages: the kader's list (names), the supervisor's counts, and dismissing a task with a reason.

Views parse, call one service or selector, render. Opening the named list is written to the access log.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.audit.services import access_record
from simpul.core.choices import SpmField
from simpul.core.decorators import requires
from simpul.core.errors import DomainError, NotInScope
from simpul.core.forms import form_submit
from simpul.tasks import access, selectors
from simpul.tasks.forms import DismissForm
from simpul.tasks.models import Task
from simpul.tasks.services import kader_indicators, task_dismiss

PAGE_SIZE = 100


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


@requires(Perm.VIEW_PERSON)
def task_list(request):
    scope = request_scope(request)
    if not access.may_list(scope):
        raise PermissionDenied
    today = timezone.localdate()
    filters = {"indicator": request.GET.get("indikator", ""), "field": request.GET.get("bidang", ""),
               "posyandu_id": _int(request.GET.get("posyandu", ""))}
    try:
        tasks = selectors.tasks_visible(scope, **filters)
        error = ""
    except DomainError as exc:
        tasks, error = Task.objects.none(), exc.message
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.rows(page.object_list, today=today)
    access_record(actor=request.user, action="view", object_type="tasks.list",
                  detail=f"n={len(rows)} {filters['indicator']} {filters['field']}", request=request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "tasks/list.html", {
        "groups": selectors.grouped(rows, today=today), "page": page, "total": page.paginator.count,
        "workable": {row.task.pk for row in rows if access.may_work(scope, row.task)},
        "filters": filters, "error": error, "query": query.urlencode(), "today": today,
        "indicators": [(i.code, i.name) for i in kader_indicators().values()],
        "fields": SpmField.choices})


@requires(Perm.VIEW_AGGREGATES)
def task_summary(request):
    scope = request_scope(request)
    if not access.may_count(scope):
        raise PermissionDenied
    today = timezone.localdate()
    year = _int(request.GET.get("tahun", "")) or today.year
    field = request.GET.get("bidang", "")
    field = field if field in SpmField.values else ""
    result = selectors.summary(scope, year=year, field=field, today=today)
    return render(request, "tasks/summary.html", {
        "summary": result, "year": year, "field": field, "fields": SpmField.choices,
        "years": range(today.year, today.year - 3, -1)})


@requires(Perm.REGISTER)
@require_http_methods(["GET", "POST"])
def task_dismiss_view(request, pk: int):
    scope = request_scope(request)
    task = selectors.task_get(scope, pk)
    if not access.may_work(scope, task):
        raise NotInScope()
    person = task.subject_kind == Task.Kind.PERSON
    form = DismissForm(request.POST or None, person=person)
    if task.status != Task.Status.OPEN:
        form = None
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = form_submit(request, form, lambda: task_dismiss(
            actor=request.user, scope=scope, task=task, reason=data["reason"], note=data.get("note", ""),
            on=data.get("on")), success=_("The task is closed."), then=("tasks:list",))
        if done:
            return done
    return render(request, "tasks/dismiss.html", {"row": selectors.rows([task])[0], "form": form},
                  status=400 if request.method == "POST" else 200)
