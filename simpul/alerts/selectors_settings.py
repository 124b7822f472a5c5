"""Reads of the early-warning rules as a kab/kota has tuned them (Tim Pembina's settings page and the API).

Only for a kab/kota the reader manages (``MANAGE_ROUTING`` over the whole of it): anything else is a
NotInScope, as on the SPM settings pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from simpul.accounts.scope import Scope
from simpul.alerts import rules
from simpul.alerts.models import RuleSetting
from simpul.regions.models import Region
from simpul.spm.selectors_dashboard import kabkota_get


@dataclass(frozen=True)
class Param:
    key: str
    label: str
    kind: str  # "whole" (a whole number), "decimal" (a decimal string) or "choices" (codes from the default list)
    value: object  # what the kab/kota uses now
    default: object
    options: tuple[tuple[str, str], ...] = ()  # (code, label) for "choices"


@dataclass(frozen=True)
class RuleView:
    code: str
    name: str
    explanation: str  # with the kab/kota's parameters filled in
    agencies: tuple[str, ...]
    active: bool
    params: tuple[Param, ...]
    own: bool  # the kab/kota has a setting of its own (else the defaults)
    updated_at: dt.datetime | None
    updated_by: str


def _kind(default) -> str:
    if isinstance(default, list):
        return "choices"
    return "decimal" if isinstance(default, str) else "whole"


def rule_settings(scope: Scope | None, kabkota: Region) -> list[RuleView]:
    """Every rule as it applies in ``kabkota``: on or off, each parameter beside its default."""
    kabkota = kabkota_get(scope, kabkota.code)
    own = {s.rule: s for s in RuleSetting.objects.filter(region=kabkota).select_related("updated_by")}
    views = []
    for rule in rules.RULES:
        setting = own.get(rule.code)
        clean = rules.clean_params(rule, setting.params)[0] if setting else {}
        params = {**rule.defaults, **clean}
        views.append(RuleView(
            rule.code, str(rule.name), rules.explanation(rule, params), rule.agencies,
            setting.active if setting else True,
            tuple(Param(key, str(rules.PARAM_LABELS.get(key, key)), _kind(default), params[key], default,
                        tuple((code, rules.option_labels(key).get(code, code)) for code in default)
                        if isinstance(default, list) else ())
                  for key, default in rule.defaults.items()),
            setting is not None, setting.updated_at if setting else None,
            setting.updated_by.username if setting and setting.updated_by else ""))
    return views
