"""Event rows: the one projection behind every list of events.

The API's lists and exports, the grouped timeline, the public pages and the embeds all read
events through here: one column list, one batch of queries, one `EventRow` per event. What
depends on the request (URLs, captions, highlight marks, rendered HTML) is added on top by the
surface that shows the row, never by projecting the events again.

A batch is read keys first (`first_rows`): the ORM compiles only the query that chooses the
events' ids (the filters, the ordering, the limit); the rows of those ids are read by one
statement written once per process and built straight from its tuples. On PostgreSQL that
statement is the whole batch: the events' own columns (type and location joined) and, per
event, its participants and its sources as JSON arrays built by correlated subqueries.
Elsewhere (SQLite) the related sets cost one query each, so a batch is three queries whatever
its size. Both give the same rows. (`project` and `build` are the same projection through the
ORM, for an ordering the keys cannot carry, such as an expression.)

Actors: `participants` holds one entry per participation, in the order they were added, so an
actor holding two roles in one event appears twice, once with each role (the API row's `actors`
shows both). Wherever roles are not shown (the pages' and embeds' entries, their filter chips,
the highlight, the CSV's actors column) an actor is shown once, at its first participation:
`EventRow.actors`.
"""

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field

import orjson
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Expression, F, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.utils.safestring import mark_safe

from events import dates, statements
from events.choices import (
    PUBLIC_EVENT_STATUSES,
    CitationStance,
    DatePrecision,
    EventStatus,
    LinkStatus,
    Verification,
)
from events.lru import LRUStore
from events.models import Citation, Participation
from events.models.sources import link_dead_since

# An event's dates as stored (what events.dates renders), in the order of its helpers' arguments.
DATE_COLUMNS = (
    "start_date",
    "start_precision",
    "start_approximate",
    "end_date",
    "end_precision",
    "end_approximate",
)
# The event columns a row holds; keyset pagination adds its ordering keys (already here).
COLUMNS = (
    "id",
    "slug",
    "title",
    "summary",
    "event_type__slug",
    "event_type__name",
    *DATE_COLUMNS,
    "date_lower",
    "date_upper",
    "location_country__slug",
    "location_country__name",
    "location_country__iso3",
    "location_name",
    "status",
    "retraction_reason",
    "verification",
    "importance",
    "published_at",
    "updated_at",
)
# Per participation and per citation, in the order of the Participant and CitedSource fields.
# An actor's brief form (the detail's actors too), in the order of the Participant fields.
ACTOR_KEYS = ("slug", "name", "short_name", "kind", "iso3")
PARTICIPANT_COLUMNS = (*(f"actor__{key}" for key in ACTOR_KEYS), "role")
SOURCE_COLUMNS = (
    "source_id",
    "source__title",
    "source__url",
    "source__publisher",
    "stance",
    "source__archived_at",
    "source__link_status",
    "source__link_failing_since",
)

# Claims no independent source confirms; the pages mark them.
DOUBTFUL = (Verification.REPORTED, Verification.DISPUTED, Verification.UNVERIFIED)
VERIFICATION_LABELS = dict(Verification.choices)
STANCE_LABELS = dict(CitationStance.choices)


@dataclass(slots=True, frozen=True)
class PostHeld:
    """A post a person held on the event's first possible day: "Secretary of State, USA"."""

    title: str
    organisation_short_name: str
    organisation_name: str

    @property
    def organisation(self) -> str:
        return self.organisation_short_name or self.organisation_name  # Actor.display_name


@dataclass(slots=True, frozen=True)
class Participant:
    """An actor in one of its roles in the event (a person with the posts held that day)."""

    slug: str
    name: str
    short_name: str
    kind: str
    iso3: str | None
    role: str
    posts: list[PostHeld] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name  # the rule of Actor.display_name


@dataclass(slots=True, frozen=True)
class CitedSource:
    id: int
    title: str
    url: str | None
    publisher: str
    stance: str
    # What the archiver and the link checker found (events.archiving), as the database gives it.
    archived_at: object = None
    link_status: str = LinkStatus.UNCHECKED
    link_failing_since: object = None

    @property
    def stance_label(self) -> str:
        """Lower case, as a timeline entry shows it: "(contradicts)"."""
        return STANCE_LABELS.get(self.stance, self.stance).lower()

    @property
    def archived(self) -> bool:
        """Whether we hold a copy readers can open (embeds:archived_copy)."""
        return self.archived_at is not None

    @property
    def dead_since(self) -> dt.date | None:
        return link_dead_since(self.link_status, self.link_failing_since)

    @property
    def display_dead_since(self) -> str:
        dead = self.dead_since
        return dates.display_date(dead, DatePrecision.DAY) if dead else ""


@dataclass(slots=True)
class EventRow:
    """One event of a list: its columns, participants and sources.

    The fields up to `sources` are what the database holds (the embeds' fragment cache keys on
    them, through `record` or `repr`); the ones after are set per request by the surface
    showing the row. Nothing changes the former once read.
    """

    id: int
    slug: str
    title: str
    summary: str
    type_slug: str
    type_name: str
    start_date: dt.date
    start_precision: str
    start_approximate: bool
    end_date: dt.date | None
    end_precision: str
    end_approximate: bool
    date_lower: dt.date
    date_upper: dt.date
    country_slug: str | None
    country_name: str | None
    country_iso3: str | None
    location_name: str
    status: str
    retraction_reason: str
    verification: str
    importance: int
    published_at: dt.datetime | None
    updated_at: dt.datetime
    participants: list[Participant]
    sources: list[CitedSource]
    # Per request, on top of the row:
    url: str = ""
    caption: str = ""
    is_highlighted: bool = False
    # The rendered entry (embeds.fragments), UTF-8: pages splice it into their bytes as it is.
    html_bytes: bytes = field(default=b"", repr=False, compare=False)
    # Values selected beside the row (`first_rows(extra=…)`): ordering keys, entry captions.
    extra: dict = field(default_factory=dict, repr=False, compare=False)
    # The database's record of the fields up to `sources`, as read (PostgreSQL's one statement:
    # the columns and the related sets as JSON text): a complete key of them that costs a
    # tenth of the dataclass's repr (embeds.fragments). Empty where several queries built it.
    record: tuple = field(default=(), repr=False, compare=False)

    @property
    def date_fields(self) -> tuple:
        """Every stored field its dates are written from (display_date, edtf …)."""
        return (*self._date_args(), self.date_lower, self.date_upper)

    def _date_args(self) -> tuple:
        return (
            self.start_date,
            self.start_precision,
            self.start_approximate,
            self.end_date,
            self.end_precision or None,
            self.end_approximate,
        )

    @property
    def display_date(self) -> str:
        return dates.display_range(*self._date_args())

    @property
    def edtf(self) -> str:
        return dates.edtf(*self._date_args())

    @property
    def datetime_attr(self) -> str:
        """<time datetime>: the start in its own precision (2025, 2025-02, 2025-02-18)."""
        return dates.edtf_date(self.start_date, self.start_precision)

    @property
    def actors(self) -> list[Participant]:
        """Each actor once, at its first participation (for surfaces that show no roles).
        Worked out once for a kept set of participants (ParticipantList)."""
        kept = getattr(self.participants, "distinct", None)
        return kept if kept is not None else distinct_actors(self.participants)

    @property
    def actor_slugs(self) -> str:
        return " ".join(actor.slug for actor in self.actors)

    def involves(self, actor: str) -> bool:
        """Whether an actor with this slug or (lower-case) ISO3 code takes part."""
        return any(actor in (p.slug, (p.iso3 or "").lower()) for p in self.participants)

    @property
    def verification_label(self) -> str:
        return VERIFICATION_LABELS.get(self.verification, self.verification)

    @property
    def is_doubtful(self) -> bool:
        return self.verification in DOUBTFUL

    @property
    def is_retracted(self) -> bool:
        return self.status == EventStatus.RETRACTED

    @property
    def is_public(self) -> bool:
        """Readers may see it (only a staff preview lists any other)."""
        return self.status in PUBLIC_EVENT_STATUSES

    @property
    def status_label(self) -> str:
        return EventStatus(self.status).label

    @property
    def html(self) -> str:
        """The rendered entry as text, for templates that print it (`{{ event.html }}`)."""
        return mark_safe(self.html_bytes.decode())


def distinct_actors(participants: list) -> list:
    """Each actor once (by slug), at its first participation; works on rows and on dicts."""
    seen: dict[str, object] = {}
    for participant in participants:
        slug = participant["slug"] if isinstance(participant, dict) else participant.slug
        seen.setdefault(slug, participant)
    return list(seen.values())


# The posts a person (actor `{person}`) held on the event's first possible day (`{day}`), open
# ends counting as held: the rule of the detail loader (events.detail.POSTS) and of
# RoleQuerySet.active_on, as a JSON array of [title, organisation short name, name].
POSTS_CONDITION = """r.person_id = {person}
   AND (r.start_date IS NULL OR r.start_date <= {day})
   AND (r.end_date IS NULL OR r.end_date >= {day})"""
POSTS_JSON = {
    "postgresql": """(SELECT coalesce(json_agg(json_build_array(
        r.title, ra.short_name, ra.name) ORDER BY r.start_date, r.id), '[]')
      FROM events_role r JOIN events_actor ra ON ra.id = r.organisation_id
     WHERE """
    + POSTS_CONDITION
    + ")",
    "sqlite": """(SELECT coalesce(json_group_array(json_array(title, short_name, name)), '[]')
      FROM (SELECT r.title, ra.short_name, ra.name
              FROM events_role r JOIN events_actor ra ON ra.id = r.organisation_id
             WHERE """
    + POSTS_CONDITION
    + """ ORDER BY r.start_date, r.id))""",
}

# PostgreSQL only: an event's related sets as JSON arrays of arrays, in the order of the fields
# of Participant and CitedSource and of the portable path below. Indexed on event_id.
# `{event_id}` and `{day}` stand for the event's id and its first possible day.
PARTICIPANTS_TEMPLATE = """(SELECT coalesce(json_agg(json_build_array(
    a.slug, a.name, a.short_name, a.kind, a.iso3, p.role, {posts}) ORDER BY p.id), '[]')::text
  FROM events_participation p JOIN events_actor a ON a.id = p.actor_id
 WHERE p.event_id = {{event_id}})"""
PARTICIPANTS_JSON = PARTICIPANTS_TEMPLATE.format(
    posts=POSTS_JSON["postgresql"].format(person="a.id", day="{day}")
)
# Without the posts (`first_rows(posts=False)`): one index probe of the roles per participant
# fewer, for readers that never show them (the API's rows); each participant's posts is [].
PARTICIPANTS_WITHOUT_POSTS_JSON = PARTICIPANTS_TEMPLATE.format(posts="NULL")
SOURCES_JSON = """(SELECT coalesce(json_agg(json_build_array(
    s.id, s.title, s.url, s.publisher, c.stance,
    s.archived_at, s.link_status, s.link_failing_since) ORDER BY c.id), '[]')::text
  FROM events_citation c JOIN events_source s ON s.id = c.source_id
 WHERE c.event_id = {event_id})"""


class RelatedJSON(Expression):
    """A correlated subquery over the outer event, whatever alias the query gives its table.

    `refs` names the outer event's fields the SQL may use, as `{placeholder}`: its id and its
    first possible day.
    """

    output_field = TextField()
    refs = {"event_id": "pk", "day": "date_lower"}

    def __init__(self, template):
        super().__init__()
        self.template = template
        self.outer = [F(name) for name in self.refs.values()]

    def get_source_expressions(self):
        return self.outer

    def set_source_expressions(self, exprs):
        self.outer = list(exprs)

    def template_sql(self, vendor: str) -> str:
        return self.template

    def as_sql(self, compiler, connection):
        columns, params = {}, []
        for placeholder, ref in zip(self.refs, self.outer, strict=True):
            columns[placeholder], ref_params = compiler.compile(ref)
            params.extend(ref_params)
        return self.template_sql(connection.vendor).format(**columns), params


def project(queryset: QuerySet, *, posts: bool = True) -> tuple[QuerySet, tuple[str, ...]]:
    """The queryset and the columns to ask of it (`.values(*columns)`) for `build`.

    On PostgreSQL the participants and sources come in the same statement as the events.
    """
    if connections[queryset.db].vendor != "postgresql":
        return queryset, COLUMNS
    participants = PARTICIPANTS_JSON if posts else PARTICIPANTS_WITHOUT_POSTS_JSON
    queryset = queryset.annotate(
        participants_json=RelatedJSON(participants), sources_json=RelatedJSON(SOURCES_JSON)
    )
    return queryset, (*COLUMNS, "participants_json", "sources_json")


def build(values: list[dict], *, posts: bool = True) -> list[EventRow]:
    """Rows for the values of a queryset projected with `project`, in the order given."""
    if values and "participants_json" in values[0]:
        loads = orjson.loads
        return [
            to_row(
                value,
                [_participant(*item) for item in loads(value["participants_json"])],
                [CitedSource(*item) for item in loads(value["sources_json"])],
            )
            for value in values
        ]
    ids = [value["id"] for value in values]
    participants = _participants_by_event(ids, posts) if ids else {}
    sources = _by_event(Citation, SOURCE_COLUMNS, CitedSource, ids) if ids else {}
    return [
        to_row(value, participants.get(value["id"], []), sources.get(value["id"], []))
        for value in values
    ]


def event_rows(queryset: QuerySet, limit: int, *, posts: bool = True) -> list[EventRow]:
    """Up to `limit` rows of `queryset`, in its order."""
    return first_rows(queryset, limit, posts=posts)


# The row's columns (COLUMNS) as SQL over the event `e`, its type `t` and its country `c`.
# PostgreSQL reads the timestamps as UTC wall-clock values: psycopg's C loader reads those
# several times faster than Django's time-zone aware one (the connection is UTC); they are
# made aware again in Python (as events.dataset does), so the rows are the same.
ROW_JOINS = {
    "event_type__slug": "t.slug",
    "event_type__name": "t.name",
    "location_country__slug": "c.slug",
    "location_country__name": "c.name",
    "location_country__iso3": "c.iso3",
}
TIMESTAMPS = ("published_at", "updated_at")
assert COLUMNS[-2:] == TIMESTAMPS  # the rows of tuples rely on it (_tuple_row)
_PUBLISHED_AT, _UPDATED_AT = len(COLUMNS) - 2, len(COLUMNS) - 1
ROWS_OF_KEYS = """WITH k({key_columns}) AS ({keys})
SELECT {columns}{extra}
  FROM k JOIN events_event e ON e.id = k.c0
  JOIN events_eventtype t ON t.id = e.event_type_id
  LEFT JOIN events_actor c ON c.id = e.location_country_id
 ORDER BY {order}"""


@functools.cache
def _row_columns(vendor: str, posts: bool) -> str:
    """The select list of ROWS_OF_KEYS, written once per process, database vendor and
    whether the participants carry their posts."""
    columns = []
    for name in COLUMNS:
        sql = ROW_JOINS.get(name, f"e.{name}")
        if vendor == "postgresql" and name in TIMESTAMPS:
            sql = f"({sql} AT TIME ZONE 'UTC')"
        columns.append(sql)
    if vendor == "postgresql":
        participants = PARTICIPANTS_JSON if posts else PARTICIPANTS_WITHOUT_POSTS_JSON
        columns.append(participants.format(event_id="e.id", day="e.date_lower"))
        columns.append(SOURCES_JSON.format(event_id="e.id"))
    return ",\n       ".join(columns)


def first_rows(
    queryset: QuerySet, limit: int, *, extra: tuple[str, ...] = (), posts: bool = True
) -> list[EventRow]:
    """The first `limit` rows of an ordered queryset, in its order: keys first.

    The ORM compiles only the keys: the ids (with the ordering's values) that the filters and
    the ordering choose, `… ORDER BY … LIMIT n`, which the covering indexes answer alone
    (events_event_list_idx carries date_upper, status and the participant ids beside
    (date_lower, id), so it answers "involving" too). The rows of those keys are read
    by one statement written once per process (ROWS_OF_KEYS: the keys as a CTE joined back to
    the events, their type and country, and on PostgreSQL each event's participants and
    sources as JSON), through a plain cursor, and built straight from its tuples: no model
    field converters, no compiling of the 24 columns and the JSON subqueries per request.
    Still one statement on PostgreSQL (three elsewhere: the related sets by query).

    `extra`: names (fields or annotations of the queryset, such as `search_rank` or
    `entry_caption`) whose values each row carries in `row.extra`, with the ordering's.
    `posts`: False for readers that never show a person's posts (the API's rows): they are
    not read, and every participant's `posts` is empty.
    """
    query = queryset.query
    ordering = list(query.order_by or (query.get_meta().ordering if query.default_ordering else ()))
    if not _plain_ordering(query, ordering):
        return _rows_by_orm(queryset, limit, extra, posts)
    wanted = list(
        dict.fromkeys(
            name for name in (*(key.lstrip("-") for key in ordering), *extra) if name != "pk"
        )
    )
    keys = queryset.values_list("pk", *wanted)[:limit]
    try:
        sql, params = keys.query.get_compiler(keys.db).as_sql()
    except EmptyResultSet:  # a filter that can match nothing (`pk__in=[]`, `.none()`)
        return []
    selected = list(keys.query.selected)  # the select list's names, in its order
    position = {name: index for index, name in enumerate(selected)}
    position["id"] = position["pk"] = 0
    connection = connections[queryset.db]
    order = ", ".join(
        f"k.c{position[key.lstrip('-')]}{' DESC' if key.startswith('-') else ''}"
        for key in ordering
    )
    statement = ROWS_OF_KEYS.format(
        key_columns=", ".join(f"c{index}" for index in range(len(selected))),
        keys=sql,
        columns=_row_columns(connection.vendor, posts),
        extra="".join(f", k.c{position[name]}" for name in wanted),
        order=order,
    )
    with statements.cursor(connection) as cursor:
        cursor.execute(statement, params)
        records = cursor.fetchall()
    width = len(COLUMNS)
    if connection.vendor == "postgresql":
        participants = participant_sets.remembered_many([r[width] for r in records], _participants)
        sources = source_sets.remembered_many([r[width + 1] for r in records], _sources)
        built = [
            _tuple_row(record, people, cited, record)
            for record, people, cited in zip(records, participants, sources, strict=True)
        ]
        width += 2
    else:
        ids = [record[0] for record in records]
        participants = _participants_by_event(ids, posts) if ids else {}
        sources = _by_event(Citation, SOURCE_COLUMNS, CitedSource, ids) if ids else {}
        built = [
            _tuple_row(record, participants.get(record[0], []), sources.get(record[0], []))
            for record in records
        ]
    if extra:
        at = {name: width + index for index, name in enumerate(wanted)}
        for row, record in zip(built, records, strict=True):
            # The row's own columns as the row holds them (dates, aware timestamps).
            row.extra = {
                name: getattr(row, name) if name in _ROW_FIELDS else record[at[name]]
                for name in extra
            }
    return built


_ROW_FIELDS = frozenset(COLUMNS) - frozenset(ROW_JOINS)


def _plain_ordering(query, ordering: list) -> bool:
    """Whether the keys can be chosen by the ORM alone and ordered again by their values:
    an ordering by names (fields, annotations, related fields), no DISTINCT, no extra()."""
    return (
        bool(ordering)
        and all(isinstance(key, str) and key != "?" and "." not in key for key in ordering)
        and not query.distinct
        and not query.extra_order_by
        and not query.extra
        and query.combinator is None
    )


def _rows_by_orm(
    queryset: QuerySet, limit: int, extra: tuple[str, ...], posts: bool = True
) -> list[EventRow]:
    """The rows through the ORM's projection (an ordering by expressions, DISTINCT)."""
    queryset, columns = project(queryset, posts=posts)
    values = first_values(queryset, (*columns, *extra), limit)
    built = build(values, posts=posts)
    for row, value in zip(built, values, strict=True):
        row.extra = {name: value[name] for name in extra}
    return built


def _tuple_row(record, participants: list, sources: list, whole: tuple = ()) -> EventRow:
    """The row of one record of ROWS_OF_KEYS (COLUMNS first, in the order of EventRow, the
    two timestamps last); `whole`: that record, when it holds the related sets too."""
    published, updated = record[_PUBLISHED_AT], record[_UPDATED_AT]
    return EventRow(
        *record[:_PUBLISHED_AT],
        aware(published) if published is not None else None,
        aware(updated),
        participants,
        sources,
        record=whole,
    )


# The related sets of rows as built, by the JSON text PostgreSQL gave them in (ROWS_OF_KEYS):
# the same text is the same list, so a list is built once per process, not per request (of
# a 500-row page's ~15 µs a row, about half). Shared by every row with that text: nothing
# changes a row's participants or sources once read (see EventRow). ~1.5 KB an entry with its
# key (measured over 2,000 rows of the benchmark's data): at most ~15 MB a process.
participant_sets = LRUStore(5_000)
source_sets = LRUStore(5_000)


class ParticipantList(list):
    """A kept set of participants (participant_sets), with its actors each once, which the
    embeds' entries and chips ask for per row and request. Shared: never changed."""

    __slots__ = ("distinct",)


def _participants(text: str) -> ParticipantList:
    participants = ParticipantList(
        Participant(slug, name, short, kind, iso3, role, _posts(posts))
        for slug, name, short, kind, iso3, role, posts in orjson.loads(text)
    )
    participants.distinct = distinct_actors(participants)
    return participants


def _sources(text: str) -> list[CitedSource]:
    return [CitedSource(*item) for item in orjson.loads(text)]


def _posts(posts: list) -> list[PostHeld]:
    return [PostHeld(*post) for post in posts] if posts else []


def aware(value: dt.datetime | str | None) -> dt.datetime | None:
    """A timestamp read as UTC wall clock (PostgreSQL: `AT TIME ZONE 'UTC'`; SQLite stores it
    so), made aware: what Django's converters would have given."""
    if value is None:
        return None
    if isinstance(value, str):  # SQLite without its type converters
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC)


def first_values(queryset: QuerySet, columns, limit: int) -> list[dict]:
    """The first `limit` events of an ordered queryset, as `.values(*columns)`: keys first.

    The ids are chosen by themselves (`WHERE id IN (SELECT id … ORDER BY … LIMIT n)`), so the
    filters and the ordering are answered from an index alone where one covers them
    (events_event_list_idx carries date_upper, status and the participant ids beside
    (date_lower, id), so it answers "involving" too), and the events' other
    columns and related sets are read for those n rows only. Without it, a window such as
    2015–2020 read every event of 2014 from the table to find that it ends too early.
    """
    keys = queryset.values("pk")[:limit]
    return list(queryset.filter(pk__in=keys).values(*columns))


def _by_event(model, columns: tuple[str, ...], make, ids: list[int]) -> dict[int, list]:
    """The participations or citations of the events `ids`, per event, in the order added."""
    by_event: dict[int, list] = defaultdict(list)
    rows = (
        model.objects.filter(event_id__in=ids)
        .order_by("event_id", "id")
        .values_list("event_id", *columns)
    )
    for event_id, *fields in rows:
        by_event[event_id].append(make(*fields))
    return by_event


def _participant(*fields) -> Participant:
    """A participant from its columns and its posts as [title, short name, name] arrays."""
    *columns, posts = fields
    if isinstance(posts, str):
        posts = orjson.loads(posts)
    return Participant(*columns, _posts(posts))


def _participants_by_event(ids: list[int], posts: bool = True) -> dict[int, list[Participant]]:
    """The portable path: participations with each person's posts on the event's day (or
    none, with `posts` False)."""
    table = '"events_participation"'
    vendor = connections[Participation.objects.db].vendor  # PostgreSQL takes it in tests
    held = POSTS_JSON["postgresql" if vendor == "postgresql" else "sqlite"].format(
        person=f"{table}.actor_id",
        day=f"(SELECT e.date_lower FROM events_event e WHERE e.id = {table}.event_id)",
    )
    by_event: dict[int, list] = defaultdict(list)
    rows = (
        Participation.objects.filter(event_id__in=ids)
        .annotate(posts_json=RawSQL(held if posts else "NULL", ()))
        .order_by("event_id", "id")
        .values_list("event_id", *PARTICIPANT_COLUMNS, "posts_json")
    )
    for event_id, *fields in rows:
        by_event[event_id].append(_participant(*fields))
    return by_event


def to_row(value: dict, participants: list[Participant], sources: list[CitedSource]) -> EventRow:
    """The row of one event's projected values (COLUMNS) and its related sets."""
    return EventRow(
        value["id"],
        value["slug"],
        value["title"],
        value["summary"],
        value["event_type__slug"],
        value["event_type__name"],
        value["start_date"],
        value["start_precision"],
        value["start_approximate"],
        value["end_date"],
        value["end_precision"],
        value["end_approximate"],
        value["date_lower"],
        value["date_upper"],
        value["location_country__slug"],
        value["location_country__name"],
        value["location_country__iso3"],
        value["location_name"],
        value["status"],
        value["retraction_reason"],
        value["verification"],
        value["importance"],
        value["published_at"],
        value["updated_at"],
        participants,
        sources,
    )


# The columns of the CSV export, one per row field people read; the CSV import reads them back
# (events.imports.formats.timeline_csv).
CSV_COLUMNS = (
    "slug",
    "title",
    "display_date",
    "edtf",
    "start",
    "end",
    "precision",
    "earliest",
    "latest",
    "type",
    "status",
    "verification",
    "importance",
    "country",
    "location",
    "actors",
    "source_urls",
    "retraction_reason",
)
