"""An ACLED-style CSV export (https://acleddata.com): one event a row, its ACLED id kept as an
external id so a later export of the same events updates them."""

import pycountry
from django.utils.text import slugify

from events.choices import DatePrecision, ParticipantRole
from events.imports.cells import CellError, iso_date, text
from events.imports.reading import read_table, require_columns
from events.imports.records import ActorRef, EventRecord
from events.imports.report import Report

NAME = "acled"
COLUMNS = [
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "country",
    "iso3",
    "location",
    "latitude",
    "longitude",
    "source",
    "notes",
]
REQUIRED = ["event_id_cnty", "event_date", "event_type", "actor1", "country"]
GUESS_BY = ["event_id_cnty", "event_date", "event_type", "actor1"]
FIELD_COLUMNS = {"start_date": "event_date", "title": "sub_event_type"}
# ACLED's event types in Timeline's taxonomy; the sub-event type is kept in the summary.
EVENT_TYPES = {
    "battles": "military-action",
    "explosions/remote violence": "military-action",
    "violence against civilians": "military-action",
    "protests": "statement",
    "riots": "statement",
    "strategic developments": "statement",
}


def parse(data: bytes, file_name: str, report: Report, context: dict) -> list[EventRecord]:
    table = read_table(data, file_name, report)
    table.header = [name.lower() for name in table.header]
    require_columns(table, REQUIRED, "ACLED")
    report.note(
        "Latitude and longitude are not stored; ACLED's source names are kept in the summary "
        "(they are not links: cite the articles to publish these events)."
    )
    records = []
    for number, row in table.iter_rows():
        record = _record(number, row, report)
        if record is not None:
            records.append(record)
    return records


def _country(row: dict) -> str:
    """ISO alpha-3 from the iso3 column (alpha-3 or ACLED's numeric code), else the name."""
    code = row.get("iso3", "").strip()
    if code.isdigit():
        country = pycountry.countries.get(numeric=code.zfill(3))
        return country.alpha_3 if country else ""
    return code.upper() or row.get("country", "").strip()


def _record(number: int, row: dict, report: Report) -> EventRecord | None:
    event_id = row["event_id_cnty"].strip()
    if not event_id:
        report.problem(number, "event_id_cnty", "Empty: every ACLED row has its id.")
        return None
    try:
        date = iso_date(row["event_date"])
    except CellError as exc:
        report.problem(number, "event_date", str(exc))
        return None
    precision = row.get("time_precision", "1").strip() or "1"
    if precision not in ("1", "2", "3"):
        report.problem(number, "time_precision", f"“{precision}” is not 1, 2 or 3.")
        return None
    event_type = EVENT_TYPES.get(row["event_type"].strip().lower())
    if event_type is None:
        report.problem(
            number,
            "event_type",
            f"“{row['event_type']}” is not an ACLED event type ({', '.join(EVENT_TYPES)}).",
        )
        return None
    start, start_precision = date, DatePrecision.DAY
    if precision == "3":  # ACLED: somewhere in that month
        start, start_precision = date.replace(day=1), DatePrecision.MONTH
    sub_type = text(row, "sub_event_type", report, number) or row["event_type"]
    location = text(row, "location", report, number)
    participants = [ActorRef(row["actor1"].strip(), ParticipantRole.INITIATOR, "actor1")]
    if row.get("actor2", "").strip():
        participants.append(ActorRef(row["actor2"].strip(), ParticipantRole.TARGET, "actor2"))
    for column in ("assoc_actor_1", "assoc_actor_2"):
        for name in row.get(column, "").split(";"):
            if name.strip():
                participants.append(ActorRef(name.strip(), ParticipantRole.PARTICIPANT, column))
    summary = text(row, "notes", report, number)
    if row.get("source", "").strip():
        summary = f"{summary}\n\nACLED sources: {row['source'].strip()}".strip()
    where = ", ".join(part for part in (location, row["country"].strip()) if part)
    return EventRecord(
        row=number,
        slug="acled-" + slugify(event_id),
        title=f"{sub_type} in {where}"[:300] if where else sub_type[:300],
        event_type=event_type,
        start_date=start,
        start_precision=start_precision,
        start_approximate=precision == "2",  # ACLED: within a week of that day
        summary=summary,
        location_country=_country(row),
        location_name=location[:200],
        participants=participants,
        external_id=("acled", event_id),
    )
