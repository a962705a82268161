"""ETag, Last-Modified and Cache-Control for public pages and embeds, so a CDN can serve them.

The validators come from the ChangeStamp row (one primary-key query, see events.models.changes):
any save of curated data bumps its counter, so the next request gets a new ETag. A matching
`If-None-Match` (or, without it, an `If-Modified-Since` not older than the last change) is
answered 304 before the view runs its queries or renders anything.
"""

import hashlib
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpResponseNotModified
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from events.models import ChangeStamp

PUBLIC_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=600"


def public_etag(request, counter: int, view_name: str) -> str:
    """A weak ETag over the change counter, the view, the path and the sorted query string.

    The query string carries the filters and the embed options (theme, compact …), so each
    variant of a page has its own tag.
    """
    query = urlencode(sorted((k, v) for k, values in request.GET.lists() for v in values))
    parts = [str(counter), view_name, request.path, query]
    return 'W/"' + hashlib.blake2b("\n".join(parts).encode(), digest_size=12).hexdigest() + '"'


def _not_modified(request, etag: str, last_modified: int) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        wanted = {tag.removeprefix("W/").strip('"') for tag in parse_etags(if_none_match)}
        return if_none_match.strip() == "*" or etag.removeprefix("W/").strip('"') in wanted
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and last_modified <= since


def cached_public(view):
    """Conditional GET and public caching headers on a read-only public view."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        stamp = ChangeStamp.current()
        etag = public_etag(request, stamp.counter, view.__name__)
        last_modified = int(stamp.changed_at.timestamp())
        if _not_modified(request, etag, last_modified):
            response = HttpResponseNotModified()
        else:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        response["Cache-Control"] = PUBLIC_CACHE_CONTROL
        return response

    return wrapped
