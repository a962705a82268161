"""Social previews: Open Graph and Twitter Card tags, and the preview image drawn here.

A shared link shows a title, a description and an image. The image is a plain card (the site's
name, the title, one line of context) drawn by Pillow on this server: nothing is fetched from
another service, and no browser runs. A card depends only on its words, so it is cached under a
digest of them (and of the drawing's version): a renamed event gets a new card, an unchanged one
is drawn once, and its strong ETag is that same digest.

Only public objects have cards (the same public querysets as the pages); anything else is 404.
"""

import hashlib
import io
import textwrap
from dataclasses import dataclass
from functools import cache

from django.core.cache import caches
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.views.decorators.http import require_safe
from PIL import Image, ImageDraw, ImageFont

from events import dates
from events.choices import TimelineStatus
from events.freshness import FIXED_URL_CACHE_CONTROL, Validators
from events.markdown import markdown_to_text
from events.models import Actor, Event, Timeline
from events.rows import DATE_COLUMNS

WIDTH, HEIGHT = 1200, 630  # the size Open Graph and Twitter's large card expect
DRAWING_VERSION = "1"  # bump when the drawing below changes: every card is then drawn anew
DESCRIPTION_LENGTH = 200
BACKGROUND, INK, MUTED, ACCENT = "#ffffff", "#1b1f24", "#4d5661", "#0b5cad"


@dataclass(frozen=True)
class Card:
    title: str
    context: str  # one line under the title: "18 Feb 2025 · Bilateral talks"

    @property
    def digest(self) -> str:
        text = "\n".join((DRAWING_VERSION, self.title, self.context))
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)  # Pillow's own scalable font: no system font needed


def draw(card: Card) -> bytes:
    """The card as PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, 24, HEIGHT), fill=ACCENT)
    pen.text((80, 60), "Timeline", font=_font(40), fill=ACCENT)
    lines = textwrap.wrap(card.title, width=32)[:4] or [""]
    if len(textwrap.wrap(card.title, width=32)) > 4:
        lines[-1] = lines[-1].rstrip(" .,;:") + "…"
    y = 160
    for line in lines:
        pen.text((80, y), line, font=_font(68), fill=INK)
        y += 84
    pen.text((80, HEIGHT - 110), card.context[:70], font=_font(36), fill=MUTED)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def card_png(card: Card) -> bytes:
    """The card's PNG, drawn once per content (cached under its digest)."""
    store = caches["default"]
    key = f"share-card:{card.digest}"
    png = store.get(key)
    if png is None:
        png = draw(card)
        store.set(key, png, timeout=7 * 24 * 3600)
    return png


# The cards of public objects -------------------------------------------------------------------


def event_card(slug: str) -> Card:
    event = (
        Event.objects.public()
        .filter(slug=slug)
        .values("title", "event_type__name", *DATE_COLUMNS)
        .first()
    )
    if event is None:
        raise Http404
    when = dates.display_range_of(event)
    return Card(event["title"], f"{when} · {event['event_type__name']}")


def timeline_card(slug: str) -> Card:
    timeline = Timeline.objects.filter(slug=slug, status=TimelineStatus.PUBLISHED).first()
    if timeline is None:
        raise Http404
    return Card(timeline.title, "A timeline of events, each with its sources")


def actor_card(slug: str) -> Card:
    actor = Actor.objects.public().filter(slug=slug).first()
    if actor is None:
        raise Http404
    return Card(actor.name, f"{actor.get_kind_display()} · events and sources")


SITE_CARD = Card("Geopolitical events with their sources", "Timelines, events, actors")
CARDS = {"events": event_card, "timelines": timeline_card, "actors": actor_card}


@require_safe
def share_image(request, kind: str = "", slug: str = ""):
    """/share/<kind>/<slug>.png, or /share/site.png: the preview image of a public page."""
    if kind and kind not in CARDS:
        raise Http404
    card = CARDS[kind](slug) if kind else SITE_CARD
    validators = Validators(card.digest, weak=False)
    if validators.not_modified(request.headers):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(card_png(card), content_type="image/png")
    validators.apply(response, cache_control=FIXED_URL_CACHE_CONTROL)
    return response


def share_meta(origin: str, *, title: str, description: str = "", kind: str = "", slug: str = ""):
    """The context `embeds/_share.html` turns into Open Graph and Twitter Card tags."""
    if kind:
        image = reverse("embeds:share_image", args=[kind, slug])
    else:
        image = reverse("embeds:share_site")
    text = markdown_to_text(description).replace("\n", " ")
    if len(text) > DESCRIPTION_LENGTH:
        text = text[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return {"title": title, "description": text, "image": origin + image}
