"""Small response rules that hold for every page, API answer and embed."""

import re

from django.http import HttpResponsePermanentRedirect
from django.utils.cache import patch_cache_control


class PrivateWhenSettingCookiesMiddleware:
    """A response that sets a cookie (a CSRF token on a browsable-API page, a session) is one
    person's: it is never `Cache-Control: public`, whatever the view chose, so no shared cache
    hands that cookie to someone else. Listed right after SecurityMiddleware so that it sees the
    cookies every later middleware sets."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.cookies and "public" in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True)  # replaces `public`
        return response


class RevisionMiddleware:
    """Every write request (admin or API) is recorded as one revision by the person making it
    (events.revisions): the saves of an event and its inline rows, or of an API call and the
    services it runs, become one entry in the history, with the reason the admin form or the
    `X-Change-Reason` header gives, or else the request's method and path."""

    SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.SAFE_METHODS:
            return self.get_response(request)
        from events import revisions

        # Not atomic: the views own their transactions, and a rolled-back change is skipped.
        with revisions.recorded(atomic=False) as frame:
            frame.add_reason(request.headers.get("X-Change-Reason", "")[:500])
            response = self.get_response(request)
            # The user as the view authenticated them (an API token sets it late).
            user = getattr(request, "user", None)
            if frame.user is None and user is not None and user.is_authenticated:
                frame.user = user
            if not frame.reasons:
                frame.add_reason(f"{request.method} {request.path}")
        return response


class MergedRedirectMiddleware:
    """The addresses of a record merged into another (events.merging) answer with a permanent
    redirect to the record kept: 301 for reads, 308 for writes (which keeps the method and the
    body), on the API, the public pages, the embeds and the share images alike.

    Only a 404 on one of those addresses (or a read of a retracted duplicate, which the domain
    signals with `MergedAway`) costs the lookup; every other request passes untouched.
    """

    # The path's first group names the kind, the second the record's key; the rest is kept.
    ADDRESSES = [
        re.compile(r"^/api/v1/(actors|events|sources)/([^/]+)(/.*)?$"),
        re.compile(r"^/(?:preview/)?(?:embed/)?(events|actors)/([^/]+)(/.*)?$"),
        re.compile(r"^/share/(events|actors)/([^/]+?)(\.png)$"),
    ]

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        return self._redirect(request) or response

    def process_exception(self, request, exception):
        from events.merging import MergedAway

        if isinstance(exception, MergedAway):
            return self._redirect(request, exception.model, exception.target)
        return None

    def _redirect(self, request, model=None, target=None):
        from events.merging import address_of, redirect_target
        from events.models import Actor, Event, Source

        kinds = {"actors": Actor, "events": Event, "sources": Source}
        for pattern in self.ADDRESSES:
            match = pattern.match(request.path_info)
            if match is None:
                continue
            kind, key, rest = match.group(1), match.group(2), match.group(3) or ""
            if model is None:
                target = redirect_target(kinds[kind], key) or redirect_target(
                    kinds[kind], key.lower()
                )
            if target is None or (model is not None and kinds[kind] is not model):
                return None
            prefix = request.path[: len(request.path) - len(request.path_info)]
            start = match.start(2)
            path = f"{prefix}{request.path_info[:start]}{address_of(target)}{rest}"
            query = request.META.get("QUERY_STRING", "")
            location = f"{path}?{query}" if query else path
            safe = request.method in ("GET", "HEAD")
            response = HttpResponsePermanentRedirect(location, status=301 if safe else 308)
            patch_cache_control(response, public=True, max_age=600)
            return response
        return None
