"""Inserting many rows at once, fast on PostgreSQL.

Django's `bulk_create` on PostgreSQL sends each column as an array literal that psycopg
quotes in Python, element by element: for the long texts of history rows that costs more
than the rest of an import. `insert_rows` takes the primary keys from the table's sequence
in one query and sends the rows with `COPY` (psycopg formats them in C); elsewhere it is
`bulk_create`. Either way: no signals, no `save()`; the objects get their primary keys, and
`auto_now`/`auto_now_add` fields are filled as `bulk_create` fills them.
"""

import collections
import queue
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from operator import attrgetter

from django.db import connections, models, router
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

# Fields whose stored value is the attribute as it is (psycopg adapts the Python value): the
# rows skip Django's per-value preparation. Others (auto_now, JSON, arrays, decimals…) take it.
PLAIN_FIELDS = (
    models.IntegerField,
    models.AutoField,
    models.BigAutoField,
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.ForeignKey,
    models.DateField,
)


def _auto_time(field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _plain(field) -> bool:
    return isinstance(field, PLAIN_FIELDS) and not _auto_time(field)


def _stamp(field, obj, connection) -> tuple:
    """An auto_now(_add) field's value for a new row, as the row holds it and as it is sent."""
    value = field.pre_save(obj, True)
    return value, field.get_db_prep_save(value, connection)


_SEQUENCES: dict[tuple[str, str], str] = {}


def _sequence(cursor, table: str, column: str) -> str:
    """The name of the sequence behind `table.column`, looked up once: named in the query as a
    constant, `nextval` costs a fifth of what it costs when each call finds it by name."""
    if (table, column) not in _SEQUENCES:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        _SEQUENCES[table, column] = cursor.fetchone()[0]
    return _SEQUENCES[table, column]


def insert_rows(model, objs: list, *, batch_size: int = 1000) -> None:
    """INSERT `objs` (instances of `model`, not yet saved) and set their primary keys."""
    if not objs:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        model._base_manager.using(alias).bulk_create(objs, batch_size=batch_size)
        return
    opts = model._meta
    fields = [field for field in opts.concrete_fields if not field.generated]
    new = [obj for obj in objs if obj.pk is None]
    behind = _writing_behind(connection)
    if new:
        if behind is not None:
            keys = behind.keys(opts.db_table, opts.pk.column, len(new))
        else:
            with connection.cursor() as cursor:
                keys = _next_keys(cursor, opts.db_table, opts.pk.column, len(new))
        for obj, pk in zip(new, keys, strict=True):
            obj.pk = pk
    # Every attribute read in one C call; the few fields that are not plain then prepared.
    read = attrgetter(*[field.attname for field in fields])
    prepare = [
        (index, field)
        for index, field in enumerate(fields)
        if not _plain(field) and not _auto_time(field)
    ]
    # Creation and change times: one clock reading for the whole call (one transaction),
    # prepared once, rather than a reading and a preparation per field per row.
    stamps = [
        (index, field.attname, *_stamp(field, objs[0], connection))
        for index, field in enumerate(fields)
        if _auto_time(field)
    ]

    def rows():
        for obj in objs:
            for _index, attname, value, _db_value in stamps:
                setattr(obj, attname, value)
            row = read(obj)
            row = list(row) if len(fields) > 1 else [row]
            for index, _attname, _value, db_value in stamps:
                row[index] = db_value
            for index, field in prepare:
                row[index] = field.get_db_prep_save(field.pre_save(obj, True), connection)
            yield row

    _copy(connection, opts.db_table, [field.column for field in fields], rows())
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias


def _next_keys(cursor, table: str, column: str, count: int) -> list[int]:
    cursor.execute(
        "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
        [_sequence(cursor, table, column), count],
    )
    return [pk for (pk,) in cursor.fetchall()]


def _copy(connection, table: str, columns: list[str], rows: Iterable) -> None:
    """COPY `rows` (values ready to send) into `table`: now, or, inside `writes_behind()`,
    handed to its thread once this one has prepared them."""
    quote = connection.ops.quote_name
    statement = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    behind = _writing_behind(connection)
    if behind is not None:
        behind.submit(statement, list(rows))
        return
    with connection.cursor() as cursor, connection.execute_wrapper(_no_query_during_copy):
        _write_copy(cursor, statement, rows)


def _write_copy(cursor, statement: str, rows: Iterable) -> None:
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _no_query_during_copy(execute, sql, params, many, context):
    # The COPY holds the connection: a query made while its rows are produced would wait for
    # it forever. Fail instead, saying so.
    raise RuntimeError(f"A query ran while a COPY was sending its rows: {sql[:200]}")


def insert_values(model, attnames: list[str], rows: Iterable[tuple]) -> None:
    """INSERT `rows`, tuples of the attributes `attnames` of `model`, without building a model
    instance each: on PostgreSQL one `COPY` (values of plain fields as they are, others through
    their field's preparation, as `insert_rows` sends them), the primary keys left to the
    database. For many rows written once and not read back (history rows, import items)."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(attnames, row, strict=True))) for row in rows]
        model._base_manager.using(alias).bulk_create(objs, batch_size=1000)
        return
    opts = model._meta
    fields = [opts.get_field(name) for name in attnames]
    prepare = [(index, field) for index, field in enumerate(fields) if not _plain(field)]

    def prepared():
        for row in rows:
            if prepare:
                row = list(row)
                for index, field in prepare:
                    row[index] = field.get_db_prep_save(row[index], connection)
            yield row

    _copy(connection, opts.db_table, [field.column for field in fields], prepared())


class Builder:
    """Unsaved instances of one model, many of them: `Builder(Citation)(event=e, stance=…)`
    gives what `Citation(event=e, stance=…)` gives, built the way Django builds a row it reads
    (`Model(*values)`, every field by position) from defaults worked out once. The keyword
    path of `Model.__init__` looks up each field's default and pops each keyword, every time:
    for a bulk import's tens of thousands of new rows that was a fifth of its work.

    Keywords are field names or attnames; a related object given by its field name is cached
    on the instance, as the descriptor caches it."""

    def __init__(self, model):
        self.model = model
        fields = model._meta.concrete_fields
        self.position = {}
        for index, model_field in enumerate(fields):
            self.position[model_field.attname] = index
            self.position.setdefault(model_field.name, index)
        # A related object's key: its target field (its primary key unless `to_field` says).
        self.related = {f.name: f.target_field.attname for f in fields if f.is_relation}
        # A callable default (dict, list, a clock) gives a new value to every instance.
        self.fresh = [
            (i, f) for i, f in enumerate(fields) if f.has_default() and callable(f.default)
        ]
        fresh = {index for index, _field in self.fresh}
        self.defaults = [None if i in fresh else f.get_default() for i, f in enumerate(fields)]
        # Model(*row) sets each attribute, sends pre_init/post_init and no more: where nobody
        # listens and every attribute is plain (no descriptor of a field's own), the values go
        # straight into the instance's __dict__.
        plain = all(
            type(model.__dict__.get(f.attname)) in (DeferredAttribute, ForeignKeyDeferredAttribute)
            for f in fields
        )
        listened = pre_init.has_listeners(model) or post_init.has_listeners(model)
        self.attnames = [f.attname for f in fields] if plain and not listened else None

    def __call__(self, **values):
        row = self.defaults.copy()
        for index, model_field in self.fresh:
            row[index] = model_field.get_default()
        cached = []
        position = self.position
        for name, value in values.items():
            if name in self.related and isinstance(value, models.Model):
                cached.append((name, value))
                value = getattr(value, self.related[name])
            row[position[name]] = value
        if self.attnames is None:
            obj = self.model(*row)
        else:  # what Model(*row) does here, with nothing listening and plain attributes
            obj = self.model.__new__(self.model)
            obj._state = ModelState()
            obj.__dict__.update(zip(self.attnames, row, strict=True))
        for name, value in cached:
            obj._state.fields_cache[name] = value
        return obj


# --- writing behind -----------------------------------------------------------------------

# Primary keys taken from a sequence at once while writing behind (a few batches' worth).
KEYS_AHEAD = 5000
# COPYs prepared ahead of the database at most: memory stays bounded if it falls behind.
QUEUED = 8

_behind: ContextVar["WriteBehind | None"] = ContextVar("writes_behind", default=None)


def _writing_behind(connection) -> "WriteBehind | None":
    behind = _behind.get()
    return behind if behind is not None and behind.connection is connection else None


@contextmanager
def writes_behind(using: str = "default") -> Iterator[None]:
    """Inside, on PostgreSQL, `insert_rows` and `insert_values` prepare their rows here and
    hand the COPY to a second thread, which sends them in order while this one goes on to
    prepare the next: the database stores one batch while Python builds the next, on two
    cores instead of taking turns on one. Use it inside the transaction the rows belong to.

    Nothing else changes order: any other query (a read, an UPDATE, a savepoint) first waits
    for every COPY handed over before it, and a COPY's error is raised here, at the next
    query, the next hand-over or the end of the block, whichever comes first; after an error,
    the COPYs still queued are dropped (the transaction is lost anyway). Primary keys come from
    the sequences KEYS_AHEAD at a time, so a hand-over does not wait for one."""
    connection = connections[using]
    if connection.vendor != "postgresql" or _behind.get() is not None:
        yield
        return
    connection.ensure_connection()
    behind = WriteBehind(connection)
    token = _behind.set(behind)
    try:
        with connection.execute_wrapper(behind.before_query):
            yield
            behind.sync()
    finally:
        _behind.reset(token)
        behind.stop()


class WriteBehind:
    """The thread `writes_behind()` hands its COPYs to, and the keys it hands out."""

    def __init__(self, connection):
        self.connection = connection
        self.jobs: queue.Queue = queue.Queue(maxsize=QUEUED)
        self.error: BaseException | None = None
        self.stopping = False
        self.pools: dict[str, collections.deque] = {}
        self.refills: dict[str, threading.Event] = {}
        self.thread = threading.Thread(target=self._run, name="writes-behind", daemon=True)
        self.thread.start()

    def submit(self, statement: str, rows: list) -> None:
        self._raise()
        self.jobs.put((_send_copy, (statement, rows), None))

    def keys(self, table: str, column: str, count: int) -> list[int]:
        """`count` new primary keys of `table`. The pool of keys is refilled by the thread, in
        the queue's order, once it runs below half: a hand-over rarely waits for keys."""
        # The first call takes only the keys it needs: a small import wastes none.
        first = table not in self.pools
        pool = self.pools.setdefault(table, collections.deque())
        refill = self.refills.get(table)
        if len(pool) < count and refill is not None:
            refill.wait()
            self._raise()
        if len(pool) < count:
            wanted = count - len(pool) if first else max(count - len(pool), KEYS_AHEAD)
            with self.connection.cursor() as cursor:  # waits for the queue (before_query)
                pool.extend(_next_keys(cursor, table, column, wanted))
        taken = [pool.popleft() for _ in range(count)]
        if not first and len(pool) < KEYS_AHEAD // 2 and (refill is None or refill.is_set()):
            done = self.refills[table] = threading.Event()
            self.jobs.put((_add_keys, (pool, table, column, KEYS_AHEAD), done))
        return taken

    def sync(self) -> None:
        """Wait for every COPY handed over; raise the error of one that failed."""
        self.jobs.join()
        self._raise()

    def before_query(self, execute, sql, params, many, context):
        self.sync()
        return execute(sql, params, many, context)

    def stop(self) -> None:
        """Let the COPY under way end, drop the rest, and end the thread."""
        self.stopping = True
        self.jobs.put(None)
        self.thread.join()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        raw = self.connection.connection
        while True:
            job = self.jobs.get()
            if job is None:
                self.jobs.task_done()
                return
            work, arguments, done = job
            try:
                if self.error is None and not self.stopping:
                    with self.connection.wrap_database_errors:
                        work(raw, *arguments)
            except BaseException as exc:  # raised in the thread that handed it over
                self.error = exc
            finally:
                if done is not None:
                    done.set()
                self.jobs.task_done()


def _send_copy(raw, statement: str, rows: list) -> None:
    with raw.cursor() as cursor:
        _write_copy(cursor, statement, rows)


def _add_keys(raw, pool: collections.deque, table: str, column: str, count: int) -> None:
    with raw.cursor() as cursor:
        pool.extend(_next_keys(cursor, table, column, count))
