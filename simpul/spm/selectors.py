"""Reads of SPM achievement. Every function takes the scope first; regions outside it are a NotInScope.

Aggregates are open to every role with ``VIEW_AGGREGATES`` over its own area, limited to the fields it works
in (an OPD sees its field only). Names in the unserved list only for those who may see the person's record
there (``names_visible``); everyone else gets masked rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm, Role
from simpul.accounts.scope import Scope, require_scope
from simpul.core.choices import ALL_FIELDS, SpmField
from simpul.core.errors import DomainError, NotInScope
from simpul.posyandu.models import Posyandu
from simpul.regions.models import Region
from simpul.spm import catalogue
from simpul.spm.models import Counter, ExternalFigure, OfficialSasaran, RegionCounter, Target
from simpul.spm.periods import Period


def spm_fields(scope: Scope | None) -> frozenset[str]:
    """Fields whose indicators the user sees: an OPD officer its own, everyone else with aggregates all six."""
    scope = require_scope(scope)
    fields: set[str] = set()
    for grant in scope.grants:
        if not grant.permits(Perm.VIEW_AGGREGATES):
            continue
        fields |= grant.fields if grant.role == Role.OPD else ALL_FIELDS
    return frozenset(fields)


@dataclass(frozen=True)
class Place:
    """A region or one posyandu the dashboard is about."""

    code: str  # region code, or the posyandu's desa code
    name: str
    level: int  # 1..4 regions, 5 a posyandu
    posyandu_id: int | None = None

    @property
    def key(self) -> str:
        return f"p{self.posyandu_id}" if self.posyandu_id else self.code


def place_for(scope: Scope | None, *, region: str = "", posyandu_id: int | None = None) -> Place:
    """The region or posyandu asked for, if the user may see its aggregates; else NotInScope."""
    scope = require_scope(scope)
    if posyandu_id is not None:
        row = Posyandu.objects.filter(pk=posyandu_id).values_list("desa_id", "name").first()
        if row is None or not scope.allows(Perm.VIEW_AGGREGATES, desa_code=row[0], posyandu_id=posyandu_id):
            raise NotInScope()
        return Place(row[0], row[1], 5, posyandu_id)
    code = region.replace(".", "").strip()
    found = Region.objects.filter(code=code).values_list("name", "level").first()
    if found is None:
        raise NotInScope()
    if not any(code.startswith(prefix) for prefix in scope.region_prefixes(Perm.VIEW_AGGREGATES)):
        raise NotInScope()
    return Place(code, found[0], found[1])


def home_place(scope: Scope | None) -> Place | None:
    """Where a user's dashboard opens: the widest area of their grants, or their posyandu."""
    scope = require_scope(scope)
    prefixes = sorted(scope.region_prefixes(Perm.VIEW_AGGREGATES), key=len)
    if prefixes:
        return place_for(scope, region=prefixes[0])
    posyandu = scope.posyandu_ids(Perm.VIEW_AGGREGATES)
    return place_for(scope, posyandu_id=posyandu[0]) if posyandu else None


def children(scope: Scope | None, place: Place) -> list[Place]:
    """The areas (or posyandu) one level below ``place`` that the user may see."""
    scope = require_scope(scope)
    if place.level == 5:
        return []
    if place.level == Region.Level.VILLAGE:
        found = [
            Place(place.code, name, 5, pk)
            for pk, name in Posyandu.objects.filter(desa_id=place.code)
            .order_by("name")
            .values_list("pk", "name")
        ]
    else:
        found = [
            Place(code, name, level)
            for code, name, level in Region.objects.filter(parent_id=place.code)
            .order_by("code")
            .values_list("code", "name", "level")
        ]
    return [
        child
        for child in found
        if scope.allows(
            Perm.VIEW_AGGREGATES,
            desa_code=child.code.ljust(10, "0") if child.level < 5 else child.code,
            posyandu_id=child.posyandu_id,
        )
    ]


@dataclass
class Row:
    code: str
    field: str
    name: str
    source: str
    numerator: int | None
    denominator: int | None
    pending: int  # not yet surveyed (households)
    target: Decimal
    official_sasaran: int | None
    unconfirmed: str

    @property
    def percent(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (Decimal(self.numerator * 100) / Decimal(self.denominator)).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )

    @property
    def registration_gap(self) -> int | None:
        """Official sasaran minus the people Simpul has registered for it (positive: not yet registered)."""
        if self.official_sasaran is None or self.denominator is None:
            return None
        return self.official_sasaran - (self.denominator + self.pending)

    @property
    def meets_target(self) -> bool | None:
        return None if self.percent is None else self.percent >= self.target

    def as_dict(self) -> dict:
        percent = self.percent
        return {
            "code": self.code,
            "field": self.field,
            "name": self.name,
            "source": self.source,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "pending": self.pending,
            "percent": float(percent) if percent is not None else None,
            "target": float(self.target),
            "official_sasaran": self.official_sasaran,
            "registration_gap": self.registration_gap,
        }


def achievement(
    scope: Scope | None, place: Place, period: Period, *, field: str = "", today: dt.date | None = None
) -> list[Row]:
    """One row per indicator the user may see, for one place and period, from the counters."""
    return achievement_many(scope, [place], period, field=field, today=today)[place.key]


def achievement_many(
    scope: Scope | None, places: list[Place], period: Period, *, field: str = "", today: dt.date | None = None
) -> dict[str, list[Row]]:
    """Rows for several places at once (a region's children): a fixed number of queries, whatever the count."""
    scope = require_scope(scope)
    today = today or timezone.localdate()
    fields = spm_fields(scope)
    if field:
        if field not in SpmField.values:
            raise DomainError(
                _("Unknown SPM field."), field_errors={"field": [_("Choose one of the six fields.")]}
            )
        fields = fields & {field}
    indicators = catalogue.for_fields(fields)
    month = period.counter_month(today)
    codes = [i.code for i in indicators]
    counted: dict[str, dict[str, tuple]] = {place.key: {} for place in places}
    posyandu = {place.posyandu_id: place.key for place in places if place.posyandu_id}
    regions = {place.code: place.key for place in places if not place.posyandu_id}
    if posyandu:
        for pid, code, den, num, pending in Counter.objects.filter(
            posyandu_id__in=posyandu, year=period.year, month=month, indicator__in=codes
        ).values_list("posyandu_id", "indicator", "denominator", "numerator", "pending"):
            counted[posyandu[pid]][code] = (den, num, pending)
    if regions:
        for region, code, den, num, pending in RegionCounter.objects.filter(
            region_code__in=regions, year=period.year, month=month, indicator__in=codes
        ).values_list("region_code", "indicator", "denominator", "numerator", "pending"):
            counted[regions[region]][code] = (den, num, pending)
    within = _common_prefix(list(regions))
    external = (
        _figures(
            ExternalFigure.objects.filter(year=period.year, month=month),
            ("denominator", "numerator"),
            within,
            codes,
        )
        if regions
        else {}
    )
    official = (
        _figures(OfficialSasaran.objects.filter(year=period.year), ("count",), within, codes)
        if regions
        else {}
    )
    targets = _targets([place.code for place in places], period.year, codes)
    # The catalogue's words in the reader's language once per indicator, not once per row: a kab/kota and its
    # 28 kecamatan are 841 rows, and each translation lookup costs a few microseconds.
    words = {i.code: (str(i.name), str(i.unconfirmed), Decimal(i.target)) for i in indicators}
    result = {}
    for place in places:
        rows = []
        for indicator in indicators:
            code = indicator.code
            name, unconfirmed, default_target = words[code]
            if indicator.source == catalogue.EXTERNAL:
                figure = _sum_down(external, place.code, code) if external and not place.posyandu_id else None
                numerator, denominator, pending = (figure[1], figure[0], 0) if figure else (None, None, 0)
            else:
                denominator, numerator, pending = counted[place.key].get(code, (0, 0, 0))
            sasaran = _sum_down(official, place.code, code) if official and not place.posyandu_id else None
            target = _target_for(targets, place.code, code, default_target) if targets else default_target
            rows.append(
                Row(
                    code,
                    indicator.field,
                    name,
                    indicator.source,
                    numerator,
                    denominator,
                    pending,
                    target,
                    sasaran[0] if sasaran else None,
                    unconfirmed,
                )
            )
        result[place.key] = rows
    return result


def _common_prefix(codes: list[str]) -> str:
    if not codes:
        return ""
    first, last = min(codes), max(codes)
    length = 0
    while length < min(len(first), len(last)) and first[length] == last[length]:
        length += 1
    return first[:length]


def _figures(queryset, values: tuple[str, ...], within: str, codes) -> dict[str, dict[str, tuple]]:
    """Entered figures under ``within``: {region: {indicator: values}}."""
    rows: dict[str, dict[str, tuple]] = {}
    for region, code, *figures in queryset.filter(
        region__code__startswith=within, indicator__in=codes
    ).values_list("region_id", "indicator", *values):
        rows.setdefault(region, {})[code] = tuple(figures)
    return rows


def _sum_down(rows: dict[str, dict[str, tuple]], region_code: str, code: str):
    """The figure of a region: its own if entered, else the sum over its children that have one."""
    own = rows.get(region_code, {}).get(code)
    if own is not None:
        return own
    child_codes = {r for r in rows if r != region_code and r.startswith(region_code)}
    direct = {r for r in child_codes if not any(r != o and r.startswith(o) for o in child_codes)}
    parts = [_sum_down(rows, r, code) for r in direct]
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    return tuple(sum(values) for values in zip(*parts, strict=True))


def _targets(places: list[str], year: int, codes) -> dict[tuple[str, str], Decimal]:
    """Targets set for any area on the chains above these places: {(region, indicator): percent}."""
    chain = {code[:n] for code in places for n in (10, 6, 4, 2) if len(code) >= n}
    return {
        (region, code): percent
        for region, code, percent in Target.objects.filter(
            region_id__in=chain, year=year, indicator__in=codes
        ).values_list("region_id", "indicator", "percent")
    }


def _target_for(targets: dict, place_code: str, code: str, default: int | Decimal) -> Decimal:
    """The target set for the nearest area: the place itself first, then up the tree."""
    for n in (10, 6, 4, 2):
        if len(place_code) >= n and (place_code[:n], code) in targets:
            return targets[(place_code[:n], code)]
    return Decimal(default)


def breakdown(
    scope: Scope | None, place: Place, period: Period, *, field: str = "", today: dt.date | None = None
) -> list[tuple[Place, list[Row]]]:
    """The same rows for each child of the place (kecamatan → desa → posyandu), in a few queries."""
    places = children(scope, place)
    rows = achievement_many(scope, places, period, field=field, today=today) if places else {}
    return [(child, rows[child.key]) for child in places]


def achievement_and_breakdown(
    scope: Scope | None, place: Place, period: Period, *, field: str = "", today: dt.date | None = None
) -> tuple[list[Row], list[tuple[Place, list[Row]]]]:
    """``achievement`` of the place and its ``breakdown``, read together: the counters, figures, sasaran and
    targets of the place and all its children in one query each (the dashboard API with ``by=children``)."""
    places = children(scope, place)
    rows = achievement_many(scope, [place, *places], period, field=field, today=today)
    return rows[place.key], [(child, rows[child.key]) for child in places]


def trend(
    scope: Scope | None, place: Place, year: int, code: str, *, today: dt.date | None = None
) -> list[dict]:
    """Year-to-date percent of one indicator at the end of each month so far."""
    require_scope(scope)
    if catalogue.get(code) is None or catalogue.get(code).field not in spm_fields(scope):
        raise NotInScope()
    if place.posyandu_id:
        qs = Counter.objects.filter(posyandu_id=place.posyandu_id, year=year, indicator=code)
    else:
        qs = RegionCounter.objects.filter(region_code=place.code, year=year, indicator=code)
    out = []
    for month, den, num in qs.order_by("month").values_list("month", "denominator", "numerator"):
        percent = (
            float((Decimal(num * 100) / Decimal(den)).quantize(Decimal("0.1"), ROUND_HALF_UP))
            if den
            else None
        )
        out.append({"month": month, "denominator": den, "numerator": num, "percent": percent})
    return out
