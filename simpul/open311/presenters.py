"""What Open311 says about a category and a referral: GeoReport v2 field names, citizen-facing content only.

A referral row never carries a name, description, address, phone or file; its
coordinates only when the category is about a place and no resident or household
is attached (a household's location is never published). ``status_notes`` is the
public wording of the state, never the note an officer wrote.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.referrals.models import FIELD_CHOICES, Category
from simpul.referrals.states import AT_VILLAGE, CLOSED, State
from simpul.referrals.taxonomy import category_label

FIELD_LABELS = dict(FIELD_CHOICES)
STATUS_NOTES = {
    State.RECORDED: gettext_lazy("Received; the village government will check it."),
    State.VERIFIED: gettext_lazy("Checked by the village government; waiting to be sent to the responsible agency."),
    State.FORWARDED: gettext_lazy("Sent to the responsible agency."),
    State.ACCEPTED: gettext_lazy("Accepted by the responsible agency."),
    State.IN_PROGRESS: gettext_lazy("Being handled by the responsible agency."),
    State.RESOLVED: gettext_lazy("Handled and closed."),
    State.REJECTED: gettext_lazy("Closed without further action."),
    State.REDIRECTED: gettext_lazy("Passed on to another agency that is responsible for it."),
    State.REOPENED: gettext_lazy("Reopened by the village government."),
}
# The service definition of a category a citizen may report: where the place is, inside the village.
PLACE_ATTRIBUTES = (
    ("rt", True, gettext_lazy("RT (neighbourhood) number of the place, e.g. 002")),
    ("rw", False, gettext_lazy("RW (hamlet) number of the place, e.g. 004")),
)


def citizen_may_report(category: Category) -> bool:
    """Only needs about a place: a person's or household's need is recorded against the registry by a kader."""
    return category.subject == Category.Subject.PLACE and not category.confidential


def service_row(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.label,
        "description": _service_description(category),
        "metadata": citizen_may_report(category),
        "type": "realtime",
        "keywords": _keywords(category),
        "group": str(FIELD_LABELS.get(category.field, category.field)),
    }


def service_definition(category: Category) -> dict:
    attributes = []
    if citizen_may_report(category):
        for order, (code, required, description) in enumerate(PLACE_ATTRIBUTES, start=1):
            attributes.append({
                "variable": True,
                "code": code,
                "datatype": "string",
                "required": required,
                "datatype_description": _("A number of at most three digits."),
                "order": order,
                "description": str(description),
            })
    return {"service_code": category.code, "attributes": attributes}


def _service_description(category: Category) -> str:
    days = {"days": category.sla_working_days}
    if category.confidential:
        return _("Confidential report: tell the kader or the lurah/kepala desa in person, so that the reporter "
                 "stays protected. It cannot be sent through Open311.")
    if citizen_may_report(category):
        return _("A need about a place in your neighbourhood (RT/RW, a facility). Handled within %(days)s "
                 "working days.") % days
    return _("A need of a resident or a household: recorded by the kader or the village government, because it "
             "needs the resident's record. It cannot be sent through Open311. Handled within %(days)s "
             "working days.") % days


def _keywords(category: Category) -> str:
    words = [category.field.replace("_", " ")]
    _prefix, _sep, rest = category.code.partition("_")
    if rest:
        words.append(rest.replace("_", " "))
    return ", ".join(words)


def request_row(row: dict) -> dict:
    """One referral (a row of :func:`simpul.open311.selectors.requests_public`) as a GeoReport service request."""
    state = row["state"]
    out = {
        "service_request_id": row["ticket"],
        "status": "closed" if state in CLOSED else "open",
        "status_notes": str(STATUS_NOTES[state]),
        "service_name": category_label(row["category__code"], row["category__name"]),
        "service_code": row["category__code"],
        "agency_responsible": _responsible(row),
        "requested_datetime": w3(row["recorded_at"]),
        "updated_datetime": w3(row["updated_at"] or row["recorded_at"]),
        "expected_datetime": w3(_end_of(row["due_on"])),
    }
    if _location_public(row):
        out["lat"] = float(row["latitude"])
        out["long"] = float(row["longitude"])
    return out


def _responsible(row: dict) -> str:
    if row["state"] in AT_VILLAGE or not row["agency__name"]:
        return _("Village government of %(name)s") % {"name": row["desa__name"]}
    return row["agency__name"]


def _location_public(row: dict) -> bool:
    return (row["category__subject"] == Category.Subject.PLACE and row["person_id"] is None
            and row["household_id"] is None and row["latitude"] is not None and row["longitude"] is not None)


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def w3(moment: dt.datetime) -> str:
    """ISO 8601 with the offset (the specification requires the zone), in the instance's time zone."""
    return timezone.localtime(moment).isoformat(timespec="seconds")
