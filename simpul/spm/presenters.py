"""Sentences for what is missing, in the kader's words: "belum ditimbang 3 kali lagi tahun ini".

Rules return codes with values (``simpul.spm.engine.Missing``); this module is the only place that turns
them into text, so the unserved list, the task list and the exports say the same thing.
"""

from __future__ import annotations

import datetime as dt

from django.utils.dates import MONTHS
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from simpul.spm.engine import Missing


def _date(value: str | None) -> str:
    return date_format(dt.date.fromisoformat(value), "j M Y") if value else ""


def _dose(code: str) -> str:
    from simpul.immunization import schedule

    dose = schedule.get(code)
    return str(dose.label) if dose is not None else code


def _month_name(detail: dict) -> str:
    number = detail.get("month_number")
    return str(MONTHS[number]) if number in MONTHS else str(detail.get("month", ""))


SENTENCES = {
    # rule module → code → function(detail) -> text
    "screening": lambda d: _("not yet screened this year"),
    "weighings": lambda d: _("weighed %(have)d of %(need)d times so far") % d,
    "heights": lambda d: _("length/height measured %(have)d of %(need)d times so far") % d,
    "vitamin_a": lambda d: _("no vitamin A in %(month)s") % {"month": _month_name(d)},
    "dose": lambda d: _("immunisation %(dose)s not given (due %(due)s)") % {
        "dose": _dose(d.get("dose", "")), "due": _date(d.get("due_on"))},
    "dose_missed": lambda d: _("immunisation %(dose)s missed (can no longer be given)") % {
        "dose": _dose(d.get("dose", ""))},
    "anc_visits": lambda d: _("%(have)d of %(need)d antenatal visits") % d,
    "anc_trimester": lambda d: _("trimester %(trimester)s: %(have)d of %(need)d visits") % d,
    "anc_doctor": lambda d: _("no doctor's visit in trimester %(trimester)s") % d,
    "follow_up": lambda d: _("checked %(have)d of %(need)d months since found") % d,
    "education_unknown": lambda d: _("education status not recorded"),
    "not_in_school": lambda d: _("not in school"),
    "not_in_equivalency": lambda d: _("not in an equivalency programme"),
    "survey": lambda d: _("household not yet surveyed"),
    "unsafe_water": lambda d: _("drinking water not safe"),
    "no_sanitation": lambda d: _("no proper toilet"),
    "house_not_restored": lambda d: _("house not yet habitable"),
    "referral_open": lambda d: _("referral %(ticket)s still open") % d,
}


def _rule_sentences() -> dict:
    """Sentences a rule module adds for its own codes (a module-level ``SENTENCES`` dict)."""
    from simpul.spm.rules import education, health, households, referrals, screening

    merged: dict = {}
    for module in (education, health, households, referrals, screening):
        merged.update(getattr(module, "SENTENCES", {}))
    return merged


def missing_text(missing: Missing) -> str:
    sentence = SENTENCES.get(missing.code) or _rule_sentences().get(missing.code)
    if sentence is None:
        return missing.code
    try:
        return sentence(dict(missing.detail, due_on=missing.due_on) if missing.due_on else missing.detail)
    except (KeyError, TypeError, ValueError):
        return missing.code
