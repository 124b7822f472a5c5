"""Small helpers shared by the posyandu-day services."""

from __future__ import annotations

from django.utils.translation import gettext as _

from simpul.core.errors import DomainError


def invalid(field: str, message: str) -> DomainError:
    return DomainError(_("Please correct the marked fields."), field_errors={field: [message]})




def clean_text(value: str | None, limit: int) -> str:
    return " ".join((value or "").split())[:limit]
