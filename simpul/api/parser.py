"""The API's request parser: standard JSON in UTF-8, and no NUL character in any text it hands on."""

import json

from ninja.parser import Parser

NUL = "\x00"


class NulCharacter(ValueError):
    """A text holds the NUL character, which PostgreSQL cannot store (``field``: where, as ``items.0.data.name``)."""

    def __init__(self, field: str):
        super().__init__(f"NUL character in {field}")
        self.field = field


def _not_json(constant: str):
    # Python's json reads NaN, Infinity and -Infinity, which JSON does not have: a weight of NaN would reach
    # the services as a float that compares false with every limit.
    raise ValueError(f"{constant} is not JSON")


def _refuse_nul(data) -> None:
    """Every key and string of parsed JSON, depth-first with an explicit stack (json.loads already refused
    nesting too deep for recursion). JSON text can hold NUL only as the escape ``\\u0000``; PostgreSQL then
    fails on the write (text: "cannot contain NUL", jsonb: "unsupported Unicode escape") — a server error."""
    stack = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if NUL in value:
                raise NulCharacter(".".join(map(str, path)) or "__all__")
        elif isinstance(value, dict):
            for key, item in value.items():
                if NUL in key:
                    raise NulCharacter(".".join(map(str, (*path, key.replace(NUL, "")))) or "__all__")
                stack.append(((*path, key), item))
        elif isinstance(value, list):
            stack.extend(((*path, i), item) for i, item in enumerate(value))


class StrictJsonParser(Parser):
    """JSON bodies must be UTF-8 and standard JSON; anything else is a 400 with a Bahasa message
    (see errors.on_http). A NUL character in any text of a body or a form is a field error (422)."""

    def parse_body(self, request):
        text = request.body.decode("utf-8")  # UnicodeDecodeError -> 400, not a guess at the encoding
        data = json.loads(text, parse_constant=_not_json)
        _refuse_nul(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        # Query strings are checked for every request by core.middleware; this covers form fields (files are
        # not text and are left to their own checks).
        for key, values in data.lists():
            if any(isinstance(value, str) and NUL in value for value in values):
                raise NulCharacter(key)
        return super().parse_querydict(data, list_fields, request)
