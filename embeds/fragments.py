"""Each timeline entry's HTML, and the time axis's, rendered once and cached by content.

Why fragments cached by content: rendering 500 entries through the template engine (and their
Markdown summaries) cost about ten times the same 500 events as JSON. An entry's markup does
not change between requests, so a page renders only the entries it has not seen and joins the
others from one `get_many`. The time axis (up to a mark per entry) is cached the same way under
the entries' slugs, titles and dates.

Why the key is a digest of the entry's content, not the event's `updated_at` or `version`: an
entry also shows its actors' names, its sources' titles and its type's name, which change
without the event being saved. The key covers the whole row as read in this request (every
column of events.rows, the participants and sources with their names and titles, and the
request's caption, URL and highlight mark), the highlighted actor, the `compact` and `in_embed`
options and the fragment template's source, so a changed input is a new key and a stale fragment
can never be served; nothing needs invalidating, and an unused one expires.

Why a store of its own, and not Django's cache: a page reads up to 500 fragments, which would
push everything else (throttling counts) out of the default cache's 300 entries, and Django's
per-process cache pickles every value and checks every key character by character, which
cost a third of an embed's time once its entries were rendered. The store is a dictionary
per process, least recently used dropped first, keyed by the entry's inputs themselves (the
database record is a tuple of plain values), so a hit costs a hash and a comparison and no
digest. Being content-addressed, it is correct in every process without coordination; the
Markdown summary is only rendered for a fragment that is missing.
"""

import hashlib
import secrets

from django.http import HttpResponse
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils.safestring import mark_safe

from embeds.svg import axis_event, shows_axis, time_axis
from events.lru import LRUStore
from events.markdown import render_markdown
from events.rows import EventRow

TEMPLATE, AXIS_TEMPLATE = "embeds/_event.html", "embeds/_axis.html"


# About 6.7 KB an entry (its fragment and the record in its key; tracemalloc over the 500-entry
# benchmark embed): at most ~40 MB per process, a dozen timelines of 500 entries.
fragment_cache = LRUStore(max_entries=6_000)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _key(row: EventRow, marked: str, options: tuple) -> tuple:
    # What the database gave (its record, or the dataclass's repr of every field but the
    # rendered html) and what the request set on the row (see EventRow).
    stored = row.record or repr(row)
    return ("entry", options, marked, row.url, row.caption, row.is_highlighted, stored)


def _marked(row: EventRow, highlight: str) -> str:
    """The highlighted actor's slug if this entry names it (else its markup does not change)."""
    if highlight and any(p.slug == highlight for p in row.participants):
        return highlight
    return ""


def attach_fragments(
    rows: list[EventRow],
    *,
    compact: bool,
    in_embed: bool,
    highlight: str = "",
    cached: bool = True,
    list_url: str = "",
) -> None:
    """Set each row's entry (`row.html_bytes`, UTF-8): from the cache, else rendered (and
    then cached). Kept as bytes: a page splices them in as they are (render_spliced), where
    joining and encoding 500 entries' text cost 1.1 ms a request.

    `cached=False` (a staff preview, events.preview) renders every entry and neither reads nor
    stores a fragment: what staff see never enters the cache that public pages are built from.
    `list_url`: the events page's absolute URL, which the entry's type and actor names link to
    (filtered); without it they are plain text.
    """
    template = get_template(TEMPLATE).template
    options = (_digest(template.source), compact, in_embed, list_url)
    marks = [_marked(row, highlight) for row in rows]
    keys = [_key(row, marked, options) for row, marked in zip(rows, marks, strict=True)]
    found = fragment_cache.get_many(keys) if cached else {}
    missing = {}
    context = Context({"compact": compact, "in_embed": in_embed, "list_url": list_url})
    for row, marked, key in zip(rows, marks, keys, strict=True):
        html = found.get(key)
        if html is None:
            summary_html = "" if compact else render_markdown(row.summary)
            with context.push(event=row, summary_html=summary_html, highlight=marked):
                # Autoescaped by the template, so safe as it is (EventRow.html marks it so).
                html = missing[key] = template.render(context).encode()
        row.html_bytes = html
    if missing and cached:
        fragment_cache.set_many(missing)


def axis_html(rows: list[EventRow], *, cached: bool = True) -> str:
    """The time axis's SVG above the entries, or "" where it would tell nothing (embeds.svg).
    It depends only on the entries' slugs, titles and dates, so it is cached under them (as
    stored: the displayed dates are derived from them, and written only on a miss).
    `cached=False`: a staff preview's, neither read from nor stored in the cache."""
    template = get_template(AXIS_TEMPLATE).template
    key = None
    if cached:
        dated = tuple([(row.slug, row.title, *row.date_fields) for row in rows])
        key = ("axis", _digest(template.source), dated)
        html = fragment_cache.get(key)
        if html is not None:
            return mark_safe(html)  # rendered with autoescaping by the template below
    events = [axis_event(row) for row in rows]
    html = template.render(Context({"axis": time_axis(events)})) if shows_axis(events) else ""
    if key is not None:
        fragment_cache.set(key, html)
    return mark_safe(html)  # rendered with autoescaping by the template above


# Where `{% entries %}` leaves a block of entries in a page rendered by `render_spliced`. Per
# process and unguessable: nothing a curator types can be taken for it.
ENTRIES_MARK = f"\x00entries-{secrets.token_hex(8)}\x00"
SPLICED_BLOCKS = "spliced_entry_blocks"


def entry_parts(rows) -> list[bytes]:
    """Each entry on a line of its own, as `{% for e in entries %}\n{{ e.html }}{% endfor %}`
    gives, in pieces to join once with the rest of the page."""
    parts: list[bytes] = []
    for row in rows:
        parts += (b"\n", row.html_bytes)
    return parts


def joined_entries(rows) -> bytes:
    return b"".join(entry_parts(rows))


def render_spliced(request, template_name: str, context: dict, status: int = 200) -> HttpResponse:
    """`django.shortcuts.render`, with each `{% entries %}` block joined into the bytes once.

    Why: a 500-entry page holds about 1 MB of entries. Returned by a tag, that string was
    copied by every template node around it (the loop over periods, the include, the page),
    marked safe again and encoded: a fifth of the embed's time. The page is rendered with a
    mark in each block's place, then its text and the entries' bytes (kept encoded, see
    attach_fragments) are joined once."""
    blocks = []
    page = render_to_string(template_name, {**context, SPLICED_BLOCKS: blocks}, request)
    pieces = page.split(ENTRIES_MARK)
    if len(pieces) != len(blocks) + 1:
        raise ValueError("a spliced page holds an entries mark that no block put there")
    parts = [pieces[0].encode()]
    for rows, piece in zip(blocks, pieces[1:], strict=True):
        parts += entry_parts(rows)
        parts.append(piece.encode())
    return HttpResponse(b"".join(parts), status=status)
