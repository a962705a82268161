"""The API's JSON shape of an event row (`events.rows.EventRow`), plus the row's URL.

Only HTTP shaping: the rows themselves come from `events.rows`, the one projection the pages
and embeds use too. No serializer runs per object (`events.api.shapes.EventRow`
declares this shape for the OpenAPI schema); orjson renders the dicts.
"""

from urllib.parse import urlsplit

from django.urls import reverse

from events import dates
from events.choices import LinkStatus
from events.lru import LRUStore
from events.rows import EventRow


def event_url_prefix(request) -> str:
    """Absolute URL of the event list; a row's URL is this plus its slug (no reverse per row)."""
    return request.build_absolute_uri(reverse("event-list"))


def archived_copy_url(absolute_prefix: str, source_id: int) -> str:
    """Our public copy of a source (embeds:archived_copy), on the host of an absolute URL."""
    parts = urlsplit(absolute_prefix)
    return f"{parts.scheme}://{parts.netloc}{reverse('embeds:archived_copy', args=[source_id])}"


def source_archive(absolute_prefix: str, source_id: int, archived: bool, status, dead) -> dict:
    """The archive fields of every source shape (shapes.SourceArchive)."""
    return {
        "archived_copy": archived_copy_url(absolute_prefix, source_id) if archived else None,
        "link_status": status,
        "dead_since": dead.isoformat() if dead else None,
    }


def row_json(row: EventRow, url_prefix: str) -> dict:
    """The row as the API lists it; `actors` has one entry per participation (with its role)."""
    end = row.end_date
    date_args = row._date_args()
    published = row.published_at
    return {
        "id": row.id,
        "slug": row.slug,
        "url": f"{url_prefix}{row.slug}/",
        "title": row.title,
        "summary": row.summary,
        "type": {"slug": row.type_slug, "name": row.type_name},
        "display_date": dates.display_range(*date_args),
        "edtf": dates.edtf(*date_args),
        "start": {
            "date": row.start_date.isoformat(),
            "precision": row.start_precision,
            "approximate": row.start_approximate,
        },
        "end": (
            {
                "date": end.isoformat(),
                "precision": row.end_precision,
                "approximate": row.end_approximate,
            }
            if end
            else None
        ),
        "earliest": row.date_lower.isoformat(),
        "latest": row.date_upper.isoformat(),
        "location": {
            "country": (
                {"slug": row.country_slug, "name": row.country_name, "iso3": row.country_iso3}
                if row.country_slug
                else None
            ),
            "name": row.location_name,
        },
        "status": row.status,
        "retraction_reason": row.retraction_reason,
        "verification": row.verification,
        "importance": row.importance,
        "actors": [
            {"slug": p.slug, "name": p.name, "kind": p.kind, "iso3": p.iso3, "role": p.role}
            for p in row.participants
        ],
        "sources": [_source_json(source, url_prefix) for source in row.sources],
        "published_at": published.isoformat() if published else None,
        "updated_at": row.updated_at.isoformat(),
    }


def _source_json(source, url_prefix: str) -> dict:
    status = source.link_status
    if source.archived_at is None and status != LinkStatus.DEAD:  # most sources: no URL to make
        archive = {"archived_copy": None, "link_status": status, "dead_since": None}
    else:
        archive = source_archive(url_prefix, source.id, source.archived, status, source.dead_since)
    return {
        "id": source.id,
        "title": source.title,
        "url": source.url,
        "publisher": source.publisher,
        "stance": source.stance,
        **archive,
    }


# Each row's shape, kept per process by what it is made of: the row's database record (every
# column, its participants and sources as read; events.rows.EventRow.record) and the URL
# prefix. A changed event, actor name or source title is a new record, so a kept shape is never
# stale and nothing needs invalidating (as the embeds' fragments, embeds.fragments). Shaping 500
# rows cost ~2.7 ms; finding them, ~0.5 ms. The shapes are shared: nothing may change them.
# About 3.6 KB an entry (the shape and the record in its key; tracemalloc over the 500-row
# benchmark page): at most ~18 MB per process, ten pages of 500.
shaped_rows = LRUStore(max_entries=5_000)


def rows_json(rows: list[EventRow], url_prefix: str) -> list[dict]:
    """`row_json` of each row, the shapes already made taken from `shaped_rows`; rows without a
    record (several queries built them: SQLite) are shaped every time."""
    keys = [(url_prefix, row.record) if row.record else None for row in rows]
    found = shaped_rows.get_many([key for key in keys if key is not None])
    shaped, made = [], {}
    for row, key in zip(rows, keys, strict=True):
        data = found.get(key) if key is not None else None
        if data is None:
            data = row_json(row, url_prefix)
            if key is not None:
                made[key] = data
        shaped.append(data)
    if made:
        shaped_rows.set_many(made)
    return shaped
