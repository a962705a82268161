"""The limit: each benchmark query answered by one hand-written SQL statement, no framework.

A bare WSGI callable: psycopg 3 (one autocommit connection per worker thread, statements
prepared by psycopg after a few runs) and orjson. No validation, no content negotiation, no
ETags, no throttling: what is left is the least any Python server can do for the same answer,
so Timeline's requests per second divided by this app's is the share of the hardware it uses
well. Serve it with the same gunicorn settings as Timeline (bench/run.py does):

    DATABASE_URL=postgres://… gunicorn bench.limit_app:application

Every response carries `X-Queries: 1`.
"""

import os
import threading
from urllib.parse import parse_qs

import orjson
import psycopg

PUBLIC = "('published', 'retracted')"
ROW_SELECT = f"""
SELECT e.id, e.slug, e.title, e.summary, t.slug AS type_slug, t.name AS type_name,
       e.start_date, e.start_precision, e.start_approximate,
       e.end_date, e.end_precision, e.end_approximate, e.date_lower, e.date_upper,
       c.slug AS country_slug, c.name AS country_name, c.iso3 AS country_iso3, e.location_name,
       e.status, e.retraction_reason, e.verification, e.importance, e.published_at, e.updated_at,
       (SELECT coalesce(json_agg(json_build_object('slug', a.slug, 'name', a.name,
                'kind', a.kind, 'iso3', a.iso3, 'role', p.role) ORDER BY p.id), '[]')::text
          FROM events_participation p JOIN events_actor a ON a.id = p.actor_id
         WHERE p.event_id = e.id) AS actors,
       (SELECT coalesce(json_agg(json_build_object('id', s.id, 'title', s.title, 'url', s.url,
                'publisher', s.publisher, 'stance', ci.stance) ORDER BY ci.id), '[]')::text
          FROM events_citation ci JOIN events_source s ON s.id = ci.source_id
         WHERE ci.event_id = e.id) AS sources
  FROM events_event e
  JOIN events_eventtype t ON t.id = e.event_type_id
  LEFT JOIN events_actor c ON c.id = e.location_country_id
 WHERE e.status IN {PUBLIC}
"""
INVOLVES = (
    " AND EXISTS (SELECT 1 FROM events_participation p "
    "WHERE p.event_id = e.id AND p.actor_id = %(actor_id)s)"
)
TSQUERY = "(websearch_to_tsquery('english', %(q)s) || websearch_to_tsquery('simple', %(q)s))"
MATCHES = f" AND e.search_vector @@ {TSQUERY}"
# Like Timeline's `q`, the best matches first (so every match is ranked, as there).
BY_RANK = f" ORDER BY ts_rank(e.search_vector, {TSQUERY}) DESC, e.date_lower, e.id"
JSON_COLUMNS = ("actors", "sources", "periods")

_local = threading.local()
_actor_ids: dict[str, int | None] = {}  # slug or ISO code -> id, for the life of the worker


def connection() -> psycopg.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        # No server-side prepared statements: like Django, every query is planned with its
        # real parameters (a generic plan cannot see how common an actor is).
        conn = _local.conn = psycopg.connect(
            os.environ["DATABASE_URL"], autocommit=True, prepare_threshold=None
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
        rows = []
        for record in cur.fetchall():
            row = dict(zip(names, record, strict=True))
            for name in JSON_COLUMNS:  # already JSON text: embed it as is
                if row.get(name) is not None:
                    row[name] = orjson.Fragment(row[name])
            rows.append(row)
        return rows


def event_list(params: dict) -> dict:
    sql = ROW_SELECT
    if params.get("actor"):
        params["actor_id"] = actor_id(params["actor"])
        sql += INVOLVES
    if params.get("from"):
        # The redundant lower bound lets the date-ordered scan start near the window (the
        # longest span is one probe of the span index, as in Timeline's querysets).
        sql += (
            " AND e.date_upper >= %(from)s::date AND e.date_lower >= %(from)s::date - "
            "(SELECT coalesce(max(date_upper - date_lower), 0) FROM events_event)"
        )
    if params.get("to"):
        sql += " AND e.date_lower <= %(to)s::date"
    if params.get("q"):
        sql += MATCHES
    if params.get("timeline"):
        sql += (
            " AND e.id IN (SELECT x.event_id FROM events_timelineentry x "
            "JOIN events_timeline tl ON tl.id = x.timeline_id WHERE tl.slug = %(timeline)s)"
        )
    if params.get("after_date"):
        sql += " AND (e.date_lower, e.id) > (%(after_date)s::date, %(after_id)s::bigint)"
    sql += BY_RANK if params.get("q") else " ORDER BY e.date_lower, e.id"
    sql += " LIMIT %(limit)s::int"
    params.setdefault("limit", "100")
    return {"results": fetch(sql, params)}


def grouped_timeline(params: dict) -> dict:
    """Counts per month of every matching event, and the first 500 of them, in one statement."""
    params["actor_id"] = actor_id(params.get("actor", ""))
    sql = (
        "WITH matching AS MATERIALIZED (SELECT e.id, e.date_lower FROM events_event e "
        f"WHERE e.status IN {PUBLIC}{INVOLVES}), "
        "periods AS (SELECT coalesce(json_agg(json_build_object('period', period, 'count', n) "
        "ORDER BY period), '[]')::text AS periods FROM (SELECT to_char(date_lower, 'YYYY-MM') "
        "AS period, count(*) AS n FROM matching GROUP BY 1) g) "
        f"SELECT x.*, periods.periods FROM ({ROW_SELECT} AND e.id IN "
        "(SELECT id FROM matching ORDER BY date_lower, id LIMIT 500)) x, periods "
        "ORDER BY x.date_lower, x.id"
    )
    rows = fetch(sql, params)
    periods = rows[0].pop("periods") if rows else orjson.Fragment(b"[]")
    for row in rows[1:]:
        row.pop("periods")
    return {"periods": periods, "events": rows}


def event_detail(slug: str) -> dict | None:
    sql = ROW_SELECT + " AND e.slug = %(slug)s"
    rows = fetch(sql, {"slug": slug})
    return rows[0] if rows else None


def votes(params: dict) -> dict:
    params["actor_id"] = actor_id(params.get("actor", ""))
    sql = (
        "SELECT v.id, v.document_symbol, v.title, v.result, v.yes_count, v.no_count, "
        "v.abstain_count, v.non_voting_count, e.slug AS event, e.date_lower AS date, "
        "cv.option FROM events_countryvote cv "
        "JOIN events_voterecord v ON v.id = cv.vote_record_id "
        "JOIN events_event e ON e.id = v.event_id "
        "WHERE cv.actor_id = %(actor_id)s AND e.status = 'published' "
        "ORDER BY e.date_lower, v.id LIMIT 100"
    )
    return {"results": fetch(sql, params)}


def alignment(params: dict) -> dict:
    sql = (
        "SELECT v.document_symbol AS symbol, v.title, e.slug AS event, e.date_lower AS date, "
        "a.option AS a_option, b.option AS b_option FROM events_countryvote a "
        "JOIN events_countryvote b ON b.vote_record_id = a.vote_record_id "
        "JOIN events_voterecord v ON v.id = a.vote_record_id "
        "JOIN events_event e ON e.id = v.event_id "
        "WHERE a.actor_id = %(a_id)s AND b.actor_id = %(b_id)s AND e.status = 'published' "
        "ORDER BY e.date_lower, v.id"
    )
    params["a_id"], params["b_id"] = actor_id(params.get("a", "")), actor_id(params.get("b", ""))
    cast = ("yes", "no", "abstain")
    periods: dict[int, dict] = {}
    for row in fetch(sql, params):
        period = periods.setdefault(
            row["date"].year, {"period": str(row["date"].year), "cast": 0, "alike": 0, "votes": []}
        )
        both = row["a_option"] in cast and row["b_option"] in cast
        period["cast"] += both
        period["alike"] += both and row["a_option"] == row["b_option"]
        period["votes"].append(row)
    return {"periods": list(periods.values())}


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
