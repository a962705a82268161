"""Timeline's own CSV export (`/api/v1/events/?format=csv`) read back: one event a row, keyed
by its slug. Derived columns (display_date, edtf, earliest, latest) are recomputed, not read;
the status is not: rows come in as drafts like every import."""

from events.choices import CitationStance, SourceKind, Verification
from events.imports.cells import CellError, edtf_date, integer, text
from events.imports.reading import read_table, require_columns
from events.imports.records import ActorRef, EventRecord, SourceRef
from events.imports.report import Report
from events.rows import CSV_COLUMNS

NAME = "csv"
# The columns of the export, read back.
COLUMNS = list(CSV_COLUMNS)
REQUIRED = ["slug", "title", "start", "type"]
# Enough to tell it from other CSVs when guessing.
GUESS_BY = ["slug", "title", "edtf", "start", "earliest", "latest", "source_urls"]
FIELD_COLUMNS = {"start_date": "start", "end_date": "end", "title": "title", "slug": "slug"}
# The export escapes text that a spreadsheet would run as a formula with a leading ' (every
# text cell; earlier exports escaped each actor's name inside the actors cell).
_ESCAPED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def parse(data: bytes, file_name: str, report: Report, context: dict) -> list[EventRecord]:
    table = read_table(data, file_name, report)
    require_columns(table, REQUIRED, "Timeline CSV")
    records = []
    for number, row in table.iter_rows():
        if row.get("status") not in (None, "", "draft"):
            report.note("The status column is not imported: rows come in as drafts.")
        if row.get("actors"):
            report.note("Actors are imported as participants (the CSV has no roles).")
        record = _record(number, row, report)
        if record is not None:
            records.append(record)
    return records


def _unescape(value: str) -> str:
    return value[1:] if value.startswith(_ESCAPED) else value


def _record(number: int, row: dict, report: Report) -> EventRecord | None:
    row = {name: _unescape(value) for name, value in row.items()}
    slug = row.get("slug", "").strip()
    title = _unescape(text(row, "title", report, number))
    for column, value in (("slug", slug), ("title", title)):
        if not value:
            report.problem(number, column, f"Empty: every event needs a {column}.")
            return None
    try:
        start = edtf_date(row["start"])
        end = edtf_date(row["end"]) if row.get("end", "").strip() else None
        importance = (
            integer(row["importance"], "importance", low=1, high=5)
            if row.get("importance", "").strip()
            else None
        )
    except CellError as exc:
        column = exc.column or ("end" if "end" in str(exc) else "start")
        report.problem(number, column, str(exc))
        return None
    verification = row.get("verification", "").strip()
    if verification and verification not in Verification.values:
        report.problem(
            number,
            "verification",
            f"“{verification}” is not one of {', '.join(Verification.values)}.",
        )
        return None
    return EventRecord(
        row=number,
        slug=slug,
        title=title[:300],
        event_type=row["type"].strip(),
        start_date=start[0],
        start_precision=start[1],
        end_date=end[0] if end else None,
        end_precision=end[1] if end else "",
        summary=None,  # not in the CSV
        location_country=row.get("country", "").strip(),
        location_name=_unescape(row.get("location", "")),
        importance=importance,
        verification=verification,
        participants=[
            ActorRef(_unescape(name.strip()), column="actors")
            for name in row.get("actors", "").split("; ")
            if name.strip()
        ],
        sources=[
            SourceRef(url=url.strip(), kind=SourceKind.OTHER, stance=CitationStance.SUPPORTS)
            for url in row.get("source_urls", "").split("; ")
            if url.strip()
        ],
    )
