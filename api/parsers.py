"""JSON request bodies with limits (issue 20): at most ``PSD_API_MAX_JSON_BYTES`` bytes and
``PSD_API_MAX_JSON_DEPTH`` levels of nesting, else 400.

DRF's own JSONParser hands the body to ``json.load``, whose C scanner recurses once per ``[``
or ``{``: a body of 5,000 ``[`` raised RecursionError, a 500. Here the body is read with a
bound, parsed with RecursionError caught, and the result's depth measured without recursion.
No field of the API takes more than a few levels, so 32 leaves room and refuses abuse early.
"""

import codecs

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

TOO_LARGE = "The JSON body is larger than {limit} bytes."
TOO_DEEP = "The JSON body is nested more than {limit} levels deep."


def depth(value) -> int:
    """How deeply lists and objects nest in ``value`` (a scalar is 0), iteratively."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        max_bytes = settings.PSD_API_MAX_JSON_BYTES
        max_depth = settings.PSD_API_MAX_JSON_DEPTH
        raw = stream.read(max_bytes + 1) if stream is not None else b""
        if len(raw) > max_bytes:
            raise ParseError(TOO_LARGE.format(limit=max_bytes))
        try:
            text = codecs.decode(raw, encoding)
            data = json.loads(text)
        except RecursionError:
            raise ParseError(TOO_DEEP.format(limit=max_depth)) from None
        except ValueError as exc:  # includes UnicodeDecodeError and JSONDecodeError
            raise ParseError(f"JSON parse error - {exc}") from None
        if depth(data) > max_depth:
            raise ParseError(TOO_DEEP.format(limit=max_depth))
        return data
