"""A TimelineJS3 JSON document (https://timeline.knightlab.com/docs/json-format.html): its
`events`, each with start_date/end_date objects, text.headline/text.text, group, media and
unique_id. The `title` slide and `eras` are not events."""

import orjson
from django.utils.html import strip_tags
from django.utils.text import slugify

from events.choices import CitationStance, SourceKind
from events.imports.cells import CellError, partial_date
from events.imports.reading import decode
from events.imports.records import EventRecord, SourceRef, event_slug
from events.imports.report import FileRefused, Report

NAME = "timelinejs"
FIELD_COLUMNS = {"start_date": "start_date", "end_date": "end_date", "title": "text.headline"}


def parse(data: bytes, file_name: str, report: Report, context: dict) -> list[EventRecord]:
    try:
        document = orjson.loads(decode(data))
    except orjson.JSONDecodeError as exc:
        raise FileRefused(f"The file is not JSON: {exc}.") from None
    if not isinstance(document, dict) or not isinstance(document.get("events"), list):
        raise FileRefused("A TimelineJS document is a JSON object with a list of “events”.")
    if document.get("eras"):
        report.note("Eras are not events: not imported.")
    report.rows = len(document["events"])
    records = []
    # Row numbers are the events' places in the list, from 1.
    for number, item in enumerate(document["events"], start=1):
        record = _record(number, item, report) if isinstance(item, dict) else None
        if not isinstance(item, dict):
            report.problem(number, "", "Each event is a JSON object.")
        if record is not None:
            records.append(record)
    return records


def _date(item: dict, name: str) -> tuple | None:
    value = item.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise CellError("A date is an object with year, month and day.", name)
    try:
        return partial_date(*(str(value.get(part) or "") for part in ("year", "month", "day")))
    except CellError as exc:
        raise CellError(str(exc), f"{name}.{exc.column.lower() or 'year'}") from None


def _record(number: int, item: dict, report: Report) -> EventRecord | None:
    text_block = item.get("text") or {}
    headline = strip_tags(str(text_block.get("headline") or "")).strip()
    if not headline:
        report.problem(number, "text.headline", "Empty: every event needs a headline.")
        return None
    try:
        start = _date(item, "start_date")
        end = _date(item, "end_date")
    except CellError as exc:
        report.problem(number, exc.column, str(exc))
        return None
    if start is None:
        report.problem(number, "start_date", "Missing: every event needs a start date.")
        return None
    if end is not None and end[0] < start[0]:
        report.problem(number, "end_date", "The end is before the start.")
        return None
    unique_id = str(item.get("unique_id") or "")
    slug = unique_id if unique_id and slugify(unique_id) == unique_id else ""
    media = item.get("media") or {}
    sources = []
    url = str(media.get("url") or "")
    if url.startswith(("http://", "https://")):
        sources.append(
            SourceRef(
                url=url,
                title=strip_tags(str(media.get("caption") or "")) or headline,
                publisher=strip_tags(str(media.get("credit") or "")),
                kind=SourceKind.OTHER,
                stance=CitationStance.SUPPORTS,
            )
        )
    return EventRecord(
        row=number,
        slug=slug[:200] or event_slug(headline, *start),
        title=headline[:300],
        event_type="",
        start_date=start[0],
        start_precision=start[1],
        end_date=end[0] if end else None,
        end_precision=end[1] if end else "",
        summary=strip_tags(str(text_block.get("text") or "")).strip(),
        sources=sources,
        group=str(item.get("group") or "").strip(),
    )
