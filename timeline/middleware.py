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
