"""The TimelineJS Google Sheets template, saved as CSV or XLSX: one event a row."""

from django.utils.html import strip_tags

from events.choices import CitationStance, SourceKind
from events.imports.cells import CellError, partial_date, text
from events.imports.reading import normalise_keys, read_table, require_columns
from events.imports.records import EventRecord, SourceRef, event_slug
from events.imports.report import Report

NAME = "timelinejs-sheet"
COLUMNS = [
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Type",
    "Group",
    "Background",
]
REQUIRED = ["Year", "Headline"]
# A sheet with some of the template's columns deleted is still told apart by these.
GUESS_BY = ["Year", "Month", "Day", "Headline"]
# Where the model's rules (Event.clean) point, in the sheet's words.
FIELD_COLUMNS = {"start_date": "Year", "end_date": "End Year", "title": "Headline"}
# Columns TimelineJS uses for presentation only; Timeline renders dates and pages itself.
IGNORED = [
    "Time",
    "End Time",
    "Display Date",
    "Media Thumbnail",
    "Background",
]
# Media that is a picture, not a document that evidences the event.
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg")


def parse(data: bytes, file_name: str, report: Report, context: dict) -> list[EventRecord]:
    table = read_table(data, file_name, report)
    normalise_keys(table, COLUMNS)
    require_columns(table, REQUIRED, "TimelineJS sheet")
    records = []
    used: set[str] = set()
    for number, row in table.iter_rows():
        used.update(name for name in IGNORED if row.get(name))
        record = _record(number, row, report)
        if record is not None:
            records.append(record)
    if used:
        names = ", ".join(name for name in IGNORED if name in used)
        report.note(f"Not stored: {names} (Timeline shows dates in their precision itself).")
    return records


def _record(number: int, row: dict, report: Report) -> EventRecord | None:
    kind = row.get("Type", "").strip().lower()
    if kind in ("title", "era"):
        report.note(f"Row {number} is a TimelineJS {kind} slide, not an event: skipped.")
        return None
    headline = strip_tags(text(row, "Headline", report, number)).strip()
    if not headline:
        report.problem(number, "Headline", "Empty: every event needs a headline.")
        return None
    try:
        start = partial_date(row.get("Year", ""), row.get("Month", ""), row.get("Day", ""))
    except CellError as exc:
        report.problem(number, exc.column or "Year", str(exc))
        return None
    if start is None:
        report.problem(number, "Year", "Empty: every event needs at least a year.")
        return None
    try:
        end = partial_date(
            row.get("End Year", ""), row.get("End Month", ""), row.get("End Day", ""), label="End "
        )
    except CellError as exc:
        report.problem(number, exc.column or "End Year", str(exc))
        return None
    if end is not None and end[0] < start[0]:
        report.problem(number, "End Year", "The end is before the start: swap or fix them.")
        return None
    media = text(row, "Media", report, number)
    sources = []
    if media.lower().startswith(("http://", "https://")):
        if media.lower().split("?")[0].endswith(IMAGE_SUFFIXES):
            report.note("Media that are pictures are not stored; web pages are kept as sources.")
        else:
            sources.append(
                SourceRef(
                    url=media,
                    title=strip_tags(text(row, "Media Caption", report, number)) or headline,
                    publisher=text(row, "Media Credit", report, number),
                    kind=SourceKind.OTHER,
                    stance=CitationStance.SUPPORTS,
                )
            )
    return EventRecord(
        row=number,
        slug=event_slug(headline, *start),
        title=headline[:300],
        event_type="",
        start_date=start[0],
        start_precision=start[1],
        end_date=end[0] if end else None,
        end_precision=end[1] if end else "",
        summary=strip_tags(text(row, "Text", report, number)).strip(),
        sources=sources,
        group=text(row, "Group", report, number),
    )


__all__ = ["COLUMNS", "NAME", "parse"]
