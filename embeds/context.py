"""Context builders: rows prepared for a request, grouped by period, the density strip, chips.

Periods come from events.periods, the rule the API's grouped timeline uses too: a heading is
"Feb 2025" or "2025", never a made-up first of the month; an event dated only to a year is
grouped under its year, beside the months.
"""

from collections import Counter
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

from events import dates, periods
from events.choices import EventStatus
from events.markdown import render_markdown
from events.periods import Period
from events.rows import DOUBTFUL, EventRow

# The strip's geometry, in SVG user units: a fixed width, scaled to the container by CSS.
STRIP_WIDTH, STRIP_HEIGHT, MAX_BAR_WIDTH = 600, 40, 40
LABEL_HEIGHT, MIN_LABELLED_BAR = 14, 22  # bars this wide get a label ("Feb", "2025") below


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


def entry_captions(timeline) -> dict[int, str]:
    """A curated timeline's captions by event id (“Sign 1: …”), in one query."""
    return dict(timeline.entries.exclude(caption="").values_list("event_id", "caption"))


def prepare_event(event):
    """Attach what the event page shows to one Event: its summary's HTML and its marks."""
    event.summary_html = render_markdown(event.summary)
    event.datetime_attr = dates.edtf_date(event.start_date, event.start_precision)
    event.is_doubtful = event.verification in DOUBTFUL
    event.is_retracted = event.status == EventStatus.RETRACTED
    return event


def group_events(rows, grouping: str = "month") -> list[tuple[Period, list]]:
    """(period, rows) in time order; within one, rows keep the order they came in (by date)."""
    return list(periods.group(rows, grouping).items())


def density_strip(grouped: list[tuple[Period, list]], grouping: str = "month") -> dict:
    """Bars for the SVG strip: every period from the first to the last, empty ones included.

    The empty ones are of the grouping's grain; a coarser period (a year among months) has a
    bar only when it has events, before the months it covers.
    """
    if not grouped:
        return {"bars": [], "width": 0, "height": STRIP_HEIGHT}
    counts = {period: len(rows) for period, rows in grouped}
    every = set(periods.span(grouped[0][0].start, grouped[-1][0].start, grouping)) | set(counts)
    keys = sorted(every, key=lambda period: period.sort_key)
    top = max(counts.values())
    gap = 3 if len(keys) < 60 else 1
    bar_width = min(MAX_BAR_WIDTH, (STRIP_WIDTH - gap * (len(keys) - 1)) / len(keys))
    # Coordinates are strings: SVG wants plain decimals, and a long strip (one bar a month over
    # decades) would otherwise pay the template's number localisation a thousand times.
    bars = []
    for index, period in enumerate(keys):
        count = counts.get(period, 0)
        height = max(3, round(count / top * (STRIP_HEIGHT - 4))) if count else 1
        bars.append(
            {
                "x": str(round(index * (bar_width + gap), 2)),
                "y": str(STRIP_HEIGHT - height),
                "height": str(height),
                "count": count,
                "label": period.label,
                "title": f"{period.label}: {count} event{'' if count == 1 else 's'}",
                "anchor": period.anchor,
                "short": period.short_label,  # "Feb 2025" -> "Feb"; a year keeps "2025"
                "label_x": str(round(index * (bar_width + gap) + bar_width / 2, 2)),
            }
        )
    labelled = bar_width >= MIN_LABELLED_BAR
    return {
        "bars": bars,
        "width": STRIP_WIDTH,
        "height": STRIP_HEIGHT + (LABEL_HEIGHT if labelled else 0),
        "labelled": labelled,
        "label_y": str(STRIP_HEIGHT + LABEL_HEIGHT - 3),
        "bar_width": str(round(bar_width, 2)),
        "first": bars[0]["label"],
        "last": bars[-1]["label"],
        "total": sum(counts.values()),
        "busiest": max(bars, key=lambda bar: bar["count"]),
    }


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
