"""Every read of a programme's people (not-reached lists, attendance, follow-ups, exports) goes to the access log."""

from __future__ import annotations

from simpul.audit.services import access_record
from simpul.programmes.models import Programme


def read_logged(
    request,
    programme: Programme,
    *,
    action: str,
    detail: str,
    object_type: str = "programmes.programme",
    object_id: int | None = None,
) -> None:
    access_record(
        actor=request.user,
        action=action,
        object_type=object_type,
        object_id=programme.pk if object_id is None else object_id,
        region_code=programme.region_id,
        detail=detail,
        request=request,
    )
