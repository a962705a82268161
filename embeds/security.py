"""Framing rules: embeds may be framed by the allowed sites; every other page by none."""

from functools import wraps

from django.conf import settings


def embeddable(view):
    """Let the response be framed by settings.EMBED_FRAME_ANCESTORS (CSP frame-ancestors).

    X-Frame-Options cannot express an allow-list, so it is left off these responses only;
    every other page keeps `X-Frame-Options: DENY` and `frame-ancestors 'none'`. Embed views
    must not touch the session or the CSRF token, so they set no cookie and no `Vary: Cookie`
    (tests/embeds/test_headers.py checks it).
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.xframe_options_exempt = True
        # Read at request time, so a changed setting applies without re-importing views.
        response._csp_replace = {"frame-ancestors": list(settings.EMBED_FRAME_ANCESTORS)}
        return response

    return wrapped
