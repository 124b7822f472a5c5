"""Writing GeoReport v2 answers as JSON or XML, and its error shape.

The specification names XML the required format and JSON the optional one; both
are served. An answer is plain data (lists, dicts, strings, numbers, booleans,
None); XML wraps a list in the plural element and each item in the singular one
the specification uses (``<services><service>…``).
"""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

from django.http import HttpResponse

FORMATS = ("json", "xml")
# The element that holds one item of a list, by the list's element name (GeoReport v2's XML examples).
ITEM = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
}
# Characters XML 1.0 cannot carry (control characters an echoed parameter might hold).
NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Open311Error(Exception):
    """An answer in the specification's error shape: ``[{"code": status, "description": text}, …]``."""

    def __init__(self, status: int, *descriptions: str):
        super().__init__(descriptions[0] if descriptions else "")
        self.status = status
        self.descriptions = [str(d) for d in descriptions]


def render(data, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    """``data`` as JSON, or as XML under the element ``root``."""
    if fmt == "xml":
        element = _element(root, data)
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(element, encoding="unicode")
        response = HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    else:
        body = json.dumps(data, ensure_ascii=False)
        response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    return response


def render_errors(status: int, descriptions: list[str], fmt: str) -> HttpResponse:
    errors = [{"code": status, "description": text} for text in descriptions]
    return render(errors, fmt if fmt in FORMATS else "json", root="errors", status=status)


def _element(name: str, value) -> ElementTree.Element:
    element = ElementTree.Element(name)
    if isinstance(value, dict):
        for key, item in value.items():
            element.append(_element(key, item))
    elif isinstance(value, list):
        for item in value:
            element.append(_element(ITEM.get(name, "item"), item))
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = NOT_XML.sub("", str(value))
    return element
