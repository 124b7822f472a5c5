"""Step 4, pelayanan: vitamin A, iron tablets, supplementary food, deworming, family planning, counselling.

Who may receive what (checked here, so a slip is refused with a message the kader understands):

* Vitamin A at the posyandu: children 6–59 months, in February and August (bulan vitamin A); the capsule
  follows the age — blue (100,000 IU) for 6–11 months, red (200,000 IU) for 12–59 months. A mother after
  birth gets hers at the nifas visit (maternal app), not here.
* Iron tablets (TTD): pregnant women, mothers in nifas, and girls and women 10–49 years; 1–90 tablets.
* PMT (supplementary food): children 6–71 months and pregnant women.
* Deworming: children 12 months to 12 years.
* Family planning (KB): women and men 15–49 years, with the method.
* Individual counselling: anyone, with a short note.

Ages by completed months on the day. These rules follow the Kemenkes programme guidance as summarised in
docs/decisions/0013-posyandu-day.md; the iron and deworming age ranges are marked [U] there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.audit.services import audit_record
from simpul.core.errors import DomainError
from simpul.core.inputs import parse_client_uuid as parse_uuid
from simpul.registry.lifestage import age_in_months
from simpul.serviceday import access
from simpul.serviceday.models import (
    Attendance,
    Group,
    KbMethod,
    Service,
    ServiceDay,
    ServiceGiven,
    VitaminACapsule,
)
from simpul.serviceday.services.attendance import require_open
from simpul.serviceday.services.common import clean_text, invalid

VITAMIN_A_MONTHS = (2, 8)
BLUE, RED = VitaminACapsule.BLUE.value, VitaminACapsule.RED.value


@dataclass
class ServiceInput:
    kind: str
    quantity: int | None = None
    detail: str = ""  # the KB method
    note: str = ""
    client_uuid: object = None


def _check(kind: str, attendance: Attendance, data: ServiceInput, held_on: dt.date) -> tuple[int | None, str]:
    """The quantity and detail to store, or a DomainError saying why this person cannot receive it."""
    person = attendance.person
    months = age_in_months(person.birth_date, held_on)
    group = attendance.group
    if kind == Service.VITAMIN_A:
        if held_on.month not in VITAMIN_A_MONTHS:
            raise invalid("kind", _("Vitamin A is given in February and August."))
        if group == Group.POSTPARTUM:
            raise invalid("kind", _("A mother's vitamin A after birth is recorded at the nifas visit."))
        if not 6 <= months < 60:
            raise invalid("kind", _("Vitamin A at the posyandu is for children aged 6-59 months."))
        return None, BLUE if months < 12 else RED
    if kind == Service.IRON:
        allowed = group in (Group.PREGNANT, Group.POSTPARTUM) or (person.sex == "F" and 120 <= months < 600)
        if not allowed:
            raise invalid("kind", _("Iron tablets are for pregnant women, mothers after birth and girls and "
                                    "women aged 10-49."))
        if data.quantity is None or not 1 <= data.quantity <= 90:
            raise invalid("quantity", _("Enter the number of tablets given (1-90)."))
        return data.quantity, ""
    if kind == Service.PMT:
        if not (6 <= months < 72 or group == Group.PREGNANT):
            raise invalid("kind", _("Supplementary food (PMT) is for children aged 6-71 months and pregnant women."))
        return None, ""
    if kind == Service.DEWORMING:
        if not 12 <= months < 156:
            raise invalid("kind", _("Deworming is for children aged 1-12 years."))
        return None, ""
    if kind == Service.KB:
        if not 180 <= months < 600:
            raise invalid("kind", _("Family planning is recorded for people aged 15-49."))
        if data.detail not in KbMethod.values:
            raise invalid("detail", _("Choose the family planning method."))
        return None, data.detail
    if kind == Service.COUNSELLING:
        if not clean_text(data.note, 255):
            raise invalid("note", _("Write what the counselling was about."))
        return None, ""
    raise invalid("kind", _("Choose one of the listed options."))


def service_record(*, actor, scope, day: ServiceDay, attendance: Attendance, data: ServiceInput,
                   now: dt.datetime | None = None) -> ServiceGiven:
    """Record one service given to someone present. The same service twice on a day is refused."""
    now = now or timezone.now()
    access.require(access.may_run(scope, day.posyandu))
    if attendance.day_id != day.pk:
        raise invalid("person", _("Mark the person present first."))
    client_uuid = parse_uuid(data.client_uuid)
    if client_uuid is not None:
        existing = ServiceGiven.objects.filter(client_uuid=client_uuid).first()
        if existing is not None:
            if existing.day_id != day.pk or existing.person_id != attendance.person_id:
                raise invalid("client_uuid", _("This record id is already in use."))
            return existing
    require_open(day)
    quantity, detail = _check(data.kind, attendance, data, day.held_on)
    if ServiceGiven.objects.filter(day=day, person_id=attendance.person_id, kind=data.kind).exists():
        raise invalid("kind", _("This service is already recorded for this person today."))
    given = ServiceGiven(day=day, person_id=attendance.person_id, kind=data.kind, quantity=quantity, detail=detail,
                         note=clean_text(data.note, 255), recorded_by=actor, created_at=now)
    if client_uuid is not None:
        given.client_uuid = client_uuid
    try:
        with transaction.atomic():
            given.save()
            audit_record(actor=actor, action="serviceday.service.recorded", obj=given, region_code=day.desa_id,
                         changes={"person": attendance.person_id, "kind": data.kind, "quantity": quantity,
                                  "detail": detail})
    except IntegrityError as exc:
        raise DomainError(_("This service is already recorded for this person today."),
                          field_errors={"kind": [_("Already recorded.")]}) from exc
    return given
