"""Output formats. JSON (orjson) is the default; the exports render the same event rows.

Every export renderer accepts what the event views return: a keyset page
(`{"results": [rows]}`), a grouped timeline (`{"periods": [{"events": [rows]}]}`) or a plain
list of rows (see `events.rows` and `events.api.rows`). Errors are always rendered as JSON (see
`FormatNegotiationMixin.finalize_response`), so these renderers only ever see rows.
"""

import csv
import datetime as dt
import decimal
import io
import re
from collections.abc import Iterable

import orjson
import pycountry
from django.conf import settings
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.feedgenerator import Atom1Feed
from django.utils.functional import Promise
from django.utils.html import escape
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from rest_framework import renderers
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation

from events.choices import DatePrecision, EventStatus, ParticipantRole
from events.dates import edtf_date
from events.markdown import markdown_to_text, render_markdown
from events.rows import CSV_COLUMNS, distinct_actors


def _orjson_default(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, Promise):  # lazy translations in error messages and labels
        return force_str(value)
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | dict):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dump_json(data, *, indent: bool = False) -> bytes:
    option = orjson.OPT_NON_STR_KEYS | (orjson.OPT_INDENT_2 if indent else 0)
    return orjson.dumps(data, default=_orjson_default, option=option)


class ORJSONRenderer(renderers.BaseRenderer):
    """JSON through orjson: several times faster than the standard library on large pages.

    Compact for programs; indented when asked (`Accept: application/json; indent=2`) and in
    the browsable API, which asks with `renderer_context["indent"]`, so people read it there.
    """

    media_type = "application/json"
    format = "json"
    charset = None  # JSON is UTF-8 by definition

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        indent = (renderer_context or {}).get("indent") or "indent=" in (accepted_media_type or "")
        return dump_json(data, indent=bool(indent))


def event_rows(data) -> list[dict]:
    """The event rows inside whatever an event view returned."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if "results" in data:
            return data["results"]
        if "periods" in data:
            return [row for period in data["periods"] for row in period["events"]]
    return []


class ExportRenderer(renderers.BaseRenderer):
    """An export of event rows; a body-less answer (304) stays body-less."""

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        return self.render_rows(event_rows(data), renderer_context or {})

    def render_rows(self, rows: list[dict], renderer_context: dict) -> bytes:
        raise NotImplementedError


def _set_download_name(renderer_context, filename: str) -> None:
    response = (renderer_context or {}).get("response")
    if response is not None:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'


# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_PREFIXES) else text


class CSVRenderer(ExportRenderer):
    """One flat row per event; actors (each once) and source URLs joined with "; "."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render_rows(self, rows: list[dict], renderer_context: dict) -> bytes:
        _set_download_name(renderer_context, "events.csv")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            country = row["location"]["country"]
            cells = [
                row["slug"],
                row["title"],
                row["display_date"],
                row["edtf"],
                _partial(row["start"]),
                _partial(row["end"]) if row["end"] else "",
                row["start"]["precision"],
                row["earliest"],
                row["latest"],
                row["type"]["name"],
                row["status"],
                row["verification"],
                row["importance"],
                country["iso3"] or country["name"] if country else "",
                row["location"]["name"],
                "; ".join(actor["name"] for actor in distinct_actors(row["actors"])),
                "; ".join(source["url"] for source in row["sources"] if source["url"]),
                row["retraction_reason"],
            ]
            # Every text cell, not only the free-text ones: a slug may start with "-", a name
            # or a type with "+" or "@", and a spreadsheet runs any of them as a formula.
            writer.writerow([_cell(cell) if isinstance(cell, str) else cell for cell in cells])
        return out.getvalue().encode("utf-8")


def _partial(date: dict) -> str:
    """A date cut to its precision (`2025-02`, never a placeholder `2025-02-01`)."""
    return edtf_date(dt.date.fromisoformat(date["date"]), date["precision"])


def _date_parts(iso_date: str, precision: str) -> dict[str, int]:
    """TimelineJS date object with only the parts the precision allows."""
    value = dt.date.fromisoformat(iso_date)
    parts = {"year": value.year}
    if precision in (DatePrecision.MONTH, DatePrecision.DAY):
        parts["month"] = value.month
    if precision == DatePrecision.DAY:
        parts["day"] = value.day
    return parts


def _retraction_html(row: dict) -> str:
    if row["status"] != EventStatus.RETRACTED:
        return ""
    return str(render_markdown(f"**Retracted:** {row['retraction_reason']}"))


class TimelineJSRenderer(ExportRenderer):
    """A TimelineJS3 document (https://timeline.knightlab.com/docs/json-format.html).

    A JSON media type of its own, so `Accept` can ask for it and clients (and the OpenAPI
    schema) can tell it from the API's own JSON; TimelineJS parses it like any JSON.
    """

    media_type = "application/vnd.timelinejs+json"
    format = "timelinejs"
    charset = None

    def render_rows(self, rows: list[dict], renderer_context: dict) -> bytes:
        events = []
        for row in rows:
            item = {
                "start_date": _date_parts(row["start"]["date"], row["start"]["precision"]),
                "display_date": row["display_date"],
                "group": row["type"]["name"],
                "text": {
                    "headline": row["title"],
                    "text": _retraction_html(row) + str(render_markdown(row["summary"])),
                },
                "unique_id": row["slug"],
            }
            if row["end"]:
                item["end_date"] = _date_parts(row["end"]["date"], row["end"]["precision"])
            events.append(item)
        document = {
            "title": {"text": {"headline": "Timeline", "text": f"{len(events)} events"}},
            "events": events,
        }
        return dump_json(document)


class ICalendarRenderer(ExportRenderer):
    """One all-day VEVENT per event, spanning exactly the days its precision allows."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render_rows(self, rows: list[dict], renderer_context: dict) -> bytes:
        _set_download_name(renderer_context, "events.ics")
        calendar = Calendar()
        calendar.add("prodid", "-//Timeline//Events//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", "Timeline")
        for row in rows:
            calendar.add_component(_vevent(row))
        return calendar.to_ical()


def _vevent(row: dict) -> CalendarEvent:
    vevent = CalendarEvent()
    # The id never changes (slugs may), so calendar clients update rather than duplicate.
    vevent.add("uid", f"event-{row['id']}@timeline")
    vevent.add("dtstamp", dt.datetime.fromisoformat(row["updated_at"]))
    vevent.add("dtstart", dt.date.fromisoformat(row["earliest"]))
    # DTEND of an all-day event is exclusive: the day after the last possible day.
    vevent.add("dtend", dt.date.fromisoformat(row["latest"]) + dt.timedelta(days=1))
    retracted = row["status"] == EventStatus.RETRACTED
    vevent.add("summary", f"[Retracted] {row['title']}" if retracted else row["title"])
    description = markdown_to_text(row["summary"])
    if retracted:
        description = f"Retracted: {row['retraction_reason']}\n\n{description}"
    vevent.add("description", f"{row['display_date']}. {description}".strip())
    vevent.add("url", row["url"])
    vevent.add("categories", [row["type"]["name"]])
    location = ", ".join(
        part
        for part in (
            row["location"]["name"],
            row["location"]["country"]["name"] if row["location"]["country"] else "",
        )
        if part
    )
    if location:
        vevent.add("location", location)
    if retracted:
        vevent.add("status", "CANCELLED")
    return vevent


# Characters XML 1.0 cannot carry at all; curated text may contain them (pasted from anywhere).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


EVENT_NS = "tag:timeline,2026:event"


class EventFeed(Atom1Feed):
    """Atom with each entry's event date: `<event:date edtf="2025-02">Feb 2025</event:date>`.

    Atom's own dates (`published`, `updated`) say when the entry was published and changed; when
    the event happened needs an element of its own (and is repeated at the top of the content,
    for readers that show only that).
    """

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:event": EVENT_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("event:date", item["event_date"], {"edtf": item["event_edtf"]})
        handler.addQuickElement(
            "link", "", {"rel": "related", "type": "application/json", "href": item["api_url"]}
        )


def public_event_url(request, slug: str) -> str:
    """The event's public page (TIMELINE_PUBLIC_URL, else the request's host)."""
    path = reverse("embeds:event", args=[slug])
    origin = settings.TIMELINE_PUBLIC_URL
    if origin:
        return origin + path
    return request.build_absolute_uri(path) if request else path


class AtomRenderer(ExportRenderer):
    """An Atom feed of the rows (the list view gives the newest published first).

    Each entry links to the event's public page (`rel="alternate"`, what feed readers open) and
    to its API detail (`rel="related"`), and carries the event's date in its precision."""

    media_type = "application/atom+xml"
    format = "atom"
    charset = "utf-8"

    def render_rows(self, rows: list[dict], renderer_context: dict) -> bytes:
        request = renderer_context.get("request")
        feed_url = request.build_absolute_uri() if request else ""
        home = settings.TIMELINE_PUBLIC_URL + "/" if settings.TIMELINE_PUBLIC_URL else None
        feed = EventFeed(
            title="Timeline: recently published events",
            link=home or (request.build_absolute_uri("/") if request else "/"),
            description="Events as they are published.",
            feed_url=feed_url,
            language="en",
        )
        for row in rows:
            published = dt.datetime.fromisoformat(row["published_at"] or row["updated_at"])
            retracted = row["status"] == EventStatus.RETRACTED
            title = f"[Retracted] {row['title']}" if retracted else row["title"]
            when = (
                f'<p><time datetime="{escape(edtf_date_of(row))}">'
                f"{escape(row['display_date'])}</time> · {escape(row['type']['name'])}</p>"
            )
            feed.add_item(
                title=_xml_text(title),
                link=public_event_url(request, row["slug"]),
                description=_xml_text(
                    when + _retraction_html(row) + str(render_markdown(row["summary"]))
                ),
                unique_id=f"tag:timeline,event:{row['id']}",
                pubdate=published,
                updateddate=dt.datetime.fromisoformat(row["updated_at"]),
                categories=[_xml_text(row["type"]["name"])],
                event_date=row["display_date"],
                event_edtf=row["edtf"],
                api_url=row["url"],
            )
        return feed.writeString("utf-8").encode("utf-8")


def edtf_date_of(row: dict) -> str:
    """The start for `<time datetime>`, in its own precision (2025, 2025-02, 2025-02-18)."""
    start = row["start"]
    return edtf_date(dt.date.fromisoformat(start["date"]), start["precision"])


class JSONLDRenderer(renderers.BaseRenderer):
    """An event detail as a schema.org Event, its sources as NewsArticle/CreativeWork."""

    media_type = "application/ld+json"
    format = "jsonld"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return dump_json(schema_org_event(data)) if data is not None else b""


def _iso_of_precision(edtf_value: str) -> str:
    """schema.org dates are ISO 8601; EDTF's approximation mark `~` is not."""
    return edtf_value.rstrip("~?%")


ORGANISING = (ParticipantRole.INITIATOR, ParticipantRole.HOST)


def _unique_actors(participants) -> list[dict]:
    unique = {p["actor"]["slug"]: _schema_org_actor(p) for p in participants}
    return list(unique.values())


def _schema_org_actor(participant: dict) -> dict:
    actor = participant["actor"]
    kind = {"state": "Country", "person": "Person"}.get(actor["kind"], "Organization")
    return {"@type": kind, "name": actor["name"], "identifier": actor["slug"]}


def schema_org_event(event: dict) -> dict:
    document = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": event["url"],
        "url": event["url"],
        "identifier": event["slug"],
        "name": event["title"],
        "description": markdown_to_text(event["summary"]),
        "startDate": _iso_of_precision(event["edtf"].split("/")[0]),
    }
    if event["end"]:
        document["endDate"] = _iso_of_precision(event["edtf"].split("/")[1])
    location = _schema_org_place(event["location"])
    if location:
        document["location"] = location
    # An actor with several roles is listed once: as organiser if any of its roles organises.
    organisers = _unique_actors(p for p in event["participants"] if p["role"] in ORGANISING)
    taken = {actor["identifier"] for actor in organisers}
    attendees = [
        actor for actor in _unique_actors(event["participants"]) if actor["identifier"] not in taken
    ]
    if organisers:
        document["organizer"] = organisers
    if attendees:
        document["attendee"] = attendees
    document["citation"] = [_schema_org_source(c["source"]) for c in event["citations"]]
    if event["status"] == EventStatus.RETRACTED:
        document["correction"] = f"Retracted: {event['retraction_reason']}"
    return document


def _schema_org_place(location: dict) -> dict | None:
    country = location["country"]
    if not country and not location["name"]:
        return None
    place: dict = {"@type": "Place", "name": location["name"] or country["name"]}
    if country:
        record = pycountry.countries.get(alpha_3=country["iso3"]) if country["iso3"] else None
        place["address"] = {
            "@type": "PostalAddress",
            "addressCountry": record.alpha_2 if record else country["name"],
        }
    return place


def _schema_org_source(source: dict) -> dict:
    work = {
        "@type": "NewsArticle" if source["kind"] == "news_article" else "CreativeWork",
        "name": source["title"],
    }
    if source["url"]:
        work["url"] = source["url"]
    if source["publisher"]:
        work["publisher"] = {"@type": "Organization", "name": source["publisher"]}
    if source["published_on"]:
        work["datePublished"] = source["published_on"]
    return work


class FormatNegotiation(DefaultContentNegotiation):
    """An unknown `?format=` is a 400 naming the formats this endpoint offers, not a 404."""

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            offered = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise ValidationError(
                {"format": [f"Unknown format “{format}”. Use one of: {offered}."]}
            )
        return matching


class FormatNegotiationMixin:
    """For views with export renderers: errors and empty bodies always go out as JSON."""

    content_negotiation_class = FormatNegotiation

    def perform_content_negotiation(self, request, force=False):
        # DRF negotiates before it looks for the method's handler: without this, a method the
        # view does not offer (TRACE) with an unknown `?format=` would be a 400, not a 405.
        method = request.method.lower()
        offered = method in self.http_method_names and hasattr(self, method)
        return super().perform_content_negotiation(request, force=force or not offered)

    def finalize_response(self, request, response, *args, **kwargs):
        renderer = getattr(request, "accepted_renderer", None)
        if (
            response.status_code >= 400
            and renderer is not None
            and renderer.format not in ("json", "api")
        ):
            request.accepted_renderer = ORJSONRenderer()
            request.accepted_media_type = ORJSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class JSONLinesRenderer(renderers.BaseRenderer):
    """JSON Lines: the dataset export streams its own lines; this renders only its errors (one
    JSON object, one line), so a client reading lines can read those too."""

    media_type = "application/jsonl"
    format = "jsonl"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        return dump_json(data) + b"\n"
