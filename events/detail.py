"""Everything about one event, in one statement: the detail loader.

The API detail (and its JSON-LD), the event page and the single-event embed all read an event
through `load_event_detail`: the event's own columns (with its type, location and vote record
joined) plus, per related set, a JSON array built by a correlated subquery: participants with
the posts each person held on the event's date, citations with their sources, aid measures,
the vote roll, and the relations to public events only. One query on PostgreSQL and SQLite
alike, however much the event holds; no model instance is built. Callers shape the result
(events.api.event_detail for the API, embeds.views.event_page for the page).
"""

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal

import orjson
from django.core.exceptions import EmptyResultSet
from django.db import NotSupportedError, connections

from events import rows, statements
from events.choices import PUBLIC_EVENT_STATUSES
from events.merging import check_merged_event
from events.models.sources import link_dead_since

# The event's own columns: a row's (events.rows.COLUMNS, the one projection every list uses) plus
# what only the detail shows; then its vote record's (null when it records no vote).
DETAIL_COLUMNS = (
    *rows.COLUMNS,
    "location_country__short_name",
    "location_country__kind",
    "created_at",
    "version",
    "vote_record__id",
    "vote_record__body__slug",
    "vote_record__body__name",
    "vote_record__body__short_name",
    "vote_record__body__kind",
    "vote_record__body__iso3",
    "vote_record__document_symbol",
    "vote_record__draft_symbol",
    "vote_record__title",
    "vote_record__result",
    "vote_record__yes_count",
    "vote_record__no_count",
    "vote_record__abstain_count",
    "vote_record__non_voting_count",
    "vote_record__roll_complete",
)


class JSONObject:
    """One JSON object from (key, SQL) pairs; a value may be a JSONObject, a JSONSet, or a
    {vendor: SQL} dict where the backends need different SQL."""

    def __init__(self, fields: list):
        self.fields = fields

    def members(self, vendor: str) -> str:
        parts = []
        for key, value in self.fields:
            if isinstance(value, JSONObject | JSONSet):
                value = value.sql(vendor, nested=True)
            elif isinstance(value, dict):
                value = value[vendor]
            parts.append(f"'{key}', {value}")
        return ", ".join(parts)

    def sql(self, vendor: str, *, nested: bool = True) -> str:
        function = "json_build_object" if vendor == "postgresql" else "json_object"
        return f"{function}({self.members(vendor)})"


def actor(alias: str) -> JSONObject:
    """An actor's brief form, from the actor table joined as `alias`."""
    return JSONObject([(key, f"{alias}.{key}") for key in rows.ACTOR_KEYS])


class JSONSet:
    """A related set as a JSON array of objects, from `FROM … WHERE …` in a given order.

    PostgreSQL builds it with json_agg(json_build_object(…) ORDER BY …); SQLite aggregates an
    ordered subquery (it keeps that order, as events.querysets.SortedLines relies on too).
    Nested inside another object it stays JSON; at the top it is text for orjson.
    """

    def __init__(self, fields: list, source: str, order: str):
        self.item, self.source, self.order = JSONObject(fields), source, order

    def sql(self, vendor: str, *, nested: bool = False) -> str:
        item = self.item.sql(vendor)
        if vendor == "postgresql":
            array = (
                f"(SELECT coalesce(json_agg({item} ORDER BY {self.order}), '[]') "
                f"FROM {self.source})"
            )
            return array if nested else f"{array}::text"
        if vendor == "sqlite":
            array = (
                f"(SELECT coalesce(json_group_array(json(o)), '[]') FROM "
                f"(SELECT {item} AS o FROM {self.source} ORDER BY {self.order}))"
            )
            return f"json({array})" if nested else array
        raise NotSupportedError("The detail loader is written for PostgreSQL and SQLite only.")


# Status values are our own constants, so they are written into the SQL.
PUBLIC = ", ".join(f"'{status}'" for status in PUBLIC_EVENT_STATUSES)
OTHER_EVENT = [
    ("relation", "x.kind"),
    *((column, f"o.{column}") for column in ("slug", "title", *rows.DATE_COLUMNS)),
]
# The posts a person held on the event's first possible day: the rule of events.rows.
POSTS = JSONSet(
    [("title", "r.title"), ("organisation", actor("ra"))],
    "events_role r JOIN events_actor ra ON ra.id = r.organisation_id WHERE "
    + rows.POSTS_CONDITION.format(person="a.id", day="{day}"),
    "r.start_date, r.id",
)
RELATED_SETS = {
    "participants": JSONSet(
        [("role", "p.role"), ("note", "p.note"), ("actor", actor("a")), ("posts", POSTS)],
        "events_participation p JOIN events_actor a ON a.id = p.actor_id "
        "WHERE p.event_id = {event_id}",
        "p.id",
    ),
    "citations": JSONSet(
        [
            ("id", "c.id"),
            ("stance", "c.stance"),
            ("quote", "c.quote"),
            ("locator", "c.locator"),
            ("note", "c.note"),
            (
                "source",
                JSONObject(
                    [
                        (column, f"s.{column}")
                        for column in (
                            "id",
                            "kind",
                            "title",
                            "url",
                            "publisher",
                            "published_on",
                            "published_precision",
                            "published_approximate",
                            "language",
                            "archived_at",
                            "link_status",
                            "link_failing_since",
                        )
                    ]
                ),
            ),
        ],
        "events_citation c JOIN events_source s ON s.id = c.source_id "
        "WHERE c.event_id = {event_id}",
        "c.id",
    ),
    "aid_measures": JSONSet(
        [
            ("donor", actor("d")),
            ("recipient", actor("t")),
            ("kind", "m.kind"),
            ("action", "m.action"),
            # As text on PostgreSQL, so no digit is lost on the way through JSON.
            ("amount", {"postgresql": "m.amount::text", "sqlite": "m.amount"}),
            ("currency", "m.currency"),
            ("note", "m.note"),
        ],
        "events_aidmeasure m JOIN events_actor d ON d.id = m.donor_id "
        "JOIN events_actor t ON t.id = m.recipient_id WHERE m.event_id = {event_id}",
        "m.id",
    ),
    "roll": JSONSet(
        [("actor", actor("a")), ("option", "v.option")],
        "events_countryvote v JOIN events_voterecord vr ON vr.id = v.vote_record_id "
        "JOIN events_actor a ON a.id = v.actor_id WHERE vr.event_id = {event_id}",
        "a.name, v.id",
    ),
    "outgoing": JSONSet(
        OTHER_EVENT,
        "events_eventrelation x JOIN events_event o ON o.id = x.to_event_id "
        f"WHERE x.from_event_id = {{event_id}} AND o.status IN ({PUBLIC})",
        "x.id",
    ),
    "incoming": JSONSet(
        OTHER_EVENT,
        "events_eventrelation x JOIN events_event o ON o.id = x.from_event_id "
        f"WHERE x.to_event_id = {{event_id}} AND o.status IN ({PUBLIC})",
        "x.from_event_id, x.id",
    ),
}


@dataclass
class EventDetail:
    """One event and everything about it, as plain values (dates as `datetime.date`)."""

    event: dict  # DETAIL_COLUMNS
    participants: list[dict] = field(default_factory=list)  # role, note, actor, posts
    citations: list[dict] = field(default_factory=list)  # stance, quote, … and the source
    aid_measures: list[dict] = field(default_factory=list)  # donor, recipient, amount (Decimal)
    vote: dict | None = None  # the record's columns (keys without `vote_record__`) and `roll`
    related: list[dict] = field(default_factory=list)  # direction, relation, the other event

    @property
    def row(self) -> rows.EventRow:
        """The event as a list shows it (events.rows.EventRow), from the same values: the API
        detail extends this row, the single-event embed renders it as its one entry."""
        return rows.to_row(
            self.event,
            [
                rows.Participant(*(p["actor"][key] for key in rows.ACTOR_KEYS), p["role"])
                for p in self.participants
            ],
            [
                rows.CitedSource(
                    c["source"]["id"],
                    c["source"]["title"],
                    c["source"]["url"],
                    c["source"]["publisher"],
                    c["stance"],
                    c["source"]["archived_at"],
                    c["source"]["link_status"],
                    c["source"]["link_failing_since"],
                )
                for c in self.citations
            ],
        )


# DETAIL_COLUMNS as SQL over the event `e`, its type `t`, its country `c`, its vote record `v`
# and the record's body `b`; the rest are the event's own (`e.<name>`).
_JOINED = {
    **rows.ROW_JOINS,
    "location_country__short_name": "c.short_name",
    "location_country__kind": "c.kind",
    **{
        name: f"b.{name.removeprefix('vote_record__body__')}"
        for name in DETAIL_COLUMNS
        if name.startswith("vote_record__body__")
    },
    **{
        name: f"v.{name.removeprefix('vote_record__')}"
        for name in DETAIL_COLUMNS
        if name.startswith("vote_record__") and not name.startswith("vote_record__body__")
    },
}
TIMESTAMPS = ("created_at", "published_at", "updated_at")
_TIMESTAMP_AT = tuple(DETAIL_COLUMNS.index(name) for name in TIMESTAMPS)
DETAIL_OF_KEY = """WITH k(c0) AS ({keys})
SELECT {columns}
  FROM k JOIN events_event e ON e.id = k.c0
  JOIN events_eventtype t ON t.id = e.event_type_id
  LEFT JOIN events_actor c ON c.id = e.location_country_id
  LEFT JOIN events_voterecord v ON v.event_id = e.id
  LEFT JOIN events_actor b ON b.id = v.body_id"""


@functools.cache
def _detail_columns(vendor: str) -> str:
    """The select list of DETAIL_OF_KEY, written once per process and database vendor: the
    columns (timestamps as UTC wall clock on PostgreSQL, as in events.rows), then each
    related set as JSON."""
    columns = []
    for name in DETAIL_COLUMNS:
        sql = _JOINED.get(name, f"e.{name}")
        if vendor == "postgresql" and name in TIMESTAMPS:
            sql = f"({sql} AT TIME ZONE 'UTC')"
        columns.append(sql)
    for related in RELATED_SETS.values():
        columns.append(related.sql(vendor).format(event_id="e.id", day="e.date_lower"))
    return ",\n       ".join(columns)


def load_event_detail(events, **lookup) -> EventDetail | None:
    """The event of `events` (a visibility already applied) matching `lookup`, or None.

    `load_event_detail(Event.objects.public(), slug="talks")`: one query. The ORM compiles
    only the key (`events.filter(**lookup)`, its id); the event's columns and related sets
    are read by one statement written once per process (DETAIL_OF_KEY), through a plain
    cursor.
    """
    keys = events.filter(**lookup).values_list("pk")[:1]
    try:
        sql, params = keys.query.get_compiler(keys.db).as_sql()
    except EmptyResultSet:  # a lookup that can match nothing
        return None
    connection = connections[keys.db]
    statement = DETAIL_OF_KEY.format(keys=sql, columns=_detail_columns(connection.vendor))
    with statements.cursor(connection) as cursor:
        cursor.execute(statement, params)
        record = cursor.fetchone()
    if record is None:
        return None
    width = len(DETAIL_COLUMNS)
    values = list(record[:width])
    for at in _TIMESTAMP_AT:
        values[at] = rows.aware(values[at])
    value = dict(zip(DETAIL_COLUMNS, values, strict=True))
    if "slug" in lookup:  # a duplicate merged away answers with the event kept
        check_merged_event(value["slug"], value["status"])
    sets = {
        name: orjson.loads(text) for name, text in zip(RELATED_SETS, record[width:], strict=True)
    }
    for citation in sets["citations"]:
        source = citation["source"]
        source["published_on"] = _date(source["published_on"])
        source["published_approximate"] = bool(source["published_approximate"])
        source["archived"] = source["archived_at"] is not None
        source["dead_since"] = link_dead_since(source["link_status"], source["link_failing_since"])
    for measure in sets["aid_measures"]:
        amount = measure["amount"]
        measure["amount"] = None if amount is None else Decimal(str(amount)).quantize(CENTS)
    return EventDetail(
        event=value,
        participants=sets["participants"],
        citations=sets["citations"],
        aid_measures=sets["aid_measures"],
        vote=_vote(value, sets["roll"]),
        related=[_other(r, "outgoing") for r in sets["outgoing"]]
        + [_other(r, "incoming") for r in sets["incoming"]],
    )


CENTS = Decimal("0.01")


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _vote(value: dict, roll: list[dict]) -> dict | None:
    if value["vote_record__id"] is None:
        return None
    vote = {
        column.removeprefix("vote_record__"): value[column]
        for column in DETAIL_COLUMNS
        if column.startswith("vote_record__")
    }
    vote["roll"] = roll
    return vote


def _other(relation: dict, direction: str) -> dict:
    relation["direction"] = direction
    relation["start_date"] = _date(relation["start_date"])
    relation["end_date"] = _date(relation["end_date"])
    relation["start_approximate"] = bool(relation["start_approximate"])
    relation["end_approximate"] = bool(relation["end_approximate"])
    return relation
