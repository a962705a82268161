"""What the interchange formats (Popolo, PLOVER, FollowTheMoney) share: reading the dataset's
records once, in their order, keeping the few kinds that are small (actors), and the codes
other standards use for our values (ISO 3166 alpha-2, ISO 639-3, partial ISO 8601 dates)."""

import contextlib
import datetime as dt
import functools
import hashlib
from collections.abc import Iterator

import orjson
import pycountry

from events.choices import DatePrecision
from events.dataset.records import Record, dataset_records


def line(obj: dict) -> bytes:
    return orjson.dumps(obj, option=orjson.OPT_UTC_Z) + b"\n"


def digest(*parts) -> str:
    """A short stable id for a row with no slug (a source, a post)."""
    text = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha1(text.encode()).hexdigest()[:20]


@functools.cache
def alpha2(iso3: str | None) -> str | None:
    """ISO 3166-1 alpha-2 (lower case, as FollowTheMoney writes it) of an alpha-3 code."""
    country = pycountry.countries.get(alpha_3=iso3) if iso3 else None
    return country.alpha_2.lower() if country else None


@functools.cache
def language_639_3(tag: str) -> str | None:
    """ISO 639-3 of a BCP 47 tag's language (`en`, `en-GB` → `eng`)."""
    code = tag.split("-")[0].lower() if tag else ""
    language = (
        pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    ) or pycountry.languages.get(alpha_3=code)
    return language.alpha_3 if language else None


def partial_date(day: dt.date | None, precision: str) -> str | None:
    """An ISO 8601 date cut to its precision: `2025-03-02`, `2025-03`, `2025`."""
    if day is None:
        return None
    if precision == DatePrecision.YEAR:
        return f"{day.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def lines_of(text: str) -> list[str]:
    return [item.strip() for item in text.splitlines() if item.strip()]


class Reader:
    """The dataset's records in order, with every actor kept by slug once read (actors come
    before anything that names them, and are counted in thousands)."""

    def __init__(self, *, include_drafts: bool):
        self.records = dataset_records(include_drafts=include_drafts)
        self.actors: dict[str, Record] = {}

    def __iter__(self) -> Iterator[Record]:
        # Closed even when the caller stops early or fails: it ends the export's transaction.
        with contextlib.closing(self.records):
            for record in self.records:
                if record["type"] == "actor":
                    self.actors[record["slug"]] = record
                yield record
