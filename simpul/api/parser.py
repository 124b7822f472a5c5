import json

from ninja.parser import Parser


def _not_json(constant: str):
    # Python's json reads NaN, Infinity and -Infinity, which JSON does not have: a weight of NaN would reach
    # the services as a float that compares false with every limit.
    raise ValueError(f"{constant} is not JSON")


class StrictJsonParser(Parser):
    """JSON bodies must be UTF-8 and standard JSON; anything else is a 400 with a Bahasa message
    (see errors.on_http)."""

    def parse_body(self, request):
        text = request.body.decode("utf-8")  # UnicodeDecodeError -> 400, not a guess at the encoding
        return json.loads(text, parse_constant=_not_json)
