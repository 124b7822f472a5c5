"""Under /api/ every answer is JSON: a wrong method too.

django-ninja answers a method a path does not take with Django's plain-text ``405 Method Not Allowed``; the
field app and scripts read JSON (decision 0031). This keeps the status and the ``Allow`` header and gives the
body the API's shape, in Bahasa.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _

from simpul.core.errorviews import API_PREFIX


class JsonMethodNotAllowedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code == 405 and request.path.startswith(API_PREFIX)
                and not response.get("Content-Type", "").startswith("application/json")):
            answer = JsonResponse({"detail": _("This method is not allowed here."), "code": "method_not_allowed"},
                                  status=405)
            if response.has_header("Allow"):
                answer["Allow"] = response["Allow"]
            return answer
        return response
