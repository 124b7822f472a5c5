"""The named list behind a percentage: who in a desa or posyandu is not yet served, and what is missing.

Evaluated from the records at read time for the posyandu of one desa at most, so the list is always what the
records say now: the unserved units are found for the whole place (``unserved_units``: a columnar evaluation
where the rule has one over people, the engine otherwise), sorted, and the engine's "what is missing" is
worked out and put into words for the requested page only. Names only for users who may open these people's
records (and, for a health indicator, their health detail); everyone else sees masked rows — initials, age,
RT/RW.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import get_language
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
from simpul.spm import catalogue, engine, unserved_units
from simpul.spm.data import age_in_months
from simpul.spm.periods import Period
from simpul.spm.presenters import missing_text
from simpul.spm.selectors import Place, spm_fields
from simpul.spm.unserved_units import Found

PAGE_SIZE = 50
log = logging.getLogger(__name__)


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
        return {
            "kind": self.kind,
            "id": self.id,
            "posyandu_id": self.posyandu_id,
            "posyandu": self.posyandu,
            "name": self.name,
            "age": self.age,
            "rt": self.rt,
            "rw": self.rw,
            "pending": self.pending,
            "missing": self.missing,
        }


@dataclass(frozen=True)
class UnservedPage:
    indicator: catalogue.Indicator
    entries: list[Entry]
    total: int
    page: int
    pages: int
    names_visible: bool
    method: str = "engine"  # how the unserved units were found: "columnar" or "engine"


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
        raise DomainError(
            _("Choose a village or a posyandu to see the list of names."),
            field_errors={"region": [_("The list is per village or posyandu.")]},
        )
    return list(Posyandu.objects.filter(desa_id=place.code).values_list("pk", flat=True))


def names_visible(scope: Scope, indicator: catalogue.Indicator, place: Place) -> bool:
    perm = Perm.VIEW_HEALTH if indicator.field == SpmField.HEALTH else Perm.VIEW_PERSON
    if not scope.allows(Perm.VIEW_PERSON, desa_code=place.code, posyandu_id=place.posyandu_id):
        return False
    if not scope.allows(perm, desa_code=place.code, posyandu_id=place.posyandu_id):
        return False
    return indicator.field in scope.fields_at(desa_code=place.code, posyandu_id=place.posyandu_id, perm=perm)


def unserved(
    scope: Scope | None,
    place: Place,
    period: Period,
    code: str,
    *,
    page: int | None = 1,
    today: dt.date | None = None,
) -> UnservedPage:
    scope = require_scope(scope)
    today = today or timezone.localdate()
    indicator = catalogue.get(code)
    if indicator is None:
        raise DomainError(_("Unknown SPM indicator."), field_errors={"indicator": [_("Unknown indicator.")]})
    if indicator.field not in spm_fields(scope):
        raise NotInScope()
    if indicator.source != catalogue.SIMPUL:
        raise DomainError(
            _("This indicator's figures come from another system; Simpul has no names for it."),
            field_errors={"indicator": [_("No list of names for this indicator.")]},
        )
    ids = posyandu_under(place)
    month = period.counter_month(today)
    as_of = engine.as_of_day(period.year, month, today)
    visible = names_visible(scope, indicator, place)
    found = (
        unserved_units.columnar_unserved(ids, period.year, as_of, today=today, indicator=indicator)
        if ids
        else None
    )
    if found is not None:
        try:
            return _page(found, ids, period.year, as_of, today, indicator, visible, page, "columnar")
        except unserved_units.Disagreement as error:  # never show what the engine would not: judge it all
            log.error("unserved list: columnar and engine disagree (%s); using the engine", error)
    found = (
        unserved_units.engine_unserved(ids, period.year, month, today=today, indicator=indicator)
        if ids
        else []
    )
    return _page(found, ids, period.year, as_of, today, indicator, visible, page, "engine")


def _page(
    found: list[Found],
    ids: list[int],
    year: int,
    as_of: dt.date,
    today: dt.date,
    indicator: catalogue.Indicator,
    visible: bool,
    page: int | None,
    method: str,
) -> UnservedPage:
    """Sort every unserved unit, then judge (when not judged yet) and put into words the page's only."""
    shown = _Shown(found, visible, as_of)
    ordered = sorted(found, key=shown.sort_key)
    total = len(ordered)
    if page is None:  # every entry at once, for an export
        chosen, page, pages = ordered, 1, 1
    else:
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(1, page), pages)
        chosen = ordered[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    if any(f.verdict is None for f in chosen):
        chosen = unserved_units.judge_people(ids, year, as_of, today=today, indicator=indicator, found=chosen)
    entries = [shown.entry(f) for f in chosen]
    return UnservedPage(indicator, entries, total, page, pages, visible, method)


# Sentences already made, per language: ``missing_text`` is a pure function of the reason and the language, and
# formatting a due date costs ~70 µs — a page of under-fives holds some 600 reasons. Only words are kept here,
# never who is missing what: every list is judged from the records when read.
_SAID: dict[tuple, str] = {}
_SAID_MAX = 50_000


def _words(missing: engine.Missing) -> str:
    try:
        detail = tuple(sorted(missing.detail.items()))
        hash(detail)
    except TypeError:  # a list or dict among the values
        detail = json.dumps(missing.detail, sort_keys=True, default=str)
    key = (get_language(), missing.code, detail, missing.due_on)
    text = _SAID.get(key)
    if text is None:
        if len(_SAID) >= _SAID_MAX:
            _SAID.clear()
        text = _SAID[key] = missing_text(missing)
    return text


class _Shown:
    """What a row shows of each unit — name (masked unless visible), RT/RW, posyandu — loaded for every unserved
    unit in a few narrow queries, since the list is sorted on it."""

    def __init__(self, found: list[Found], visible: bool, as_of: dt.date):
        self.visible, self.as_of = visible, as_of
        by_kind: dict[str, list[int]] = {}
        for unit in found:
            by_kind.setdefault(unit.kind, []).append(unit.id)
        self.posyandu = dict(
            Posyandu.objects.filter(pk__in={f.posyandu_id for f in found}).values_list("pk", "name")
        )
        # kes.ibu_hamil judges pregnancies: the row names the mother.
        self.mothers = dict(
            Pregnancy.objects.filter(pk__in=by_kind.get("pregnancy", ())).values_list("pk", "person_id")
        )
        people = set(by_kind.get("person", ())) | set(self.mothers.values())
        self.people = {
            pk: (name, birth, rt if household else "", rw if household else "")
            for pk, name, birth, household, rt, rw in Person.objects.filter(pk__in=people).values_list(
                "pk", "full_name", "birth_date", "household_id", "household__rt", "household__rw"
            )
        }
        self.households = {
            pk: (head or address, rt, rw)
            for pk, head, address, rt, rw in Household.objects.filter(
                pk__in=by_kind.get("household", ())
            ).values_list("pk", "head_name", "address", "rt", "rw")
        }
        self.reports = dict(
            Referral.objects.filter(pk__in=by_kind.get("report", ())).values_list("pk", "ticket")
        )
        self._fields: dict[tuple[str, int], tuple[str, str, str, str]] = {}

    def fields(self, unit: Found) -> tuple[str, str, str, str]:
        """(name as shown, age, rt, rw)."""
        key = (unit.kind, unit.id)
        if key not in self._fields:
            name, age, rt, rw = "", "", "", ""
            person_id = self.mothers.get(unit.id) if unit.kind == "pregnancy" else unit.id
            if unit.kind in ("person", "pregnancy") and person_id in self.people:
                name, birth, rt, rw = self.people[person_id]
                age = age_text(birth, self.as_of)
            elif unit.kind == "household" and unit.id in self.households:
                name, rt, rw = self.households[unit.id]
            elif unit.kind == "report" and unit.id in self.reports:
                name = self.reports[unit.id]
            if not (self.visible or unit.kind == "report"):
                name = mask_name(name)
            self._fields[key] = (name, age, rt, rw)
        return self._fields[key]

    def sort_key(self, unit: Found) -> tuple:
        # By posyandu, RW, RT and the name as shown; kind and id last, so that equal rows (masked names
        # often are) keep one order from page to page.
        name, _age, rt, rw = self.fields(unit)
        return (self.posyandu.get(unit.posyandu_id, ""), rw, rt, name, unit.kind, unit.id)

    def entry(self, unit: Found) -> Entry:
        name, age, rt, rw = self.fields(unit)
        verdict = unit.verdict
        missing = [
            {"code": m.code, "detail": m.detail, "due_on": m.due_on, "text": _words(m)}
            for m in verdict.missing
        ]
        return Entry(
            unit.kind,
            unit.id if self.visible else None,
            unit.posyandu_id,
            self.posyandu.get(unit.posyandu_id, ""),
            name,
            age,
            rt,
            rw,
            verdict.pending,
            missing,
        )
