"""The API's JSON parser: bodies nested deeper than ``MAX_DEPTH`` are refused before they are decoded.

Python's decoder recurses once per level, so a body of many thousand brackets (a few hundred kilobytes) raises
``RecursionError``, and a few hundred levels that it still decodes would make later code (validation, audit,
rendering) recurse as deep. ctip's payloads nest three or four levels; 32 leaves room and no more. The depth is
counted on the text, ignoring brackets inside strings, in linear passes that run in C.

Every view gets this parser from ``REST_FRAMEWORK``; a view that names its own parsers uses this one or a subclass
(``ctip/api/tests/test_nested_json.py`` walks the routes to make sure)."""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

MAX_DEPTH = 32

# A JSON string with its escapes (to the end of the text when it is never closed). Possessive repeats and the open
# end make every match succeed where it starts, so removing strings stays linear on any input.
_STRING = re.compile(r'"(?:[^"\\]++|\\.|\\\Z)*+(?:"|\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]++")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def nesting_depth(text: str) -> int:
    """Return how deeply arrays and objects nest in the JSON text; brackets inside strings do not count."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets), initial=0))


class JSONParser(parsers.JSONParser):
    """JSON nested at most ``MAX_DEPTH`` levels; anything else that is not JSON is a parse error."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from None
        if nesting_depth(text) > MAX_DEPTH:
            raise ParseError(
                _("The body is nested too deeply: at most %(limit)s levels of arrays and objects are accepted.")
                % {"limit": MAX_DEPTH},
                code="nested_too_deeply",
            )
        try:
            return self.decode(text)
        except ValueError as exc:  # json.JSONDecodeError, and NaN or Infinity when JSON is strict
            raise ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from None

    def decode(self, text: str) -> Any:
        """Return the decoded text; a subclass may decode more strictly, raising ValueError or an API error."""
        return json.loads(text, parse_constant=json.strict_constant if self.strict else None)
