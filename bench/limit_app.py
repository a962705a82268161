"""The limit: each benchmark query answered by one hand-written SQL statement, no framework.

A bare WSGI callable: psycopg 3 (one autocommit connection per worker thread) and orjson. No
validation, no content negotiation, no ETags, no throttling: what is left is the least any
Python server can do for the same answer, so Timeline's requests per second divided by this
app's is the share of the hardware it uses well. Serve it with the same gunicorn settings as
Timeline (bench/run.py does):

    DATABASE_URL=postgres://… gunicorn bench.limit_app:application

Each scenario is the fastest single statement we could write on the schema the migrations
make (any of their indexes), documented with its plan in docs/benchmarks.md ("The ceiling"):

- lists choose their page's keys first, from indexes alone where they cover the filters
  (events_event_list_idx carries date_upper, status and participant_ids beside
  (date_lower, id), so an actor's page is walked in date order from that index alone; with a
  search, the participant ids are read from the GIN index beside the search vector), then
  read the rows and their participants and sources (JSON subqueries) for those keys only;
- search reads in date order, as Timeline's does by default: the list index walked and each
  event's text checked, or with other filters the text as a semi-join on the primary key;
  `ordering=relevance` ranks every match (exact, as in Timeline), then reads the page;
- the grouped timeline answers everything Timeline's does in one statement: counts per
  period by the rule of events.periods (an event less precise than a month is counted in
  its year, never in January), the range, the type and actor facets, and the first 500 rows;
- the detail is the event with every related set as JSON (as events.detail reads it);
- votes and alignment join a state's votes through the covering (actor, option) index, and
  alignment's periods, tallies and votes are built as JSON by PostgreSQL.

Rows go straight to orjson; JSON built by PostgreSQL is passed through as it is. JIT is off for
the connection, as for Timeline's (timeline/settings.py): compiling a plan costs more than
these statements take. Every response carries `X-Queries: 1`.
"""

import os
import threading
from urllib.parse import parse_qs

import orjson
import psycopg

PUBLIC = "('published', 'retracted')"
PAGE_LIMIT = 2000
# A row of an event list (events.rows.COLUMNS), for the events `e` whose keys `k` were chosen.
ROW_COLUMNS = """
       e.id, e.slug, e.title, e.summary, t.slug AS type_slug, t.name AS type_name,
       e.start_date, e.start_precision, e.start_approximate,
       e.end_date, e.end_precision, e.end_approximate, e.date_lower, e.date_upper,
       c.slug AS country_slug, c.name AS country_name, c.iso3 AS country_iso3, e.location_name,
       e.status, e.retraction_reason, e.verification, e.importance, e.published_at, e.updated_at,
       (SELECT coalesce(json_agg(json_build_array(a.slug, a.name, a.short_name, a.kind, a.iso3,
                p.role) ORDER BY p.id), '[]')::text
          FROM events_participation p JOIN events_actor a ON a.id = p.actor_id
         WHERE p.event_id = e.id) AS actors,
       (SELECT coalesce(json_agg(json_build_array(s.id, s.title, s.url, s.publisher, ci.stance)
                ORDER BY ci.id), '[]')::text
          FROM events_citation ci JOIN events_source s ON s.id = ci.source_id
         WHERE ci.event_id = e.id) AS sources"""
ROWS_OF_KEYS = f"""
SELECT {ROW_COLUMNS}
  FROM ({{keys}}) k
  JOIN events_event e ON e.id = k.id
  JOIN events_eventtype t ON t.id = e.event_type_id
  LEFT JOIN events_actor c ON c.id = e.location_country_id
 ORDER BY {{order}}"""
INVOLVES = (
    " AND EXISTS (SELECT 1 FROM events_participation p "
    "WHERE p.event_id = e.id AND p.actor_id = %(actor_id)s)"
)
INVOLVES_INDEXED = " AND e.participant_ids @> ARRAY[%(actor_id)s]::bigint[]"
TSQUERY = "(websearch_to_tsquery('english', %(q)s) || websearch_to_tsquery('simple', %(q)s))"
MATCHES = f"s.search_vector @@ {TSQUERY}"
# The longest span any event has (one probe of events_event_span_idx): a window's lower bound
# on date_lower, so the date-ordered index scan starts near the window.
LONGEST_SPAN = "(SELECT coalesce(max(date_upper - date_lower), 0) FROM events_event)"
JSON_COLUMNS = ("actors", "sources", "periods", "detail", "alignment", "grouped")

# The single event, as events.detail reads it (every related set as JSON, one statement).
ACTOR = (
    "json_build_object('slug', {a}.slug, 'name', {a}.name, 'short_name', {a}.short_name, "
    "'kind', {a}.kind, 'iso3', {a}.iso3)"
)
OTHER_EVENT = (
    "json_build_object('relation', x.kind, 'slug', o.slug, 'title', o.title, "
    "'start_date', o.start_date, 'start_precision', o.start_precision, "
    "'start_approximate', o.start_approximate, 'end_date', o.end_date, "
    "'end_precision', o.end_precision, 'end_approximate', o.end_approximate)"
)
DETAIL = f"""
SELECT {ROW_COLUMNS}, c.short_name AS country_short_name, c.kind AS country_kind,
       e.created_at, e.version,
       v.id AS vote_id, b.slug AS body_slug, b.name AS body_name, b.short_name AS body_short_name,
       b.kind AS body_kind, b.iso3 AS body_iso3, v.document_symbol, v.draft_symbol,
       v.title AS vote_title, v.result, v.yes_count, v.no_count, v.abstain_count,
       v.non_voting_count, v.roll_complete,
       (SELECT coalesce(json_agg(json_build_object('role', p.role, 'note', p.note,
                'actor', {ACTOR.format(a="a")},
                'posts', (SELECT coalesce(json_agg(json_build_object('title', r.title,
                             'organisation', {ACTOR.format(a="ra")}) ORDER BY r.start_date, r.id),
                             '[]')
                            FROM events_role r JOIN events_actor ra ON ra.id = r.organisation_id
                           WHERE r.person_id = a.id
                             AND (r.start_date IS NULL OR r.start_date <= e.date_lower)
                             AND (r.end_date IS NULL OR r.end_date >= e.date_lower)))
                ORDER BY p.id), '[]')::text
          FROM events_participation p JOIN events_actor a ON a.id = p.actor_id
         WHERE p.event_id = e.id) AS participants,
       (SELECT coalesce(json_agg(json_build_object('id', ci.id, 'stance', ci.stance,
                'quote', ci.quote, 'locator', ci.locator, 'note', ci.note,
                'source', json_build_object('id', s.id, 'kind', s.kind, 'title', s.title,
                    'url', s.url, 'publisher', s.publisher, 'published_on', s.published_on,
                    'published_precision', s.published_precision,
                    'published_approximate', s.published_approximate, 'language', s.language))
                ORDER BY ci.id), '[]')::text
          FROM events_citation ci JOIN events_source s ON s.id = ci.source_id
         WHERE ci.event_id = e.id) AS citations,
       (SELECT coalesce(json_agg(json_build_object('donor', {ACTOR.format(a="d")},
                'recipient', {ACTOR.format(a="r")}, 'kind', m.kind, 'action', m.action,
                'amount', m.amount::text, 'currency', m.currency, 'note', m.note)
                ORDER BY m.id), '[]')::text
          FROM events_aidmeasure m JOIN events_actor d ON d.id = m.donor_id
          JOIN events_actor r ON r.id = m.recipient_id
         WHERE m.event_id = e.id) AS aid_measures,
       (SELECT coalesce(json_agg(json_build_object('actor', {ACTOR.format(a="a")},
                'option', cv.option) ORDER BY a.name, cv.id), '[]')::text
          FROM events_countryvote cv JOIN events_actor a ON a.id = cv.actor_id
         WHERE cv.vote_record_id = v.id) AS roll,
       (SELECT coalesce(json_agg({OTHER_EVENT} ORDER BY x.id), '[]')::text
          FROM events_eventrelation x JOIN events_event o ON o.id = x.to_event_id
         WHERE x.from_event_id = e.id AND o.status IN {PUBLIC}) AS outgoing,
       (SELECT coalesce(json_agg({OTHER_EVENT} ORDER BY x.from_event_id, x.id), '[]')::text
          FROM events_eventrelation x JOIN events_event o ON o.id = x.from_event_id
         WHERE x.to_event_id = e.id AND o.status IN {PUBLIC}) AS incoming
  FROM events_event e
  JOIN events_eventtype t ON t.id = e.event_type_id
  LEFT JOIN events_actor c ON c.id = e.location_country_id
  LEFT JOIN events_voterecord v ON v.event_id = e.id
  LEFT JOIN events_actor b ON b.id = v.body_id
 WHERE e.slug = %(slug)s AND e.status IN {PUBLIC}"""
DETAIL_JSON = ("participants", "citations", "aid_measures", "roll", "outgoing", "incoming")

# The grouped timeline by month (GET /api/v1/timeline/?group_by=month&actor=…), in one
# statement: the period rule of events.periods (a year-precision event is in its year, which
# sorts before that year's months), the range, the facets and the first 500 rows.
GROUPED = f"""
WITH matching AS MATERIALIZED (
  SELECT e.id, e.date_lower, e.date_upper, e.start_precision, e.event_type_id
    FROM events_event e WHERE e.status IN {PUBLIC}{INVOLVES}),
periods AS (
  SELECT CASE WHEN start_precision = 'year' THEN to_char(date_lower, 'YYYY')
              ELSE to_char(date_lower, 'YYYY-MM') END AS period,
         date_trunc(CASE WHEN start_precision = 'year' THEN 'year' ELSE 'month' END,
                    date_lower)::date AS starts,
         start_precision = 'year' AS coarse, count(*) AS n
    FROM matching GROUP BY 1, 2, 3),
ends AS (
  SELECT *, (starts + CASE WHEN coarse THEN interval '1 year' ELSE interval '1 month' END
             - interval '1 day')::date AS last FROM periods),
summary AS (
  SELECT (SELECT coalesce(json_agg(json_build_object('period', period, 'start', starts,
                 'end', last, 'count', n) ORDER BY starts, NOT coarse), '[]') FROM ends)
           AS periods,
         (SELECT json_build_object('start', min(date_lower), 'end', max(date_upper))
            FROM matching) AS range,
         (SELECT coalesce(json_agg(json_build_object('slug', t.slug, 'name', t.name,
                 'count', f.n) ORDER BY f.n DESC, t.name), '[]')
            FROM (SELECT event_type_id, count(*) AS n FROM matching GROUP BY 1) f
            JOIN events_eventtype t ON t.id = f.event_type_id) AS types,
         (SELECT coalesce(json_agg(json_build_object('slug', a.slug, 'name', a.name,
                 'count', f.n) ORDER BY f.n DESC, a.name), '[]')
            FROM (SELECT p.actor_id, count(DISTINCT p.event_id) AS n
                    FROM events_participation p JOIN matching m ON m.id = p.event_id
                   GROUP BY 1 ORDER BY 2 DESC LIMIT 20) f
            JOIN events_actor a ON a.id = f.actor_id) AS actors)
SELECT json_build_object('periods', s.periods, 'range', s.range,
         'facets', json_build_object('types', s.types, 'actors', s.actors))::text AS grouped,
       x.*
  FROM summary s LEFT JOIN ({
    ROWS_OF_KEYS.format(
        keys="SELECT id, date_lower FROM matching ORDER BY date_lower, id LIMIT 500",
        order="k.date_lower, k.id",
    )
}) x ON true
 ORDER BY x.date_lower, x.id"""

VOTE_COLUMNS = (
    "v.id, v.title, v.document_symbol, v.draft_symbol, v.result, v.yes_count, v.no_count, "
    "v.abstain_count, v.non_voting_count, v.roll_complete, b.slug AS body_slug, "
    "b.name AS body_name, e.slug AS event, e.start_date, e.start_precision, "
    "e.start_approximate, e.end_date, e.end_precision, e.end_approximate"
)
VOTES = f"""
SELECT {VOTE_COLUMNS}
  FROM events_countryvote cv
  JOIN events_voterecord v ON v.id = cv.vote_record_id
  JOIN events_event e ON e.id = v.event_id
  JOIN events_actor b ON b.id = v.body_id
 WHERE cv.actor_id = %(actor_id)s AND e.status = 'published'
 ORDER BY e.date_lower, v.id LIMIT 100"""
ALIGNMENT = """
WITH pairs AS (
  SELECT v.document_symbol AS symbol, v.title, e.slug AS event, b.slug AS body,
         e.date_lower, v.id, e.start_date, e.start_precision, e.start_approximate,
         ca.option AS a_option, cb.option AS b_option,
         ca.option IN ('yes', 'no', 'abstain') AND cb.option IN ('yes', 'no', 'abstain')
           AS both_cast
    FROM events_countryvote ca
    JOIN events_countryvote cb ON cb.vote_record_id = ca.vote_record_id
                              AND cb.actor_id = %(b_id)s
    JOIN events_voterecord v ON v.id = ca.vote_record_id
    JOIN events_event e ON e.id = v.event_id
    JOIN events_actor b ON b.id = v.body_id
   WHERE ca.actor_id = %(a_id)s AND e.status = 'published'),
years AS (
  SELECT extract(year FROM date_lower)::int AS year,
         count(*) FILTER (WHERE both_cast) AS both_cast,
         count(*) FILTER (WHERE both_cast AND a_option = b_option) AS alike,
         max(date_lower) AS last,
         json_agg(json_build_object('symbol', symbol, 'title', title, 'event', event,
                  'body', body, 'start_date', start_date, 'precision', start_precision,
                  'approximate', start_approximate, 'a_option', a_option,
                  'b_option', b_option,
                  'alike', CASE WHEN both_cast THEN a_option = b_option END)
                  ORDER BY date_lower, id) AS votes
    FROM pairs GROUP BY 1)
SELECT json_build_object(
         'periods', coalesce(json_agg(json_build_object('period', year::text,
             'start', make_date(year, 1, 1), 'end', last, 'both_cast', both_cast,
             'alike', alike,
             'agreement', round(alike::numeric / nullif(both_cast, 0), 4),
             'votes', votes) ORDER BY year), '[]'),
         'totals', json_build_object('both_cast', coalesce(sum(both_cast), 0),
             'alike', coalesce(sum(alike), 0),
             'agreement', round(sum(alike) / nullif(sum(both_cast), 0), 4)))::text AS alignment
  FROM years"""

_local = threading.local()
_actor_ids: dict[str, int | None] = {}  # slug or ISO code -> id, for the life of the worker


def connection() -> psycopg.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        # No server-side prepared statements: like Django, every query is planned with its
        # real parameters (a generic plan cannot see how common an actor is).
        conn = _local.conn = psycopg.connect(
            os.environ["DATABASE_URL"],
            autocommit=True,
            prepare_threshold=None,
            options="-c jit=off -c max_parallel_workers_per_gather=0",  # as Timeline's
        )
    return conn


def actor_id(reference: str) -> int | None:
    """Slugs and codes never change under the benchmark: look each up once per worker."""
    if reference not in _actor_ids:
        with connection().cursor() as cur:
            cur.execute(
                "SELECT id FROM events_actor WHERE slug = %s OR iso3 = upper(%s)",
                [reference, reference],
            )
            row = cur.fetchone()
            _actor_ids[reference] = row[0] if row else None
    return _actor_ids[reference]


def fetch(sql: str, params: dict) -> list[dict]:
    with connection().cursor() as cur:
        cur.execute(sql, params)
        names = [column.name for column in cur.description]
        json_columns = [name for name in names if name in JSON_COLUMNS or name in DETAIL_JSON]
        rows = []
        for record in cur.fetchall():
            row = dict(zip(names, record, strict=True))
            for name in json_columns:  # already JSON text: embed it as is
                if row[name] is not None:
                    row[name] = orjson.Fragment(row[name])
            rows.append(row)
        return rows


def event_list(params: dict) -> dict:
    """A page of the event list: its keys first, then its rows."""
    where = f"e.status IN {PUBLIC}"
    if params.get("actor"):
        params["actor_id"] = actor_id(params["actor"])
        # The participant ids: with a search, from the GIN index they share with the search
        # vector (migration 0018: one bitmap scan intersects both conditions); without one,
        # from the list index that carries them (migration 0020), read in date order.
        where += INVOLVES_INDEXED
    if params.get("from"):
        where += (
            f" AND e.date_upper >= %(from)s::date"
            f" AND e.date_lower >= %(from)s::date - {LONGEST_SPAN}"
        )
    if params.get("to"):
        where += " AND e.date_lower <= %(to)s::date"
    if params.get("timeline"):
        where += (
            " AND e.id IN (SELECT x.event_id FROM events_timelineentry x "
            "JOIN events_timeline tl ON tl.id = x.timeline_id WHERE tl.slug = %(timeline)s)"
        )
    if params.get("after_date"):
        where += " AND (e.date_lower, e.id) > (%(after_date)s::date, %(after_id)s::bigint)"
    params["limit"] = min(int(params.get("limit") or 100), PAGE_LIMIT)
    if params.get("q") and params.get("ordering") == "relevance":
        # Ranked: every match is ranked (the GIN index finds them, the rank needs each one's
        # vector from the table), as Timeline ranks them.
        keys = (
            f"SELECT e.id, e.date_lower, ts_rank(e.search_vector, {TSQUERY}) AS rank "
            f"FROM events_event e WHERE {where} AND e.search_vector @@ {TSQUERY} "
            "ORDER BY rank DESC, e.date_lower, e.id LIMIT %(limit)s"
        )
        order = "k.rank DESC, k.date_lower, k.id"
    else:
        if params.get("q") and where != f"e.status IN {PUBLIC}":
            # Date order, narrowed by other filters: the list index drops the other events on
            # its own tuples, and only those left are read for their text (a semi-join on
            # the primary key), as Timeline does (events.search).
            where += (
                f" AND e.id IN (SELECT s.id FROM events_event s WHERE s.search_vector @@ {TSQUERY})"
            )
        elif params.get("q"):
            # Date order: the list index walked, each event's text checked until the page is
            # full.
            where += f" AND e.search_vector @@ {TSQUERY}"
        keys = (
            f"SELECT e.id, e.date_lower FROM events_event e WHERE {where} "
            "ORDER BY e.date_lower, e.id LIMIT %(limit)s"
        )
        order = "k.date_lower, k.id"
    return {"results": fetch(ROWS_OF_KEYS.format(keys=keys, order=order), params)}


def grouped_timeline(params: dict) -> dict:
    params["actor_id"] = actor_id(params.get("actor", ""))
    rows = fetch(GROUPED, params)
    summary = rows[0].pop("grouped")
    for row in rows[1:]:
        row.pop("grouped")
    events = [row for row in rows if row["id"] is not None]  # none: the one summary row
    return {"summary": summary, "events": events}


def event_detail(slug: str) -> dict | None:
    rows = fetch(DETAIL, {"slug": slug})
    return rows[0] if rows else None


def votes(params: dict) -> dict:
    return {"results": fetch(VOTES, {"actor_id": actor_id(params.get("actor", ""))})}


def alignment(params: dict) -> dict:
    ids = {"a_id": actor_id(params.get("a", "")), "b_id": actor_id(params.get("b", ""))}
    return fetch(ALIGNMENT, ids)[0]["alignment"]


def respond(start_response, status: str, body: object) -> list[bytes]:
    payload = orjson.dumps(body)
    start_response(
        status,
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(payload))),
            ("X-Queries", "1"),
        ],
    )
    return [payload]


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    params = {key: values[0] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
    if path == "/events/":
        return respond(start_response, "200 OK", event_list(params))
    if path.startswith("/events/"):
        detail = event_detail(path.removeprefix("/events/").strip("/"))
        if detail is None:
            return respond(start_response, "404 Not Found", {"detail": "Not found."})
        return respond(start_response, "200 OK", detail)
    if path == "/timeline/":
        return respond(start_response, "200 OK", grouped_timeline(params))
    if path == "/votes/":
        return respond(start_response, "200 OK", votes(params))
    if path == "/alignment/":
        return respond(start_response, "200 OK", alignment(params))
    return respond(start_response, "404 Not Found", {"detail": "Not found."})
