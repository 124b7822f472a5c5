"""The named list behind a percentage: who in a desa or posyandu is not yet served, and what is missing.

Evaluated from the records at read time for the posyandu of one desa at most (a few thousand people), so
the list is always what the records say now. Names only for users who may open these people's records (and,
for a health indicator, their health detail); everyone else sees masked rows — initials, age, RT/RW.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope, require_scope
from simpul.core.choices import SpmField
from simpul.core.errors import DomainError, NotInScope
from simpul.maternal.models import Pregnancy
from simpul.posyandu.models import Posyandu
from simpul.referrals.models import Referral
from simpul.regions.models import Region
from simpul.registry.models import Household, Person
from simpul.spm import catalogue, engine
from simpul.spm.data import age_in_months
from simpul.spm.periods import Period
from simpul.spm.presenters import missing_text
from simpul.spm.selectors import Place, spm_fields

PAGE_SIZE = 50


@dataclass(frozen=True)
class Entry:
    kind: str  # person | household | report | pregnancy
    id: int | None  # None when masked
    posyandu_id: int
    posyandu: str
    name: str
    age: str
    rt: str
    rw: str
    pending: bool
    missing: list[dict]  # [{"code", "detail", "due_on", "text"}]

    def as_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, "posyandu_id": self.posyandu_id, "posyandu": self.posyandu,
                "name": self.name, "age": self.age, "rt": self.rt, "rw": self.rw, "pending": self.pending,
                "missing": self.missing}


@dataclass(frozen=True)
class UnservedPage:
    indicator: catalogue.Indicator
    entries: list[Entry]
    total: int
    page: int
    pages: int
    names_visible: bool


def mask_name(name: str) -> str:
    """``Siti Aminah`` → ``S*** A***``: enough to tell rows apart, not to identify."""
    return " ".join(f"{word[0]}***" for word in name.split() if word) or "***"


def age_text(birth: dt.date, on: dt.date) -> str:
    months = age_in_months(birth, on)
    if months < 24:
        return _("%(n)d mo") % {"n": months}
    return _("%(n)d yr") % {"n": months // 12}


def posyandu_under(place: Place) -> list[int]:
    if place.posyandu_id:
        return [place.posyandu_id]
    if place.level != Region.Level.VILLAGE:
        raise DomainError(_("Choose a village or a posyandu to see the list of names."),
                          field_errors={"region": [_("The list is per village or posyandu.")]})
    return list(Posyandu.objects.filter(desa_id=place.code).values_list("pk", flat=True))


def names_visible(scope: Scope, indicator: catalogue.Indicator, place: Place) -> bool:
    perm = Perm.VIEW_HEALTH if indicator.field == SpmField.HEALTH else Perm.VIEW_PERSON
    if not scope.allows(Perm.VIEW_PERSON, desa_code=place.code, posyandu_id=place.posyandu_id):
        return False
    if not scope.allows(perm, desa_code=place.code, posyandu_id=place.posyandu_id):
        return False
    return indicator.field in scope.fields_at(desa_code=place.code, posyandu_id=place.posyandu_id, perm=perm)


def unserved(scope: Scope | None, place: Place, period: Period, code: str, *, page: int | None = 1,
             today: dt.date | None = None) -> UnservedPage:
    scope = require_scope(scope)
    today = today or timezone.localdate()
    indicator = catalogue.get(code)
    if indicator is None:
        raise DomainError(_("Unknown SPM indicator."), field_errors={"indicator": [_("Unknown indicator.")]})
    if indicator.field not in spm_fields(scope):
        raise NotInScope()
    if indicator.source != catalogue.SIMPUL:
        raise DomainError(_("This indicator's figures come from another system; Simpul has no names for it."),
                          field_errors={"indicator": [_("No list of names for this indicator.")]})
    ids = posyandu_under(place)
    month = period.counter_month(today)
    judged = [j for j in engine.judge(ids, period.year, today=today, months=[month], codes=[code])
              if not j.verdict.served]
    visible = names_visible(scope, indicator, place)
    as_of = engine.as_of_day(period.year, month, today)
    entries = _entries(judged, visible, as_of)
    entries.sort(key=lambda e: (e.posyandu, e.rw, e.rt, e.name))
    if page is None:  # every entry at once, for an export
        return UnservedPage(indicator, entries, len(entries), 1, 1, visible)
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    page = min(max(1, page), pages)
    return UnservedPage(indicator, entries[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], len(entries), page, pages,
                        visible)


def _entries(judged: list[engine.Judged], visible: bool, as_of: dt.date) -> list[Entry]:
    names = dict(Posyandu.objects.filter(pk__in={j.verdict.posyandu_id for j in judged}).values_list("pk", "name"))
    people = {p.pk: p for p in Person.objects.filter(pk__in=[j.unit.id for j in judged if j.unit.kind == "person"])
              .select_related("household")}
    households = Household.objects.in_bulk([j.unit.id for j in judged if j.unit.kind == "household"])
    reports = Referral.objects.in_bulk([j.unit.id for j in judged if j.unit.kind == "report"])
    # kes.ibu_hamil judges pregnancies: the row names the mother.
    mothers = dict(Pregnancy.objects.filter(pk__in=[j.unit.id for j in judged if j.unit.kind == "pregnancy"])
                   .values_list("pk", "person_id"))
    people |= {p.pk: p for p in Person.objects.filter(pk__in=mothers.values()).select_related("household")}
    entries = []
    for j in judged:
        name, age, rt, rw = "", "", "", ""
        person_id = mothers.get(j.unit.id) if j.unit.kind == "pregnancy" else j.unit.id
        if j.unit.kind in ("person", "pregnancy") and person_id in people:
            person = people[person_id]
            name, age = person.full_name, age_text(person.birth_date, as_of)
            if person.household:
                rt, rw = person.household.rt, person.household.rw
        elif j.unit.kind == "household" and j.unit.id in households:
            household = households[j.unit.id]
            name, rt, rw = household.head_name or household.address, household.rt, household.rw
        elif j.unit.kind == "report" and j.unit.id in reports:
            name = reports[j.unit.id].ticket
        missing = [{"code": m.code, "detail": m.detail, "due_on": m.due_on, "text": missing_text(m)}
                   for m in j.verdict.missing]
        entries.append(Entry(j.unit.kind, j.unit.id if visible else None, j.verdict.posyandu_id,
                             names.get(j.verdict.posyandu_id, ""), name if visible or j.unit.kind == "report"
                             else mask_name(name), age, rt, rw, j.verdict.pending, missing))
    return entries
