"""Reads of monthly reports and region summaries. Every function takes the caller's scope first.

Who sees a report: users holding ``Perm.VIEW_AGGREGATES`` together with the kesehatan field over the
posyandu — its kader, the pengurus and kader of other fields only if their membership carries
kesehatan, the lurah, the camat, Tim Pembina, the nakes of the area, the Dinkes officer. Another OPD
(e.g. Dinsos, field sosial), the administrator and anyone of another region get "not found".

A region summary (desa, kecamatan, kab/kota) needs a grant over the **whole** region: a kader, whose
membership is one posyandu, sees that posyandu's report but no desa summary; a lurah sees the desa, a
camat the kecamatan and its desa, the nakes of a kecamatan likewise, Tim Pembina and the Dinkes
officer the kab/kota and everything in it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope, require_scope
from simpul.core.choices import SpmField
from simpul.core.errors import NotInScope
from simpul.health.selectors import health_scope
from simpul.posyandu.models import Posyandu
from simpul.regions.models import Region
from simpul.reports.data import (
    RATIOS,
    BreakdownRow,
    ReportData,
    SectionData,
    add_sections,
    counts_of,
    from_snapshot,
    section_from,
    with_ratios,
)
from simpul.reports.models import MonthlyReport
from simpul.reports.sections import registered

HEALTH = SpmField.HEALTH.value
SUMMARY_LEVELS = (Region.Level.REGENCY, Region.Level.DISTRICT, Region.Level.VILLAGE)
BREAKDOWN_KEYS = ("s", "k", "d", "n", "t", "o", "b", "two_t", "bgm", "absent")
DRAFT = "draft"


def may_view_report(scope: Scope, posyandu) -> bool:
    return HEALTH in scope.fields_at(desa_code=posyandu.desa_id, posyandu_id=posyandu.pk, perm=Perm.VIEW_AGGREGATES)


def may_submit_report(scope: Scope, posyandu) -> bool:
    """The kesehatan kader of the posyandu or a nakes of the area (both hold ``RECORD_HEALTH`` there)."""
    return HEALTH in scope.fields_at(desa_code=posyandu.desa_id, posyandu_id=posyandu.pk, perm=Perm.RECORD_HEALTH)


def may_summarize(scope: Scope, code: str) -> bool:
    return any(g.permits(Perm.VIEW_AGGREGATES) and HEALTH in g.fields and g.posyandu_id is None
               and g.region_prefix and code.startswith(g.region_prefix) for g in scope.grants)


def posyandu_reportable(scope: Scope | None) -> QuerySet[Posyandu]:
    """Posyandu whose monthly report the user may see."""
    return health_scope(scope).filter(Posyandu.objects.all(), Perm.VIEW_AGGREGATES,
                                      posyandu_field="pk").select_related("desa")


def posyandu_for_report(scope: Scope | None, pk) -> Posyandu:
    scope = require_scope(scope)
    posyandu = Posyandu.objects.select_related("desa__parent__parent").filter(pk=pk).first()
    if posyandu is None or not may_view_report(scope, posyandu):
        raise NotInScope()
    return posyandu


def regions_summarizable(scope: Scope | None) -> list[Region]:
    """The regions of the user's grants (desa, kecamatan, kab/kota) and the ones right below them."""
    scope = require_scope(scope)
    prefixes = sorted({g.region_prefix for g in scope.grants if g.permits(Perm.VIEW_AGGREGATES)
                       and HEALTH in g.fields and g.posyandu_id is None and g.region_prefix})
    if not prefixes:
        return []
    own = Q(code__in=prefixes) | Q(parent_id__in=prefixes)
    return list(Region.objects.filter(own, level__in=SUMMARY_LEVELS).order_by("code"))


def region_for_summary(scope: Scope | None, code: str) -> Region:
    scope = require_scope(scope)
    region = Region.objects.select_related("parent__parent").filter(code=code, level__in=SUMMARY_LEVELS).first()
    if region is None or not may_summarize(scope, region.code):
        raise NotInScope()
    return region


# --- One posyandu --------------------------------------------------------------------------------------

def live_sections(posyandu, month: dt.date) -> list[SectionData]:
    """Every registered section for the posyandu and month, from the current records.

    Not scoped: call it for a posyandu that ``posyandu_for_report`` (or a service guard) returned.
    """
    return with_ratios([section_from(item.builder(posyandu, month)) for item in registered()])


def report_versions(scope: Scope | None, posyandu, month: dt.date) -> list[MonthlyReport]:
    scope = require_scope(scope)
    if not may_view_report(scope, posyandu):
        raise NotInScope()
    return list(MonthlyReport.objects.filter(posyandu=posyandu, month=month).select_related("submitted_by")
                .order_by("version"))


def report_current(scope: Scope | None, posyandu, month: dt.date) -> MonthlyReport | None:
    """The submitted version in force (the newest), or None while the month is a draft."""
    versions = report_versions(scope, posyandu, month)
    return next((r for r in reversed(versions) if r.status == MonthlyReport.Status.SUBMITTED), None)


def report_version(scope: Scope | None, posyandu, month: dt.date, version: int) -> MonthlyReport:
    found = next((r for r in report_versions(scope, posyandu, month) if r.version == version), None)
    if found is None:
        raise NotInScope()
    return found


def report_by_client_uuid(scope: Scope | None, posyandu, month: dt.date, client_uuid) -> MonthlyReport | None:
    if client_uuid is None:
        return None
    return next((r for r in report_versions(scope, posyandu, month) if r.client_uuid == client_uuid), None)


def _posyandu_place(posyandu) -> list[tuple[str, str]]:
    desa = posyandu.desa
    kecamatan = desa.parent
    kabkota = kecamatan.parent if kecamatan else None
    return [(_("Posyandu"), posyandu.name), (_("Desa/Kelurahan"), desa.name),
            (_("Kecamatan"), kecamatan.name if kecamatan else ""), (_("Kabupaten/Kota"), kabkota.name if kabkota else "")]


def status_label(status: str, version: int | None) -> str:
    if status == MonthlyReport.Status.SUBMITTED:
        return _("Submitted, version %(version)s") % {"version": version}
    if status == MonthlyReport.Status.SUPERSEDED:
        return _("Version %(version)s, replaced by a correction") % {"version": version}
    return _("Draft: live data, not submitted")


@dataclass
class PosyanduReport:
    data: ReportData
    versions: list[MonthlyReport]
    current: MonthlyReport | None
    showing: MonthlyReport | None  # the stored version shown, None for the live draft


def report_view(scope: Scope | None, posyandu, month: dt.date, *, version: int | None = None,
                live: bool = False) -> PosyanduReport:
    """What the report page shows: by default the submitted version in force, else the live draft.

    ``version`` shows an older stored version; ``live`` the live data even when a version exists.
    ``changed_since_submission`` says the live data no longer matches the version in force.
    """
    versions = report_versions(scope, posyandu, month)
    current = next((r for r in reversed(versions) if r.status == MonthlyReport.Status.SUBMITTED), None)
    if version is not None:
        showing = next((r for r in versions if r.version == version), None)
        if showing is None:
            raise NotInScope()
    else:
        showing = None if live else current
    live_data = live_sections(posyandu, month) if (showing is None or current is not None) else None
    changed = current is not None and counts_of(live_data) != counts_of(from_snapshot(current.snapshot))
    sections = live_data if showing is None else from_snapshot(showing.snapshot)
    status = DRAFT if showing is None else showing.status
    data = ReportData(
        kind="posyandu", title=_("Monthly posyandu report"), place=_posyandu_place(posyandu), month=month,
        status=status, status_label=status_label(status, showing.version if showing else None),
        version=showing.version if showing else None, sections=sections,
        submitted_by=(showing.submitted_by.get_username() if showing and showing.submitted_by else ""),
        submitted_at=showing.submitted_at if showing else None, reason=showing.reason if showing else "",
        changed_since_submission=changed,
    )
    return PosyanduReport(data=data, versions=versions, current=current, showing=showing)


# --- Region summaries ----------------------------------------------------------------------------------

@dataclass
class _Unit:
    posyandu: Posyandu
    sections: list[SectionData]
    reported: bool


def _units(region: Region, month: dt.date) -> list[_Unit]:
    """Each posyandu of the region: its submitted version in force, else its live data.

    A posyandu counts as existing ("ada") when it is active, or inactive but submitted this month.
    """
    submitted = {r.posyandu_id: r for r in MonthlyReport.objects.filter(
        desa__code__startswith=region.code, month=month, status=MonthlyReport.Status.SUBMITTED)}
    posyandu = (Posyandu.objects.filter(desa__code__startswith=region.code)
                .filter(Q(status=Posyandu.Status.ACTIVE) | Q(pk__in=list(submitted)))
                .select_related("desa").order_by("desa_id", "name"))
    units = []
    for p in posyandu:
        report = submitted.get(p.pk)
        sections = from_snapshot(report.snapshot) if report else live_sections(p, month)
        units.append(_Unit(posyandu=p, sections=sections, reported=report is not None))
    return units


def _breakdown_row(name: str, units: list[_Unit], **link) -> BreakdownRow:
    skdn = next((s for s in add_sections(u.sections for u in units) if s.key == "skdn"), None)
    values = [skdn.total(key) if skdn else 0 for key in BREAKDOWN_KEYS]
    ratios = [r.values[-1] for r in skdn.ratios] if skdn else [None] * len(RATIOS["skdn"])
    return BreakdownRow(name=name, posyandu_total=len(units), posyandu_reported=sum(u.reported for u in units),
                        values=values, ratios=ratios, **link)


def _region_place(region: Region) -> list[tuple[str, str]]:
    labels = {Region.Level.VILLAGE: _("Desa/Kelurahan"), Region.Level.DISTRICT: _("Kecamatan"),
              Region.Level.REGENCY: _("Kabupaten/Kota")}
    chain, node = [], region
    while node is not None and node.level in labels:
        chain.append((labels[node.level], node.name))
        node = node.parent
    return list(reversed(chain))


def summary_view(scope: Scope | None, region: Region, month: dt.date) -> ReportData:
    """The sum of every posyandu report in the region, ratios recomputed, with a breakdown table:
    per posyandu for a desa, per desa for a kecamatan, per kecamatan for a kab/kota."""
    scope = require_scope(scope)
    if not may_summarize(scope, region.code):
        raise NotInScope()
    units = _units(region, month)
    sections = add_sections(u.sections for u in units)
    if region.level == Region.Level.VILLAGE:
        breakdown_title = _("By posyandu")
        breakdown = [_breakdown_row(u.posyandu.name, [u], posyandu_id=u.posyandu.pk) for u in units]
    else:
        breakdown_title = _("By desa/kelurahan") if region.level == Region.Level.DISTRICT else _("By kecamatan")
        breakdown = [_breakdown_row(child.name, [u for u in units if u.posyandu.desa_id.startswith(child.code)],
                                    region_code=child.code)
                     for child in Region.objects.filter(parent=region).order_by("code")]
    skdn_labels = {"two_t": "2T", "bgm": "BGM", "absent": _("Absent")}
    reported = sum(u.reported for u in units)
    place = _region_place(region) + [(_("Posyandu (exist / submitted)"), f"{len(units)} / {reported}")]
    return ReportData(
        kind="region", title=_("Monthly posyandu report: summary of %(region)s") % {"region": region.name},
        place=place, month=month, status=DRAFT,
        status_label=_("Submitted versions where there are any, live data for the others"),
        version=None, sections=sections, posyandu_total=len(units), posyandu_reported=reported,
        breakdown_title=breakdown_title,
        breakdown_columns=[_("Posyandu exist"), _("Posyandu submitted"),
                           *[skdn_labels.get(key, key.upper()) for key in BREAKDOWN_KEYS]],
        breakdown_ratio_columns=[f"{r.key.replace('_', '/').upper()} %" for r in RATIOS["skdn"]],
        breakdown=breakdown,
    )


def month_label(month: dt.date) -> str:
    return date_format(month, "F Y")
