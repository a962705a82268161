"""The one shape every format is read into: what an event row says, before it is matched to
actors and sources and written. Formats build these; the writer never sees a file."""

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.utils.text import slugify

from events.choices import CitationStance, ParticipantRole, SourceKind, VoteOption


@dataclass
class ActorRef:
    """An actor as the file names it: a slug, ISO3 code, Wikidata id, name or alias."""

    reference: str
    role: str = ParticipantRole.PARTICIPANT
    column: str = ""


@dataclass
class SourceRef:
    url: str
    title: str = ""
    publisher: str = ""
    kind: str = SourceKind.OTHER
    stance: str = CitationStance.SUPPORTS
    quote: str = ""
    note: str = ""


@dataclass
class VoteData:
    """A recorded vote with its whole roll ({ISO3: option}); the counts derive from it."""

    body: str
    document_symbol: str
    draft_symbol: str
    title: str
    roll: dict[str, VoteOption] = field(default_factory=dict)


@dataclass
class EventRecord:
    row: int
    slug: str
    title: str
    event_type: str  # a type slug
    start_date: dt.date
    start_precision: str
    start_approximate: bool = False
    end_date: dt.date | None = None
    end_precision: str = ""
    summary: str | None = ""  # None: the format does not carry it (keep the stored one)
    location_country: str = ""  # a reference, resolved like any actor
    location_name: str = ""
    importance: int | None = None
    verification: str = ""
    participants: list[ActorRef] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    external_id: tuple[str, str] | None = None
    vote: VoteData | None = None
    # A TimelineJS Group: an event type or an actor, whichever matches (matching decides).
    group: str = ""


def event_slug(title: str, date: dt.date, precision: str) -> str:
    """A stable slug from the headline and date, so re-importing a row finds its event."""
    stamp = {"year": "%Y", "month": "%Y-%m"}.get(precision, "%Y-%m-%d")
    base = slugify(title)[:150].strip("-")
    if not base:  # a headline with no Latin letters
        base = "event-" + hashlib.sha1(title.encode()).hexdigest()[:10]
    return f"{base}-{date.strftime(stamp)}"
