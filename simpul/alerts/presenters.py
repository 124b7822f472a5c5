"""The reasons of an alert in plain Bahasa Indonesia, with as much as the reader may see.

Every fact has a sentence. A person's name (with their age) is added only when the reader may see named
people there — and, for a health fact, their health detail too; the measured values of a health fact (the
class, LiLA, blood pressure, Barthel score) only for health viewers. Everyone else reads the same reason
without them.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from simpul.alerts import rules
from simpul.alerts.evaluate import HEALTH_FACTS
from simpul.health.growth.classify import LengthForAge, WeightForLength
from simpul.registry.models import HouseholdCondition, Person
from simpul.screening.rules import AdlCategory
from simpul.spm.unserved import age_text


def _label(choices, code) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)


def _health_text(code: str, value, detail: dict) -> str:
    if code == "lhfa":
        return _("Stunted: %(label)s") % {"label": _label(LengthForAge, value)}
    if code == "wflh":
        return _("Wasted: %(label)s") % {"label": _label(WeightForLength, value)}
    if code == "adl_dependence":
        return _("Needs help with daily activities: %(label)s (Barthel %(score)s)") % {
            "label": _label(AdlCategory, value), "score": detail.get("adl_score", "?")}
    if code == "kek":
        return _("KEK: LiLA %(lila)s cm") % {"lila": detail.get("lila_cm", "?")}
    return _("High blood pressure in pregnancy: %(bp)s") % {
        "bp": f"{detail.get('systolic', '?')}/{detail.get('diastolic', '?')}"}


def _plain_text(code: str, value) -> str:
    texts = {
        "dtsen_decile": lambda: _("Poor family: DTSEN decile %(value)s") % {"value": value},
        "referral_poor": lambda: _("Reported as newly fallen into poverty (%(ticket)s)") % {"ticket": value},
        "school_age_child": lambda: _("School-age child"),
        "no_social_aid": lambda: _("No social aid at the latest survey"),
        "lhfa": lambda: _("Child with a growth problem"),
        "wflh": lambda: _("Child with a growth problem"),
        "lives_alone": lambda: _("Lives alone"),
        "adl_dependence": lambda: _("Needs help with daily activities"),
        "kek": lambda: _("Pregnant woman at risk"),
        "hypertension": lambda: _("Pregnant woman at risk"),
        "house_rtlh": lambda: _("House unfit to live in (RTLH)"),
        "baby": lambda: _("Baby under one year"),
        "disaster_prone": lambda: _("Reported as disaster-prone (%(ticket)s)") % {"ticket": value},
        "disability": lambda: _("Member with a disability: %(label)s") % {"label": _label(Person.Disability, value)},
        "earner_situation": lambda: _label(HouseholdCondition.Earners, value),
    }
    return texts[code]() if code in texts else code


def fact_text(fact: dict, *, people: dict[int, tuple[str, dt.date]], names: bool, health: bool,
              today: dt.date) -> str:
    code, person, value, detail = fact["code"], fact.get("person"), fact.get("value"), fact.get("detail") or {}
    shows_health = code in HEALTH_FACTS and health
    text = _health_text(code, value, detail) if shows_health else _plain_text(code, value)
    if person and names and (code not in HEALTH_FACTS or health) and person in people:
        name, birth = people[person]
        text = f"{text} — {name} ({age_text(birth, today)})"
    return text


def reasons(alert, *, people, names: bool, health: bool, today: dt.date) -> list[str]:
    """One sentence per fact, without repeating the same sentence (two children with a growth problem)."""
    seen: list[str] = []
    for fact in alert.facts:
        text = fact_text(fact, people=people, names=names, health=health, today=today)
        if text not in seen:
            seen.append(text)
    return seen


def referral_description(alert) -> str:
    """What a referral made from an alert says: the rule's reason and the facts, without health values.

    The village office verifies every referral and may not read health detail; the kader adds what the
    agency needs, and a health agency sees the measurements in the person's own record.
    """
    rule = rules.BY_CODE[alert.rule]
    ids = [f["person"] for f in alert.facts if f.get("person")]
    people = {pk: (name, birth) for pk, name, birth in
              Person.objects.filter(pk__in=ids).values_list("pk", "full_name", "birth_date")}
    today = alert.raised_on
    lines = [_("Early warning: %(rule)s.") % {"rule": rule.name},
             *(f"- {text}" for text in reasons(alert, people=people, names=True, health=False, today=today))]
    return "\n".join(lines)[:2000]
