"""The hot reads' statements, prepared once per connection on PostgreSQL.

Django never prepares a statement (so that poolers in transaction mode keep working), so
PostgreSQL parses and plans every query it is sent. The few statements every public read runs
(a page's rows, the event detail, the change stamp, the alignment of two states) come back
with the same text again and again, and planning them cost about as much as running them:
3.5 ms of planning beside 4.7 ms of execution for the first page's rows at 1,000,000 events
(docs/benchmarks.md). `cursor()` gives a Django cursor (query counts, execute wrappers and
error wrapping work as before) whose statements are prepared: planned once per connection and
text, then run on that plan.

The values are written into the statement's text (bound on the client, as Django binds them)
before it is prepared, so a plan is only ever reused for the very same values. Prepared with
placeholders instead, PostgreSQL switches to a generic plan after five runs when it estimates
it no costlier, and for an actor's events in 2015-2020 the generic plan cost 4 times as much
(82 ms of the machine's CPU a request instead of 20). PostgreSQL plans one again when a
table it reads changes (or is analysed), and Django's connections last a minute
(CONN_MAX_AGE). A plan of a page's rows holds about 330 KB of its PostgreSQL backend's memory
(100 of them: 33 MB, measured in pg_backend_memory_contexts), so a connection keeps at most
PREPARED_PER_CONNECTION, the least recently used dropped first.

`DATABASE_PREPARED_READS=0` turns it off (for a pooler that cannot carry prepared statements,
such as PgBouncer in transaction mode before 1.21). Elsewhere than PostgreSQL it is the plain
cursor.
"""

import contextlib

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.backends.utils import CursorDebugWrapper

# Django sets psycopg's automatic preparing off (None), which psycopg also reads as "never,
# even when asked". A threshold no statement reaches leaves only the asked-for ones prepared.
ONLY_WHEN_ASKED = 2**62
# The hot statements of one connection: the first pages, the popular filters, the stamp.
PREPARED_PER_CONNECTION = 16

try:
    import psycopg
except ImportError:  # a SQLite-only install
    psycopg = None
else:

    class _PreparedCursor(psycopg.Cursor):
        """Every statement prepared with its values in its text (psycopg caches them by text)."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            if params is not None:  # (also turns `%%` into `%`, as Django's binding does)
                query = psycopg.ClientCursor(self.connection).mogrify(query, params)
            return super().execute(query, None, prepare=True, binary=binary)


class _LoggedPreparedCursor(CursorDebugWrapper):
    """Logs the statement with its values, as Django logs its own (Django would read it back
    from where a client-side binding leaves it, which a prepared statement does not)."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params)):
            return self._execute_with_wrappers(sql, params, many=False, executor=self._execute)


@contextlib.contextmanager
def cursor(connection):
    """A cursor of `connection` whose statements PostgreSQL plans once per connection."""
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_READS:
        with connection.cursor() as plain:
            yield plain
        return
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw_connection = connection.connection
    if raw_connection.prepare_threshold is None:
        raw_connection.prepare_threshold = ONLY_WHEN_ASKED
        raw_connection.prepared_max = PREPARED_PER_CONNECTION
    with connection.wrap_database_errors:
        raw = _PreparedCursor(raw_connection)
    if connection.queries_logged:
        wrapped = _LoggedPreparedCursor(raw, connection)
    else:
        wrapped = connection.make_cursor(raw)
    with wrapped:
        yield wrapped


def rows_of(queryset) -> list[tuple]:
    """The rows of a `values_list()` queryset as the database gives them, in its order,
    through `cursor()`: for a hot read of many rows whose fields need no converter (text,
    numbers, dates, booleans), where Django's per-value conversion and per-row tuples cost
    more than the query. An impossible filter gives no rows.

    The columns come in the statement's order, which is Django's (the model's fields, then
    the annotations), not always the order `values_list()` was given: where they differ,
    Django reorders each row and this would not, so it refuses."""
    query = queryset.query
    selected = [*query.extra_select, *query.values_select, *query.annotation_select]
    if list(queryset._fields) != selected:
        raise ValueError(
            f"rows_of() reads columns in the statement's order {selected}; "
            f"ask values_list() for them in that order, not {list(queryset._fields)}."
        )
    try:
        sql, params = query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return []
    with cursor(connections[queryset.db]) as statement:
        statement.execute(sql, params)
        return statement.fetchall()
