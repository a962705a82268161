"""Context builders: rows prepared for a request, grouped by period, curated sections, chips.

Periods come from events.periods, the rule the API's grouped timeline uses too: a heading is
"Feb 2025" or "2025", never a made-up first of the month; an event dated only to a year is
grouped under its year, beside the months.
"""

from collections import Counter
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

from events import periods
from events.periods import Period
from events.rows import EventRow


def prepare_rows(
    rows: list[EventRow], *, origin: str, highlight: str = "", captions: dict | None = None
) -> list[EventRow]:
    """Add the request's part on top of the rows: captions, highlight and absolute URLs."""
    captions = captions or {}
    # One reverse, not one per event; slugs are quoted as reverse() quotes them.
    prefix, suffix = (origin + reverse("embeds:event", args=["-"])).rsplit("-", 1)
    for row in rows:
        row.caption = captions.get(row.id, "")
        row.url = prefix + quote(row.slug, safe=RFC3986_SUBDELIMS + "/~:@") + suffix
        row.is_highlighted = bool(highlight) and row.involves(highlight)
    return rows


def curated_sections(rows: list[EventRow], captions: dict[int, str]) -> list[tuple[str, list]]:
    """Rows in the curator's order, cut into sections: each caption heads the entries from
    its own to the next captioned one (entries before the first caption have no heading)."""
    sections: list[tuple[str, list]] = []
    for row in rows:
        caption = captions.get(row.id, "")
        if caption or not sections:
            sections.append((caption, []))
        sections[-1][1].append(row)
    return sections


def group_events(rows, grouping: str = "month") -> list[tuple[Period, list]]:
    """(period, rows) in time order; within one, rows keep the order they came in (by date)."""
    return list(periods.group(rows, grouping).items())


def chips(rows) -> dict:
    """Filter chips: the actors and types present, most frequent first."""
    actors, types = Counter(), Counter()
    actor_by_slug, type_by_slug = {}, {}
    for row in rows:
        for actor in row.actors:
            actors[actor.slug] += 1
            actor_by_slug[actor.slug] = actor
        types[row.type_slug] += 1
        type_by_slug[row.type_slug] = {"slug": row.type_slug, "name": row.type_name}
    return {
        "actors": [actor_by_slug[slug] for slug, _ in actors.most_common(12)],
        "types": [type_by_slug[slug] for slug, _ in types.most_common(8)],
    }
