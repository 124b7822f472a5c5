"""API authentication: bearer tokens for clients, the session (with CSRF) for pages' own scripts."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from simpul.accounts.models import ApiToken


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_issue(*, user, now=None) -> tuple[str, ApiToken]:
    now = now or timezone.now()
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, key_hash=hash_token(raw), prefix=raw[:8], created_at=now,
        expires_at=now + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
    )
    return raw, token


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        found = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
        now = timezone.now()
        if found is None or not found.is_usable(now) or not found.user.is_active:
            return None
        if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=5):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found
        return found.user


class SessionCookie(SessionAuth):
    """The logged-in page's session, CSRF-checked — but only when there is a session to check.

    ninja checks CSRF before it looks for the cookie, so a request with neither a token nor a session (a phone
    whose token was lost) was told 403 "CSRF check failed" instead of 401 "log in first"."""

    def _get_key(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super()._get_key(request)


API_AUTH = [BearerToken(), SessionCookie()]
