"""oEmbed provider (https://oembed.com): `/oembed?url=<page>&format=json&maxwidth=&maxheight=`.

Answers type "rich" with an iframe of the embed for a public timeline or event page (or its
embed URL); 404 for any other URL, including drafts; 501 for a format other than json.
"""

from urllib.parse import urlencode, urlsplit

from django.http import JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_safe

from embeds.caching import cached_public
from embeds.views import public_origin
from events.models import Event, Timeline

DEFAULT_WIDTH = 640
HEIGHTS = {"timeline": 600, "event": 360}
CACHE_AGE = 3600  # seconds a consumer may keep our answer
PAGE_ROUTES = {
    "embeds:timeline": "timeline",
    "embeds:embed_timeline": "timeline",
    "embeds:event": "event",
    "embeds:embed_event": "event",
}


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _dimension(request, name: str) -> int | None:
    raw = request.GET.get(name)
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name} must be a positive whole number of pixels, not “{raw}”.")
    return int(raw)


def _target(url: str, origin: str):
    """(kind, object) for a public timeline or event URL on this site, else None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(origin).netloc:
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    kind = PAGE_ROUTES.get(match.view_name)
    if kind == "timeline":
        timeline = Timeline.objects.published().filter(slug=match.kwargs["slug"]).first()
        return (kind, timeline) if timeline else None
    if kind == "event":
        event = Event.objects.public().filter(slug=match.kwargs["slug"]).only("slug", "title")
        event = event.first()
        return (kind, event) if event else None
    return None


@require_safe
@cached_public
def oembed(request):
    if (request.GET.get("format") or "json") != "json":
        return _error(501, "Only format=json is supported.")
    url = (request.GET.get("url") or "").strip()
    if not url:
        return _error(400, "Give the address of a timeline or event page in url=….")
    try:
        maxwidth, maxheight = _dimension(request, "maxwidth"), _dimension(request, "maxheight")
    except ValueError as exc:
        return _error(400, str(exc))
    origin = public_origin(request)
    target = _target(url, origin)
    if target is None:
        return _error(404, "No published timeline or event at this URL.")
    kind, obj = target
    width = min(DEFAULT_WIDTH, maxwidth or DEFAULT_WIDTH)
    height = min(HEIGHTS[kind], maxheight or HEIGHTS[kind])
    route = "embeds:embed_timeline" if kind == "timeline" else "embeds:embed_event"
    src = origin + reverse(route, args=[obj.slug])
    if maxheight:
        src += "?" + urlencode({"maxheight": max(height, 150)})
    html = format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" '
        'style="border:0;max-width:100%"></iframe>',
        src,
        width,
        height,
        obj.title,
    )
    response = JsonResponse(
        {
            "version": "1.0",
            "type": "rich",
            "title": obj.title,
            "provider_name": "Timeline",
            "provider_url": origin + "/",
            "cache_age": CACHE_AGE,
            "html": str(html),
            "width": width,
            "height": height,
        }
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
