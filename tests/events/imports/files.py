"""Small files of each format, built in the tests so each shows what it feeds in."""

import csv
import io

from events.imports.formats import timelinejs_sheet, un_votes


def csv_bytes(header: list[str], rows: list[list], *, bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data


def sheet_row(**cells) -> list[str]:
    """A TimelineJS template row: cells by column name (spaces as underscores)."""
    return [str(cells.get(name.replace(" ", "_"), "")) for name in timelinejs_sheet.COLUMNS]


def sheet(*rows: dict, bom: bool = False) -> bytes:
    return csv_bytes(timelinejs_sheet.COLUMNS, [sheet_row(**row) for row in rows], bom=bom)


def votes(rows: list[tuple], **resolution) -> bytes:
    """UN voting rows [(ms_code, ms_vote)] of one resolution."""
    values = {
        "undl_id": "4000001",
        "date": "2025-02-24",
        "session": "ES-11",
        "resolution": "A/RES/ES-11/7",
        "draft": "A/ES-11/L.10",
        "title": "Advancing a comprehensive, just and lasting peace in Ukraine",
        **resolution,
    }
    return csv_bytes(
        un_votes.COLUMNS,
        [
            [
                values["undl_id"],
                code,
                code,
                vote,
                values["date"],
                values["session"],
                values["resolution"],
                values["draft"],
                values["title"],
            ]
            for code, vote in rows
        ],
    )
