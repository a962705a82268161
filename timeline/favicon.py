"""/favicon.ico: what a browser asks for on every page that names no icon (the admin, the
browsable API, the docs), answered with Timeline's icon instead of a logged 404."""

from pathlib import Path

from django.views.decorators.http import require_safe

from events.freshness import fixed_content_response, fixed_file

ICON = Path(__file__).resolve().parent / "favicon.svg"


@require_safe
def favicon(request):
    body, validators = fixed_file(ICON)
    return fixed_content_response(request, body, validators, content_type="image/svg+xml")
