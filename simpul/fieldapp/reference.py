"""Reference data the field app needs offline, sent once inside the shell (nothing personal in it).

* The immunisation schedule (``simpul.immunization.schedule.DOSES``): the phone works out each child's
  due and overdue doses itself with ``schedule.js``, a line-by-line port of ``immunization.rules``
  (``test_schedule_js.py`` runs both on the same children). Computing on the phone, rather than pulling
  each child's due list, keeps the list right after a dose recorded offline and costs 3 kB once.
* The life-stage bands, the services of the posyandu day, family-planning methods, referral categories
  and photo types, with their labels in the reader's language.
"""

from __future__ import annotations

from simpul.immunization import schedule
from simpul.referrals.models import Category
from simpul.referrals.services.attachments import PHOTO_TYPES
from simpul.referrals.taxonomy import DocType
from simpul.registry.lifestage import LIFE_STAGE_BANDS
from simpul.serviceday.groups import STAGE_GROUP
from simpul.serviceday.models import Group, KbMethod, Service
from simpul.serviceday.services.given import VITAMIN_A_MONTHS


def _span(span: schedule.Span | None) -> list[int] | None:
    return None if span is None else [span.months, span.days]


def _dose(dose: schedule.Dose) -> dict:
    return {
        "code": dose.code,
        "antigen": dose.antigen,
        "number": dose.number,
        "label": str(dose.label),
        "recommended": _span(dose.recommended),
        "earliest": _span(dose.earliest),
        "overdue": _span(dose.overdue),
        "interval": _span(dose.interval),
        "latest": _span(dose.latest),
        "endemic_only": dose.endemic_only,
    }


def reference_data() -> dict:
    return {
        "doses": [_dose(d) for d in schedule.DOSES],
        "stages": [[code, low, high] for code, _label, low, high in LIFE_STAGE_BANDS],
        "stage_group": {stage: str(group) for stage, group in STAGE_GROUP.items()},
        "groups": {g.value: str(g.label) for g in Group},
        "services": {s.value: str(s.label) for s in Service},
        "vitamin_a_months": list(VITAMIN_A_MONTHS),
        "kb_methods": {m.value: str(m.label) for m in KbMethod},
        "categories": [
            {"code": c.code, "label": c.label, "subject": c.subject, "field": c.field}
            for c in Category.objects.filter(active=True).order_by("field", "sort", "code")
        ],
        "photo_types": {t: str(DocType(t).label) for t in sorted(PHOTO_TYPES)},
    }
