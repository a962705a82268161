"""Public pages and embeds: conditional GET and caching headers, so a CDN can serve them.

A thin adapter over `events.freshness`: the validators come from the PUBLIC change stamp (one
primary-key query), which moves only when what readers can see moves, so saving a draft
leaves every page's ETag alone. A matching `If-None-Match` (or, without it, an
`If-Modified-Since` not older than the last public change) is answered 304 before the view
runs its queries or renders anything.

A staff preview (events.preview) is the exception a view marks with `private_preview`: it is
one person's view of what readers cannot see, so it carries `Cache-Control: private, no-store`
and no validators (no ETag, no Last-Modified), and no shared or browser cache keeps it.
"""

from functools import wraps

from django.http import HttpResponseNotModified
from django.utils.cache import patch_vary_headers

from events.freshness import canonical_query, stamp_validators
from events.models import ChangeStamp
from timeline.response_cache import mark_shareable

PUBLIC_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=600"
PREVIEW_CACHE_CONTROL = "private, no-store"


def private_preview(response):
    """Mark a staff preview's response: never stored, never validated against public tags."""
    response["Cache-Control"] = PREVIEW_CACHE_CONTROL
    patch_vary_headers(response, ("Cookie",))  # the session chose this variant
    response.is_preview = True
    return response


def cached_public(view):
    """Conditional GET and public caching headers on a read-only public view.

    The ETag covers the view, the path and the sorted query string, which carries the filters
    and the embed options (theme, compact …), so each variant of a page has its own tag.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        # Kept on the request for views that key a cache on it (embeds.browse's facets).
        # (timeline.response_cache reads it first for an anonymous GET: it is not read twice.)
        stamp = getattr(request, "public_stamp", None) or ChangeStamp.current()
        request.public_stamp = stamp
        validators = stamp_validators(
            stamp, (view.__name__, request.path, canonical_query(request.GET))
        )
        if validators.not_modified(request.headers):
            response = HttpResponseNotModified()
        else:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or getattr(response, "is_preview", False):
                return response
        validators.apply(response, cache_control=PUBLIC_CACHE_CONTROL)
        mark_shareable(response)  # the public answer: timeline.response_cache may keep it
        return response

    return wrapped
