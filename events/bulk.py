"""Inserting many rows at once, fast on PostgreSQL.

Django's `bulk_create` on PostgreSQL sends each column as an array literal that psycopg
quotes in Python, element by element: for the long texts of history rows that costs more
than the rest of an import. `insert_rows` takes the primary keys from the table's sequence
in one query and sends the rows with `COPY` (psycopg formats them in C); elsewhere it is
`bulk_create`. Either way: no signals, no `save()`; the objects get their primary keys, and
`auto_now`/`auto_now_add` fields are filled as `bulk_create` fills them.
"""

from collections.abc import Iterable
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
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        new = [obj for obj in objs if obj.pk is None]
        if new:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [opts.db_table, opts.pk.column, len(new)],
            )
            for obj, (pk,) in zip(new, cursor.fetchall(), strict=True):
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
        with cursor.copy(f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                for _index, attname, value, _db_value in stamps:
                    setattr(obj, attname, value)
                row = read(obj)
                row = list(row) if len(fields) > 1 else [row]
                for index, _attname, _value, db_value in stamps:
                    row[index] = db_value
                for index, field in prepare:
                    row[index] = field.get_db_prep_save(field.pre_save(obj, True), connection)
                copy.write_row(row)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias


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
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    statement = f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            if prepare:
                row = list(row)
                for index, field in prepare:
                    row[index] = field.get_db_prep_save(row[index], connection)
            copy.write_row(row)


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
