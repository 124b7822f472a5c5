"""Referral pages: the inboxes, recording a need, the referral with its actions, documents and the Excel export.

Views parse, call one service or selector, render. Every open of a referral and of
a document, and every export, is written to the access log (the referral names
a person or household; confidential ones must show who looked).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm, Role
from simpul.audit.services import access_record
from simpul.core.decorators import requires
from simpul.core.errors import DomainError
from simpul.core.forms import apply_field_errors
from simpul.posyandu.models import Posyandu
from simpul.referrals import access, presenters, selectors
from simpul.referrals.export import referrals_workbook
from simpul.referrals.forms import AttachForm, FilterForm, MoveForm, NeedForm
from simpul.referrals.models import Attachment, Category
from simpul.referrals.services import (
    FileInput,
    MoveInput,
    NeedInput,
    attachment_add,
    confidential_approve,
    missing_documents,
    referral_move,
    referral_record,
    route_for,
)
from simpul.referrals.states import Action
from simpul.referrals.writeback import AID_PROGRAMMES, outcomes_for
from simpul.registry.selectors import household_get, person_get

PAGE_SIZE = 50


def _boxes(scope) -> list[tuple[str, str]]:
    roles = scope.roles
    boxes = []
    if roles & {Role.KADER, Role.PENGURUS}:
        boxes.append(("mine", _("My referrals")))
    if Role.DESA in roles:
        boxes += [("to_verify", _("To verify")), ("to_forward", _("To forward"))]
    if Role.OPD in roles:
        boxes += [("new", _("New for us")), ("working", _("In progress"))]
    boxes += [("overdue", _("Overdue")), ("closed", _("Closed")), ("all", _("All"))]
    return boxes


@requires(Perm.VIEW_REFERRALS)
def referral_list(request):
    scope = request_scope(request)
    boxes = _boxes(scope)
    filters = FilterForm(request.GET)
    filters.is_valid()
    data = filters.cleaned_data
    box = data.get("box") or boxes[0][0]
    if box not in dict(boxes):
        box = boxes[0][0]
    referrals = selectors.referrals_visible(scope, box=box, state=data.get("state", ""), field=data.get("field", ""),
                                            category=data.get("category", ""), search=data.get("q", ""))
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [presenters.row(r, scope, today) for r in page.object_list]
    access_record(actor=request.user, action="referral.list", object_type="referrals.referral",
                  detail=f"box={box} n={len(rows)}", request=request)
    return render(request, "referrals/list.html", {
        "boxes": boxes, "box": box, "page": page, "rows": rows, "filters": data,
        "categories": selectors.categories_active(), "field_choices": Category._meta.get_field("field").choices,
        "can_record": scope.can(Perm.RECORD_NEED), "query": request.GET.urlencode(),
    })


@requires(Perm.VIEW_REFERRALS)
def referral_export(request):
    scope = request_scope(request)
    filters = FilterForm(request.GET)
    filters.is_valid()
    data = filters.cleaned_data
    referrals = selectors.referrals_visible(scope, box=data.get("box") or "all", state=data.get("state", ""),
                                            field=data.get("field", ""), category=data.get("category", ""),
                                            search=data.get("q", ""))[:5000]
    today = timezone.localdate()
    rows = [presenters.row(r, scope, today) for r in referrals]
    access_record(actor=request.user, action="referral.export", object_type="referrals.referral",
                  detail=f"xlsx n={len(rows)} {request.GET.urlencode()}"[:255], request=request)
    response = FileResponse(referrals_workbook(rows, today=today), as_attachment=True,
                            filename=f"rujukan-{today:%Y%m%d}.xlsx",
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return response


def _posyandu_choices(scope):
    ids = scope.posyandu_ids(Perm.RECORD_NEED)
    prefixes = scope.region_prefixes(Perm.RECORD_NEED)
    qs = Posyandu.objects.none()
    if ids:
        qs = Posyandu.objects.filter(pk__in=ids)
    for prefix in prefixes:
        qs = qs | Posyandu.objects.filter(desa__code__startswith=prefix)
    return [(p.pk, p.name) for p in qs.order_by("name")]


@requires(Perm.RECORD_NEED)
@require_http_methods(["GET", "POST"])
def referral_record_view(request):
    scope = request_scope(request)
    person = household = None
    if request.GET.get("person", "").isdigit():
        person = person_get(scope, int(request.GET["person"]))
        household = person.household
    elif request.GET.get("household", "").isdigit():
        household = household_get(scope, int(request.GET["household"]))
    category = Category.objects.filter(code=request.GET.get("category", ""), active=True).first()
    subject_query = f"person={person.pk}" if person else (f"household={household.pk}" if household else "")
    if category is None:
        return render(request, "referrals/record_pick.html", {
            "person": person, "household": household, "subject_query": subject_query,
            "groups": presenters.categories_by_field(selectors.categories_active()),
        })
    posyandu_choices = [] if (person or household) else _posyandu_choices(scope)
    if len(posyandu_choices) == 1:
        posyandu_choices = []  # the service takes the only one
    form = NeedForm(request.POST or None, request.FILES or None, category=category,
                    posyandu_choices=posyandu_choices,
                    initial={"rt": household.rt if household else "", "rw": household.rw if household else ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        files = []
        for name in [*form.document_slots, "doc_photo", "doc_other"]:
            for upload in data.get(name) or []:
                files.append(FileInput(name.removeprefix("doc_"), upload.name, upload.read()))
        need = NeedInput(
            category=category.code, description=data["description"], person_id=person.pk if person else None,
            household_id=household.pk if household else None, posyandu_id=data.get("posyandu"),
            rt=data["rt"], rw=data["rw"], latitude=data["latitude"] or None, longitude=data["longitude"] or None,
            citizen_name=data["citizen_name"], citizen_phone=data["citizen_phone"],
            confidential=data.get("confidential", False), files=files,
        )
        try:
            referral = referral_record(actor=request.user, scope=scope, data=need)
        except DomainError as exc:
            form.add_error(None, exc.message)
            apply_field_errors({("posyandu" if k == "posyandu_id" else k): v for k, v in exc.field_errors.items()},
                               form)
        else:
            messages.success(request, _("Recorded as %(ticket)s. The village will verify it.") % {
                "ticket": referral.ticket})
            return redirect("referrals:detail", referral.pk)
    return render(request, "referrals/record_form.html", {
        "form": form, "category": category, "person": person, "household": household,
        "subject_query": subject_query, "agency": route_for(category, (household or person).desa_id)
        if (household or person) else None,
    })


@requires(Perm.VIEW_REFERRALS)
def referral_detail(request, pk: int):
    scope = request_scope(request)
    referral = selectors.referral_get(scope, pk)
    access_record(actor=request.user, action="referral.view", object_type="referrals.referral",
                  object_id=referral.pk, region_code=referral.desa_id,
                  detail="confidential" if referral.confidential else "", request=request)
    return render(request, "referrals/detail.html", _detail_context(request, scope, referral))


def _detail_context(request, scope, referral, form=None, failed_action=None):
    today = timezone.localdate()
    actions = presenters.actions_for(scope, referral)
    agencies = list(selectors.agencies_for(referral.desa_id))
    suggested = route_for(referral.category, referral.desa_id) or referral.agency
    forms = {}
    for action in actions:
        bound = form if (form is not None and failed_action == action) else None
        forms[action] = bound or MoveForm(
            agencies=agencies, outcomes=outcomes_for(referral), programmes=list(AID_PROGRAMMES.items()),
            initial={"action": action, "version": referral.version, "agency": suggested.pk if suggested else None})
    return {
        "referral": referral, "view": presenters.detail(referral, scope, today),
        "history": selectors.referral_history(referral), "attachments": referral.attachments.all(),
        "missing": missing_documents(referral), "actions": actions, "forms": forms,
        "can_attach": access.can_edit_documents(scope, referral) and selectors.at_village(referral),
        "attach_form": AttachForm(), "can_approve": presenters.can_approve(scope, referral),
        "reporter_visible": access.reporter_visible(scope, referral),
        "writes_back": referral.category.writes_back,
    }


@requires(Perm.VIEW_REFERRALS)
@require_POST
def referral_move_view(request, pk: int):
    scope = request_scope(request)
    referral = selectors.referral_get(scope, pk)
    agencies = list(selectors.agencies_for(referral.desa_id))
    form = MoveForm(request.POST, agencies=agencies, outcomes=outcomes_for(referral),
                    programmes=list(AID_PROGRAMMES.items()))
    if not form.is_valid():
        action = request.POST.get("action", "")
        return render(request, "referrals/detail.html", _detail_context(request, scope, referral, form, action),
                      status=422)
    data = form.cleaned_data
    try:
        referral_move(actor=request.user, scope=scope, referral=referral, data=MoveInput(
            action=data["action"], note=data["note"], agency_id=data.get("agency"), outcome=data.get("outcome") or "",
            outcome_detail=form.detail(), version=data.get("version")))
    except DomainError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied from exc
        form.add_error(None, exc.message)
        apply_field_errors({("agency" if k == "agency_id" else k): v for k, v in exc.field_errors.items()}, form)
        referral.refresh_from_db()
        return render(request, "referrals/detail.html",
                      _detail_context(request, scope, referral, form, data["action"]), status=422)
    messages.success(request, _("Saved: %(action)s.") % {"action": Action(data["action"]).label})
    return redirect("referrals:detail", referral.pk)


@requires(Perm.VIEW_REFERRALS)
@require_POST
def confidential_approve_view(request, pk: int):
    scope = request_scope(request)
    referral = selectors.referral_get(scope, pk)
    try:
        confidential_approve(actor=request.user, scope=scope, referral=referral, note=request.POST.get("note", ""))
    except DomainError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Approved: the referral may now be forwarded outside the village."))
    return redirect("referrals:detail", referral.pk)


@requires(Perm.VIEW_REFERRALS)
@require_POST
def attachment_add_view(request, pk: int):
    scope = request_scope(request)
    referral = selectors.referral_get(scope, pk)
    form = AttachForm(request.POST, request.FILES)
    if form.is_valid():
        files = [FileInput(form.cleaned_data["doc_type"], f.name, f.read()) for f in form.cleaned_data["files"]]
        try:
            attachment_add(actor=request.user, scope=scope, referral=referral, files=files)
        except DomainError as exc:
            details = [m for messages_ in exc.field_errors.values() for m in messages_]
            messages.error(request, " ".join([exc.message, *details]))
        else:
            messages.success(request, _("Document added."))
    else:
        messages.error(request, _("Choose the document type and a file."))
    return redirect("referrals:detail", referral.pk)


@requires(Perm.VIEW_REFERRALS)
def attachment_download(request, pk: int, attachment_pk: int):
    scope = request_scope(request)
    referral = selectors.referral_get(scope, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, referral=referral)
    access_record(actor=request.user, action="referral.document", object_type="referrals.attachment",
                  object_id=attachment.pk, region_code=referral.desa_id, request=request)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=attachment.content_type, as_attachment=True,
                            filename=f"{referral.ticket}-{attachment.doc_type}-{attachment.pk}."
                                     f"{attachment.file.name.rsplit('.', 1)[-1]}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
