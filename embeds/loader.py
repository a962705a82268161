"""/embed.js: the loader a host page includes to turn `<div data-timeline>` into an iframe."""

import hashlib
from functools import cache
from pathlib import Path

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags
from django.views.decorators.http import require_safe

LOADER = Path(__file__).resolve().parent / "static" / "embeds" / "embed.js"
# A fixed URL cannot be immutable: cached for a day, then revalidated cheaply by its ETag.
LOADER_CACHE_CONTROL = "public, max-age=86400, stale-while-revalidate=604800"


@cache
def _loader() -> tuple[bytes, str]:
    body = LOADER.read_bytes()
    return body, '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


@require_safe
def embed_js(request):
    body, etag = _loader()
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = LOADER_CACHE_CONTROL
    # Host pages on other origins load it, including ones that require CORP.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
