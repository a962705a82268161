"""The UN Digital Library's General Assembly voting data: one row per member state per
resolution. Each resolution becomes a “UN vote” event with its vote record and whole roll."""

import sys

import pycountry
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from events.choices import DatePrecision, SourceKind, VoteOption
from events.imports.cells import CellError, iso_date
from events.imports.reading import normalise_keys, read_table, require_columns
from events.imports.records import EventRecord, SourceRef, VoteData
from events.imports.report import Report
from events.models.types import UN_VOTE_TYPE_SLUG
from events.validators import un_symbol_validator

NAME = "un-votes"
COLUMNS = [
    "undl_id",
    "ms_code",
    "ms_name",
    "ms_vote",
    "date",
    "session",
    "resolution",
    "draft",
    "title",
]
GENERAL_ASSEMBLY = "un-general-assembly"
FIELD_COLUMNS = {"start_date": "date", "title": "title"}
OPTIONS = {
    "Y": VoteOption.YES,
    "N": VoteOption.NO,
    "A": VoteOption.ABSTAIN,
    "X": VoteOption.NON_VOTING,
}


def parse(data: bytes, file_name: str, report: Report, context: dict) -> list[EventRecord]:
    """One record per resolution, its roll complete. The file is read row by row and a row
    leaves only its vote in its resolution's roll: 386,000 rows become 2,000 small records,
    never 386,000 dicts (the resolution's own cells are read from its first row)."""
    table = read_table(data, file_name, report)
    table.header = [name.lower() for name in table.header]
    require_columns(table, COLUMNS, "UN voting data")
    normalise_keys(table, COLUMNS)
    records: dict[str, EventRecord] = {}
    # Each resolution's member codes with the row that gave them (a repeat names it); the
    # codes are the ones `codes` holds, one string per state however many rows name it.
    seen: dict[str, dict[str, int]] = {}
    codes: dict[str, str | None] = {}  # as written (upper case) -> ISO3, or None if not one
    broken: set[str] = set()
    # Resolutions whose own cells (date, symbols) cannot be read: the first row that failed.
    unreadable: dict[str, int] = {}
    pick = table.picker(["undl_id", "resolution", "draft", "ms_code", "ms_vote"])
    for number, cells in table.cells():
        report.rows += 1
        undl_id, resolution, draft, written, written_vote = pick(cells)
        key = undl_id or resolution or draft
        if not key:
            report.problem(number, "undl_id", "Empty, as are resolution and draft: say which vote.")
            continue
        written = written.upper()
        if written not in codes:
            codes[written] = _iso3(written)
        code = codes[written]
        vote = OPTIONS.get(written_vote.upper())
        if code is None or vote is None:
            report.problem(number, *_member_problem(code, written, written_vote))
            broken.add(key)
            continue
        members = seen.setdefault(key, {})
        if code in members:
            report.problem(
                number,
                "ms_code",
                f"{code} already voted on this resolution in row {members[code]}: "
                "remove the repeated row.",
            )
            broken.add(key)
            continue
        members[code] = number
        record = records.get(key)
        if record is None:
            if key in unreadable:  # its first row was reported: not again for each member
                continue
            record = _record(number, table.row(cells), report)
            if record is None:
                unreadable[key] = number
                continue
            records[key] = record
        record.vote.roll[code] = vote
    for key in broken & set(records):
        record = records.pop(key)
        report.note(
            f"The vote on {record.vote.document_symbol or key} is left out: a roll with an "
            "invalid row cannot be complete. Fix the rows reported."
        )
    for key, number in unreadable.items():
        report.note(
            f"The vote {key} is left out, with all its rows: its date, resolution or draft "
            f"(reported at row {number}, its first row) cannot be read."
        )
    return list(records.values())


def _iso3(code: str) -> str | None:
    """The code as the one string every row naming that state shares, if it is ISO3."""
    if len(code) != 3 or pycountry.countries.get(alpha_3=code) is None:
        return None
    return sys.intern(code)


def _member_problem(code: str | None, written: str, vote: str) -> tuple[str, str]:
    if code is None:
        return (
            "ms_code",
            f"“{written}” is not an ISO 3166-1 alpha-3 code of a current state; use three "
            "letters such as USA or UKR (former states have no current code).",
        )
    return ("ms_vote", f"“{vote}” is not a vote: write Y, N, A or X (did not vote).")


def _record(number: int, row: dict, report: Report) -> EventRecord | None:
    try:
        date = iso_date(row["date"])
    except CellError as exc:
        report.problem(number, "date", str(exc))
        return None
    symbol, draft = row["resolution"].strip(), row["draft"].strip()
    for column, value in (("resolution", symbol), ("draft", draft)):
        try:
            if value:
                un_symbol_validator(value)
        except ValidationError as exc:
            report.problem(number, column, f"“{value}”: {exc.messages[0]}")
            return None
    title = row["title"].strip() or symbol or draft
    label = symbol or draft or f"record {row['undl_id']}"
    sources = []
    if symbol:
        sources.append(
            SourceRef(
                url=f"https://undocs.org/{symbol}",
                title=f"General Assembly resolution {symbol}: {title}"[:500],
                publisher="United Nations",
                kind=SourceKind.OFFICIAL_DOCUMENT,
            )
        )
    session = f", session {row['session']}" if row["session"] else ""
    return EventRecord(
        row=number,
        slug=_slug(label),
        title=f"UN General Assembly vote on {label}"[:300],
        summary=f"{title}{session}."[:5000] if title else "",
        event_type=UN_VOTE_TYPE_SLUG,
        start_date=date,
        start_precision=DatePrecision.DAY,
        sources=sources,
        external_id=("undl", row["undl_id"]) if row["undl_id"] else None,
        vote=VoteData(
            body=GENERAL_ASSEMBLY,
            document_symbol=symbol,
            draft_symbol=draft,
            title=title,
        ),
    )


def _slug(label: str) -> str:
    return "unga-" + slugify(label.replace("/", "-"))[:180]
