"""The records of a dataset export, in their one deterministic order (docs/data-format.md).

`dataset_records()` yields one plain dict per record: the header, then every event type,
actor, post, source, event (with its parts nested) and timeline in scope. Rows are referred
to by natural keys (slugs, a source's normalised URL or reference), never by database ids, so
a file survives an import into another database. Values are as stored; what is derived from
other columns (date bounds, search text), bookkeeping (ids, versions, created/updated stamps
and users) and history are left out.

Scope: the public dataset (what anonymous readers can see: public events, published
timelines, and every actor, source and type those refer to), or with `include_drafts` all
of it. The public scope is closed under references, so every key a record names is defined
by an earlier record (an event's relations may name an event later in the file).

Memory stays flat in the number of events: events, sources and each kind of part are read
through one streaming query each (server-side cursors on PostgreSQL), the parts ordered like
the events and merged with them as they go by (`_PartStream`), so the query count does not
grow with the data either. Actor ids are held as a set and the sources without URL or
reference as a map to their keys; both are counted in thousands, not millions. Everything is
read in one transaction: one consistent snapshot.

On PostgreSQL, when the export is its own transaction, each of those streams runs on its own
connection in the export's snapshot (`pg_export_snapshot()`), read ahead by a thread a few
chunks at a time (`_Readers`): the database finds and orders the events and their parts while
Python writes the actors and sources, and fetches the next rows while Python writes the
events, on the machine's other cores. The rows, and so the bytes, are the same either way.
"""

import contextlib
import hashlib
import queue
import re
import threading
from collections.abc import Iterable, Iterator
from datetime import UTC
from functools import cached_property
from itertools import chain, groupby, islice
from operator import itemgetter
from typing import Any

import orjson
from django.db import connection, connections, transaction
from django.db.models import DateTimeField, F, Func, Q
from django.db.models.functions import Collate

from events.choices import PUBLIC_EVENT_STATUSES, TimelineStatus
from events.models import (
    Actor,
    AidMeasure,
    Citation,
    CountryVote,
    Event,
    EventRelation,
    EventType,
    Participation,
    Role,
    Source,
    Timeline,
    TimelineEntry,
    VoteRecord,
)

FORMAT = "timeline-dataset"
VERSION = 1
CHUNK_SIZE = 5000  # rows a fetch: fewer round trips; 10,000 is no faster and holds more
READ_AHEAD = 2  # chunks a reader thread holds ready, per stream (memory: a few chunks each)
# Each kind of part is sorted once by its event's slug (a cursor gets no parallel workers):
# in memory, not in temporary files, is several times faster. An index on `slug COLLATE "C"`
# would spare the sorts but costs more: the parts are then read at random through it
# (docs/benchmarks.md, "Dataset export").
WORK_MEM = "128MB"

Record = dict[str, Any]

# Field lists, in the order each record shows them (the `type` and key come first).
EVENT_TYPE_FIELDS = ("slug", "name", "parent", "description", "cameo_code", "plover_code")
ACTOR_FIELDS = (
    "slug",
    "name",
    "kind",
    "short_name",
    "aliases",
    "iso3",
    "wikidata_id",
    "description",
    "parent",
    "voting_members",
    "votes_to_adopt",
    "veto_members",
)
POST_FIELDS = ("person", "organisation", "title", "start_date", "end_date")
SOURCE_FIELDS = (
    "kind",
    "title",
    "url",
    "reference",
    "publisher",
    "authors",
    "published_on",
    "published_precision",
    "published_approximate",
    "language",
    "archive_url",
    "full_text",
)
EVENT_FIELDS = (
    "slug",
    "title",
    "summary",
    "event_type",
    "start_date",
    "start_precision",
    "start_approximate",
    "end_date",
    "end_precision",
    "end_approximate",
    "location_country",
    "location_name",
    "status",
    "retraction_reason",
    "published_at",
    "first_published_at",
    "verification",
    "importance",
)
PARTICIPATION_FIELDS = ("actor", "role", "note")
CITATION_FIELDS = ("source", "locator", "stance", "quote", "note")
RELATION_FIELDS = ("kind", "to_event")
AID_FIELDS = ("donor", "recipient", "kind", "action", "amount", "currency", "note")
VOTE_RECORD_FIELDS = (
    "body",
    "document_symbol",
    "draft_symbol",
    "title",
    "result",
    "yes_count",
    "no_count",
    "abstain_count",
    "non_voting_count",
    "roll_complete",
)
ROLL_FIELDS = ("actor", "option")
TIMELINE_FIELDS = (
    "slug",
    "title",
    "description",
    "kind",
    "status",
    "query_actors",
    "query_types",
    "query_from",
    "query_to",
)
ENTRY_FIELDS = ("event", "position", "caption")


def by_bytes(field: str):
    """Order by the UTF-8 bytes of a text column (= Python's str order) on every database:
    PostgreSQL's default collation would put `a-b` and `ab` by locale rules."""
    if connection.vendor == "postgresql":
        return Collate(F(field), "C")
    return F(field)  # SQLite compares text with BINARY by default


def part_order(values: tuple) -> tuple:
    """A sort key for a part's field values: None first, then by the value's text."""
    return tuple((value is not None, "" if value is None else str(value)) for value in values)


def batched(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def source_key(url: str | None, reference: str | None, fields: dict | None = None) -> str:
    """A source's key in the file: its normalised URL, `ref:<reference>`, or for a source with
    neither a digest of its fields (`sha256:…`), so identical keyless sources share a key."""
    if url:
        return url
    if reference:
        return f"ref:{reference}"
    canonical = orjson.dumps(fields, default=str, option=orjson.OPT_SORT_KEYS)
    return "sha256:" + hashlib.sha256(canonical).hexdigest()[:32]


class Scope:
    """Which rows a dataset holds: querysets and the id set of actors."""

    def __init__(self, *, include_drafts: bool):
        self.include_drafts = include_drafts
        if include_drafts:
            self.events = Event.objects.all()
            self.timelines = Timeline.objects.all()
            self.sources = Source.objects.all()
        else:
            self.events = Event.objects.public()
            self.timelines = Timeline.objects.published()
            self.sources = Source.objects.public()

    @cached_property
    def actor_ids(self) -> set[int]:
        """Computed when first needed: after the streams' queries have been started."""
        if self.include_drafts:
            return set(Actor.objects.values_list("id", flat=True))
        return self._public_actor_ids()

    def of_events(self, path: str) -> Q:
        """Rows whose event (at `path`) is in scope."""
        if self.include_drafts:
            return Q()
        return Q(**{f"{path}__status__in": PUBLIC_EVENT_STATUSES})

    def _public_actor_ids(self) -> set[int]:
        """Every actor a public record names: Actor.public(), plus locations, donors and
        recipients, voting bodies and voters of public events, the actors of published saved
        queries; then, to a fixed point, their parents and the organisations of their posts."""
        public = Q(event__status__in=PUBLIC_EVENT_STATUSES)
        ids = set(Actor.objects.public().values_list("id", flat=True))
        ids |= set(
            Event.objects.public()
            .filter(location_country__isnull=False)
            .values_list("location_country_id", flat=True)
            .distinct()
        )
        for column in ("donor_id", "recipient_id"):
            ids |= set(AidMeasure.objects.filter(public).values_list(column, flat=True).distinct())
        ids |= set(VoteRecord.objects.filter(public).values_list("body_id", flat=True).distinct())
        ids |= set(
            CountryVote.objects.filter(vote_record__event__status__in=PUBLIC_EVENT_STATUSES)
            .values_list("actor_id", flat=True)
            .distinct()
        )
        ids |= set(
            Timeline.query_actors.through.objects.filter(
                timeline__status=TimelineStatus.PUBLISHED
            ).values_list("actor_id", flat=True)
        )
        while True:
            more = set(
                Actor.objects.filter(pk__in=ids, parent__isnull=False).values_list(
                    "parent_id", flat=True
                )
            ) | set(Role.objects.filter(person__in=ids).values_list("organisation_id", flat=True))
            if more <= ids:
                return ids
            ids |= more


def dataset_records(
    *, include_drafts: bool = False, chunk_size: int = CHUNK_SIZE, parallel: bool = False
) -> Iterator[Record]:
    """Every record of the dataset, in file order (see the module docstring).

    Read in one transaction, so the file is one consistent snapshot even while curators
    write (on PostgreSQL REPEATABLE READ; SQLite's read transaction is one already).
    `parallel`: on PostgreSQL, read the streams on nine more connections in that snapshot
    (`export_data` asks for it; a web request does not, so that a few concurrent downloads
    cannot take the server's connections).
    """
    outermost = not connection.in_atomic_block
    snapshot = None
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost and parallel:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
                # For the readers' connections (not inside a caller's transaction: they
                # could not see its writes, so everything is read on this connection then).
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
        readers = _Readers(snapshot=snapshot, chunk_size=chunk_size)
        try:
            yield from _records(include_drafts=include_drafts, readers=readers)
        finally:
            readers.close()


class _Readers:
    """Where the streams' rows come from.

    Without a snapshot: this connection, each query run when its stream is first read. With
    one (PostgreSQL): each stream on its own connection, started at once in a thread that
    imports the export's snapshot and keeps READ_AHEAD chunks of rows ready, so the database
    works while Python writes. A reader's error is raised where its rows are read.
    """

    def __init__(self, *, snapshot: str | None, chunk_size: int):
        if snapshot is not None and not re.fullmatch(r"[0-9A-F-]+", snapshot):
            raise ValueError(f"unexpected snapshot id {snapshot!r}")
        self.snapshot = snapshot
        self.chunk_size = chunk_size
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self.connections: list[Any] = []  # the readers' database connections, to cancel

    def rows(self, *querysets) -> Iterator[tuple]:
        """The rows of these querysets, one after the other."""
        if self.snapshot is None:
            return chain.from_iterable(qs.iterator(chunk_size=self.chunk_size) for qs in querysets)
        chunks: queue.Queue = queue.Queue(maxsize=READ_AHEAD)
        thread = threading.Thread(
            target=self._read, args=(querysets, chunks), name="dataset-reader", daemon=True
        )
        thread.start()
        self.threads.append(thread)

        def next_chunk() -> list[tuple] | None:
            chunk = chunks.get()
            if isinstance(chunk, BaseException):
                raise chunk
            return chunk  # None at the end

        return chain.from_iterable(iter(next_chunk, None))

    def _read(self, querysets, chunks: queue.Queue) -> None:
        try:
            with transaction.atomic():  # this thread's own connection
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    cursor.execute(f"SET TRANSACTION SNAPSHOT '{self.snapshot}'")
                    cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
                self.connections.append(connection.connection)
                for queryset in querysets:
                    rows = queryset.iterator(chunk_size=self.chunk_size)
                    for chunk in batched(rows, self.chunk_size):
                        if not self._put(chunks, chunk):
                            return
            self._put(chunks, None)
        except BaseException as exc:  # handed to the reading side, raised there
            self._put(chunks, exc)
        finally:
            connections.close_all()  # this thread's connections only

    def _put(self, chunks: queue.Queue, item) -> bool:
        """Hand a chunk over, waiting for room; False once the export is closed."""
        while not self.stopping.is_set():
            try:
                chunks.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def close(self) -> None:
        """Stop the readers (the export is done, or its reader has gone): a reader still
        waiting for the database has its query cancelled."""
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=0.5)
        if any(thread.is_alive() for thread in self.threads):
            for raw in self.connections:
                with contextlib.suppress(Exception):  # closed already: nothing to cancel
                    raw.cancel_safe()
            for thread in self.threads:
                thread.join(timeout=5)


def _records(*, include_drafts: bool, readers: _Readers) -> Iterator[Record]:
    scope = Scope(include_drafts=include_drafts)
    # Started before anything is written: on PostgreSQL the database reads and orders the
    # sources, events and parts while the actors are found and written.
    sources = readers.rows(*source_querysets(scope))
    streams = _EventStreams(scope, readers)
    yield {
        "type": "dataset",
        "format": FORMAT,
        "version": VERSION,
        "scope": "all" if include_drafts else "public",
    }
    yield from event_type_records()
    yield from actor_records(scope)
    yield from post_records(scope)
    yield from source_records(sources)
    yield from event_records(scope, streams)
    yield from timeline_records(scope)


def _tree_order(rows: list[tuple[int, int | None, str]]) -> list[int]:
    """Ids of (id, parent id, slug) rows, parents first: by depth, then by slug."""
    parents = {row_id: parent_id for row_id, parent_id, _slug in rows}

    def depth(row_id: int) -> int:
        seen = 0
        while parents.get(row_id) is not None and seen <= len(parents):
            row_id, seen = parents[row_id], seen + 1
        return seen

    return [row_id for row_id, _p, slug in sorted(rows, key=lambda r: (depth(r[0]), r[2]))]


def event_type_records() -> Iterator[Record]:
    """The whole taxonomy, in either scope (it is public reference data)."""
    own = [f for f in EVENT_TYPE_FIELDS if f != "parent"]
    rows = {
        row["id"]: row
        for row in EventType.objects.values("id", "parent_id", *own, parent_slug=F("parent__slug"))
    }
    for type_id in _tree_order([(r["id"], r["parent_id"], r["slug"]) for r in rows.values()]):
        row = rows[type_id]
        yield {"type": "event_type"} | {
            name: row["parent_slug"] if name == "parent" else row[name]
            for name in EVENT_TYPE_FIELDS
        }


def actor_records(scope: Scope) -> Iterator[Record]:
    tree = list(Actor.objects.filter(pk__in=scope.actor_ids).values_list("id", "parent_id", "slug"))
    own = [f for f in ACTOR_FIELDS if f != "parent"]
    for ids in batched(_tree_order(tree), CHUNK_SIZE):
        rows = {
            row["id"]: row
            for row in Actor.objects.filter(pk__in=ids).values(
                "id", *own, parent_slug=F("parent__slug")
            )
        }
        for actor_id in ids:
            row = rows[actor_id]
            yield {"type": "actor"} | {
                name: row["parent_slug"] if name == "parent" else row[name] for name in ACTOR_FIELDS
            }


def post_records(scope: Scope) -> Iterator[Record]:
    posts = Role.objects.all()
    if not scope.include_drafts:
        posts = posts.filter(person__in=scope.actor_ids)
    posts = posts.order_by(
        by_bytes("person__slug"),
        by_bytes("organisation__slug"),
        by_bytes("title"),
        F("start_date").asc(nulls_first=True),
        F("end_date").asc(nulls_first=True),
    ).values_list("person__slug", "organisation__slug", "title", "start_date", "end_date")
    for values in posts.iterator(chunk_size=CHUNK_SIZE):
        yield {"type": "post"} | dict(zip(POST_FIELDS, values, strict=True))


def source_querysets(scope: Scope) -> tuple:
    """Sources with a URL by URL, then those with a reference by reference, then the rest
    (no natural key) by their fields."""
    groups = (
        scope.sources.filter(url__isnull=False).order_by(by_bytes("url")),
        scope.sources.filter(url__isnull=True, reference__isnull=False).order_by(
            by_bytes("reference")
        ),
        scope.sources.filter(url__isnull=True, reference__isnull=True).order_by(
            by_bytes("title"),
            by_bytes("publisher"),
            by_bytes("authors"),
            F("published_on").asc(nulls_first=True),
            by_bytes("kind"),
            by_bytes("full_text"),
            "id",
        ),
    )
    return tuple(group.values_list(*SOURCE_FIELDS) for group in groups)


def source_records(rows: Iterable[tuple]) -> Iterator[Record]:
    """The rows of source_querysets() as records."""
    for values in rows:
        fields = dict(zip(SOURCE_FIELDS, values, strict=True))
        key = source_key(fields["url"], fields["reference"], fields)
        yield {"type": "source", "key": key} | fields


def _keyless_sources(sources):
    """(id, *fields) of the sources without URL or reference (rare: print material)."""
    return sources.filter(url__isnull=True, reference__isnull=True).values_list(
        "id", *SOURCE_FIELDS
    )


def _keyless_source_keys(rows: Iterable[tuple]) -> dict[int, str]:
    """{id: sha256 key} of the rows of _keyless_sources()."""
    return {
        row[0]: source_key(None, None, dict(zip(SOURCE_FIELDS, row[1:], strict=True)))
        for row in rows
    }


class _PartStream:
    """One kind of part of every event in scope, read in one pass in the events' order.

    Rows are (event slug, *values) ordered by the event slug's bytes, as the events are, so
    the parts of each event are taken from the head of the stream as its event goes by (a
    merge join): one query per kind of part for the whole export, and memory for one event's
    parts. The rows are grouped by slug in C (itertools.groupby), not one by one in Python.
    """

    __slots__ = ("group", "groups", "next_slug")

    def __init__(self, rows: Iterable[tuple]):
        self.groups = groupby(rows, key=itemgetter(0))
        self._advance()

    def _advance(self) -> None:
        self.next_slug, self.group = next(self.groups, (None, None))
        if self.next_slug is None:  # the end: sorts after every slug, take() returns at once
            self.next_slug = "\uffff"

    def take(self, slug: str) -> list[tuple]:
        """The rows of this event, slug first (none if the stream is past it)."""
        # Slugs are ASCII, so Python's str order is the database's byte order.
        if self.next_slug > slug:  # most events have no part of most kinds: no work
            return []
        while self.next_slug < slug:  # parts of an event not exported (cannot happen)
            self._advance()
        if self.next_slug != slug:
            return []
        taken = list(self.group)
        self._advance()
        return taken


def _sorted_parts(rows: list[tuple], fields: tuple[str, ...], *, plain: bool) -> list[Record]:
    """Parts as records, in part_order. `plain`: every value is a string that is never NULL,
    so the values' own tuples sort as part_order would sort them (no key to build)."""
    if len(rows) > 1:  # most events have none or one part of a kind: nothing to sort
        rows.sort(key=None if plain else part_order)
    return [dict(zip(fields, values, strict=True)) for values in rows]


def _utc_timestamps(columns: list[str]) -> dict[str, Any]:
    """On PostgreSQL, the event's timestamps read as UTC wall-clock values: psycopg's C loader
    reads those several times faster than Django's time-zone aware one (the export's largest
    single cost); they are made aware again in Python, so the records are the same."""
    if connection.vendor != "postgresql":
        return {}
    return {
        f"{name}_utc": Func(
            F(name), template="(%(expressions)s AT TIME ZONE 'UTC')", output_field=DateTimeField()
        )
        for name in columns
    }


EVENT_COLUMNS = {"event_type": "event_type_id", "location_country": "location_country_id"}


class _EventStreams:
    """The queries behind event_records(), opened through the readers as soon as the export
    starts: the events, and each kind of part as (event slug, *values) in the events' order."""

    def __init__(self, scope: Scope, readers: _Readers):
        self.timestamps = _utc_timestamps(["published_at", "first_published_at"])
        self.columns = [
            EVENT_COLUMNS.get(name, f"{name}_utc" if f"{name}_utc" in self.timestamps else name)
            for name in EVENT_FIELDS
        ]
        events = scope.events.annotate(**self.timestamps).order_by(by_bytes("slug"))
        self.events = readers.rows(events.values_list(*self.columns))
        self.keyless = readers.rows(_keyless_sources(scope.sources))

        def stream(queryset, *columns: str, slug: str = "event__slug") -> Iterator[tuple]:
            return readers.rows(queryset.order_by(by_bytes(slug)).values_list(slug, *columns))

        self.participations = stream(
            Participation.objects.filter(scope.of_events("event")), "actor_id", "role", "note"
        )
        self.citations = stream(
            Citation.objects.filter(scope.of_events("event")),
            "source_id",
            "source__url",
            "source__reference",
            *CITATION_FIELDS[1:],
        )
        self.relations = stream(
            EventRelation.objects.filter(
                scope.of_events("from_event"), scope.of_events("to_event")
            ),
            "kind",
            "to_event__slug",
            slug="from_event__slug",
        )
        self.aid = stream(
            AidMeasure.objects.filter(scope.of_events("event")),
            "donor_id",
            "recipient_id",
            *AID_FIELDS[2:],
        )
        self.votes = stream(
            VoteRecord.objects.filter(scope.of_events("event")), "body_id", *VOTE_RECORD_FIELDS[1:]
        )
        self.rolls = stream(
            CountryVote.objects.filter(scope.of_events("vote_record__event")),
            "actor_id",
            "option",
            slug="vote_record__event__slug",
        )


def event_records(scope: Scope, streams: _EventStreams) -> Iterator[Record]:
    # Actors and types by id, in Python (thousands of rows): each sorted stream then carries
    # narrow ids instead of joining their slugs, so PostgreSQL sorts less.
    actors = dict(Actor.objects.filter(pk__in=scope.actor_ids).values_list("id", "slug"))
    types = dict(EventType.objects.values_list("id", "slug"))
    keyless = _keyless_source_keys(streams.keyless)
    participations = _PartStream(streams.participations)
    citations = _PartStream(streams.citations)
    relations = _PartStream(streams.relations)
    aid = _PartStream(streams.aid)
    votes = _PartStream(streams.votes)
    rolls = _PartStream(streams.rolls)
    keys = ("type", *EVENT_FIELDS)
    type_at, country_at = keys.index("event_type"), keys.index("location_country")
    stamp_at = [keys.index(name[: -len("_utc")]) for name in streams.timestamps]
    # One dict per event, filled in the documented order (the part lists last).
    for values in streams.events:
        values = ["event", *values]
        values[type_at] = types[values[type_at]]
        if values[country_at] is not None:
            values[country_at] = actors[values[country_at]]
        for at in stamp_at:
            if values[at] is not None:
                values[at] = values[at].replace(tzinfo=UTC)
        record = dict(zip(keys, values, strict=True))
        slug = values[1]
        record["participations"] = _sorted_parts(
            [(actors[actor], role, note) for _, actor, role, note in participations.take(slug)],
            PARTICIPATION_FIELDS,
            plain=True,
        )
        record["citations"] = _sorted_parts(
            [
                (keyless.get(source_id) or source_key(url, reference), *rest)
                for _, source_id, url, reference, *rest in citations.take(slug)
            ],
            CITATION_FIELDS,
            plain=True,
        )
        record["relations"] = _sorted_parts(
            [row[1:] for row in relations.take(slug)], RELATION_FIELDS, plain=True
        )
        record["aid_measures"] = _sorted_parts(
            [
                (actors[donor], actors[recipient], *rest)
                for _, donor, recipient, *rest in aid.take(slug)
            ],
            AID_FIELDS,
            plain=False,  # the amount may be NULL, and is a Decimal
        )
        vote = votes.take(slug)
        record["vote_record"] = (
            dict(zip(VOTE_RECORD_FIELDS, (actors[vote[0][1]], *vote[0][2:]), strict=True))
            | {
                "roll": _sorted_parts(
                    [(actors[actor], option) for _, actor, option in rolls.take(slug)],
                    ROLL_FIELDS,
                    plain=True,
                )
            }
            if vote
            else None
        )
        yield record


def timeline_records(scope: Scope) -> Iterator[Record]:
    own = [f for f in TIMELINE_FIELDS if f not in ("query_actors", "query_types")]
    timelines = scope.timelines.order_by(by_bytes("slug")).values_list("id", *own)
    for timeline_id, *values in timelines.iterator(chunk_size=CHUNK_SIZE):
        record = {"type": "timeline"} | dict(zip(own, values, strict=True))
        links = Timeline.query_actors.through.objects.filter(timeline_id=timeline_id)
        record["query_actors"] = sorted(links.values_list("actor__slug", flat=True))
        types = Timeline.query_types.through.objects.filter(timeline_id=timeline_id)
        record["query_types"] = sorted(types.values_list("eventtype__slug", flat=True))
        entries = TimelineEntry.objects.filter(timeline_id=timeline_id)
        if not scope.include_drafts:
            entries = entries.filter(event__status__in=PUBLIC_EVENT_STATUSES)
        rows = entries.values_list("event__slug", "position", "caption")
        record["entries"] = [
            dict(zip(ENTRY_FIELDS, row, strict=True))
            for row in sorted(rows, key=lambda row: (row[1], row[0], row[2]))
        ]
        yield {"type": "timeline"} | {name: record[name] for name in (*TIMELINE_FIELDS, "entries")}
