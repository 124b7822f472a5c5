"""What a locked-out login is answered (django-axes' ``AXES_LOCKOUT_CALLABLE``).

The page's login form shows the lockout page; the API's token login answers JSON like the rest of the API.
Without this, the attempt that tipped an account into the lockout got axes' HTML page even under ``/api/``
(the later ones are refused by the token view itself, in JSON)."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from simpul.core.errorviews import API_PREFIX


def locked_response(request, original_response=None, credentials=None):
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("Too many attempts. Try again later."), "code": "locked"}, status=status)
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, {}, status=status)
