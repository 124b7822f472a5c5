from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from simpul.api.auth import token_issue

router = Router(tags=["auth"])


class TokenIn(Schema):
    # Django's own limits: a longer name is no account's, and django-axes stores the name of a failed attempt.
    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"  # noqa: S105 - the scheme name, not a secret
    expires_at: str


class Message(Schema):
    detail: str


@router.post("/token", auth=None, response={200: TokenOut, 401: Message, 429: Message})
def token_create(request, payload: TokenIn):
    """Trade a username and password for a bearer token that expires (see SIMPUL_API_TOKEN_TTL_HOURS)."""
    credentials = {"username": payload.username}
    if AxesProxyHandler.is_locked(request, credentials):
        raise HttpError(429, "locked")
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        if AxesProxyHandler.is_locked(request, credentials):
            raise HttpError(429, "locked")
        return Status(401, {"detail": _("Wrong username or password.")})
    raw, token = token_issue(user=user)
    return Status(200, {"token": raw, "expires_at": token.expires_at.isoformat()})


@router.delete("/token", response={200: Message, 400: Message})
def token_revoke(request):
    """Revoke the token used for this request."""
    token = getattr(request, "api_token", None)
    if token is None:
        return Status(400, {"detail": _("This request was not made with a token.")})
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return Status(200, {"detail": _("The token was revoked.")})
