"""Event rows for lists, timelines and exports: a projection plus one query per related set.

A page of events costs three queries whatever its size: the events' own columns (with their
type and location joined), their participants with actors, and their citations with sources.
Rows are plain dicts assembled here and rendered by orjson; no serializer runs per object
(`EventRowSerializer` only documents this shape for the OpenAPI schema).
"""

from collections import defaultdict

from django.urls import reverse

from events import dates
from events.models import Citation, Participation

# The columns a row needs; keyset pagination adds its ordering keys.
ROW_COLUMNS = (
    "id",
    "slug",
    "title",
    "summary",
    "event_type__slug",
    "event_type__name",
    "start_date",
    "start_precision",
    "start_approximate",
    "end_date",
    "end_precision",
    "end_approximate",
    "date_lower",
    "date_upper",
    "location_country__slug",
    "location_country__name",
    "location_country__iso3",
    "location_name",
    "status",
    "retraction_reason",
    "verification",
    "importance",
    "published_at",
    "updated_at",
)


def event_url_prefix(request) -> str:
    """Absolute URL of the event list; a row's URL is this plus its slug (no reverse per row)."""
    return request.build_absolute_uri(reverse("event-list"))


def build_rows(values: list[dict], url_prefix: str) -> list[dict]:
    """Rows for the projected events, in the order given."""
    ids = [value["id"] for value in values]
    actors = _actors_by_event(ids) if ids else {}
    sources = _sources_by_event(ids) if ids else {}
    return [_row(value, actors, sources, url_prefix) for value in values]


def _actors_by_event(ids: list[int]) -> dict[int, list[dict]]:
    by_event: dict[int, list[dict]] = defaultdict(list)
    rows = (
        Participation.objects.filter(event_id__in=ids)
        .order_by("event_id", "id")
        .values_list("event_id", "role", "actor__slug", "actor__name", "actor__kind", "actor__iso3")
    )
    for event_id, role, slug, name, kind, iso3 in rows:
        by_event[event_id].append(
            {"slug": slug, "name": name, "kind": kind, "iso3": iso3, "role": role}
        )
    return by_event


def _sources_by_event(ids: list[int]) -> dict[int, list[dict]]:
    by_event: dict[int, list[dict]] = defaultdict(list)
    rows = (
        Citation.objects.filter(event_id__in=ids)
        .order_by("event_id", "id")
        .values_list(
            "event_id", "stance", "source_id", "source__title", "source__url", "source__publisher"
        )
    )
    for event_id, stance, source_id, title, url, publisher in rows:
        by_event[event_id].append(
            {"id": source_id, "title": title, "url": url, "publisher": publisher, "stance": stance}
        )
    return by_event


def _row(value: dict, actors: dict, sources: dict, url_prefix: str) -> dict:
    start, end = value["start_date"], value["end_date"]
    args = (
        start,
        value["start_precision"],
        value["start_approximate"],
        end,
        value["end_precision"] or None,
        value["end_approximate"],
    )
    country_slug = value["location_country__slug"]
    return {
        "id": value["id"],
        "slug": value["slug"],
        "url": f"{url_prefix}{value['slug']}/",
        "title": value["title"],
        "summary": value["summary"],
        "type": {"slug": value["event_type__slug"], "name": value["event_type__name"]},
        "display_date": dates.display_range(*args),
        "edtf": dates.edtf(*args),
        "start": {
            "date": start.isoformat(),
            "precision": value["start_precision"],
            "approximate": value["start_approximate"],
        },
        "end": (
            {
                "date": end.isoformat(),
                "precision": value["end_precision"],
                "approximate": value["end_approximate"],
            }
            if end
            else None
        ),
        "earliest": value["date_lower"].isoformat(),
        "latest": value["date_upper"].isoformat(),
        "location": {
            "country": (
                {
                    "slug": country_slug,
                    "name": value["location_country__name"],
                    "iso3": value["location_country__iso3"],
                }
                if country_slug
                else None
            ),
            "name": value["location_name"],
        },
        "status": value["status"],
        "retraction_reason": value["retraction_reason"],
        "verification": value["verification"],
        "importance": value["importance"],
        "actors": actors.get(value["id"], []),
        "sources": sources.get(value["id"], []),
        "published_at": value["published_at"].isoformat() if value["published_at"] else None,
        "updated_at": value["updated_at"].isoformat(),
    }
