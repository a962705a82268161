"""/embed.js: the loader a host page includes to turn `<div data-timeline>` into an iframe."""

from pathlib import Path

from django.views.decorators.http import require_safe

from events.freshness import fixed_content_response, fixed_file

LOADER = Path(__file__).resolve().parent / "static" / "embeds" / "embed.js"


@require_safe
def embed_js(request):
    body, validators = fixed_file(LOADER)
    response = fixed_content_response(
        request, body, validators, content_type="text/javascript; charset=utf-8"
    )
    # Host pages on other origins load it, including ones that require CORP.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
