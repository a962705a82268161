"""The hand-built response shapes, declared once: the code that builds them is typed with these,
and the OpenAPI schema is generated from them (`events.api.openapi.shape`). Shapes the domain
builds (alignment) are declared beside their code and listed here too.

A response built as plain dicts (for speed, without a serializer per object) is described
here, not by a serializer that never runs. Keys are in the order the API writes them.
"""

from typing import Literal, TypedDict

from events.alignment import (  # built by the domain, so declared beside it
    AlignedVote,
    Alignment,
    AlignmentPeriod,
    AlignmentTotals,
    State,
)
from events.choices import (
    ActorKind,
    CitationStance,
    DatePrecision,
    EventStatus,
    ParticipantRole,
    Verification,
    VoteOption,
)

# Shared pieces ------------------------------------------------------------------------------


class TypeBrief(TypedDict):
    slug: str
    name: str


class DatePart(TypedDict):
    """A date in its precision: `date` is the first day of the period."""

    date: str
    precision: DatePrecision
    approximate: bool


class CountryBrief(TypedDict):
    slug: str
    name: str
    iso3: str | None


class Location(TypedDict):
    country: CountryBrief | None
    name: str


class ActorBrief(TypedDict):
    slug: str
    name: str
    kind: ActorKind
    iso3: str | None


# Event detail (events.api.event_detail) -----------------------------------------------------


class Post(TypedDict):
    """A post the person held on the event's date."""

    title: str
    organisation: ActorBrief


class Participant(TypedDict):
    role: ParticipantRole
    note: str
    actor: ActorBrief
    posts: list[Post]


class SourceBrief(TypedDict):
    id: int
    kind: str
    title: str
    url: str | None
    publisher: str
    published_on: str | None  # EDTF, in its precision: 2025-02
    language: str


class CitationDetail(TypedDict):
    id: int
    stance: CitationStance
    quote: str
    locator: str
    note: str
    source: SourceBrief


class VoteCounts(TypedDict):
    yes: int
    no: int
    abstain: int
    non_voting: int | None


class CountryVote(TypedDict):
    actor: ActorBrief
    option: VoteOption


class VoteRecordDetail(TypedDict):
    body: ActorBrief
    document_symbol: str | None
    draft_symbol: str
    title: str
    result: str
    counts: VoteCounts
    roll_complete: bool
    votes: list[CountryVote]


class AidMeasureDetail(TypedDict):
    donor: ActorBrief
    recipient: ActorBrief
    kind: str
    action: str
    amount: str | None  # decimal, as text: "1500000.00"
    currency: str
    note: str


class RelatedEvent(TypedDict):
    """outgoing: this event <relation> the other; incoming: the other <relation> this one."""

    relation: str
    direction: Literal["outgoing", "incoming"]
    slug: str
    title: str
    display_date: str
    url: str


class HistorySummary(TypedDict):
    created_at: str
    updated_at: str
    published_at: str | None
    version: int


class EventDetail(TypedDict):
    """Everything about one event. Readers see public events only (retracted ones with the
    reason); related events are public ones only."""

    id: int
    slug: str
    url: str
    title: str
    summary: str  # Markdown
    summary_html: str  # sanitised HTML of the summary
    type: TypeBrief
    display_date: str  # “18 Feb 2025”, “Mar 2025”, “c. 2025”
    edtf: str  # 2025-02-18, 2025-03, 2025~
    start: DatePart
    end: DatePart | None
    earliest: str  # first day it may have happened
    latest: str  # last day it may have happened
    location: Location
    status: EventStatus
    retraction_reason: str
    verification: Verification
    importance: int
    participants: list[Participant]
    citations: list[CitationDetail]
    vote_record: VoteRecordDetail | None
    aid_measures: list[AidMeasureDetail]
    related: list[RelatedEvent]
    history: HistorySummary
    version: int


__all__ = [
    "AlignedVote",
    "Alignment",
    "AlignmentPeriod",
    "AlignmentTotals",
    "State",
]
