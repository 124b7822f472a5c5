"""The pembina's settings pages: agencies, categories (SLA, confidentiality, documents) and routing rules.

Only a user with MANAGE_ROUTING over a whole kab/kota gets in (403 for everyone else); an agency or a rule
of another kab/kota answers 404. Views parse, call one service or read, render.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.core.decorators import requires
from simpul.core.errors import DomainError
from simpul.core.forms import form_submit
from simpul.referrals.forms_settings import (
    FIELD_ORDER,
    AgencyForm,
    CategoryForm,
    DocumentFormSet,
    PreviewForm,
    RuleForm,
    documents_from,
)
from simpul.referrals.models import FIELD_CHOICES, Agency
from simpul.referrals.services import settings as services
from simpul.referrals.services.routing import agency_serves, route_for
from simpul.referrals.states import CLOSED
from simpul.referrals.taxonomy import DocType


def manager_required(view):
    """MANAGE_ROUTING over at least one whole kab/kota, else 403 (a narrower pembina has nothing to manage)."""

    @requires(Perm.MANAGE_ROUTING)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not services.kabkota_managed(request_scope(request)).exists():
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _kabkota(request, code: str | None = None):
    """The kab/kota being edited: the one asked for (404 if not the user's) or the user's first."""
    scope = request_scope(request)
    managed = list(services.kabkota_managed(scope))
    code = code or request.GET.get("wilayah", "")
    return (services.kabkota_get(scope, code) if code else managed[0]), managed


def _to(name: str, kabkota) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'wilayah': kabkota.code})}")


def _status(request) -> int:
    return 400 if request.method == "POST" else 200


@manager_required
def settings_index(request):
    kabkota, managed = _kabkota(request)
    scope = request_scope(request)
    return render(request, "referrals/settings_index.html", {
        "kabkota": kabkota, "managed": managed,
        "agency_count": services.agencies_for(scope, kabkota).filter(active=True).count(),
        "rule_count": services.rules_for(scope, kabkota).count(),
        "category_count": services.categories_all().filter(active=True).count(),
    })


# --- Agencies --------------------------------------------------------------------------------------------

@manager_required
def agency_list(request):
    kabkota, managed = _kabkota(request)
    agencies = list(services.agencies_for(request_scope(request), kabkota))
    labels = dict(FIELD_CHOICES)
    for agency in agencies:
        agency.field_labels = [labels.get(code, code) for code in agency.fields or []]
    return render(request, "referrals/settings_agencies.html", {
        "kabkota": kabkota, "managed": managed, "agencies": agencies})


@manager_required
@require_http_methods(["GET", "POST"])
def agency_add(request):
    kabkota, _managed = _kabkota(request)
    scope = request_scope(request)
    form = AgencyForm(request.POST or None, areas=services.areas_of(kabkota), initial={"kind": Agency.Kind.DINAS})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = form_submit(request, form, lambda: services.agency_create(
            actor=request.user, scope=scope, kabkota=kabkota, code=data["code"], name=data["name"],
            short_name=data["short_name"], kind=data["kind"], fields=data["fields"], email=data["email"],
            area_code=data["area"]), success=_("Agency added."), then=_to("referrals:settings_agencies", kabkota))
        if done:
            return done
    return render(request, "referrals/settings_agency_form.html", {
        "kabkota": kabkota, "form": form, "agency": None}, status=_status(request))


@manager_required
@require_http_methods(["GET", "POST"])
def agency_edit(request, pk: int):
    scope = request_scope(request)
    agency = services.agency_get(scope, pk)
    kabkota, _managed = _kabkota(request, agency.region_id)
    initial = {"name": agency.name, "short_name": agency.short_name, "kind": agency.kind, "fields": agency.fields,
               "email": agency.email, "area": agency.area_id or ""}
    form = AgencyForm(request.POST or None, areas=services.areas_of(kabkota), editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = form_submit(request, form, lambda: services.agency_update(
            actor=request.user, scope=scope, agency=agency, name=data["name"], short_name=data["short_name"],
            kind=data["kind"], fields=data["fields"], email=data["email"], area_code=data["area"]),
            success=_("Agency saved."), then=_to("referrals:settings_agencies", kabkota))
        if done:
            return done
    open_count = agency.referrals.exclude(state__in=sorted(CLOSED)).count()
    return render(request, "referrals/settings_agency_form.html", {
        "kabkota": kabkota, "form": form, "agency": agency, "open_count": open_count,
        "rules": agency.rules.select_related("category", "area").order_by("field", "category_id")},
        status=_status(request))


@manager_required
@require_POST
def agency_active(request, pk: int):
    scope = request_scope(request)
    agency = services.agency_get(scope, pk)
    active = request.POST.get("active") == "1"
    try:
        services.agency_set_active(actor=request.user, scope=scope, agency=agency, active=active)
        messages.success(request, _("Agency reactivated.") if active else _("Agency deactivated."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("referrals:settings_agency_edit", args=[agency.pk]))


# --- Categories ------------------------------------------------------------------------------------------

def _doc_label(code: str) -> str:
    return str(DocType(code).label) if code in DocType.values else code


@manager_required
def category_list(request):
    kabkota, _managed = _kabkota(request)
    categories = sorted(services.categories_all(), key=lambda c: FIELD_ORDER.get(c.field, 99))
    for category in categories:
        category.document_items = [(_doc_label(d.get("type", "")), d.get("count"))
                                   for d in category.required_documents or []]
    return render(request, "referrals/settings_categories.html", {
        "kabkota": kabkota, "categories": categories, "can_edit": services.may_edit_categories(request_scope(request))})


@manager_required
@require_http_methods(["GET", "POST"])
def category_edit(request, pk: int):
    scope = request_scope(request)
    if not services.may_edit_categories(scope):
        raise PermissionDenied
    category = services.category_get(pk)
    initial = {"sla_working_days": category.sla_working_days, "confidential": category.confidential,
               "active": category.active}
    always_confidential = category.code in services.ALWAYS_CONFIDENTIAL
    form = CategoryForm(request.POST or None, initial=initial, always_confidential=always_confidential)
    documents = DocumentFormSet(request.POST or None, prefix="docs", initial=category.required_documents or [])
    if request.method == "POST" and form.is_valid() and documents.is_valid():
        data = form.cleaned_data
        done = form_submit(request, form, lambda: services.category_update(
            actor=request.user, scope=scope, category=category, sla_working_days=data["sla_working_days"],
            confidential=data["confidential"], required_documents=documents_from(documents), active=data["active"]),
            success=_("Category saved. The change applies to referrals recorded from now on."),
            then=HttpResponseRedirect(reverse("referrals:settings_categories")))
        if done:
            return done
    return render(request, "referrals/settings_category_form.html", {
        "category": category, "form": form, "documents": documents}, status=_status(request))


# --- Routing rules ---------------------------------------------------------------------------------------

def _rule_form(request, kabkota, *, initial=None, current_agency_id=None):
    scope = request_scope(request)
    agencies = [a for a in services.agencies_for(scope, kabkota) if a.active or a.pk == current_agency_id]
    return RuleForm(request.POST or None, initial=initial, areas=services.areas_of(kabkota), agencies=agencies,
                    categories=services.categories_all())


@manager_required
def rule_list(request):
    kabkota, managed = _kabkota(request)
    scope = request_scope(request)
    categories = services.categories_all().filter(active=True)
    preview = PreviewForm(request.GET if "category" in request.GET else None,
                          areas=services.areas_of(kabkota), categories=categories)
    result = None
    if preview.is_bound and preview.is_valid():
        category = services.category_get(preview.cleaned_data["category"])
        desa = preview.cleaned_data["desa"]
        agency = route_for(category, desa)
        result = {"category": category, "desa": services.areas_of(kabkota).get(code=desa), "agency": agency,
                  "serves": agency is not None and agency_serves(agency, desa)}
    return render(request, "referrals/settings_rules.html", {
        "kabkota": kabkota, "managed": managed,
        "rules": sorted(services.rules_for(scope, kabkota), key=lambda r: FIELD_ORDER.get(r.field, 99)),
        "preview": preview, "result": result})


@manager_required
@require_http_methods(["GET", "POST"])
def rule_add(request):
    kabkota, _managed = _kabkota(request)
    scope = request_scope(request)
    form = _rule_form(request, kabkota)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = form_submit(request, form, lambda: services.rule_create(
            actor=request.user, scope=scope, kabkota=kabkota, field=data["field"], category_id=data["category"],
            area_code=data["area"], agency_id=data["agency"]),
            success=_("Routing rule added."), then=_to("referrals:settings_rules", kabkota))
        if done:
            return done
    return render(request, "referrals/settings_rule_form.html", {"kabkota": kabkota, "form": form, "rule": None},
                  status=_status(request))


@manager_required
@require_http_methods(["GET", "POST"])
def rule_edit(request, pk: int):
    scope = request_scope(request)
    rule = services.rule_get(scope, pk)
    kabkota, _managed = _kabkota(request, rule.region_id)
    form = _rule_form(request, kabkota, current_agency_id=rule.agency_id, initial={
        "field": rule.field, "category": rule.category_id, "area": rule.area_id or "", "agency": rule.agency_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = form_submit(request, form, lambda: services.rule_update(
            actor=request.user, scope=scope, rule=rule, field=data["field"], category_id=data["category"],
            area_code=data["area"], agency_id=data["agency"]),
            success=_("Routing rule saved."), then=_to("referrals:settings_rules", kabkota))
        if done:
            return done
    return render(request, "referrals/settings_rule_form.html", {"kabkota": kabkota, "form": form, "rule": rule},
                  status=_status(request))


@manager_required
@require_http_methods(["GET", "POST"])
def rule_delete(request, pk: int):
    scope = request_scope(request)
    rule = services.rule_get(scope, pk)
    kabkota, _managed = _kabkota(request, rule.region_id)
    if request.method == "POST":
        services.rule_delete(actor=request.user, scope=scope, rule=rule)
        messages.success(request, _("Routing rule deleted."))
        return _to("referrals:settings_rules", kabkota)
    return render(request, "referrals/settings_rule_delete.html", {"kabkota": kabkota, "rule": rule})
