"""The API's JSON parser: a body that is not plain JSON a database can store is a 400.

DRF's own parser turns most malformed bodies into a ParseError, but not all: a body
nested a hundred thousand levels deep raises RecursionError (a 500), one nested a few
thousand levels parses and then breaks whatever walks it, ``1e999`` reads as infinity,
a string may hold a lone surrogate that no database can encode, the declared charset
is trusted (``charset=rot13`` is a codec, not an encoding) and the body is read
whatever its size. Here every one of those is a 400 (or 413) problem, before any view
or serializer sees the data.
"""

import json
import math
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Our deepest body (a draft's claim's source's inline document) is five levels deep.
MAX_DEPTH = 32
# A \uD800–\uDFFF escape: either half of a pair (fine) or a lone surrogate (refused).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:20]} is too large")
    return value


def too_deep(data, limit: int = MAX_DEPTH) -> bool:
    """Whether ``data`` nests lists and objects more than ``limit`` levels deep (read a
    level at a time, without recursion)."""
    level = [data] if isinstance(data, dict | list) else []
    for _ in range(limit):
        level = [
            child
            for node in level
            for child in (node.values() if isinstance(node, dict) else node)
            if isinstance(child, dict | list)
        ]
        if not level:
            return False
    return True


class JSONParser(parsers.JSONParser):
    """UTF-8 JSON (RFC 8259), at most ``MAX_DEPTH`` levels deep, finite numbers only,
    strings without lone surrogates, at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            # A 413 problem (articles.api.problems), as for a form body over the limit. Not
            # imported from there: DRF's settings import this module while loading views.
            raise RequestDataTooBig("The request body is too large.")
        try:
            # JSON is UTF-8 whatever the Content-Type says (RFC 8259 section 8.1).
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError("JSON parse error - the body is not UTF-8 text.") from exc
        try:
            data = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
        except RecursionError as exc:
            raise ParseError(f"JSON parse error - nested more than {MAX_DEPTH} levels.") from exc
        except ValueError as exc:  # JSONDecodeError, and ints past Python's 4300 digits
            raise ParseError(f"JSON parse error - {exc}") from exc
        # Counting brackets is cheap; only a body with enough of them can be too deep.
        if text.count("[") + text.count("{") > MAX_DEPTH and too_deep(data):
            raise ParseError(f"JSON parse error - nested more than {MAX_DEPTH} levels.")
        if _SURROGATE_ESCAPE.search(text):
            try:
                json.dumps(data, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ParseError(
                    "JSON parse error - a string holds a lone surrogate (\\ud800–\\udfff), "
                    "which is not text."
                ) from exc
        return data
