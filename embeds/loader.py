"""/embed.js: the loader a host page includes to turn `<div data-timeline>` into an iframe."""

from pathlib import Path

from django.views.decorators.http import require_safe

from events.freshness import fixed_content_response, fixed_file

LOADER = Path(__file__).resolve().parent / "static" / "embeds" / "embed.js"
# A fixed URL cannot be immutable: cached for a day, then revalidated cheaply by its ETag.
LOADER_CACHE_CONTROL = "public, max-age=86400, stale-while-revalidate=604800"


@require_safe
def embed_js(request):
    body, validators = fixed_file(LOADER)
    response = fixed_content_response(
        request,
        body,
        validators,
        content_type="text/javascript; charset=utf-8",
        cache_control=LOADER_CACHE_CONTROL,
    )
    # Host pages on other origins load it, including ones that require CORP.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
