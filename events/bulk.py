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


def _plain(field) -> bool:
    return isinstance(field, PLAIN_FIELDS) and not (
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    )


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
        prepare = [(index, field) for index, field in enumerate(fields) if not _plain(field)]
        with cursor.copy(f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                row = read(obj)
                row = list(row) if len(fields) > 1 else [row]
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
