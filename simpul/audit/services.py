"""Writing the audit trail. Called from inside services, in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from simpul.audit.models import AccessLog, AuditEntry

# Fields whose values never go into the audit trail: the log says they changed, not what to.
SECRET_FIELDS = {"nik", "nik_cipher", "nik_hash", "kk", "kk_cipher", "kk_hash", "password"}


def _clean(changes: dict[str, Any]) -> dict[str, Any]:
    cleaned = {}
    for key, value in changes.items():
        if key in SECRET_FIELDS:
            cleaned[key] = "changed"
        elif isinstance(value, tuple | list) and len(value) == 2:
            cleaned[key] = [_plain(value[0]), _plain(value[1])]
        else:
            cleaned[key] = _plain(value)
    return cleaned


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def audit_record(*, actor, action: str, obj, region_code: str = "", changes: dict[str, Any] | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        region_code=region_code,
        changes=_clean(changes or {}),
    )


def access_record(
    *, actor, action: str, object_type: str, object_id: str = "", region_code: str = "", detail: str = "", request=None
) -> AccessLog:
    ip = None
    if request is not None:
        ip = request.META.get("REMOTE_ADDR")
    return AccessLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        region_code=region_code,
        detail=detail[:255],
        ip_address=ip,
    )
