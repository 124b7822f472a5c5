from django.http import Http404

from simpul.core.errors import NotInScope


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
