"""Event rows for lists, timelines and exports: a projection, with the related sets alongside.

On PostgreSQL a page of events is one statement: the events' own columns (with their type and
location joined) and, per event, its participants and its citations as JSON arrays built by
correlated subqueries (`project_rows`). Elsewhere (SQLite) the related sets cost one query each,
so a page is three queries whatever its size. Both give the same rows: plain dicts assembled
here and rendered by orjson; no serializer runs per object (`events.api.shapes.EventRow`
declares this shape for the OpenAPI schema).
"""

from collections import defaultdict

import orjson
from django.db import connections
from django.db.models import Expression, F, QuerySet, TextField
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


# PostgreSQL only: an event's related sets as JSON text, in the shape of the Python path below
# (json_build_object keeps the keys in this order; jsonb would not). Indexed on event_id.
ACTORS_JSON = """(SELECT coalesce(json_agg(json_build_object(
    'slug', a.slug, 'name', a.name, 'kind', a.kind, 'iso3', a.iso3, 'role', p.role)
    ORDER BY p.id), '[]')::text
  FROM events_participation p JOIN events_actor a ON a.id = p.actor_id
 WHERE p.event_id = {event_id})"""
SOURCES_JSON = """(SELECT coalesce(json_agg(json_build_object(
    'id', s.id, 'title', s.title, 'url', s.url, 'publisher', s.publisher, 'stance', c.stance)
    ORDER BY c.id), '[]')::text
  FROM events_citation c JOIN events_source s ON s.id = c.source_id
 WHERE c.event_id = {event_id})"""


class RelatedJSON(Expression):
    """A correlated subquery over the outer event's id (whatever alias the query gives it)."""

    output_field = TextField()

    def __init__(self, template: str):
        super().__init__()
        self.template = template
        self.event_id = F("pk")

    def get_source_expressions(self):
        return [self.event_id]

    def set_source_expressions(self, exprs):
        (self.event_id,) = exprs

    def as_sql(self, compiler, connection):
        event_id, params = compiler.compile(self.event_id)
        return self.template.format(event_id=event_id), params


def project_rows(queryset: QuerySet) -> tuple[QuerySet, tuple[str, ...]]:
    """The queryset and the columns to ask of it for `build_rows`.

    On PostgreSQL the participants and citations come in the same statement as the events.
    """
    if connections[queryset.db].vendor != "postgresql":
        return queryset, ROW_COLUMNS
    queryset = queryset.annotate(
        actors_json=RelatedJSON(ACTORS_JSON), sources_json=RelatedJSON(SOURCES_JSON)
    )
    return queryset, (*ROW_COLUMNS, "actors_json", "sources_json")


def event_url_prefix(request) -> str:
    """Absolute URL of the event list; a row's URL is this plus its slug (no reverse per row)."""
    return request.build_absolute_uri(reverse("event-list"))


def build_rows(values: list[dict], url_prefix: str) -> list[dict]:
    """Rows for the events projected with `project_rows`, in the order given."""
    if values and "actors_json" in values[0]:
        loads = orjson.loads
        return [
            _row(value, loads(value["actors_json"]), loads(value["sources_json"]), url_prefix)
            for value in values
        ]
    ids = [value["id"] for value in values]
    actors = _actors_by_event(ids) if ids else {}
    sources = _sources_by_event(ids) if ids else {}
    return [
        _row(value, actors.get(value["id"], []), sources.get(value["id"], []), url_prefix)
        for value in values
    ]


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


def _row(value: dict, actors: list[dict], sources: list[dict], url_prefix: str) -> dict:
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
        "actors": actors,
        "sources": sources,
        "published_at": value["published_at"].isoformat() if value["published_at"] else None,
        "updated_at": value["updated_at"].isoformat(),
    }
