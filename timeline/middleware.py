"""Small response rules that hold for every page, API answer and embed."""

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
