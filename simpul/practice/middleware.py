"""Runs the request of a user in practice mode inside her posyandu's practice workspace.

Placed after AuthenticationMiddleware: the session and the user are loaded from the real database first
(both are read here, before the switch, because Django loads them lazily). The real connection is back in
place before the view's response leaves this middleware, so the session is saved to the real database.

Some requests are never practice, whatever the session says:
* paths in :data:`REAL_ONLY` — logging in and out, the practice switch itself, the admin, static files;
* requests with an ``Authorization`` header (API clients with a bearer token are never in practice mode).
Some are refused while practice mode is on (:data:`REFUSED`): the offline field app and its sync API, so no
practice record can enter a phone's outbox and be pushed to the real database later.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from simpul.practice import selectors
from simpul.practice.workspace import practice_context

SESSION_KEY = "simpul_practice_posyandu"
REAL_ONLY = ("/akun/", "/latihan/", "/admin/", "/static/", "/healthz", "/api/v1/auth/", "/status/")
REFUSED = ("/lapangan/", "/api/v1/sync/", "/sw.js")


class PracticeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.practice = None
        if "HTTP_AUTHORIZATION" in request.META or not hasattr(request, "session"):
            return self.get_response(request)
        posyandu_id = request.session.get(SESSION_KEY)
        if posyandu_id is None:
            return self.get_response(request)
        if not request.user.is_authenticated:  # also loads the user from the real database, now
            return self.get_response(request)
        active = selectors.active_for(request.user, posyandu_id)
        if active is None:
            # Reset by a newer deployment, a revoked grant, or switched off elsewhere: back to real records.
            del request.session[SESSION_KEY]
            messages.info(request, _("Practice mode has ended; you are working with real records again."))
            return self.get_response(request)
        request.practice = active
        path = request.path_info
        if path.startswith(REFUSED):
            return refused(request)
        if path.startswith(REAL_ONLY):
            return self.get_response(request)
        with practice_context(active):
            response = self.get_response(request)
            if response.streaming:
                # A streamed body (an export) is read after this middleware returns: read it now, in practice.
                response.streaming_content = [b"".join(response.streaming_content)]
            return response


def refused(request):
    message = _(
        "Practice mode is on. The field app and its synchronisation work with real records only: "
        "end practice mode first."
    )
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "practice_mode"}, status=409)
    return render(request, "practice/refused.html", {"message": message}, status=409)
