"""JSON request bodies with limits: a body too large is a 413, one nested too deep a 400.

Without them a 990-level body exhausted Python's recursion in validation (a 500), and a number
beyond a float's range (`1e400`) became infinity, which no integer field can take (a 500).
Django checks a declared Content-Length against DATA_UPLOAD_MAX_MEMORY_SIZE when DRF reads the
body; the parser checks what it really reads too, for bodies sent without one (chunked).
"""

import io
import math

from django.conf import settings
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError

# Timeline's deepest real body (an event with nested rows) is 4 levels; 64 leaves room.
MAX_DEPTH = 64


class RequestTooLarge(APIException):
    """413: the body is over DATA_UPLOAD_MAX_MEMORY_SIZE (events.api.exceptions lists them all)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        super().__init__(
            f"The body is larger than {limit:,} bytes: send less at once (fewer rows or "
            "shorter texts)."
        )


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise RequestTooLarge()
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(TOO_DEEP) from exc
        _check_values(data)
        return data


TOO_DEEP = f"JSON parse error - the body is nested more than {MAX_DEPTH} levels deep."


def _check_values(data) -> None:
    """Depth and numbers, without recursion, so any body the decoder accepted is safe to walk."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise ParseError(TOO_DEEP)
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)
        elif isinstance(value, float) and not math.isfinite(value):
            raise ParseError("JSON parse error - a number is too large.")
