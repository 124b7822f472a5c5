from django.http import JsonResponse
from django.shortcuts import render

API_PREFIX = "/api/"


def _page(request, status, title, message, *, code: str, api_message: str | None = None):
    # Under /api/ the caller is a program (the field app, a dinas's script): it gets the API's JSON, never HTML.
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": api_message or message, "code": code}, status=status)
    return render(request, "core/error.html", {"status": status, "title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    from django.utils.translation import gettext as _

    return _page(request, 400, _("Bad request"), _("The request could not be understood. Please go back and try again."),
                 code="bad_request", api_message=_("The request could not be understood."))


def permission_denied(request, exception=None):
    from django.utils.translation import gettext as _

    return _page(request, 403, _("No access"), _("Your account has no access to this page."),
                 code="forbidden", api_message=_("You have no access here."))


def page_not_found(request, exception=None):
    from django.utils.translation import gettext as _

    return _page(request, 404, _("Not found"), _("This page does not exist, or it is outside your area."),
                 code="not_found", api_message=_("Not found."))


def server_error(request):
    from django.utils.translation import gettext as _

    return _page(request, 500, _("Something went wrong"), _("The error was recorded. Please try again in a moment."),
                 code="server_error")
