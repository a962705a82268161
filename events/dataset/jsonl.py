"""Timeline's own dataset file: one JSON object a line (docs/data-format.md).

Lossless and deterministic: the same data gives the same bytes, on SQLite and PostgreSQL,
and importing a file into an empty database then exporting again gives the file back.
"""

import contextlib
from collections.abc import Iterator
from decimal import Decimal

import orjson

from events.dataset.records import CHUNK_SIZE, Record, dataset_records

MEDIA_TYPE = "application/jsonl"
# UTC datetimes end in Z; keys keep the documented order (not sorted); orjson ends the line
# itself (no second copy of each line to add it).
OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_APPEND_NEWLINE


def _default(value):
    if isinstance(value, Decimal):
        return str(value)  # an amount keeps its stored digits: "1000000.00"
    raise TypeError(f"{type(value).__name__} is not part of the dataset format")


def encode(record: Record) -> bytes:
    """One record as one line (UTF-8, ending in a newline)."""
    return orjson.dumps(record, default=_default, option=OPTIONS)


def decode(line: bytes | str) -> Record:
    """One line back into a record (amounts stay strings, dates ISO strings)."""
    return orjson.loads(line)


def jsonl_lines(
    *, include_drafts: bool = False, chunk_size: int = CHUNK_SIZE, parallel: bool = False
) -> Iterator[bytes]:
    records = dataset_records(
        include_drafts=include_drafts, chunk_size=chunk_size, parallel=parallel
    )
    # Closed even when the reader stops early (a client gone): it ends the export's transaction.
    with contextlib.closing(records):
        for record in records:
            yield encode(record)
