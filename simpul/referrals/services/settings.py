"""The pembina's settings: agencies of a kab/kota, the categories' SLA and documents, and the routing rules.

Agencies and routing rules belong to one kab/kota and are edited by the pembina whose scope covers it
whole. Categories are shared by every kab/kota of the instance (one kab/kota per instance is the
deployment unit, design.md §6), so only a pembina of a whole kab/kota may edit them, and what they change
applies to referrals recorded from then on (a referral keeps the due date and confidentiality it got).

Every write follows the same order: atomic → scope → validate (messages in Bahasa via gettext) → change →
audit entry. A refused change changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope, require_scope
from simpul.audit.services import audit_record
from simpul.core.errors import DomainError, NotInScope
from simpul.referrals import taxonomy
from simpul.referrals.models import FIELD_CHOICES, Agency, Category, RoutingRule
from simpul.referrals.states import CLOSED
from simpul.referrals.taxonomy import DocType
from simpul.regions.models import Region

FIELD_CODES = frozenset(code for code, _label in FIELD_CHOICES)
# Built-in categories that protect a victim or a reporter: a kab/kota may never make them public.
ALWAYS_CONFIDENTIAL = frozenset(seed.code for seed in taxonomy.CATEGORIES if seed.confidential)
DOCUMENT_COUNT_MAX = 5
SLA_MIN, SLA_MAX = 1, 60  # the database's category_sla_range


# --- Who manages what ------------------------------------------------------------------------------------

def _manage_prefixes(scope: Scope) -> list[str]:
    """Region prefixes of MANAGE_ROUTING grants that cover at least one whole kab/kota (province or kab/kota)."""
    return [p for p in require_scope(scope).region_prefixes(Perm.MANAGE_ROUTING) if len(p) <= 4]


def kabkota_managed(scope: Scope) -> QuerySet[Region]:
    """The kab/kota whose agencies and routing rules the user may edit; none for a narrower scope."""
    prefixes = _manage_prefixes(scope)
    if not prefixes:
        return Region.objects.none()
    condition = Q()
    for prefix in prefixes:
        condition |= Q(code__startswith=prefix)
    return Region.objects.filter(condition, level=Region.Level.REGENCY).order_by("code")


def kabkota_get(scope: Scope, code: str) -> Region:
    region = kabkota_managed(scope).filter(code=code).first()
    if region is None:
        raise NotInScope()
    return region


def may_edit_categories(scope: Scope) -> bool:
    """Categories are shared by the whole instance: only a pembina of a whole kab/kota may change them."""
    return bool(_manage_prefixes(scope))


def _require_kabkota(scope: Scope, region_code: str) -> None:
    if not any(region_code.startswith(p) for p in _manage_prefixes(scope)):
        raise NotInScope()


# --- Reads -----------------------------------------------------------------------------------------------

def agencies_for(scope: Scope, kabkota: Region) -> QuerySet[Agency]:
    """The agencies of one kab/kota with their rule count and open referrals (counts, no names)."""
    _require_kabkota(scope, kabkota.code)
    return (
        Agency.objects.filter(region=kabkota).select_related("area")
        .annotate(rule_count=Count("rules", distinct=True),
                  open_count=Count("referrals", filter=~Q(referrals__state__in=sorted(CLOSED)), distinct=True))
        .order_by("-active", "kind", "short_name")
    )


def agency_get(scope: Scope, pk) -> Agency:
    agency = Agency.objects.select_related("region", "area").filter(pk=pk).first()
    if agency is None:
        raise NotInScope()
    _require_kabkota(scope, agency.region_id)
    return agency


def rules_for(scope: Scope, kabkota: Region) -> QuerySet[RoutingRule]:
    _require_kabkota(scope, kabkota.code)
    return (
        RoutingRule.objects.filter(region=kabkota).select_related("category", "area", "agency", "updated_by")
        .order_by("field", "category__sort", "category__code", "area_id")
    )


def rule_get(scope: Scope, pk) -> RoutingRule:
    rule = RoutingRule.objects.select_related("region", "category", "area", "agency").filter(pk=pk).first()
    if rule is None:
        raise NotInScope()
    _require_kabkota(scope, rule.region_id)
    return rule


def categories_all() -> QuerySet[Category]:
    """Categories are not personal data and not per kab/kota: every manager sees the same list."""
    return Category.objects.all()


def category_get(pk) -> Category:
    category = Category.objects.filter(pk=pk).first()
    if category is None:
        raise NotInScope()
    return category


def areas_of(kabkota: Region) -> QuerySet[Region]:
    """Kecamatan and desa of a kab/kota, in code order (a desa comes after its kecamatan)."""
    return Region.objects.filter(code__startswith=kabkota.code, level__in=[Region.Level.DISTRICT,
                                                                            Region.Level.VILLAGE]).order_by("code")


# --- Shared checks ---------------------------------------------------------------------------------------

def _invalid(errors: dict[str, list[str]]) -> DomainError:
    return DomainError(_("Please correct the marked fields."), field_errors=errors)


def _text(errors, field: str, value: str, limit: int, *, required: bool = True) -> str:
    value = " ".join((value or "").split())
    if required and not value:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(value) > limit:
        errors.setdefault(field, []).append(_("This text can be at most %(n)d characters.") % {"n": limit})
    return value


def _area(errors, kabkota_code: str, area_code: str | None) -> Region | None:
    """An optional kecamatan or desa inside the kab/kota."""
    area_code = (area_code or "").replace(".", "").strip()
    if not area_code:
        return None
    area = Region.objects.filter(code=area_code).first()
    if (area is None or not area.code.startswith(kabkota_code)
            or area.level not in (Region.Level.DISTRICT, Region.Level.VILLAGE)):
        errors.setdefault("area", []).append(_("Choose a kecamatan or desa inside this kab/kota."))
        return None
    return area


def _fields(errors, fields) -> list[str]:
    if isinstance(fields, str) or not fields or not set(fields) <= FIELD_CODES:
        errors.setdefault("fields", []).append(_("Choose at least one field the agency handles."))
        return []
    return sorted(set(fields))


def _field_label(code: str) -> str:
    return str(dict(FIELD_CHOICES).get(code, code))


# --- Agencies --------------------------------------------------------------------------------------------

def _agency_checks(errors, *, kabkota_code: str, name: str, short_name: str, kind: str, fields, email: str,
                   area_code: str | None):
    name = _text(errors, "name", name, Agency._meta.get_field("name").max_length)
    short_name = _text(errors, "short_name", short_name, Agency._meta.get_field("short_name").max_length)
    if kind not in Agency.Kind.values:
        errors.setdefault("kind", []).append(_("Choose one of the listed options."))
    fields = _fields(errors, fields)
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append(_("Enter a valid e-mail address, e.g. dinsos@example.go.id."))
    area = _area(errors, kabkota_code, area_code)
    return name, short_name, fields, email, area


@transaction.atomic
def agency_create(*, actor, scope: Scope, kabkota: Region, code: str, name: str, short_name: str, kind: str,
                  fields, email: str = "", area_code: str = "") -> Agency:
    _require_kabkota(scope, kabkota.code)
    errors: dict[str, list[str]] = {}
    code = (code or "").strip().lower()
    if not code:
        errors["code"] = [_("This field is required.")]
    else:
        try:
            validate_slug(code)
        except ValidationError:
            errors["code"] = [_("The code may only hold lowercase letters, digits, - and _ (e.g. dinsos).")]
        else:
            limit = Agency._meta.get_field("code").max_length
            if len(code) > limit:
                errors["code"] = [_("This text can be at most %(n)d characters.") % {"n": limit}]
            elif Agency.objects.filter(region=kabkota, code=code).exists():
                errors["code"] = [_("Another agency of this kab/kota already has this code.")]
    name, short_name, fields, email, area = _agency_checks(
        errors, kabkota_code=kabkota.code, name=name, short_name=short_name, kind=kind, fields=fields,
        email=email, area_code=area_code)
    if errors:
        raise _invalid(errors)
    try:
        with transaction.atomic():
            agency = Agency.objects.create(region=kabkota, code=code, name=name, short_name=short_name, kind=kind,
                                           fields=fields, email=email, area=area)
    except IntegrityError:
        raise _invalid({"code": [_("Another agency of this kab/kota already has this code.")]}) from None
    audit_record(actor=actor, action="referrals.agency.created", obj=agency, region_code=kabkota.code,
                 changes={"code": code, "name": name, "fields": ",".join(fields), "area": area.code if area else ""})
    return agency


@transaction.atomic
def agency_update(*, actor, scope: Scope, agency: Agency, name: str, short_name: str, kind: str, fields,
                  email: str = "", area_code: str = "") -> Agency:
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    _require_kabkota(scope, agency.region_id)
    errors: dict[str, list[str]] = {}
    name, short_name, fields, email, area = _agency_checks(
        errors, kabkota_code=agency.region_id, name=name, short_name=short_name, kind=kind, fields=fields,
        email=email, area_code=area_code)
    if not errors:
        # The agency's rules must stay valid: each routes a field it handles, to places it serves.
        rules = list(agency.rules.select_related("category", "area"))
        dropped = sorted({r.field for r in rules} - set(fields))
        if dropped:
            errors["fields"] = [_("Routing rules still send %(fields)s to this agency. Change those rules first.")
                                % {"fields": ", ".join(_field_label(f) for f in dropped)}]
        if area is not None and any(not (r.area_id or "").startswith(area.code) for r in rules):
            errors["area"] = [_("Routing rules send places outside this area to this agency. "
                                "Change those rules first.")]
    if errors:
        raise _invalid(errors)
    new = {"name": name, "short_name": short_name, "kind": kind, "fields": fields, "email": email,
           "area_id": area.code if area else None}
    changes = {k: (getattr(agency, k), v) for k, v in new.items() if getattr(agency, k) != v}
    for key, value in new.items():
        setattr(agency, key, value)
    agency.save()
    if changes:
        if "fields" in changes:
            changes["fields"] = tuple(",".join(v) for v in changes["fields"])
        audit_record(actor=actor, action="referrals.agency.updated", obj=agency, region_code=agency.region_id,
                     changes=changes)
    return agency


@transaction.atomic
def agency_set_active(*, actor, scope: Scope, agency: Agency, active: bool) -> Agency:
    """Deactivate (or reactivate) an agency. Its rules stay but are skipped while it is inactive."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    _require_kabkota(scope, agency.region_id)
    if agency.active == active:
        return agency
    if not active:
        open_count = agency.referrals.exclude(state__in=sorted(CLOSED)).count()
        if open_count:
            raise DomainError(
                _("%(agency)s still has %(n)d open referrals. Resolve, reject or redirect them before "
                  "deactivating the agency.") % {"agency": agency.short_name, "n": open_count},
                code="conflict")
    agency.active = active
    agency.save(update_fields=["active"])
    audit_record(actor=actor, action="referrals.agency.activated" if active else "referrals.agency.deactivated",
                 obj=agency, region_code=agency.region_id, changes={"active": (not active, active)})
    return agency


# --- Categories ------------------------------------------------------------------------------------------

def _documents(errors, documents) -> list[dict]:
    """[{"type": DocType code, "count": 1..5}], each type once, in the order given."""
    cleaned: list[dict] = []
    seen: set[str] = set()
    for item in documents or []:
        doc_type = str((item or {}).get("type", ""))
        count = (item or {}).get("count")
        if doc_type not in DocType.values:
            errors.setdefault("required_documents", []).append(_("Unknown document type."))
            continue
        label = DocType(doc_type).label
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= DOCUMENT_COUNT_MAX:
            errors.setdefault("required_documents", []).append(
                _("The number for “%(doc)s” must be between 1 and %(max)d.") % {"doc": label,
                                                                                 "max": DOCUMENT_COUNT_MAX})
            continue
        if doc_type in seen:
            errors.setdefault("required_documents", []).append(
                _("“%(doc)s” is listed twice. List each document type once with its number.") % {"doc": label})
            continue
        seen.add(doc_type)
        cleaned.append({"type": doc_type, "count": count})
    return cleaned


@transaction.atomic
def category_update(*, actor, scope: Scope, category: Category, sla_working_days: int, confidential: bool,
                    required_documents, active: bool) -> Category:
    """SLA, default confidentiality, required documents and whether kader may still choose the category.

    Applies to the whole instance (categories are not per kab/kota) and to referrals recorded from now on.
    """
    if not require_scope(scope).can(Perm.MANAGE_ROUTING):
        raise NotInScope()
    if not may_edit_categories(scope):
        raise DomainError(_("Only a pembina of a whole kab/kota may change categories: they apply to every "
                            "kecamatan and desa."), code="forbidden")
    category = Category.objects.select_for_update().get(pk=category.pk)
    errors: dict[str, list[str]] = {}
    if isinstance(sla_working_days, bool) or not isinstance(sla_working_days, int) or not (
            SLA_MIN <= sla_working_days <= SLA_MAX):
        errors["sla_working_days"] = [_("The SLA must be between %(min)d and %(max)d working days.")
                                      % {"min": SLA_MIN, "max": SLA_MAX}]
    confidential = bool(confidential)
    if category.code in ALWAYS_CONFIDENTIAL and not confidential:
        errors["confidential"] = [_("This category must stay confidential: the victim and the reporter must be "
                                    "protected (domestic violence, drugs, human trafficking).")]
    documents = _documents(errors, required_documents)
    if errors:
        raise _invalid(errors)
    new = {"sla_working_days": sla_working_days, "confidential": confidential, "required_documents": documents,
           "active": bool(active)}
    changes = {k: (getattr(category, k), v) for k, v in new.items() if getattr(category, k) != v}
    for key, value in new.items():
        setattr(category, key, value)
    category.save()
    if changes:
        if "required_documents" in changes:
            changes["required_documents"] = tuple(
                ", ".join(f"{d['type']}×{d['count']}" for d in docs) for docs in changes["required_documents"])
        audit_record(actor=actor, action="referrals.category.updated", obj=category, changes=changes)
    return category


# --- Routing rules ---------------------------------------------------------------------------------------

def _rule_checks(*, kabkota_code: str, field: str, category_id, area_code: str | None, agency_id,
                 exclude_pk: int | None = None):
    errors: dict[str, list[str]] = {}
    if field not in FIELD_CODES:
        errors["field"] = [_("Choose one of the listed options.")]
    category = None
    if category_id:
        category = Category.objects.filter(pk=category_id).first()
        if category is None:
            errors["category"] = [_("Choose one of the listed options.")]
        elif field in FIELD_CODES and category.field != field:
            errors["category"] = [_("“%(category)s” belongs to the field %(field)s, not %(chosen)s.")
                                  % {"category": category.label, "field": _field_label(category.field),
                                     "chosen": _field_label(field)}]
    area = _area(errors, kabkota_code, area_code)
    agency = Agency.objects.filter(pk=agency_id).first() if agency_id else None
    if agency is None or agency.region_id != kabkota_code:
        errors["agency"] = [_("Choose an agency of this kab/kota.")]
    elif not agency.active:
        errors["agency"] = [_("%(agency)s is inactive. Reactivate it or choose another agency.")
                            % {"agency": agency.short_name}]
    else:
        if field in FIELD_CODES and field not in (agency.fields or []):
            errors["agency"] = [_("%(agency)s does not handle the field %(field)s. Add the field to the agency "
                                  "first, or choose another agency.")
                                % {"agency": agency.short_name, "field": _field_label(field)}]
        elif agency.area_id and "area" not in errors and (area is None or not area.code.startswith(agency.area_id)):
            errors["area"] = [_("%(agency)s only serves %(area)s: choose that area or a place inside it.")
                              % {"agency": agency.short_name, "area": agency.area.name}]
    if not errors:
        twins = RoutingRule.objects.filter(region_id=kabkota_code, field=field, category=category, area=area)
        if exclude_pk is not None:
            twins = twins.exclude(pk=exclude_pk)
        if twins.exists():
            errors["__all__"] = [_("A rule for this field, category and area already exists. Edit that rule "
                                   "instead.")]
    if errors:
        raise _invalid(errors)
    return category, area, agency


def _rule_summary(rule: RoutingRule) -> dict:
    return {"field": rule.field, "category": rule.category.code if rule.category_id else "",
            "area": rule.area_id or "", "agency": rule.agency.code}


def _unique_conflict() -> DomainError:
    return DomainError(_("A rule for this field, category and area already exists. Edit that rule instead."),
                       code="conflict")


@transaction.atomic
def rule_create(*, actor, scope: Scope, kabkota: Region, field: str, category_id=None, area_code: str = "",
                agency_id, now: dt.datetime | None = None) -> RoutingRule:
    now = now or timezone.now()
    _require_kabkota(scope, kabkota.code)
    category, area, agency = _rule_checks(kabkota_code=kabkota.code, field=field, category_id=category_id,
                                          area_code=area_code, agency_id=agency_id)
    try:
        with transaction.atomic():
            rule = RoutingRule.objects.create(region=kabkota, field=field, category=category, area=area,
                                              agency=agency, updated_at=now, updated_by=actor)
    except IntegrityError:
        raise _unique_conflict() from None
    audit_record(actor=actor, action="referrals.routing_rule.created", obj=rule, region_code=kabkota.code,
                 changes=_rule_summary(rule))
    return rule


@transaction.atomic
def rule_update(*, actor, scope: Scope, rule: RoutingRule, field: str, category_id=None, area_code: str = "",
                agency_id, now: dt.datetime | None = None) -> RoutingRule:
    now = now or timezone.now()
    rule = RoutingRule.objects.select_for_update(of=("self",)).select_related("category", "agency").get(pk=rule.pk)
    _require_kabkota(scope, rule.region_id)
    category, area, agency = _rule_checks(kabkota_code=rule.region_id, field=field, category_id=category_id,
                                          area_code=area_code, agency_id=agency_id, exclude_pk=rule.pk)
    before = _rule_summary(rule)
    rule.field, rule.category, rule.area, rule.agency = field, category, area, agency
    rule.updated_at, rule.updated_by = now, actor
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:
        raise _unique_conflict() from None
    after = _rule_summary(rule)
    changes = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
    if changes:
        audit_record(actor=actor, action="referrals.routing_rule.updated", obj=rule, region_code=rule.region_id,
                     changes=changes)
    return rule


@transaction.atomic
def rule_delete(*, actor, scope: Scope, rule: RoutingRule) -> None:
    """Remove a rule: its referrals-to-be fall back to the next less specific rule (or to the village's choice)."""
    rule = RoutingRule.objects.select_for_update(of=("self",)).select_related("category", "agency").get(pk=rule.pk)
    _require_kabkota(scope, rule.region_id)
    audit_record(actor=actor, action="referrals.routing_rule.deleted", obj=rule, region_code=rule.region_id,
                 changes=_rule_summary(rule))
    rule.delete()
