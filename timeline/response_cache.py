"""The stamp-keyed response cache: anonymous public reads served again until public data moves.

Every public read (the API's `ConditionalReadMixin` for anonymous clients, the pages and embeds
under `embeds.caching.cached_public`) is already a function of the PUBLIC change stamp and of
its URL and media type: that is what its ETag says, and a client revalidating with that ETag is
answered 304 without the view running. This middleware keeps the body of such a response on
the server too, under a key made of the stamp and the request, so the next anonymous client
asking the same URL gets the same bytes without the view, the serializers or the renderer
running. It is not a second read path: what is stored is the response the one read path
built, and nothing is ever served under a stamp other than the one it was built at.

Invalidation: the key starts with the stamp's token and change time (`ChangeStamp`, moved by
events.signals on every public save and delete, and by `stamp_change()` for bulk updates), so
any public write makes every stored response unreachable at once; the entries left behind
expire (`RESPONSE_CACHE_TIMEOUT`) or are culled. Reading the stamp is the one query a hit
costs; a miss hands that stamp to the view (`request.public_stamp`), so it is read once.
Within a process, a request for a response another thread is already building waits for it
(on /api/ and /embed/, at most `SINGLE_FLIGHT_WAIT` s) instead of building it again.

Only what is safe to share is stored or served:
- GET requests with neither an `Authorization` nor a `Cookie` header (no token, no session:
  nobody whose view could differ from the public one; a request with any cookie simply goes
  the ordinary way);
- responses the read path marked (`mark_shareable`: validated by the public stamp for an
  anonymous client), status 200, `Cache-Control: public`, no cookie set, not streamed, not
  larger than `RESPONSE_CACHE_MAX_BYTES`.
The key also holds the scheme, host, full path with its query string and the `Accept` header
(the API negotiates its format from it), so no variant is served for another. Middleware
listed before this one (security headers, CSP, CORS) still runs on every response, hit or not.
The API's anonymous throttle still counts every hit on /api/ (a refused one goes the ordinary
way, which answers the 429). A matching `If-None-Match` or `If-Modified-Since` on a hit is
answered 304 by the same rules (`events.freshness.Validators`).

Settings: `RESPONSE_CACHE` (on by default; env `RESPONSE_CACHE=0` turns it off),
`RESPONSE_CACHE_ALIAS` (the cache used, "responses": per-process memory, or Redis with
REDIS_URL), `RESPONSE_CACHE_TIMEOUT` (s), `RESPONSE_CACHE_MAX_BYTES`.
"""

import hashlib
import threading

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified

from events.freshness import Validators

SHAREABLE = "_shareable_at_public_stamp"
# Paths whose anonymous GETs are (almost) always shareable, where a thread waits for another
# building the same response; elsewhere (a login page sets a cookie) waiting would not help.
SINGLE_FLIGHT_PATHS = ("/api/", "/embed/")
SINGLE_FLIGHT_WAIT = 30  # s; then the request builds its own response
_in_flight: dict[str, threading.Event] = {}
NOT_MODIFIED_HEADERS = ("ETag", "Last-Modified", "Cache-Control", "Vary", "Expires")


def mark_shareable(response) -> None:
    """Say that `response` is the public one for its URL at the public stamp the request read."""
    setattr(response, SHAREABLE, True)


def eligible(request) -> bool:
    """An anonymous GET: no credentials of any kind, so the public answer is the answer."""
    meta = request.META
    return (
        request.method == "GET"
        and not meta.get("HTTP_AUTHORIZATION")
        and not meta.get("HTTP_COOKIE")
    )


class StampedResponseCacheMiddleware:
    """Serve an anonymous GET from the cache when public data has not moved since it was built.

    Listed after the middleware that adds per-response headers (security, CSP, CORS) and
    before sessions, CSRF, authentication and messages, which a hit does not need."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (settings.RESPONSE_CACHE and eligible(request)):
            return self.get_response(request)
        from events.models import ChangeStamp

        request.public_stamp = stamp = ChangeStamp.current()
        key = self.key(request, stamp)
        cache = caches[settings.RESPONSE_CACHE_ALIAS]
        stored = cache.get(key)
        if stored is None and request.path.startswith(SINGLE_FLIGHT_PATHS):
            stored = self.wait_for_another_thread(cache, key)
        if stored is not None and self.throttle_allows(request):
            return self.replay(request, stored)
        mine = threading.Event()
        leading = _in_flight.setdefault(key, mine) is mine  # others wait for this thread
        try:
            response = self.get_response(request)
            if self.shareable(response):
                cache.set(key, self.record(response), settings.RESPONSE_CACHE_TIMEOUT)
        finally:
            if leading:
                _in_flight.pop(key, None)
                mine.set()
        return response

    @staticmethod
    def wait_for_another_thread(cache, key):
        """When a thread of this process is building the same response, wait for it rather
        than build it again beside it (a cold grouped timeline costs seconds of CPU)."""
        building = _in_flight.get(key)
        if building is None or not building.wait(SINGLE_FLIGHT_WAIT):
            return None
        return cache.get(key)

    def key(self, request, stamp) -> str:
        meta = request.META
        text = "\n".join(
            (
                stamp.token,
                stamp.changed_at.isoformat(),
                request.scheme,
                meta.get("HTTP_HOST", ""),
                request.get_full_path(),
                meta.get("HTTP_ACCEPT", ""),
            )
        )
        return "response:" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    def shareable(self, response) -> bool:
        return (
            getattr(response, SHAREABLE, False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "public" in response.get("Cache-Control", "")
            and getattr(response, "is_rendered", True)
            and len(response.content) <= settings.RESPONSE_CACHE_MAX_BYTES
        )

    @staticmethod
    def record(response) -> tuple:
        # django-csp reads what a view asked of the policy (`_csp_replace`, `_csp_exempt` …)
        # from attributes of the response; the CSP middleware above runs on hits too.
        policy = {name: value for name, value in vars(response).items() if name.startswith("_csp")}
        return (response.status_code, tuple(response.items()), response.content, policy)

    @staticmethod
    def replay(request, stored):
        status, headers, body, policy = stored
        headers = dict(headers)
        validators = Validators.from_headers(headers)
        if validators is not None and validators.not_modified(request.headers):
            response = HttpResponseNotModified()
            for name in NOT_MODIFIED_HEADERS:
                if name in headers:
                    response[name] = headers[name]
            return response
        response = HttpResponse(body, status=status)
        for name, value in headers.items():
            response[name] = value
        for name, value in policy.items():
            setattr(response, name, value)
        return response

    @staticmethod
    def throttle_allows(request) -> bool:
        """The API's default throttles count a hit as they count any other anonymous read."""
        if not request.path.startswith("/api/"):
            return True
        from django.contrib.auth.models import AnonymousUser
        from rest_framework.settings import api_settings

        request.user = AnonymousUser()
        return all(
            throttle().allow_request(request, None)
            for throttle in api_settings.DEFAULT_THROTTLE_CLASSES
        )
