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
    LinkStatus,
    ParticipantRole,
    PublicChangeKind,
    ReviewStatus,
    SourceKind,
    TimelineKind,
    TimelineStatus,
    Verification,
    VoteOption,
    VoteResult,
)

# Shared pieces ------------------------------------------------------------------------------


class TypeBrief(TypedDict):
    slug: str
    name: str


class CodebookCode(TypedDict):
    """A code of an external codebook (CAMEO, PLOVER) with the codebook's own label."""

    code: str
    label: str


class EventTypeNode(TypedDict):
    """An event type: its place in the tree by slugs (parent, subtypes) and depth (0 at top)."""

    slug: str
    name: str
    description: str
    parent: str | None
    depth: int
    subtypes: list[str]
    cameo: CodebookCode | None
    plover: CodebookCode | None


class EventTypeTree(TypedDict):
    """Every type once, in tree order: each parent followed by its subtypes, by name."""

    count: int
    results: list[EventTypeNode]


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


class VoteCounts(TypedDict):
    yes: int
    no: int
    abstain: int
    non_voting: int | None  # null if not recorded


# Event rows (events.api.rows): lists, timeline periods, exports --------------------------------


class RowActor(TypedDict):
    slug: str
    name: str
    kind: ActorKind
    iso3: str | None
    role: ParticipantRole


class SourceArchive(TypedDict):
    archived_copy: str | None  # our copy of the page (public once a public event cites it)
    link_status: LinkStatus  # unchecked, alive, failing (once), dead (twice in a row)
    dead_since: str | None  # ISO date of the first failure, for a dead link


class RowSource(SourceArchive):
    id: int
    title: str
    url: str | None
    publisher: str
    stance: CitationStance


class EventRow(TypedDict):
    """One event in a list, a timeline period or an export. Readers see published and
    retracted events (retracted ones with the reason); drafts appear only to curators who ask
    with `status`."""

    id: int
    slug: str
    url: str  # this event's detail in the API
    title: str
    summary: str  # Markdown
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
    actors: list[RowActor]
    sources: list[RowSource]
    published_at: str | None
    updated_at: str


class Period(TypedDict):
    period: str  # 2025-02-18, 2025-W08, 2025-02, 2025-Q1 or 2025
    start: str
    end: str
    count: int  # events in the period (even when truncated)
    events: list[EventRow]


class Range(TypedDict):
    start: str | None
    end: str | None


class Facet(TypedDict):
    slug: str
    name: str
    count: int


class Facets(TypedDict):
    types: list[Facet]
    actors: list[Facet]


class GroupedTimeline(TypedDict):
    group_by: Literal["day", "week", "month", "quarter", "year"]
    range: Range
    facets: Facets
    truncated: bool  # true when more events matched than `limit`
    periods: list[Period]


# Votes (events.api.vote_views) -----------------------------------------------------------------


class Body(TypedDict):
    slug: str
    name: str


class VoteRow(TypedDict):
    id: int
    url: str
    event: str  # slug of the event that records the vote
    event_url: str
    title: str
    body: Body
    document_symbol: str | None
    draft_symbol: str
    result: VoteResult
    counts: VoteCounts
    roll_complete: bool
    date: str  # the vote's date in its precision: “24 Feb 2025”
    edtf: str


class RollEntry(TypedDict):
    actor: str  # slug of the state
    name: str
    iso3: str | None
    option: VoteOption


class VoteDetail(VoteRow):
    country_votes: list[RollEntry]  # the roll, by state name


# Sources (events.api.source_views) -------------------------------------------------------------


class SourceRow(SourceArchive):
    id: int
    api_url: str  # this source in the API
    kind: SourceKind
    title: str
    url: str | None  # the document's address, if any
    reference: str | None  # a citation for documents without a URL (print, archives)
    publisher: str
    authors: list[str]
    published: str | None  # publication date in its precision: “Feb 2025”
    published_edtf: str | None  # EDTF: 2025-02
    language: str
    archive_url: str  # a copy elsewhere that curators entered, e.g. the Wayback Machine's
    archived_at: str | None  # when our latest copy was taken


class CitingEvent(TypedDict):
    slug: str
    title: str
    url: str
    display_date: str
    edtf: str
    status: EventStatus
    stance: CitationStance
    quote: str
    locator: str


class SourceDetail(SourceRow):
    events: list[CitingEvent]  # public events citing this source, by date, with the passage
    version: int
    created_at: str
    updated_at: str


# Timelines (events.api.timeline_views) ---------------------------------------------------------


class TimelineRow(TypedDict):
    slug: str
    url: str
    title: str
    kind: TimelineKind
    status: TimelineStatus
    description: str  # Markdown
    updated_at: str


class TimelineQuery(TypedDict):
    actors: list[str]  # actor slugs
    types: list[str]  # event type slugs
    from_date: str | None
    to_date: str | None


class TimelineEntry(TypedDict):
    position: int
    caption: str
    event: EventRow


class TimelineDetail(TimelineRow):
    description_html: str  # the description, rendered and sanitised
    query: TimelineQuery | None  # for saved-query timelines: what selects the events
    entries: list[TimelineEntry]  # curated entries by position; a saved query's events by date
    entries_truncated: bool  # more entries than shown: page through events_url
    events_url: str  # the same events through /api/v1/events/
    version: int
    created_at: str


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


class SourceBrief(SourceArchive):
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


class EventDetail(EventRow):
    """Everything about one event: its row (the fields a list shows, `actors` and `sources`
    among them), then what only the detail adds. Readers see public events only (retracted
    ones with the reason); related events are public ones only."""

    summary_html: str  # sanitised HTML of the summary
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


# The changes feed (events.api.changes_feed) ----------------------------------------------------


class PublicChangeItem(TypedDict):
    cursor: int  # increases with every change; pass it as `since` to continue after it
    at: str  # when the change was made (ISO 8601)
    kind: PublicChangeKind
    slug: str  # the event's slug at the time of the change
    event: EventRow | None  # the public row now; null when removed (or no longer public)


class ChangesPage(TypedDict):
    next: int | None  # the cursor to ask `since` next time (null before the first change)
    more: bool  # more changes follow: ask again at once
    results: list[PublicChangeItem]


# The history of an event (events.revisions) ----------------------------------------------------


class RevisionFieldChange(TypedDict):
    field: str
    label: str  # the field's name as the admin shows it
    old: str  # readable: related objects by name, choices by label, "—" for empty
    new: str


class RevisionPartChange(TypedDict):
    part: str  # participation, citation, aid measure, vote record, country vote, event relation
    object: str  # the row as it was named then
    action: Literal["added", "removed", "changed"]
    changes: list[RevisionFieldChange]


class RevisionDiff(TypedDict):
    changes: list[RevisionFieldChange]
    parts: list[RevisionPartChange]


class RevisionItem(TypedDict):
    id: int
    created_at: str
    user: str | None  # who saved it (null for a command run without --user)
    reason: str
    changes: list[RevisionFieldChange]  # the event's own fields
    parts: list[RevisionPartChange]  # its participations, citations, vote, aid, relations


class EventHistory(TypedDict):
    """Every revision of the event and its parts, newest first; each with what it changed."""

    slug: str
    results: list[RevisionItem]


# Proposed changes to published content (events.reviews) ------------------------------------------


class ReviewedObject(TypedDict):
    type: str  # event or timeline
    slug: str | None  # null once the object is gone
    title: str


class Review(TypedDict):
    """A curator's change to published content, waiting for an editor (or decided)."""

    id: int
    status: ReviewStatus
    object: ReviewedObject
    proposed_by: str | None
    proposed_at: str
    proposal_reason: str
    reviewed_by: str | None
    reviewed_at: str | None
    decision_reason: str  # why it was rejected; the curator sees it
    diff: RevisionDiff  # what approving would change now (the live version against it)
    url: str


# Warnings on writes (events.api.warnings) -----------------------------------------------------


class DuplicateRecord(TypedDict):
    kind: Literal["actor", "source", "event"]
    id: int
    slug: str | None  # actors and events
    title: str  # its name or title
    url: str  # this record in the API


class DuplicateWarning(TypedDict):
    """A record the one written may repeat. Writes are not refused for it: check, and if it
    is the same, merge the two (editors, in the admin) or delete the one just made."""

    code: Literal["likely_duplicate", "possible_duplicate"]
    message: str
    score: float  # 0..1; "likely" from 0.7
    reasons: list[str]  # "same title", "overlapping dates", "1 shared actor" …
    record: DuplicateRecord


class EventWritten(EventDetail):
    """The answer to a write: the event as saved, and what it may duplicate."""

    warnings: list[DuplicateWarning]


class SourceWritten(SourceDetail):
    """The answer to a write: the source as saved, and what it may duplicate."""

    warnings: list[DuplicateWarning]
