"""Writes to the posyandu registry: legal data, status, board and kader."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope
from simpul.audit.services import audit_record
from simpul.core.choices import ALL_FIELDS
from simpul.core.clock import latest_today
from simpul.core.errors import DomainError, NotInScope
from simpul.posyandu.models import Kader, Posyandu, PosyanduStatusChange
from simpul.regions.models import Region

# PP.KK.CC.DDDD.NNN: the 10-digit desa code and a 3-digit sequence (Kepmendagri 100.3-2834/2025, unconfirmed).
# Matched whole and ASCII-only: ``\d`` alone accepts other scripts' digits and ``$`` a trailing newline.
REGISTRATION_RE = re.compile(r"(\d{2})\.(\d{2})\.(\d{2})\.(\d{4})\.(\d{3})", re.ASCII)


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def _check_length(errors: dict[str, list[str]], field: str, value: str, limit: int) -> None:
    """Refuse text longer than its column: PostgreSQL would raise DataError (a 500), SQLite would keep it."""
    if len(value) > limit:
        errors.setdefault(field, []).append(_("This text can be at most %(n)d characters.") % {"n": limit})


def registration_number_errors(number: str, desa_code: str) -> list[str]:
    match = REGISTRATION_RE.fullmatch(number or "")
    if not match:
        return [_("The registration number has the form PP.KK.CC.DDDD.NNN, e.g. 35.76.03.1002.001.")]
    if "".join(match.groups()[:4]) != desa_code:
        return [_("The registration number must start with this posyandu's desa code.")]
    if match.group(5) == "000":
        return [_("The sequence number (last three digits) cannot be 000.")]
    return []


@transaction.atomic
def posyandu_create(*, actor, scope: Scope, desa: Region, name: str, address: str = "", rw: str = "", dusun: str = "",
                    now: dt.datetime | None = None, **legal) -> Posyandu:
    now = now or timezone.now()
    if desa.level != Region.Level.VILLAGE:
        raise DomainError(_("A posyandu belongs to a desa or kelurahan."))
    if not scope.allows(Perm.EDIT_POSYANDU, desa_code=desa.code):
        raise NotInScope()
    name = " ".join((name or "").split())
    address, rw, dusun = " ".join((address or "").split()), (rw or "").strip(), " ".join((dusun or "").split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("This field is required.")]
    elif Posyandu.objects.filter(desa=desa, name__iexact=name).exists():
        errors["name"] = [_("A posyandu with this name already exists in this desa.")]
    for field, value in (("name", name), ("address", address), ("rw", rw), ("dusun", dusun)):
        _check_length(errors, field, value, _max_length(Posyandu, field))
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    posyandu = Posyandu.objects.create(desa=desa, name=name, address=address, rw=rw, dusun=dusun, created_at=now)
    posyandu_update_legal(actor=actor, scope=scope, posyandu=posyandu, now=now, **legal) if legal else None
    PosyanduStatusChange.objects.create(posyandu=posyandu, status=posyandu.status, changed_on=timezone.localdate(now),
                                        reason="created", actor=actor)
    audit_record(actor=actor, action="posyandu.posyandu.created", obj=posyandu, region_code=desa.code,
                 changes={"name": name})
    return posyandu


@transaction.atomic
def posyandu_update_legal(*, actor, scope: Scope, posyandu: Posyandu, sk_number: str = "", sk_date=None,
                          sk_board_number: str = "", sk_board_date=None, registration_number: str = "",
                          now: dt.datetime | None = None) -> Posyandu:
    now = now or timezone.now()
    if not scope.allows(Perm.EDIT_POSYANDU, desa_code=posyandu.desa_id, posyandu_id=posyandu.pk):
        raise NotInScope()
    errors: dict[str, list[str]] = {}
    today = latest_today(now)
    for field, value in (("sk_date", sk_date), ("sk_board_date", sk_board_date)):
        if value and value > today:
            errors[field] = [_("This date cannot be in the future.")]
    sk_number, sk_board_number = (sk_number or "").strip(), (sk_board_number or "").strip()
    for field, value in (("sk_number", sk_number), ("sk_board_number", sk_board_number)):
        _check_length(errors, field, value, _max_length(Posyandu, field))
    registration_number = (registration_number or "").strip()
    if registration_number:
        problems = registration_number_errors(registration_number, posyandu.desa_id)
        if not problems and Posyandu.objects.filter(registration_number=registration_number).exclude(pk=posyandu.pk).exists():
            problems = [_("This registration number belongs to another posyandu.")]
        if problems:
            errors["registration_number"] = problems
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    new = {"sk_number": sk_number, "sk_date": sk_date, "sk_board_number": sk_board_number,
           "sk_board_date": sk_board_date, "registration_number": registration_number or None}
    changes = {k: (getattr(posyandu, k), v) for k, v in new.items() if getattr(posyandu, k) != v}
    for key, value in new.items():
        setattr(posyandu, key, value)
    posyandu.save()
    if changes:
        audit_record(actor=actor, action="posyandu.posyandu.legal_updated", obj=posyandu,
                     region_code=posyandu.desa_id, changes=changes)
    return posyandu


@transaction.atomic
def posyandu_set_status(*, actor, scope: Scope, posyandu: Posyandu, status: str, changed_on: dt.date, reason: str = "",
                        now: dt.datetime | None = None) -> Posyandu:
    now = now or timezone.now()
    if not scope.allows(Perm.EDIT_POSYANDU, desa_code=posyandu.desa_id, posyandu_id=posyandu.pk):
        raise NotInScope()
    if status not in Posyandu.Status.values:
        raise DomainError(_("Choose one of the listed options."),
                          field_errors={"status": [_("Choose one of the listed options.")]})
    if status == posyandu.status:
        raise DomainError(_("The posyandu already has this status."),
                          field_errors={"status": [_("The posyandu already has this status.")]})
    if changed_on > latest_today(now):
        raise DomainError(_("This date cannot be in the future."),
                          field_errors={"changed_on": [_("This date cannot be in the future.")]})
    last = posyandu.status_history.order_by("-changed_on").values_list("changed_on", flat=True).first()
    if last is not None and changed_on < last:
        # Otherwise the newest entry by date would no longer be the posyandu's current status.
        message = _("The date cannot be before the last status change (%(date)s).") % {"date": last.isoformat()}
        raise DomainError(message, field_errors={"changed_on": [message]})
    reason = (reason or "").strip()[:255]
    PosyanduStatusChange.objects.create(posyandu=posyandu, status=status, changed_on=changed_on, reason=reason,
                                        actor=actor, recorded_at=now)
    old, posyandu.status = posyandu.status, status
    posyandu.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="posyandu.posyandu.status_changed", obj=posyandu, region_code=posyandu.desa_id,
                 changes={"status": (old, status), "reason": reason})
    return posyandu


@transaction.atomic
def kader_add(*, actor, scope: Scope, posyandu: Posyandu, name: str, fields: list[str], phone: str = "",
              sk_number: str = "", user=None, since: dt.date | None = None) -> Kader:
    if not scope.allows(Perm.EDIT_POSYANDU, desa_code=posyandu.desa_id, posyandu_id=posyandu.pk):
        raise NotInScope()
    name = " ".join((name or "").split())
    phone, sk_number = (phone or "").strip(), (sk_number or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("This field is required.")]
    if not fields or isinstance(fields, str) or not set(fields) <= ALL_FIELDS:
        errors["fields"] = [_("Choose at least one SPM field.")]
    for field, value in (("name", name), ("phone", phone), ("sk_number", sk_number)):
        _check_length(errors, field, value, _max_length(Kader, field))
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    kader = Kader.objects.create(posyandu=posyandu, name=name, fields=sorted(set(fields)), phone=phone,
                                 sk_number=sk_number, user=user, since=since)
    audit_record(actor=actor, action="posyandu.kader.added", obj=kader, region_code=posyandu.desa_id,
                 changes={"name": name, "fields": kader.fields})
    return kader
