import json

from ninja.parser import Parser


class StrictJsonParser(Parser):
    """JSON bodies must be UTF-8; anything else is a 400 with a Bahasa message (see errors.on_http)."""

    def parse_body(self, request):
        text = request.body.decode("utf-8")  # UnicodeDecodeError -> 400, not a guess at the encoding
        return json.loads(text)
