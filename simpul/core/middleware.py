from django.core.exceptions import BadRequest
from django.http import Http404

from simpul.core.errors import NotInScope
from simpul.core.errorviews import API_PREFIX

NUL = "\x00"
# Interfaces that check their own input and answer in their own error format (GeoReport v2's list of errors).
OWN_CHECKS = ("/open311/",)


class NulCharacterMiddleware:
    """A NUL character in the address, the query string, a header or a page's form is a bad request (400), for
    every page and the API.

    No text a person types holds one, and PostgreSQL text columns cannot store or compare it: a search for
    ``?q=%00`` was a server error there (SQLite took it). The API's bodies are checked by its parser
    (``simpul.api.parser``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(NUL in value for name, value in request.META.items()
               if (name.startswith("HTTP_") or name == "CONTENT_TYPE") and isinstance(value, str)):
            # No header may hold one (RFC 9110 §5.5). django-axes stores the User-Agent of a failed login: with a
            # NUL its insert failed, the failure went uncounted and passwords could be guessed without a lockout.
            raise BadRequest("NUL character in a header")  # Django answers 400 (core.errorviews)
        if request.path.startswith(OWN_CHECKS):
            return self.get_response(request)
        if NUL in request.path or _holds_nul(request.GET):
            raise BadRequest("NUL character in the address")
        # A page's form fields too (views that read request.POST without a Django form); the API's bodies and
        # forms are its parser's, which answers with the field.
        if request.method == "POST" and not request.path.startswith(API_PREFIX) and _holds_nul(request.POST):
            raise BadRequest("NUL character in a form field")
        return self.get_response(request)


def _holds_nul(data) -> bool:
    return any(NUL in key or any(isinstance(value, str) and NUL in value for value in values)
               for key, values in data.lists())


class NotInScopeAs404Middleware:
    """An object outside the user's scope looks exactly like one that does not exist."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotInScope):
            raise Http404
        return None
