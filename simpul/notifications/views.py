"""The user's own notifications: the list, opening one (marks it read), and marking all read."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from simpul.notifications import selectors
from simpul.notifications.services import notification_read, notifications_read_all

PER_PAGE = 30


@login_required
@require_GET
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page,
                                                       "unread": selectors.unread_count(request.user)})


@login_required
@require_GET
def notification_open(request, pk: int):
    """Mark one notification read and go to what it is about. Only a path of Simpul itself is followed,
    so a stored link can never send the user to another site."""
    note = selectors.notification_get(request.user, pk)
    notification_read(notification=note)
    target = internal_path(note.link)
    return redirect(target) if target else redirect("notifications:list")


@login_required
@require_POST
def notifications_read_all_view(request):
    count = notifications_read_all(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


def internal_path(link: str) -> str:
    """``link`` when it is a path that resolves to a Simpul page, else ""."""
    link = (link or "").strip()
    if not link.startswith("/") or link.startswith("//") or "\\" in link:
        return ""
    if not url_has_allowed_host_and_scheme(link, allowed_hosts=set()):
        return ""
    try:
        resolve(urlsplit(link).path)
    except Resolver404:
        return ""
    return link
