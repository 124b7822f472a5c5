"""The kader's offline field app: the page shell, its manifest and service worker, and the device key.

Everything personal reaches the phone only through /api/v1/sync/pull (scoped and masked there) and is
stored encrypted with the key from ``device_key``. The shell itself holds no personal data and no
user-specific token, so the service worker may cache it (decision 0021).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from functools import cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Role
from simpul.core.choices import Sex
from simpul.fieldapp.reference import reference_data
from simpul.fieldapp.strings import ui_strings
from simpul.health.models import Position
from simpul.immunization.models import ImmunizationRecord
from simpul.registry.models import Person

SESSION_KEY = "fieldapp_device_key"
SCOPE = "/lapangan/"
#: what the service worker stores at install: the app opens from these without a network
SHELL_FILES = (
    "simpul/simpul.css", "fieldapp/field.css", "fieldapp/app.js", "fieldapp/db.js", "fieldapp/crypto.js",
    "fieldapp/sync.js", "fieldapp/growth.js", "fieldapp/ui.js", "fieldapp/who-lms.json", "fieldapp/schedule.js",
    "fieldapp/day.js", "fieldapp/need.js", "fieldapp/photos.js",
    "fieldapp/icons/icon-192.png", "fieldapp/icons/icon-512.png",
)


def _is_kader(request) -> bool:
    return request.user.is_authenticated and bool(request_scope(request).grants_with(Role.KADER))


@login_required
@require_GET
def shell(request):
    if not _is_kader(request):
        raise PermissionDenied
    config = {
        "urls": {"key": reverse("fieldapp:device_key"), "push": "/api/v1/sync/push", "pull": "/api/v1/sync/pull",
                 "logout": reverse("accounts:logout"), "login": reverse("accounts:login") + "?next=" + SCOPE,
                 "worker": reverse("fieldapp_service_worker"), "tables": static("fieldapp/who-lms.json"),
                 "signed_out": reverse("fieldapp:signed_out"), "photo": "/api/v1/sync/photo"},
        "scope": SCOPE,
        "strings": ui_strings(),
        "reference": reference_data(),
    }
    response = render(request, "fieldapp/app.html", {
        "config": config, "sexes": Sex.choices, "positions": Position.choices, "reference": config["reference"],
        "places": ImmunizationRecord.Place.choices,
        "relationships": [c for c in Person.Relationship.choices if c[0] != Person.Relationship.HEAD],
    })
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
def device_key(request):
    """The AES-GCM key material of this session. A new login gets a new key; the phone keeps it only as a
    non-extractable CryptoKey and deletes it on logout. Never cached."""
    if not request.user.is_authenticated:
        response = JsonResponse({"detail": _("Log in again to sync.")}, status=403)
    elif not _is_kader(request):
        response = JsonResponse({"detail": _("Only a kader can sync the field app.")}, status=403)
    else:
        raw = request.session.get(SESSION_KEY)
        if raw is None:
            raw = request.session[SESSION_KEY] = base64.b64encode(secrets.token_bytes(32)).decode()
        response = JsonResponse({
            "key_id": hashlib.sha256(raw.encode()).hexdigest()[:16],
            "key": raw,
            "csrf_token": get_token(request),
        })
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def manifest(request):
    data = {
        "name": "Simpul — " + _("Field app"),
        "short_name": "Simpul",
        "lang": settings.LANGUAGE_CODE,
        "start_url": SCOPE,
        "scope": SCOPE,
        "display": "standalone",
        "background_color": "#f4f7f6",
        "theme_color": "#0f6b5c",
        "icons": [{"src": static(f"fieldapp/icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png",
                   "purpose": "any maskable"} for size in (192, 512)],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@cache
def _shell_version() -> str:
    """Changes whenever a cached file changes, so phones fetch the new worker and drop the old cache."""
    digest = hashlib.sha256()
    for name in SHELL_FILES:
        path = finders.find(name)
        if path:
            with open(path, "rb") as f:
                digest.update(f.read())
    digest.update((settings.STATIC_URL or "").encode())
    return digest.hexdigest()[:12]


def _precache_urls() -> list[str]:
    urls = []
    for name in SHELL_FILES:
        urls.append(static(name))
        plain = settings.STATIC_URL.rstrip("/") + "/" + name
        if not plain.startswith("/"):
            plain = "/" + plain
        if plain not in urls:
            urls.append(plain)  # modules import each other by plain name, also under hashed storage
    return urls


@require_GET
def service_worker(request):
    """Served from the site root so the worker's URL never has to move; it controls only /lapangan/."""
    response = render(request, "fieldapp/sw.js", {
        "version": _shell_version(), "precache": json.dumps(_precache_urls()), "scope": SCOPE,
        "never_cache": json.dumps([reverse("fieldapp:device_key"), "/api/"]),
    }, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def signed_out(request):
    """Where logout lands: a page script removes every trace of the field app from this device.

    Only after a logout (no session): a link to this page must not wipe a logged-in kader's unsent work.
    """
    if request.user.is_authenticated:
        return redirect("core:home")
    response = render(request, "fieldapp/signed_out.html", {"db_name": "simpul-lapangan"})
    response["Cache-Control"] = "no-store"
    return response
