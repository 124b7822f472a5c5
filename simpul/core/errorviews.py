from django.shortcuts import render


def _page(request, status, title, message):
    return render(request, "core/error.html", {"status": status, "title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    from django.utils.translation import gettext as _

    return _page(request, 400, _("Bad request"), _("The request could not be understood. Please go back and try again."))


def permission_denied(request, exception=None):
    from django.utils.translation import gettext as _

    return _page(request, 403, _("No access"), _("Your account has no access to this page."))


def page_not_found(request, exception=None):
    from django.utils.translation import gettext as _

    return _page(request, 404, _("Not found"), _("This page does not exist, or it is outside your area."))


def server_error(request):
    from django.utils.translation import gettext as _

    return _page(request, 500, _("Something went wrong"), _("The error was recorded. Please try again in a moment."))
